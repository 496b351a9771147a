package io.qingliu.project.division;

import java.util.Objects;

/**
 * One parsed division.
 *
 * @param code 12-digit code (national codes right-padded with zeros)
 * @param name official name, as in the file
 * @param level division level
 * @param parentCode 12-digit code of the parent division; {@code null} for a province
 * @param line 1-based physical line the record starts on in its file (the header is line 1)
 * @param file name of the file the row came from (for error messages)
 */
public record DivisionRow(String code, String name, DivisionLevel level, String parentCode, long line, String file) {

    public DivisionRow {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(level, "level");
    }

    /** {@link DivisionKind#derive(DivisionLevel, String)} of this row. */
    public DivisionKind kind() {
        return DivisionKind.derive(level, name);
    }
}
