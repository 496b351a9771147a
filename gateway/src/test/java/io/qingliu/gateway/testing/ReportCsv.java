package io.qingliu.gateway.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the gateway's CSV back: plain RFC 4180 records, or the progress report's blocks (each block's first column naming it). */
public final class ReportCsv {

    private ReportCsv() {
    }

    /** The data rows of a block (its header row left out). */
    public static List<List<String>> rows(Map<String, List<List<String>>> csv, String section) {
        // A block without data rows has no row naming it.
        List<List<String>> block = csv.getOrDefault(section, List.of(List.of()));
        return block.subList(1, block.size());
    }

    /** RFC 4180 blocks: each begins with a header row whose first field is "section"; blank lines part them. */
    public static Map<String, List<List<String>>> parse(String text) {
        Map<String, List<List<String>>> out = new LinkedHashMap<>();
        List<List<String>> block = null;
        List<String> header = null;
        for (List<String> row : records(text)) {
            if (row.size() == 1 && row.get(0).isEmpty()) {
                block = null;
                continue;
            }
            if (block == null) {
                assertEquals("section", row.get(0), "a block begins with its header row");
                header = row;
                block = new ArrayList<>();
                block.add(row);
                continue;
            }
            assertEquals(header.size(), row.size(), "row of the width of its header: " + row);
            block.add(row);
            out.putIfAbsent(row.get(0), block);
        }
        return out;
    }

    /** RFC 4180 records: fields split at commas outside quotes, doubled quotes inside them, CRLF ends a record. */
    public static List<List<String>> records(String text) {
        List<List<String>> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i += 2;
                    break;
                } else {
                    field.append(c);
                }
            }
            row.add(field.toString());
            out.add(row);
        }
        return out;
    }
}
