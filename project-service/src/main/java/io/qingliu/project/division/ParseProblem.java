package io.qingliu.project.division;

/**
 * A problem found while parsing a division file.
 *
 * @param file file name as given to the parser
 * @param line 1-based physical line the offending record starts on (header = line 1)
 * @param field one of {@link #CODE}, {@link #NAME}, {@link #LEVEL}, {@link #PARENT_CODE},
 *     {@link #HEADER}, {@link #ROW}
 * @param message human-readable description
 */
public record ParseProblem(String file, long line, String field, String message) {

    public static final String CODE = "code";
    public static final String NAME = "name";
    public static final String LEVEL = "level";
    public static final String PARENT_CODE = "parent_code";
    public static final String HEADER = "header";
    public static final String ROW = "row";

    @Override
    public String toString() {
        return file + ":" + line + " [" + field + "] " + message;
    }
}
