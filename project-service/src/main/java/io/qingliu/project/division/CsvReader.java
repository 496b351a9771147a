package io.qingliu.project.division;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Minimal streaming RFC 4180 reader: comma-separated, fields optionally enclosed in double quotes,
 * a doubled quote inside a quoted field is one quote, quoted fields may contain commas and line
 * breaks. Records end at CRLF, LF or a lone CR. A leading UTF-8 BOM (U+FEFF) is skipped. Empty
 * lines are skipped. No trimming is done.
 *
 * <p>Malformed records (a quote inside an unquoted field, characters after a closing quote, a
 * quoted field left open at end of input) are still returned, with {@link #recordError()} set.
 */
final class CsvReader implements Closeable {

    private final Reader in;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int len;
    private boolean eof;

    private long line = 1;
    private long recordLine;
    private String recordError;
    private final StringBuilder field = new StringBuilder(64);
    private final List<String> fields = new ArrayList<>(8);

    CsvReader(Reader in) throws IOException {
        this.in = in;
        if (peek() == '\uFEFF') {
            pos++;
        }
    }

    /** 1-based physical line on which the last returned record starts. */
    long recordLine() {
        return recordLine;
    }

    /** Why the last returned record is malformed, or {@code null}. */
    String recordError() {
        return recordError;
    }

    /**
     * Reads the next record. The returned list is reused by the next call.
     *
     * @return the fields of the next record, or {@code null} at end of input
     */
    List<String> next() throws IOException {
        fields.clear();
        recordError = null;
        // skip empty lines
        while (true) {
            int c = peek();
            if (c == -1) {
                return null;
            }
            if (c == '\n') {
                pos++;
                line++;
            } else if (c == '\r') {
                pos++;
                if (peek() == '\n') {
                    pos++;
                }
                line++;
            } else {
                break;
            }
        }
        recordLine = line;
        while (true) {
            field.setLength(0);
            int c = read();
            if (c == '"') {
                while (true) {
                    c = read();
                    if (c == -1) {
                        error("quoted field not closed before end of input");
                        fields.add(field.toString());
                        return fields;
                    }
                    if (c == '"') {
                        if (peek() == '"') {
                            pos++;
                            field.append('"');
                            continue;
                        }
                        break;
                    }
                    if (c == '\r') {
                        field.append('\r');
                        if (peek() == '\n') {
                            pos++;
                            field.append('\n');
                        }
                        line++;
                        continue;
                    }
                    if (c == '\n') {
                        line++;
                    }
                    field.append((char) c);
                }
                c = read();
                if (c != ',' && c != '\n' && c != '\r' && c != -1) {
                    error("unexpected character after closing quote");
                    while (c != ',' && c != '\n' && c != '\r' && c != -1) {
                        field.append((char) c);
                        c = read();
                    }
                }
            } else {
                while (c != ',' && c != '\n' && c != '\r' && c != -1) {
                    if (c == '"') {
                        error("quote inside unquoted field");
                    }
                    field.append((char) c);
                    c = read();
                }
            }
            fields.add(field.toString());
            if (c == ',') {
                continue;
            }
            if (c == '\r') {
                if (peek() == '\n') {
                    pos++;
                }
                line++;
            } else if (c == '\n') {
                line++;
            }
            return fields;
        }
    }

    private void error(String message) {
        if (recordError == null) {
            recordError = message;
        }
    }

    private int read() throws IOException {
        if (pos >= len && !fill()) {
            return -1;
        }
        return buf[pos++];
    }

    private int peek() throws IOException {
        if (pos >= len && !fill()) {
            return -1;
        }
        return buf[pos];
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            return false;
        }
        pos = 0;
        len = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
