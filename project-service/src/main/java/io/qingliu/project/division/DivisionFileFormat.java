package io.qingliu.project.division;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The supported division file layouts.
 *
 * <p>{@link #FOUR_COLUMN}: {@code code,name,level,parent_code} with 12-digit codes and any mix of
 * levels. The five national roles (2023 edition) each hold one level, with codes of that level's
 * significant length and one column per ancestor level.
 */
public enum DivisionFileFormat {
    FOUR_COLUMN(null, List.of("code", "name", "level", "parent_code"), List.of()),
    PROVINCES(DivisionLevel.PROVINCE, List.of("code", "name"), List.of()),
    CITIES(DivisionLevel.CITY, List.of("code", "name", "provinceCode"),
            List.of(DivisionLevel.PROVINCE)),
    AREAS(DivisionLevel.COUNTY, List.of("code", "name", "cityCode", "provinceCode"),
            List.of(DivisionLevel.CITY, DivisionLevel.PROVINCE)),
    STREETS(DivisionLevel.TOWNSHIP, List.of("code", "name", "areaCode", "provinceCode", "cityCode"),
            List.of(DivisionLevel.COUNTY, DivisionLevel.PROVINCE, DivisionLevel.CITY)),
    VILLAGES(DivisionLevel.VILLAGE,
            List.of("code", "name", "streetCode", "provinceCode", "cityCode", "areaCode"),
            List.of(DivisionLevel.TOWNSHIP, DivisionLevel.PROVINCE, DivisionLevel.CITY, DivisionLevel.COUNTY));

    private final DivisionLevel level;
    private final List<String> header;
    private final List<DivisionLevel> ancestorColumns;

    DivisionFileFormat(DivisionLevel level, List<String> header, List<DivisionLevel> ancestorColumns) {
        this.level = level;
        this.header = header;
        this.ancestorColumns = ancestorColumns;
    }

    /** The level of every row, or {@code null} for {@link #FOUR_COLUMN} (level is a column). */
    public DivisionLevel level() {
        return level;
    }

    /** The exact expected header columns. */
    public List<String> header() {
        return header;
    }

    /**
     * For national roles: the level of each column from index 2 on (the first is the parent);
     * empty for provinces and the four-column file.
     */
    List<DivisionLevel> ancestorColumns() {
        return ancestorColumns;
    }

    /** Length of the code column: 12 for the four-column file, else the level's digits. */
    public int codeDigits() {
        return level == null ? DivisionLevel.CODE_LENGTH : level.digits();
    }

    /**
     * Guesses the format from a file name: {@code provinces.csv[.gz]} → {@link #PROVINCES}, ...,
     * {@code villages.csv[.gz]} → {@link #VILLAGES}; empty for anything else (the four-column file
     * has no fixed name).
     */
    public static Optional<DivisionFileFormat> forNationalFileName(String fileName) {
        String base = fileName.toLowerCase(Locale.ROOT);
        int slash = Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\'));
        base = base.substring(slash + 1);
        for (DivisionFileFormat f : values()) {
            if (f == FOUR_COLUMN) {
                continue;
            }
            String stem = f.name().toLowerCase(Locale.ROOT);
            if (base.equals(stem + ".csv") || base.equals(stem + ".csv.gz")) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
