package io.qingliu.gateway.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.ObjIntConsumer;

/**
 * The body of a client-streaming route, cut into its JSON objects as its bytes arrive: one request
 * message per object, written one after another, a line each (NDJSON) or separated by any
 * whitespace. Only the structure is scanned here (braces and brackets outside strings), so an
 * object is handed on as soon as its last byte is in, and the body is never held whole; what is
 * inside an object is the JSON parser's to judge ({@link Bodies#parse}).
 *
 * <p>UTF-8 is scanned byte by byte: every byte that matters here is ASCII, and no byte of a
 * multi-byte character is.
 */
final class JsonObjectStream {

    private final long maxObjectBytes;
    private byte[] pending;
    private int length;
    private int depth;
    private boolean inString;
    private boolean escaped;
    private int objects;

    /** @param maxObjectBytes the largest object taken; a larger one is refused (a 400 naming it) */
    JsonObjectStream(long maxObjectBytes) {
        this.maxObjectBytes = maxObjectBytes;
        this.pending = new byte[(int) Math.min(1024, maxObjectBytes)];
    }

    /** The objects completed so far: the next one's position in the stream, from 0. */
    int objects() {
        return objects;
    }

    /** Names the object at a position as the route's errors do: {@code messages[3]}. */
    static String field(int position) {
        return "messages[" + position + "]";
    }

    /**
     * Takes the next bytes of the body and hands each object they complete, as text, to
     * {@code object} with its position in the stream.
     *
     * @throws InvalidParameterException something other than an object between objects, or an
     *                                   object over the size limit
     */
    void feed(byte[] bytes, ObjIntConsumer<String> object) {
        for (byte b : bytes) {
            if (depth == 0) {
                if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                    continue;
                }
                if (b != '{') {
                    throw new InvalidParameterException(field(objects), "must be a JSON object (one request message "
                            + "per object, e.g. a line each), not one starting with '" + shown(b) + "'");
                }
            }
            append(b);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
                continue;
            }
            switch (b) {
                case '"' -> inString = true;
                case '{', '[' -> depth++;
                case '}', ']' -> {
                    depth--;
                    if (depth == 0) {
                        String text = new String(pending, 0, length, StandardCharsets.UTF_8);
                        length = 0;
                        object.accept(text, objects++);
                    }
                }
                default -> {
                }
            }
        }
    }

    /** The body has ended: it must not end inside an object. */
    void end() {
        if (depth != 0 || length != 0) {
            throw new InvalidParameterException(field(objects), "is cut off: the body ends inside this JSON object");
        }
    }

    private void append(byte b) {
        if (length == pending.length) {
            if (length >= maxObjectBytes) {
                throw new InvalidParameterException(field(objects), "is larger than the limit of " + maxObjectBytes
                        + " bytes for one message; send more, smaller ones");
            }
            pending = Arrays.copyOf(pending, (int) Math.min(maxObjectBytes, 2L * length));
        }
        pending[length++] = b;
    }

    private static String shown(byte b) {
        return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }
}
