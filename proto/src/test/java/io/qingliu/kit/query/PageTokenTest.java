package io.qingliu.kit.query;

import static io.qingliu.kit.query.QueryAssertions.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class PageTokenTest {

    static final String NS = "projects";
    static final String FILTER = "state = PROJECT_STATE_PLANNED";
    static final String ORDER = "display_name desc";

    static String encode(Object value, long id) {
        return PageToken.encode(new Keyset(value, id), NS, FILTER, ORDER);
    }

    static Keyset decode(String token) {
        return PageToken.decode(token, NS, FILTER, ORDER).orElseThrow();
    }

    static void assertRoundTrip(Object value, long id) {
        String token = encode(value, id);
        assertTrue(token.matches("[A-Za-z0-9_-]+"), token);
        Keyset back = decode(token);
        assertEquals(value, back.sortValue());
        assertEquals(value.getClass(), back.sortValue().getClass());
        assertEquals(id, back.id());
    }

    @Test
    void emptyTokenIsFirstPage() {
        assertEquals(Optional.empty(), PageToken.decode("", NS, FILTER, ORDER));
        assertEquals(Optional.empty(), PageToken.decode(null, NS, FILTER, ORDER));
    }

    @Test
    void roundTripLong() {
        for (long v : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1_700_000_000_123L}) {
            assertRoundTrip(v, 42);
        }
        assertRoundTrip(7L, Long.MAX_VALUE);
        assertRoundTrip(7L, Long.MIN_VALUE);
        assertRoundTrip(7L, 0);
    }

    @Test
    void roundTripString() {
        for (String v : new String[] {"", "a", "清流污水处理厂 (二期)", "quote \" backslash \\ nul \0 end",
                "emoji \uD83D\uDCA7", "x".repeat(5000), "x' OR '1'='1"}) {
            assertRoundTrip(v, 9);
        }
    }

    @Test
    void roundTripLocalDate() {
        for (LocalDate v : new LocalDate[] {LocalDate.of(2025, 2, 28), LocalDate.of(1970, 1, 1),
                LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31), LocalDate.of(-4713, 11, 24)}) {
            assertRoundTrip(v, 3);
        }
    }

    @Test
    void roundTripInstantAtMicrosecondPrecision() {
        for (Instant v : new Instant[] {Instant.parse("2025-03-01T08:15:30.123456Z"), Instant.EPOCH,
                Instant.parse("1969-12-31T23:59:59.999999Z"), Instant.parse("2025-03-01T08:15:30Z"),
                Instant.parse("+294276-12-31T23:59:59.999999Z"), Instant.parse("-4713-11-24T00:00:00Z")}) {
            assertRoundTrip(v, 5);
        }
    }

    @Test
    void jdbcTypesAreNormalized() {
        OffsetDateTime odt = OffsetDateTime.of(2025, 3, 1, 16, 15, 30, 123_456_000, ZoneOffset.ofHours(8));
        assertEquals(odt.toInstant(), new Keyset(odt, 1).sortValue());
        assertEquals(odt.toInstant(), new Keyset(java.sql.Timestamp.from(odt.toInstant()), 1).sortValue());
        assertEquals(LocalDate.of(2025, 1, 2), new Keyset(java.sql.Date.valueOf("2025-01-02"), 1).sortValue());
        assertEquals(5L, new Keyset(5, 1).sortValue());
        assertThrows(IllegalArgumentException.class, () -> new Keyset(null, 1));
        assertThrows(IllegalArgumentException.class, () -> new Keyset(1.5, 1));
        assertThrows(IllegalArgumentException.class, () -> new Keyset(java.time.LocalDateTime.now(), 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Keyset(Instant.parse("2025-03-01T08:15:30.123456789Z"), 1));
    }

    @Test
    void fingerprintMismatchRejected() {
        String token = encode("Plant A", 17);
        String msg = "does not belong to this filter/order_by";
        assertRejected("page_token", () -> PageToken.decode(token, NS, FILTER + " AND county = x", ORDER), msg);
        assertRejected("page_token", () -> PageToken.decode(token, NS, "", ORDER), msg);
        assertRejected("page_token", () -> PageToken.decode(token, NS, FILTER, "display_name"), msg);
        assertRejected("page_token", () -> PageToken.decode(token, NS, FILTER, ""), msg);
        assertRejected("page_token", () -> PageToken.decode(token, "facilities", FILTER, ORDER), msg);
        // field boundaries are unambiguous
        String t2 = PageToken.encode(new Keyset(1L, 1), "ab", "c", "");
        assertRejected("page_token", () -> PageToken.decode(t2, "a", "bc", ""), msg);
        assertEquals(1L, PageToken.decode(t2, "ab", "c", "").orElseThrow().sortValue());
    }

    @Test
    void everySingleCharacterEditIsRejected() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (Object value : List.of(123L, "Plant", LocalDate.of(2025, 1, 1), Instant.parse("2025-01-01T00:00:00.5Z"))) {
            String token = encode(value, 99);
            for (int i = 0; i < token.length(); i++) {
                for (char c : alphabet.toCharArray()) {
                    if (c == token.charAt(i)) {
                        continue;
                    }
                    String tampered = token.substring(0, i) + c + token.substring(i + 1);
                    assertRejected("page_token", () -> decode(tampered), "invalid page token");
                }
            }
        }
    }

    @Test
    void truncatedAndExtendedTokensRejected() {
        String token = encode("Plant", 99);
        for (int length = 1; length < token.length(); length++) {
            String cut = token.substring(0, length);
            assertRejected("page_token", () -> decode(cut), "invalid page token");
        }
        assertRejected("page_token", () -> decode(token + "A"), "invalid page token");
        assertRejected("page_token", () -> decode(token + "AA"), "invalid page token");
        assertRejected("page_token", () -> decode(token + "="), "invalid page token");
    }

    @Test
    void garbageRejectedCleanly() {
        for (String garbage : new String[] {"x", "abc", "!!!!", "null", "=", "a b", "%20", "eyJhIjoxfQ",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "\u0000", "清流", "a".repeat(PageToken.MAX_LENGTH + 1),
                Base64.getEncoder().encodeToString(new byte[] {(byte) 0xfb, (byte) 0xff, 0, 1, 2, 3})}) {
            assertRejected("page_token", () -> decode(garbage), "invalid page token");
        }
        Random random = new Random(20250301);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            if (i % 2 == 0 && bytes.length > 0) {
                bytes[0] = 1; // plausible version byte
            }
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            if (token.isEmpty()) {
                continue;
            }
            try {
                decode(token);
                fail("accepted random token " + token);
            } catch (QueryException e) {
                assertEquals("page_token", e.field());
            }
        }
    }

    /** Well-formed, correctly checksummed tokens with bad contents: still only QueryException. */
    @Test
    void forgedTokensWithValidChecksumRejectedCleanly() {
        byte[] fp = PageToken.fingerprint(NS, FILTER, ORDER);
        // unknown type tag
        assertForgedRejected(ByteBuffer.allocate(1 + 8 + 1 + 8).put((byte) 1).put(fp).put((byte) 9).putLong(1));
        // wrong version
        assertForgedRejected(ByteBuffer.allocate(1 + 8 + 1 + 8 + 8).put((byte) 2).put(fp).put((byte) 1).putLong(5)
                .putLong(1));
        // string length beyond the data, and negative
        assertForgedRejected(ByteBuffer.allocate(1 + 8 + 1 + 4 + 8).put((byte) 1).put(fp).put((byte) 2)
                .putInt(1000).putLong(1));
        assertForgedRejected(ByteBuffer.allocate(1 + 8 + 1 + 4 + 8).put((byte) 1).put(fp).put((byte) 2)
                .putInt(-1).putLong(1));
        // malformed UTF-8
        assertForgedRejected(ByteBuffer.allocate(1 + 8 + 1 + 4 + 2 + 8).put((byte) 1).put(fp).put((byte) 2)
                .putInt(2).put((byte) 0xc3).put((byte) 0x28).putLong(1));
        // epoch day out of LocalDate range
        assertForgedRejected(ByteBuffer.allocate(1 + 8 + 1 + 8 + 8).put((byte) 1).put(fp).put((byte) 3)
                .putLong(Long.MAX_VALUE).putLong(1));
        // instant out of range, and micros out of range
        assertForgedRejected(ByteBuffer.allocate(1 + 8 + 1 + 12 + 8).put((byte) 1).put(fp).put((byte) 4)
                .putLong(Long.MAX_VALUE).putInt(0).putLong(1));
        assertForgedRejected(ByteBuffer.allocate(1 + 8 + 1 + 12 + 8).put((byte) 1).put(fp).put((byte) 4)
                .putLong(0).putInt(1_000_000).putLong(1));
        // trailing bytes, and a missing id
        assertForgedRejected(ByteBuffer.allocate(1 + 8 + 1 + 8 + 8 + 1).put((byte) 1).put(fp).put((byte) 1)
                .putLong(5).putLong(1).put((byte) 0));
        assertForgedRejected(ByteBuffer.allocate(1 + 8 + 1 + 8 + 4).put((byte) 1).put(fp).put((byte) 1)
                .putLong(5).putInt(1));
        // sanity: the same construction with good contents is accepted
        String good = forge(ByteBuffer.allocate(1 + 8 + 1 + 4 + 3 + 8).put((byte) 1).put(fp).put((byte) 2)
                .putInt(3).put("abc".getBytes(StandardCharsets.UTF_8)).putLong(8));
        assertEquals(new Keyset("abc", 8), decode(good));
        assertEquals(encode("abc", 8), good);
    }

    private static String forge(ByteBuffer body) {
        byte[] bytes = body.array();
        CRC32 crc = new CRC32();
        crc.update(bytes);
        byte[] token = ByteBuffer.allocate(bytes.length + 4).put(bytes).putInt((int) crc.getValue()).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    private static void assertForgedRejected(ByteBuffer body) {
        String token = forge(body);
        assertRejected("page_token", () -> decode(token), "invalid page token");
    }
}
