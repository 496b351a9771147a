package io.qingliu.project.support;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows into a PostgreSQL {@code COPY … FROM STDIN (FORMAT binary)}: each value in the server's own
 * binary form, so that neither side turns bytes into text and back (a change's payload would
 * otherwise travel as hexadecimal, twice its size), and PostgreSQL parses none of it (an import's
 * facility and project rows COPY a fifth faster in binary than as text: dates, numerics and
 * timestamps are not read from strings). Closing it ends the copy; a failure before that cancels
 * it.
 *
 * <p>Either straight into a running COPY ({@link #BinaryCopyWriter(CopyIn)}), or into memory
 * ({@link #inMemory}): an import formats a chunk's rows on the thread that checks its entries,
 * and another thread sends them whole with {@link #copyIn}, at PostgreSQL's pace.
 */
public final class BinaryCopyWriter implements AutoCloseable {

    /** The format's signature, then flags and header extension length (both 0). */
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01T00:00:00Z). */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;
    /** Days from the Unix epoch to PostgreSQL's. */
    private static final long POSTGRES_EPOCH_DAYS = 10_957;
    /** The type of a varchar array's elements, which a binary array names. */
    private static final int VARCHAR_OID = 1043;
    /** jsonb's binary form: this version byte, then the JSON text. */
    private static final byte JSONB_VERSION = 1;

    /** The running COPY written to, or null when the rows stay in {@link #buffer}, which then grows. */
    private final CopyIn copy;
    private ByteBuffer buffer;
    private boolean ended;

    public BinaryCopyWriter(CopyIn copy) throws SQLException {
        this(copy, 256 * 1024);
    }

    private BinaryCopyWriter(CopyIn copy, int bufferBytes) {
        this.copy = copy;
        this.buffer = ByteBuffer.allocate(Math.max(bufferBytes, 64));
        buffer.put(HEADER);
    }

    /**
     * Rows kept in memory, for {@link #toByteArray()} and then {@link #copyIn}.
     *
     * @param expectedBytes about how large the rows will be (the buffer grows if needed)
     */
    public static BinaryCopyWriter inMemory(int expectedBytes) {
        return new BinaryCopyWriter(null, expectedBytes);
    }

    /** The whole COPY data of an {@link #inMemory} writer: header, rows and trailer. No row may follow. */
    public byte[] toByteArray() {
        if (copy != null) {
            throw new IllegalStateException("this writer sends its rows to a running COPY");
        }
        try {
            close();
        } catch (SQLException e) {
            throw new IllegalStateException(e); // never: memory only
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    /**
     * Runs {@code sql}, a {@code COPY … FROM STDIN (FORMAT binary)}, with data from
     * {@link #toByteArray()}; the number of rows written. A failure cancels the COPY.
     */
    public static long copyIn(PGConnection connection, String sql, byte[] data) throws SQLException {
        CopyIn copy = connection.getCopyAPI().copyIn(sql);
        try {
            copy.writeToCopy(data, 0, data.length);
            return copy.endCopy();
        } finally {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException ignored) {
                    // The failure that made us cancel is the one to report.
                }
            }
        }
    }

    /** Starts a row of {@code fields} values. */
    public BinaryCopyWriter row(int fields) throws SQLException {
        room(2);
        buffer.putShort((short) fields);
        return this;
    }

    public BinaryCopyWriter bigint(long value) throws SQLException {
        room(12);
        buffer.putInt(8).putLong(value);
        return this;
    }

    /** A bigint, or NULL for null. */
    public BinaryCopyWriter bigint(Long value) throws SQLException {
        return value == null ? nullValue() : bigint(value.longValue());
    }

    /** An integer (int4), or NULL for null. */
    public BinaryCopyWriter integer(Integer value) throws SQLException {
        if (value == null) {
            return nullValue();
        }
        room(8);
        buffer.putInt(4).putInt(value);
        return this;
    }

    /** A date, or NULL for null. */
    public BinaryCopyWriter date(LocalDate value) throws SQLException {
        if (value == null) {
            return nullValue();
        }
        room(8);
        buffer.putInt(4).putInt(Math.toIntExact(value.toEpochDay() - POSTGRES_EPOCH_DAYS));
        return this;
    }

    /**
     * A numeric, or NULL for null: base-10000 digits with the weight of the first, the sign and the
     * display scale (PostgreSQL's numeric_send form).
     */
    public BinaryCopyWriter numeric(BigDecimal value) throws SQLException {
        if (value == null) {
            return nullValue();
        }
        String plain = value.abs().toPlainString();
        int dot = plain.indexOf('.');
        String whole = dot < 0 ? plain : plain.substring(0, dot);
        String fraction = dot < 0 ? "" : plain.substring(dot + 1);
        // Whole digits grouped by four from the point leftwards, fraction digits rightwards.
        String digitsText = "0".repeat((4 - whole.length() % 4) % 4) + whole + fraction
                + "0".repeat((4 - fraction.length() % 4) % 4);
        int wholeGroups = (whole.length() + 3) / 4;
        short[] groups = new short[digitsText.length() / 4];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = (short) Integer.parseInt(digitsText, 4 * i, 4 * i + 4, 10);
        }
        int first = 0;
        int weight = wholeGroups - 1;
        while (first < groups.length && groups[first] == 0) {
            first++;
            weight--;
        }
        int last = groups.length;
        while (last > first && groups[last - 1] == 0) {
            last--;
        }
        int count = last - first;
        if (count == 0) {
            weight = 0;
        }
        room(4 + 8 + 2 * count);
        buffer.putInt(8 + 2 * count).putShort((short) count).putShort((short) weight)
                .putShort((short) (value.signum() < 0 ? 0x4000 : 0)).putShort((short) Math.max(value.scale(), 0));
        for (int i = first; i < last; i++) {
            buffer.putShort(groups[i]);
        }
        return this;
    }

    /** A one-dimensional varchar array without NULL elements. */
    public BinaryCopyWriter varcharArray(List<String> values) throws SQLException {
        byte[][] elements = new byte[values.size()][];
        int size = 12 + (values.isEmpty() ? 0 : 8);
        for (int i = 0; i < elements.length; i++) {
            elements[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
            size += 4 + elements[i].length;
        }
        room(4 + 20);
        buffer.putInt(size);
        // Dimensions (0 for an empty array), no NULLs, element type; then each dimension's length
        // and lower bound (1).
        buffer.putInt(values.isEmpty() ? 0 : 1).putInt(0).putInt(VARCHAR_OID);
        if (!values.isEmpty()) {
            buffer.putInt(values.size()).putInt(1);
        }
        for (byte[] element : elements) {
            room(4);
            buffer.putInt(element.length);
            put(element);
        }
        return this;
    }

    /** A jsonb value from its JSON text, or NULL for null. */
    public BinaryCopyWriter jsonb(String json) throws SQLException {
        if (json == null) {
            return nullValue();
        }
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        room(5);
        buffer.putInt(1 + text.length).put(JSONB_VERSION);
        put(text);
        return this;
    }

    /** A timestamptz, or NULL for null. */
    public BinaryCopyWriter timestamptz(Instant value) throws SQLException {
        if (value == null) {
            return nullValue();
        }
        long micros = Math.addExact(Math.multiplyExact(value.getEpochSecond(), 1_000_000L), value.getNano() / 1_000);
        return bigint(micros - POSTGRES_EPOCH_MICROS);
    }

    /** Text, or NULL for null. */
    public BinaryCopyWriter text(String value) throws SQLException {
        return value == null ? nullValue() : bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A bytea value, or the bytes of a text value. */
    public BinaryCopyWriter bytes(byte[] value) throws SQLException {
        room(4);
        buffer.putInt(value.length);
        put(value);
        return this;
    }

    private void put(byte[] value) throws SQLException {
        if (copy == null) {
            room(value.length);
            buffer.put(value);
            return;
        }
        int off = 0;
        while (off < value.length) {
            room(1);
            int n = Math.min(buffer.remaining(), value.length - off);
            buffer.put(value, off, n);
            off += n;
        }
    }

    public BinaryCopyWriter nullValue() throws SQLException {
        room(4);
        buffer.putInt(-1);
        return this;
    }

    private void room(int bytes) throws SQLException {
        if (buffer.remaining() < bytes) {
            if (copy == null) {
                ByteBuffer larger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
                larger.put(buffer.array(), 0, buffer.position());
                buffer = larger;
            } else {
                flush();
            }
        }
    }

    private void flush() throws SQLException {
        if (copy != null && buffer.position() > 0) {
            copy.writeToCopy(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
    }

    /** Ends the copy (the trailer, then the server's count); a copy left unended by a failure is cancelled. */
    @Override
    public void close() throws SQLException {
        if (ended) {
            return;
        }
        ended = true;
        room(2);
        buffer.putShort((short) -1);
        flush();
        if (copy != null) {
            copy.endCopy();
        }
    }

    /** Cancels the copy, when the rows could not all be written. */
    public void cancel() {
        if (ended) {
            return;
        }
        ended = true;
        try {
            if (copy != null && copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException ignored) {
            // The failure that made us cancel is the one to report.
        }
    }
}
