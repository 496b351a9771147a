package io.qingliu.kit.query;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Opaque keyset page tokens (URL-safe base64, no padding).
 *
 * <p>Layout: version (1 byte), fingerprint (8 bytes: SHA-256 of namespace, filter and order_by), sort value type
 * (1 byte), sort value (exact: long; UTF-8 string; epoch day; epoch second + microseconds), id (8 bytes), CRC-32
 * of all preceding bytes (4 bytes). The checksum and a canonical-encoding check make any edited token fail cleanly;
 * the token is not signed, as it only says where to resume a listing the caller may read anyway.
 *
 * <p>The namespace identifies what is listed, including its parent if any (e.g. {@code projects} or
 * {@code projects/42/history}), so a token cannot be replayed on another collection.
 */
public final class PageToken {

    private static final byte VERSION = 1;
    private static final int FINGERPRINT_BYTES = 8;
    /** Version, fingerprint, type, id, checksum. */
    private static final int FIXED_BYTES = 1 + FINGERPRINT_BYTES + 1 + 8 + 4;
    /** Longest token accepted, in characters. */
    static final int MAX_LENGTH = 16384;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private PageToken() {
    }

    /** Encodes the position after which the next page starts. */
    public static String encode(Keyset position, String namespace, String filter, String orderBy) {
        SortValueType type = SortValueType.ofValue(position.sortValue());
        byte[] fingerprint = fingerprint(namespace, filter, orderBy);
        byte[] body = SortValueType.bytes(out -> {
            out.writeByte(VERSION);
            out.write(fingerprint);
            out.writeByte(type.tag);
            type.write(out, position.sortValue());
            out.writeLong(position.id());
        });
        ByteBuffer token = ByteBuffer.allocate(body.length + 4);
        token.put(body).putInt((int) crc(body, body.length));
        return ENCODER.encodeToString(token.array());
    }

    /**
     * Decodes a token produced by {@link #encode} for the same namespace, filter and order_by.
     *
     * @return empty for the empty token (first page)
     * @throws QueryException on {@code page_token} for malformed tokens and tokens of another listing; never any
     *                        other exception
     */
    public static Optional<Keyset> decode(String token, String namespace, String filter, String orderBy) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        if (token.length() > MAX_LENGTH) {
            throw invalid();
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (bytes.length < FIXED_BYTES || !ENCODER.encodeToString(bytes).equals(token)) {
            throw invalid();
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int checksum = in.getInt(bytes.length - 4);
        if (checksum != (int) crc(bytes, bytes.length - 4) || bytes[0] != VERSION) {
            throw invalid();
        }
        in.limit(bytes.length - 4);
        in.position(1);
        byte[] fingerprint = new byte[FINGERPRINT_BYTES];
        in.get(fingerprint);
        if (!MessageDigest.isEqual(fingerprint, fingerprint(namespace, filter, orderBy))) {
            throw new QueryException(QueryException.PAGE_TOKEN, "page token does not belong to this filter/order_by;"
                    + " keep filter and order_by unchanged between pages, or start again without a page token");
        }
        try {
            SortValueType type = SortValueType.ofTag(in.get());
            if (type == null) {
                throw invalid();
            }
            Object value = type.read(in);
            long id = in.getLong();
            if (in.hasRemaining()) {
                throw invalid();
            }
            return Optional.of(new Keyset(value, id));
        } catch (QueryException e) {
            throw e;
        } catch (Exception e) { // BufferUnderflowException, CharacterCodingException, DateTimeException, …
            throw invalid();
        }
    }

    private static QueryException invalid() {
        return new QueryException(QueryException.PAGE_TOKEN,
                "invalid page token; pass the next_page_token of the previous response unchanged");
    }

    private static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }

    static byte[] fingerprint(String namespace, String filter, String orderBy) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (String part : new String[] {"qingliu-page-token", namespace, filter, orderBy}) {
            byte[] bytes = (part == null ? "" : part).getBytes(StandardCharsets.UTF_8);
            sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
            sha.update(bytes);
        }
        byte[] out = new byte[FINGERPRINT_BYTES];
        System.arraycopy(sha.digest(), 0, out, 0, FINGERPRINT_BYTES);
        return out;
    }
}
