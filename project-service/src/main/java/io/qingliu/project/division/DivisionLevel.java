package io.qingliu.project.division;

import java.util.Optional;

/**
 * Level of an administrative division in the official five-level hierarchy.
 *
 * <p>Each level owns a fixed number of significant leading digits of the 12-digit statistical
 * code: province 2, city (prefecture) 4, county 6, township 9, village 12. A code at a given
 * level is those digits right-padded with zeros to 12 digits.
 */
public enum DivisionLevel {
    PROVINCE("province", 2),
    CITY("city", 4),
    COUNTY("county", 6),
    TOWNSHIP("township", 9),
    VILLAGE("village", 12);

    /** Length of every full (padded) division code. */
    public static final int CODE_LENGTH = 12;

    private static final String ZEROS = "000000000000";

    private final String csvWord;
    private final int digits;

    DivisionLevel(String csvWord, int digits) {
        this.csvWord = csvWord;
        this.digits = digits;
    }

    /** The lowercase word used in the {@code level} column of the four-column file. */
    public String csvWord() {
        return csvWord;
    }

    /** Number of significant leading digits of a code at this level (2, 4, 6, 9 or 12). */
    public int digits() {
        return digits;
    }

    /** The level directly above this one, or {@code null} for {@link #PROVINCE}. */
    public DivisionLevel parent() {
        return this == PROVINCE ? null : values()[ordinal() - 1];
    }

    /** The level directly below this one, or {@code null} for {@link #VILLAGE}. */
    public DivisionLevel child() {
        return this == VILLAGE ? null : values()[ordinal() + 1];
    }

    /**
     * The code of the ancestor at this level of the given 12-digit code: its first
     * {@link #digits()} digits padded with zeros, e.g. {@code COUNTY.ancestorCode("110101001001")}
     * is {@code "110101000000"}.
     */
    public String ancestorCode(String code12) {
        if (code12 == null || code12.length() != CODE_LENGTH) {
            throw new IllegalArgumentException("expected a 12-digit code: " + code12);
        }
        return pad(code12.substring(0, digits));
    }

    /**
     * Parses the four-column file's level word ({@code province}, {@code city}, {@code county},
     * {@code township}, {@code village}); exact, lowercase.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static DivisionLevel fromCsv(String word) {
        return tryFromCsv(word).orElseThrow(
                () -> new IllegalArgumentException("unknown division level: '" + word + "'"));
    }

    /** Like {@link #fromCsv(String)} but empty instead of throwing. */
    public static Optional<DivisionLevel> tryFromCsv(String word) {
        if (word != null) {
            for (DivisionLevel level : values()) {
                if (level.csvWord.equals(word)) {
                    return Optional.of(level);
                }
            }
        }
        return Optional.empty();
    }

    /** Right-pads a code of at most 12 characters with zeros to 12 characters. */
    public static String pad(String code) {
        if (code.length() > CODE_LENGTH) {
            throw new IllegalArgumentException("code longer than 12 digits: " + code);
        }
        return code.length() == CODE_LENGTH ? code : code + ZEROS.substring(code.length());
    }
}
