package io.qingliu.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The results table: each figure beside its same-run baseline, the ratio and the bar. */
final class Report {
    /** One line of the table; pass is null when the line has no bar. */
    record Row(String step, String what, String value, String baseline, String ratio, String bar, Boolean pass) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> header = new ArrayList<>();

    synchronized void header(String line) {
        header.add(line);
    }

    synchronized void add(Row r) {
        rows.add(r);
        System.out.println("  -> " + r.what() + ": " + r.value()
                + (r.baseline().isEmpty() ? "" : "  | baseline " + r.baseline())
                + (r.ratio().isEmpty() ? "" : "  | ratio " + r.ratio())
                + (r.bar().isEmpty() ? "" : "  | bar " + r.bar() + " " + verdict(r.pass())));
        System.out.flush();
    }

    synchronized void row(String step, String what, String value) {
        add(new Row(step, what, value, "", "", "", null));
    }

    synchronized void failed(String step, String what, String why) {
        String oneLine = String.valueOf(why).replaceAll("\\s*\\R\\s*", " | ");
        if (oneLine.length() > 200) {
            oneLine = oneLine.substring(0, 197) + "...";
        }
        add(new Row(step, what, "FAILED: " + oneLine, "", "", "", Boolean.FALSE));
    }

    synchronized void note(String n) {
        notes.add(n);
        System.out.println("  note: " + n);
    }

    static String verdict(Boolean pass) {
        return pass == null ? "" : pass ? "PASS" : "FAIL";
    }

    static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }

    /** 12345.6 → "12,346". */
    static String n0(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f ms", v);
    }

    static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    synchronized String render() {
        String[] h = {"step", "measurement", "value", "baseline (same run)", "ratio", "bar", "result"};
        int[] w = new int[h.length];
        for (int i = 0; i < h.length; i++) {
            w[i] = width(h[i]);
        }
        for (Row r : rows) {
            String[] c = cells(r);
            for (int i = 0; i < c.length; i++) {
                w[i] = Math.max(w[i], width(c[i]));
            }
        }
        StringBuilder sb = new StringBuilder();
        header.forEach(l -> sb.append(l).append('\n'));
        sb.append('\n');
        line(sb, h, w);
        String[] sep = new String[h.length];
        for (int i = 0; i < h.length; i++) {
            sep[i] = "-".repeat(w[i]);
        }
        line(sb, sep, w);
        for (Row r : rows) {
            line(sb, cells(r), w);
        }
        long bars = rows.stream().filter(r -> r.pass() != null).count();
        long passed = rows.stream().filter(r -> Boolean.TRUE.equals(r.pass())).count();
        sb.append('\n').append(f("bars: %d passed, %d failed", passed, bars - passed)).append('\n');
        if (!notes.isEmpty()) {
            sb.append('\n');
            notes.forEach(n -> sb.append("note: ").append(n).append('\n'));
        }
        return sb.toString();
    }

    synchronized boolean allPassed() {
        return rows.stream().noneMatch(r -> Boolean.FALSE.equals(r.pass()));
    }

    void write(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, render(), StandardCharsets.UTF_8);
    }

    private static String[] cells(Row r) {
        return new String[] {r.step(), r.what(), r.value(), r.baseline(), r.ratio(), r.bar(), verdict(r.pass())};
    }

    private static void line(StringBuilder sb, String[] c, int[] w) {
        for (int i = 0; i < c.length; i++) {
            sb.append(c[i]);
            if (i < c.length - 1) {
                sb.append(" ".repeat(w[i] - width(c[i]) + 2));
            }
        }
        sb.append('\n');
    }

    /** Display width: CJK characters take two columns. */
    private static int width(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            w += (ch >= 0x1100 && (ch <= 0x115f || (ch >= 0x2e80 && ch <= 0xa4cf) || (ch >= 0xac00 && ch <= 0xd7a3)
                    || (ch >= 0xf900 && ch <= 0xfaff) || (ch >= 0xff00 && ch <= 0xff60))) ? 2 : 1;
        }
        return w;
    }
}
