package io.qingliu.project.division;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The shipped Ziyang list (the one imported at start), read plainly for expected values. */
final class ZiyangList {

    static final String RESOURCE = "divisions/ziyang-5120.csv";

    record Row(String code, String name, String level, String parentCode) {
        String county() {
            return code.substring(0, 6) + "000000";
        }
    }

    private static List<Row> rows;

    private ZiyangList() {
    }

    static byte[] bytes() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized List<Row> rows() {
        if (rows == null) {
            List<Row> list = new ArrayList<>();
            String[] lines = new String(bytes(), StandardCharsets.UTF_8).split("\r?\n");
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isEmpty()) {
                    continue;
                }
                String[] f = lines[i].split(",", -1);
                list.add(new Row(f[0], f[1], f[2], f[3]));
            }
            rows = List.copyOf(list);
        }
        return rows;
    }

    static List<String> codes(Predicate<Row> which) {
        return rows().stream().filter(which).map(Row::code).sorted().toList();
    }
}
