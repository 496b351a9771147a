package io.qingliu.kit.query;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A field clients may name in {@code order_by}: its name, the SQL column it sorts by and the column's Java type
 * ({@link Long}, {@link String}, {@link LocalDate} or {@link Instant}, for {@code timestamptz}).
 *
 * <p>The column must be NOT NULL: keyset pagination compares {@code (column, id)} row values, and NULL sort values
 * would drop rows from the listing. Only make NOT NULL columns sortable.
 */
public record SortField(String name, String column, Class<?> type) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

    public SortField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(type, "type");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid sort field name: " + name);
        }
        if (column.isBlank()) {
            throw new IllegalArgumentException("blank column for sort field " + name);
        }
        type = SortValueType.ofClass(type).javaType;
    }

    public static SortField of(String name, String column, Class<?> type) {
        return new SortField(name, column, type);
    }

    SortValueType valueType() {
        return SortValueType.ofClass(type);
    }
}
