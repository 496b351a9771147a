package io.qingliu.project.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import org.postgresql.copy.CopyIn;

/**
 * Rows into a PostgreSQL {@code COPY … FROM STDIN (FORMAT binary)}: each value in the server's own
 * binary form, so that neither side turns bytes into text and back (a change's payload would
 * otherwise travel as hexadecimal, twice its size). Closing it ends the copy; a failure before
 * that cancels it. Only the types the change log needs: bigint, timestamptz, text and bytea.
 */
public final class BinaryCopyWriter implements AutoCloseable {

    /** The format's signature, then flags and header extension length (both 0). */
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01T00:00:00Z). */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private final CopyIn copy;
    private final ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
    private boolean ended;

    public BinaryCopyWriter(CopyIn copy) throws SQLException {
        this.copy = copy;
        buffer.put(HEADER);
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

    public BinaryCopyWriter timestamptz(Instant value) throws SQLException {
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
        int off = 0;
        while (off < value.length) {
            room(1);
            int n = Math.min(buffer.remaining(), value.length - off);
            buffer.put(value, off, n);
            off += n;
        }
        return this;
    }

    public BinaryCopyWriter nullValue() throws SQLException {
        room(4);
        buffer.putInt(-1);
        return this;
    }

    private void room(int bytes) throws SQLException {
        if (buffer.remaining() < bytes) {
            flush();
        }
    }

    private void flush() throws SQLException {
        if (buffer.position() > 0) {
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
        copy.endCopy();
    }

    /** Cancels the copy, when the rows could not all be written. */
    public void cancel() {
        if (ended) {
            return;
        }
        ended = true;
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException ignored) {
            // The failure that made us cancel is the one to report.
        }
    }
}
