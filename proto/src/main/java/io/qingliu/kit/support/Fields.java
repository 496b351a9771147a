package io.qingliu.kit.support;

import com.google.type.Date;
import io.qingliu.kit.grpc.Violations;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;

/** Checks of single request fields that every resource shares; each records what is wrong and goes on. */
public final class Fields {

    /** The largest capacity accepted, tonnes a day: anything above is a typing error. */
    public static final BigDecimal MAX_CAPACITY = new BigDecimal("10000000");
    /** The longest pipe network accepted, km. */
    public static final BigDecimal MAX_LENGTH_KM = new BigDecimal("100000");

    private Fields() {
    }

    /** A trimmed text; null when empty. Records a violation when required and empty, or too long, or with control characters. */
    public static String text(Violations v, String field, String value, boolean required, int maxLength) {
        String s = value == null ? "" : value.strip();
        if (s.isEmpty()) {
            if (required) {
                v.add(field, "is required");
            }
            return null;
        }
        if (s.codePointCount(0, s.length()) > maxLength) {
            v.add(field, "is longer than " + maxLength + " characters");
        } else if (s.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f)) {
            v.add(field, "contains control characters");
        }
        return s;
    }

    /** A non-negative quantity with at most three decimals, up to {@code max}. */
    public static BigDecimal quantity(Violations v, String field, double value, BigDecimal max) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            v.add(field, "must be a finite number");
            return BigDecimal.ZERO;
        }
        if (value < 0) {
            v.add(field, "must not be negative");
            return BigDecimal.ZERO;
        }
        BigDecimal d = BigDecimal.valueOf(value);
        if (d.compareTo(max) > 0) {
            v.add(field, "must be at most " + max.toPlainString() + " (got " + d.toPlainString() + ")");
            return BigDecimal.ZERO;
        }
        if (d.stripTrailingZeros().scale() > 3) {
            v.add(field, "must have at most three decimals");
            return BigDecimal.ZERO;
        }
        return d.setScale(3);
    }

    /** A calendar date, null when unset; a partial or impossible one is a violation. */
    public static LocalDate date(Violations v, String field, Date value) {
        if (value == null) {
            return null;
        }
        try {
            return Timestamps.toLocalDate(value);
        } catch (DateTimeException e) {
            v.add(field, "is not a valid calendar date: " + e.getMessage());
            return null;
        }
    }

    /** A date that may not lie after today. */
    public static LocalDate pastDate(Violations v, String field, Date value, LocalDate today) {
        LocalDate d = date(v, field, value);
        if (d != null && d.isAfter(today)) {
            v.add(field, "must not be in the future (today is " + today + ")");
        }
        return d;
    }

    /** Records a violation unless {@code earlier} ≤ {@code later} (when both are set). */
    public static void ordered(Violations v, String laterField, LocalDate earlier, String earlierField,
            LocalDate later) {
        if (earlier != null && later != null && later.isBefore(earlier)) {
            v.add(laterField, "must not be before " + earlierField + " (" + earlier + ")");
        }
    }
}
