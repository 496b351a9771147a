package io.qingliu.gateway.report;

import com.google.protobuf.ByteString;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The report as CSV (RFC 4180): UTF-8 with a byte-order mark, which Excel needs to read Chinese.
 * One block per table, separated by an empty line; each block's header row and every data row
 * begin with a {@code section} column naming the table. Rows are written as they are pulled, so
 * the uncovered units stream page by page.
 */
public final class CsvReport {

    private CsvReport() {
    }

    static void write(ProgressReport report, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        w.write('\uFEFF');
        boolean first = true;
        for (ReportTables.Table table : ReportTables.of(report)) {
            if (!first) {
                w.write("\r\n");
            }
            first = false;
            w.write("section");
            for (ReportTables.Column c : table.columns()) {
                w.write(',');
                w.write(quote(c.key()));
            }
            w.write("\r\n");
            for (List<Object> row : table.rows()) {
                w.write(table.key());
                for (Object cell : row) {
                    w.write(',');
                    w.write(quote(ReportTables.text(cell)));
                }
                w.write("\r\n");
            }
        }
        w.flush();
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
    static String quote(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return '"' + s.replace("\"", "\"\"") + '"';
            }
        }
        return s;
    }

    /**
     * The same rule on a field's UTF-8 bytes, written as they are: a proto string field's bytes go
     * out without being decoded and encoded again (a large export writes millions of them). In
     * UTF-8 the bytes of comma, quote, CR and LF occur only as those characters.
     */
    public static void writeQuoted(ByteString field, OutputStream out) throws IOException {
        int quotes = -1;
        for (int i = 0, n = field.size(); i < n; i++) {
            byte b = field.byteAt(i);
            if (b == ',' || b == '"' || b == '\r' || b == '\n') {
                quotes = i;
                break;
            }
        }
        if (quotes < 0) {
            field.writeTo(out);
            return;
        }
        out.write('"');
        for (int i = 0, n = field.size(); i < n; i++) {
            byte b = field.byteAt(i);
            if (b == '"') {
                out.write('"');
            }
            out.write(b);
        }
        out.write('"');
    }
}
