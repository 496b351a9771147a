package io.qingliu.project.support;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.postgresql.copy.CopyIn;

/**
 * A character stream into a PostgreSQL {@code COPY … FROM STDIN} (text format), buffered and
 * UTF-8 encoded. Closing it ends the copy; a failure before that cancels it.
 */
public final class CopyWriter extends Writer {

    private final CopyIn copy;
    private final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder();
    private final CharBuffer chars = CharBuffer.allocate(64 * 1024);
    private final ByteBuffer bytes = ByteBuffer.allocate(256 * 1024);

    public CopyWriter(CopyIn copy) {
        this.copy = copy;
    }

    /** A value escaped for the text format: backslash, tab, newline and carriage return. */
    public static String escape(String value) {
        if (value == null) {
            return "\\N";
        }
        if (value.indexOf('\\') < 0 && value.indexOf('\t') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, chars.remaining());
            chars.put(cbuf, off, n);
            off += n;
            len -= n;
            if (!chars.hasRemaining()) {
                drain(false);
            }
        }
    }

    @Override
    public void write(String str) throws IOException {
        // Straight into the buffer: no copy of the string's characters first.
        int off = 0;
        int len = str.length();
        while (len > 0) {
            int n = Math.min(len, chars.remaining());
            int at = chars.position();
            str.getChars(off, off + n, chars.array(), chars.arrayOffset() + at);
            chars.position(at + n);
            off += n;
            len -= n;
            if (!chars.hasRemaining()) {
                drain(false);
            }
        }
    }

    @Override
    public void write(int c) throws IOException {
        if (!chars.hasRemaining()) {
            drain(false);
        }
        chars.put((char) c);
    }

    private void drain(boolean endOfInput) throws IOException {
        chars.flip();
        while (true) {
            CoderResult result = encoder.encode(chars, bytes, endOfInput);
            if (result.isOverflow() || bytes.position() > 0) {
                send();
            }
            if (result.isUnderflow()) {
                break;
            }
            if (result.isError()) {
                result.throwException();
            }
        }
        chars.compact();
    }

    private void send() throws IOException {
        try {
            copy.writeToCopy(bytes.array(), 0, bytes.position());
        } catch (SQLException e) {
            throw new IOException(e);
        }
        bytes.clear();
    }

    @Override
    public void flush() throws IOException {
        drain(false);
    }

    @Override
    public void close() throws IOException {
        try {
            drain(true);
            copy.endCopy();
        } catch (SQLException e) {
            throw new IOException(e);
        } finally {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException ignored) {
                    // The copy failed already; the transaction rolls back.
                }
            }
        }
    }
}
