package io.qingliu.project.support;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.util.ByteConverter;

/**
 * Rows in PostgreSQL's binary COPY format, encoded in memory and then sent with
 * {@link #copyInto}. Cheaper than the text format at both ends: nothing to escape or format
 * here, nothing to parse there, and a bytea travels as itself instead of doubled into hex.
 * Encoding and sending are separate so that one thread can encode rows while another sends.
 *
 * <p>Each row is {@link #row} with its field count, then exactly that many values in the
 * column order of the COPY statement; each value must have the column's exact type.
 */
public final class BinaryCopy {

    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
            0, 0, 0, 0, // flags
            0, 0, 0, 0}; // header extension length
    private static final byte[] TRAILER = {-1, -1};
    /** The type of the elements of a varchar[] column, which binary array input must name. */
    private static final int VARCHAR_OID = 1043;
    /** 2000-01-01, PostgreSQL's epoch for dates and timestamps. */
    private static final long PG_EPOCH_DAY = LocalDate.of(2000, 1, 1).toEpochDay();
    private static final long PG_EPOCH_SECOND = PG_EPOCH_DAY * 86_400;
    private static final int NUMERIC_NEGATIVE = 0x4000;
    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000};
    /** Values of up to 15 digits encode quickly: times 1,000 (padding the fraction) they still fit a long. */
    private static final int MAX_FAST_PRECISION = 15;
    /** jsonb's binary input: a version byte, then the JSON text. */
    private static final byte JSONB_VERSION = 1;

    private byte[] buf;
    private int size;
    private int rows;

    public BinaryCopy(int initialBytes) {
        buf = new byte[Math.max(64, initialBytes)];
    }

    /** Starts a row of {@code fields} values. */
    public BinaryCopy row(int fields) {
        rows++;
        ensure(2);
        buf[size++] = (byte) (fields >>> 8);
        buf[size++] = (byte) fields;
        return this;
    }

    public BinaryCopy nullValue() {
        ensure(4);
        putInt(-1);
        return this;
    }

    public BinaryCopy int8(long value) {
        ensure(12);
        putInt(8);
        putLong(value);
        return this;
    }

    /** A bigint, or null. */
    public BinaryCopy int8(Long value) {
        return value == null ? nullValue() : int8(value.longValue());
    }

    public BinaryCopy int4(int value) {
        ensure(8);
        putInt(4);
        putInt(value);
        return this;
    }

    /** text or varchar, or null. */
    public BinaryCopy text(String value) {
        if (value == null) {
            return nullValue();
        }
        // Encoded in place: String.getBytes would allocate and copy an array per value.
        ensure(4 + 3 * value.length());
        int lengthAt = size;
        size += 4;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                buf[size++] = (byte) c;
            } else if (c < 0x800) {
                buf[size++] = (byte) (0xC0 | c >> 6);
                buf[size++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                buf[size++] = (byte) (0xE0 | c >> 12);
                buf[size++] = (byte) (0x80 | c >> 6 & 0x3F);
                buf[size++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                buf[size++] = (byte) (0xF0 | cp >> 18); // 4 bytes for 2 chars: within the 3 a char reserved
                buf[size++] = (byte) (0x80 | cp >> 12 & 0x3F);
                buf[size++] = (byte) (0x80 | cp >> 6 & 0x3F);
                buf[size++] = (byte) (0x80 | cp & 0x3F);
            } else {
                buf[size++] = '?'; // an unpaired surrogate, as String.getBytes encodes it
            }
        }
        int length = size - lengthAt - 4;
        buf[lengthAt] = (byte) (length >>> 24);
        buf[lengthAt + 1] = (byte) (length >>> 16);
        buf[lengthAt + 2] = (byte) (length >>> 8);
        buf[lengthAt + 3] = (byte) length;
        return this;
    }

    /** An enum stored as its name, or null. */
    public BinaryCopy text(Enum<?> value) {
        return value == null ? nullValue() : text(value.name());
    }

    /** bytea: the parts one after the other. */
    public BinaryCopy bytes(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ensure(4 + length);
        putInt(length);
        for (byte[] part : parts) {
            System.arraycopy(part, 0, buf, size, part.length);
            size += part.length;
        }
        return this;
    }

    public BinaryCopy numeric(BigDecimal value) {
        if (value == null) {
            return nullValue();
        }
        int scale = value.scale();
        if (scale < 0 || value.precision() > MAX_FAST_PRECISION) {
            return bytes(ByteConverter.numeric(value)); // rare: the driver's general (slower) encoding
        }
        long unscaled = value.unscaledValue().longValue();
        // numeric's binary form: base-10000 digits, most significant first, with the weight
        // (power of 10000) of the first; the fraction is padded to whole groups of four digits.
        int pad = (4 - scale % 4) % 4;
        long rest = Math.abs(unscaled) * POWERS_OF_TEN[pad];
        int fractionGroups = (scale + pad) / 4;
        short[] groups = new short[8];
        int count = 0;
        while (rest != 0) {
            groups[count++] = (short) (rest % 10_000);
            rest /= 10_000;
        }
        int skipped = 0; // trailing zero groups, which numeric leaves out
        while (skipped < count && groups[skipped] == 0) {
            skipped++;
        }
        int digits = count - skipped;
        ensure(12 + 2 * digits);
        putInt(8 + 2 * digits);
        putShort(digits);
        putShort(digits == 0 ? 0 : count - fractionGroups - 1); // weight
        putShort(unscaled < 0 ? NUMERIC_NEGATIVE : 0);
        putShort(scale); // display scale
        for (int i = count - 1; i >= skipped; i--) {
            putShort(groups[i]);
        }
        return this;
    }

    public BinaryCopy date(LocalDate value) {
        return value == null ? nullValue() : int4((int) (value.toEpochDay() - PG_EPOCH_DAY));
    }

    /** timestamptz: microseconds since 2000-01-01 UTC. */
    public BinaryCopy timestamp(Instant value) {
        if (value == null) {
            return nullValue();
        }
        return int8((value.getEpochSecond() - PG_EPOCH_SECOND) * 1_000_000 + value.getNano() / 1_000);
    }

    /** jsonb from its JSON text. */
    public BinaryCopy jsonb(String json) {
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        ensure(5 + text.length);
        putInt(1 + text.length);
        buf[size++] = JSONB_VERSION;
        System.arraycopy(text, 0, buf, size, text.length);
        size += text.length;
        return this;
    }

    /** A one-dimensional varchar[] without nulls. */
    public BinaryCopy varcharArray(String[] values) {
        byte[][] elements = new byte[values.length][];
        int length = values.length == 0 ? 12 : 20;
        for (int i = 0; i < values.length; i++) {
            elements[i] = values[i].getBytes(StandardCharsets.UTF_8);
            length += 4 + elements[i].length;
        }
        ensure(4 + length);
        putInt(length);
        putInt(values.length == 0 ? 0 : 1); // dimensions
        putInt(0); // no nulls
        putInt(VARCHAR_OID);
        if (values.length > 0) {
            putInt(values.length);
            putInt(1); // lower bound
            for (byte[] e : elements) {
                putInt(e.length);
                System.arraycopy(e, 0, buf, size, e.length);
                size += e.length;
            }
        }
        return this;
    }

    /** Rows encoded since the last {@link #clear}. */
    public int rows() {
        return rows;
    }

    public int sizeInBytes() {
        return size;
    }

    /** The rows encoded so far, as they would be sent. */
    byte[] encoded() {
        return Arrays.copyOf(buf, size);
    }

    public void clear() {
        size = 0;
        rows = 0;
    }

    /**
     * Runs {@code copySql} (a {@code COPY … FROM STDIN (FORMAT binary)} naming the columns in the
     * order the rows hold them) with these rows on the connection; returns the rows written.
     */
    public long copyInto(Connection connection, String copySql) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            copy.writeToCopy(HEADER, 0, HEADER.length);
            copy.writeToCopy(buf, 0, size);
            copy.writeToCopy(TRAILER, 0, TRAILER.length);
            return copy.endCopy();
        } catch (SQLException | RuntimeException e) {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException cancel) {
                    e.addSuppressed(cancel); // the copy failed already; the transaction rolls back
                }
            }
            throw e;
        }
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(size + more, buf.length * 2));
        }
    }

    private void putInt(int v) {
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    private void putShort(int v) {
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }
}
