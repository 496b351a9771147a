package io.qingliu.kit.query;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a filter value, as written by the client, into the JDBC parameter bound for it.
 *
 * <p>The value is the text of a bare token or the unescaped content of a quoted string; quoting makes no
 * difference ({@code state = PROJECT_STATE_PLANNED} and {@code state = "PROJECT_STATE_PLANNED"} are the same).
 * A converter rejects a value by throwing {@link IllegalArgumentException} whose message is the reason
 * (e.g. {@code expected true or false}); {@link FilterSpec} adds the field name and position.
 * The result must not be null.
 */
@FunctionalInterface
public interface ValueConverter {

    Object convert(String value);

    /** The value as is, a {@link String}. */
    static ValueConverter string() {
        return value -> value;
    }

    /** Exactly 12 ASCII digits (an administrative division code), kept as a {@link String}. */
    static ValueConverter divisionCode() {
        return value -> {
            if (value.length() != 12 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("expected a 12-digit division code");
            }
            return value;
        };
    }

    /**
     * An enum value name, mapped to its stored form, e.g. {@code PROJECT_STATE_PLANNED} → {@code PLANNED}.
     * Unknown names are rejected with the allowed names, listed in the map's iteration order (pass a
     * {@link LinkedHashMap} for a stable message).
     */
    static ValueConverter enumValues(Map<String, String> apiNameToDbValue) {
        Map<String, String> names = new LinkedHashMap<>(apiNameToDbValue);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no enum values");
        }
        names.forEach((k, v) -> Objects.requireNonNull(v, k));
        String allowed = String.join(", ", names.keySet());
        return value -> {
            String stored = names.get(value);
            if (stored == null) {
                throw new IllegalArgumentException("expected one of " + allowed);
            }
            return stored;
        };
    }

    /** {@code true} or {@code false} (lower case), a {@link Boolean}. */
    static ValueConverter bool() {
        return value -> switch (value) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    /** A decimal 64-bit integer, a {@link Long}. */
    static ValueConverter int64() {
        return value -> {
            try {
                return Long.valueOf(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected an integer");
            }
        };
    }

    /**
     * A resource name {@code <collection>/<id>}, e.g. {@code divisions/512002000000}; the id part is converted by
     * {@code id} and bound.
     */
    static ValueConverter resourceName(String collection, ValueConverter id) {
        Objects.requireNonNull(id, "id");
        String prefix = Objects.requireNonNull(collection, "collection") + "/";
        return value -> {
            if (!value.startsWith(prefix)) {
                throw new IllegalArgumentException("expected a resource name " + prefix + "…");
            }
            try {
                return id.convert(value.substring(prefix.length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("expected a resource name " + prefix + "… (" + e.getMessage() + ")");
            }
        };
    }
}
