package io.qingliu.project.division;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Streaming parser for one division file of a given {@link DivisionFileFormat}.
 *
 * <p>Input is UTF-8 CSV (RFC 4180, optional BOM, CRLF or LF), plain or gzip-compressed (detected
 * by the magic bytes {@code 1f 8b}). Rows are handed to a consumer one at a time; only the set of
 * codes seen so far is kept (for the duplicate check, ~16 bytes per row).
 *
 * <p>Problems are collected, never thrown: the first {@code maxProblems} are kept in the
 * {@link ParseResult}, later ones only counted. A record with any problem is <em>not</em> passed to
 * the consumer. A header that does not match the format exactly is reported at line 1 and ends the
 * parse (the column meanings are unknown). Checks per record:
 * <ul>
 *   <li>{@code row}: wrong column count; malformed CSV quoting;
 *   <li>{@code code}: not all ASCII digits, or not of the role's length (12 for the four-column
 *       file, else 2/4/6/9/12); in the four-column file also non-zero digits beyond the level's
 *       significant digits (e.g. a county code not ending in 000000); duplicate within the file;
 *   <li>{@code name}: empty, longer than 100 code points, leading/trailing whitespace, control
 *       characters or U+FFFD (invalid UTF-8);
 *   <li>{@code level} (four-column only): not one of the lowercase level words;
 *   <li>{@code parent_code}: missing for a non-province, present for a province, malformed, or not
 *       the child's own code truncated to the parent level's digits. In national files every
 *       ancestor column (provinceCode, cityCode, ...) is checked that way.
 * </ul>
 * Not checked: that the parent exists (it may be in another file); that is the loader's job.
 *
 * <p>Instances are stateless and thread-safe; each {@code parse} call is independent.
 */
public final class DivisionFileParser {

    /** Default cap on collected problems. */
    public static final int DEFAULT_MAX_PROBLEMS = 1000;

    /** Longest accepted name, in Unicode code points. */
    public static final int MAX_NAME_LENGTH = 100;

    private final DivisionFileFormat format;
    private final int maxProblems;

    public DivisionFileParser(DivisionFileFormat format) {
        this(format, DEFAULT_MAX_PROBLEMS);
    }

    public DivisionFileParser(DivisionFileFormat format, int maxProblems) {
        this.format = Objects.requireNonNull(format, "format");
        if (maxProblems < 0) {
            throw new IllegalArgumentException("maxProblems < 0");
        }
        this.maxProblems = maxProblems;
    }

    public DivisionFileFormat format() {
        return format;
    }

    /** Parses a file; the problems and rows are labelled with its file name. */
    public ParseResult parse(Path path, Consumer<? super DivisionRow> sink) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return parse(in, path.getFileName().toString(), sink);
        }
    }

    /**
     * Parses a stream (plain or gzip), passing each problem-free row to {@code sink}. Does not close
     * {@code in}. I/O errors and exceptions thrown by {@code sink} propagate.
     *
     * @param fileName name used in {@link DivisionRow#file()} and {@link ParseProblem#file()}
     */
    public ParseResult parse(InputStream in, String fileName, Consumer<? super DivisionRow> sink)
            throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(sink, "sink");
        Run run = new Run(fileName, sink);
        InputStream raw = new BufferedInputStream(nonClosing(in), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        InputStream data = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(raw, 1 << 16) : raw;
        Reader reader = new InputStreamReader(data, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
        try (CsvReader csv = new CsvReader(reader)) {
            run.execute(csv);
        }
        return new ParseResult(fileName, format, run.rows, run.accepted, run.problemCount, run.problems);
    }

    private static InputStream nonClosing(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // the caller owns the stream
            }
        };
    }

    /** State of one parse call. */
    private final class Run {
        final String file;
        final Consumer<? super DivisionRow> sink;
        final CodeIndex seen = new CodeIndex();
        final List<ParseProblem> problems = new ArrayList<>();
        long problemCount;
        long rows;
        long accepted;
        long line;
        boolean rowBad;

        Run(String file, Consumer<? super DivisionRow> sink) {
            this.file = file;
            this.sink = sink;
        }

        void execute(CsvReader csv) throws IOException {
            List<String> header = csv.next();
            if (header == null) {
                line = 1;
                problem(ParseProblem.HEADER, "empty file: expected header " + String.join(",", format.header()));
                return;
            }
            line = csv.recordLine();
            if (line != 1 || csv.recordError() != null || !header.equals(format.header())) {
                line = 1;
                problem(ParseProblem.HEADER, "expected header '" + String.join(",", format.header())
                        + "' for " + format + " but found '" + String.join(",", header) + "'");
                return;
            }
            int columns = format.header().size();
            List<String> fields;
            while ((fields = csv.next()) != null) {
                rows++;
                line = csv.recordLine();
                rowBad = false;
                if (csv.recordError() != null) {
                    problem(ParseProblem.ROW, "malformed CSV: " + csv.recordError());
                    continue;
                }
                if (fields.size() != columns) {
                    problem(ParseProblem.ROW, "expected " + columns + " columns but found " + fields.size());
                    continue;
                }
                DivisionRow row = format == DivisionFileFormat.FOUR_COLUMN ? fourColumn(fields) : national(fields);
                if (!rowBad && row != null) {
                    accepted++;
                    sink.accept(row);
                }
            }
        }

        private DivisionRow fourColumn(List<String> f) {
            String code = f.get(0);
            String name = f.get(1);
            String levelWord = f.get(2);
            String parent = f.get(3);
            boolean codeOk = checkCode(code, DivisionLevel.CODE_LENGTH);
            checkName(name);
            DivisionLevel level = DivisionLevel.tryFromCsv(levelWord).orElse(null);
            if (level == null) {
                problem(ParseProblem.LEVEL, "unknown level '" + levelWord
                        + "' (expected province, city, county, township or village)");
            }
            if (codeOk && level != null && level != DivisionLevel.VILLAGE) {
                for (int i = level.digits(); i < code.length(); i++) {
                    if (code.charAt(i) != '0') {
                        problem(ParseProblem.CODE, "code " + code + " is not a " + level.csvWord()
                                + " code: digits after the first " + level.digits() + " must be 0");
                        break;
                    }
                }
            }
            String parentCode = null;
            if (level == DivisionLevel.PROVINCE) {
                if (!parent.isEmpty()) {
                    problem(ParseProblem.PARENT_CODE, "a province must not have a parent_code (found '" + parent + "')");
                }
            } else if (parent.isEmpty()) {
                if (level != null) {
                    problem(ParseProblem.PARENT_CODE, "parent_code missing for a " + level.csvWord() + " row");
                }
            } else if (!isDigits(parent, DivisionLevel.CODE_LENGTH)) {
                problem(ParseProblem.PARENT_CODE, "parent_code '" + parent + "' is not a 12-digit code");
            } else {
                parentCode = parent;
                if (codeOk && level != null) {
                    String expected = level.parent().ancestorCode(code);
                    if (!expected.equals(parent)) {
                        problem(ParseProblem.PARENT_CODE, "parent_code " + parent + " is not the "
                                + level.parent().csvWord() + " of " + code + " (expected " + expected + ")");
                    }
                }
            }
            if (codeOk) {
                checkDuplicate(code);
            }
            return level == null ? null : new DivisionRow(code, name, level, parentCode, line, file);
        }

        private DivisionRow national(List<String> f) {
            DivisionLevel level = format.level();
            String code = f.get(0);
            String name = f.get(1);
            boolean codeOk = checkCode(code, level.digits());
            checkName(name);
            String parentCode = null;
            List<DivisionLevel> ancestors = format.ancestorColumns();
            for (int i = 0; i < ancestors.size(); i++) {
                DivisionLevel al = ancestors.get(i);
                String column = format.header().get(i + 2);
                String value = f.get(i + 2);
                if (value.isEmpty()) {
                    problem(ParseProblem.PARENT_CODE, column + " missing");
                } else if (!isDigits(value, al.digits())) {
                    problem(ParseProblem.PARENT_CODE, column + " '" + value + "' is not a " + al.digits() + "-digit code");
                } else if (codeOk && !code.startsWith(value)) {
                    problem(ParseProblem.PARENT_CODE, column + " " + value + " is not the " + al.csvWord()
                            + " of " + code + " (expected " + code.substring(0, al.digits()) + ")");
                } else if (i == 0) {
                    parentCode = DivisionLevel.pad(value);
                }
            }
            if (codeOk) {
                checkDuplicate(code);
            }
            return codeOk ? new DivisionRow(DivisionLevel.pad(code), name, level, parentCode, line, file) : null;
        }

        private boolean checkCode(String code, int digits) {
            if (code.isEmpty()) {
                problem(ParseProblem.CODE, "code missing");
                return false;
            }
            if (!isDigits(code, code.length())) {
                problem(ParseProblem.CODE, "code '" + code + "' is not all digits");
                return false;
            }
            if (code.length() != digits) {
                problem(ParseProblem.CODE, "code " + code + " has " + code.length() + " digits, expected " + digits);
                return false;
            }
            return true;
        }

        private void checkName(String name) {
            if (name.isEmpty()) {
                problem(ParseProblem.NAME, "name is empty");
                return;
            }
            int length = name.codePointCount(0, name.length());
            if (length > MAX_NAME_LENGTH) {
                problem(ParseProblem.NAME, "name has " + length + " characters, at most " + MAX_NAME_LENGTH + " allowed");
            }
            if (Character.isWhitespace(name.codePointAt(0)) || Character.isSpaceChar(name.codePointAt(0))
                    || Character.isWhitespace(name.codePointBefore(name.length()))
                    || Character.isSpaceChar(name.codePointBefore(name.length()))) {
                problem(ParseProblem.NAME, "name has leading or trailing whitespace: '" + name + "'");
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c == '\uFFFD') {
                    problem(ParseProblem.NAME, "name contains U+FFFD (invalid UTF-8 in the file?)");
                    break;
                }
                if (Character.isISOControl(c)) {
                    problem(ParseProblem.NAME, "name contains control character U+" + String.format("%04X", (int) c));
                    break;
                }
            }
        }

        private void checkDuplicate(String code) {
            long first = seen.putIfAbsent(Long.parseLong(code), line);
            if (first != 0) {
                problem(ParseProblem.CODE, "duplicate code " + code + " (first seen at line " + first + ")");
            }
        }

        private void problem(String field, String message) {
            rowBad = true;
            problemCount++;
            if (problems.size() < maxProblems) {
                problems.add(new ParseProblem(file, line, field, message));
            }
        }
    }

    private static boolean isDigits(String s, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
