package io.qingliu.project.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.postgresql.util.ByteConverter;

/** The binary COPY encodings that BinaryCopy writes itself rather than through the driver. */
class BinaryCopyTest {

    /** The value of the first field of a row encoded alone: its length-prefixed bytes. */
    private static byte[] field(BinaryCopy rows) {
        ByteBuffer b = ByteBuffer.wrap(rows.encoded());
        byte[] value = new byte[b.getInt()];
        b.get(value);
        return value;
    }

    private static void assertNumeric(BigDecimal expected) {
        byte[] encoded = field(new BinaryCopy(16).numeric(expected));
        BigDecimal decoded = (BigDecimal) ByteConverter.numeric(encoded);
        assertEquals(0, expected.compareTo(decoded), "round trip of " + expected.toPlainString() + ": " + decoded);
        // numeric has no negative scale: 1E+3 is 1000
        assertEquals(Math.max(0, expected.scale()), decoded.scale(), "display scale of " + expected.toPlainString());
    }

    @Test
    void numericsReadBackEqualWithTheirScale() {
        for (String v : new String[] {"0", "0.000", "-0.000", "1", "-1", "0.5", "0.001", "0.0005", "0.00005", "9999",
                "10000", "10000.000", "12345.678", "-12345.678", "10000000.000", "20000.000", "1234567890123.456",
                "999999999999999", "0.123456789012345", "100000000", "1e-7", "123456789012345678.9", "1E+3"}) {
            assertNumeric(new BigDecimal(v));
        }
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            long unscaled = r.nextLong(-10_000_000_000_000L, 10_000_000_000_000L) / (long) Math.pow(10, r.nextInt(13));
            assertNumeric(BigDecimal.valueOf(unscaled, r.nextInt(8)));
        }
    }

    @Test
    void textIsUtf8AsStringEncodesIt() {
        for (String s : new String[] {"", "abc", "乐至县污水处理厂 12号", "\\t\\n", "é€😀", "a\uD800b", "\uDC00", "x\uD83D"}) {
            byte[] encoded = field(new BinaryCopy(4).text(s));
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), encoded, Arrays.toString(s.toCharArray()));
        }
    }
}
