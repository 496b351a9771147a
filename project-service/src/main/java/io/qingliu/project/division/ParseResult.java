package io.qingliu.project.division;

import java.util.List;

/**
 * Outcome of parsing one division file.
 *
 * @param file file name as given to the parser
 * @param format the file's format
 * @param rows data records read (header and blank lines excluded)
 * @param accepted rows delivered to the consumer (records without any problem)
 * @param problemCount total number of problems found, including those beyond the collection cap
 * @param problems the first problems found (at most the parser's cap), in file order
 */
public record ParseResult(String file, DivisionFileFormat format, long rows, long accepted, long problemCount,
        List<ParseProblem> problems) {

    public ParseResult {
        problems = List.copyOf(problems);
    }

    /** True when no problem at all was found. */
    public boolean ok() {
        return problemCount == 0;
    }

    /** True when more problems were found than {@link #problems()} holds. */
    public boolean problemsTruncated() {
        return problemCount > problems.size();
    }
}
