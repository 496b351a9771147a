package io.qingliu.gateway.http;

import com.google.protobuf.ProtocolMessageEnum;
import com.google.type.Date;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Query parameters turned into request fields. Parameters arrive as strings so that a malformed
 * one is a 400 naming it, not JAX-RS's bare 404/500; absent ones keep the proto default.
 */
public final class Params {

    private Params() {
    }

    /** {@code pageSize}: an integer; its range is the service's to check (it names the field too). */
    public static int pageSize(String raw) {
        return integer("pageSize", raw);
    }

    public static int integer(String field, String raw) {
        if (raw == null || raw.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(field, "must be an integer, not \"" + raw + "\"");
        }
    }

    /** A date as {@code YYYY-MM-DD}; null when absent (the service then answers for today). */
    public static Date date(String field, String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            LocalDate d = LocalDate.parse(raw.trim());
            return Date.newBuilder().setYear(d.getYear()).setMonth(d.getMonthValue()).setDay(d.getDayOfMonth()).build();
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException(field, "must be a date as YYYY-MM-DD, not \"" + raw + "\"");
        }
    }

    /**
     * An enum value by its proto name ({@code COVERAGE_BREAKDOWN_COUNTY}) or, as people write it,
     * without the type's prefix ({@code county}); null when absent.
     */
    public static <E extends Enum<E> & ProtocolMessageEnum> E enumValue(String field, String raw, Class<E> type,
            String prefix) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        String name = raw.trim().toUpperCase(Locale.ROOT);
        for (E value : type.getEnumConstants()) {
            if (!value.name().equals("UNRECOGNIZED") && (value.name().equals(name) || value.name().equals(prefix + name))) {
                return value;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name)
                .filter(n -> !n.equals("UNRECOGNIZED") && !n.endsWith("_UNSPECIFIED"))
                .collect(Collectors.joining(", "));
        throw new InvalidParameterException(field, "must be one of " + allowed + ", not \"" + raw + "\"");
    }

    /** Applies a parsed value to a builder when present. */
    public static <T> void ifPresent(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    /** Empty for null, so that absent strings keep the proto default. */
    public static String text(String raw) {
        return raw == null ? "" : raw;
    }
}
