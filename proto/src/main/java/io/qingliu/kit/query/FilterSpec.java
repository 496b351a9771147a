package io.qingliu.kit.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The filterable fields of one resource and the compiler from an AIP-160 filter string to a {@link SqlCondition}.
 *
 * <p>Supported syntax: comparisons {@code field = value} / {@code field != value} joined by {@code AND}; values are
 * bare tokens (letters, digits, {@code _ - .}) or double-quoted strings with {@code \"} and {@code \\} escapes.
 * No wildcards: {@code =} is exact equality. The empty filter yields {@link SqlCondition#EMPTY} (plus any
 * {@linkplain FilterField#whenAbsent() when-absent} conditions). Values are always bound as parameters; the SQL
 * text only ever contains expressions taken from this spec.
 */
public final class FilterSpec {

    private final Map<String, FilterField> fields;

    private FilterSpec(Map<String, FilterField> fields) {
        this.fields = fields;
    }

    public static FilterSpec of(FilterField... fields) {
        return of(List.of(fields));
    }

    public static FilterSpec of(List<FilterField> fields) {
        Map<String, FilterField> byName = new LinkedHashMap<>();
        for (FilterField field : fields) {
            if (byName.putIfAbsent(field.name(), field) != null) {
                throw new IllegalArgumentException("duplicate filter field: " + field.name());
            }
        }
        return new FilterSpec(byName);
    }

    /** A resource without filterable fields: only the empty filter is accepted. */
    public static FilterSpec none() {
        return new FilterSpec(Map.of());
    }

    /** The field names clients may filter on, in declaration order. */
    public Set<String> fieldNames() {
        return new LinkedHashSet<>(fields.keySet());
    }

    /**
     * Parses, validates and compiles a filter.
     *
     * @throws QueryException on {@code filter} for syntax errors, unknown fields and invalid values
     */
    public SqlCondition compile(String filter) {
        List<FilterParser.Comparison> comparisons = FilterParser.parse(filter);
        List<String> sql = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        Set<String> named = new LinkedHashSet<>();
        for (FilterParser.Comparison comparison : comparisons) {
            FilterField field = fields.get(comparison.field());
            if (field == null) {
                throw new QueryException(QueryException.FILTER, "unknown field " + QueryException.quote(comparison.field())
                        + " in filter at position " + comparison.fieldPosition() + "; allowed: "
                        + (fields.isEmpty() ? "(none)" : String.join(", ", fields.keySet())));
            }
            Object value;
            try {
                value = field.converter().convert(comparison.value());
            } catch (IllegalArgumentException e) {
                throw new QueryException(QueryException.FILTER, "invalid value " + QueryException.quote(comparison.value())
                        + " for field '" + field.name() + "' in filter at position " + comparison.valuePosition()
                        + ": " + e.getMessage());
            }
            if (value == null) {
                throw new IllegalStateException("converter of filter field " + field.name() + " returned null");
            }
            sql.add(comparison.notEqual() ? field.notEqualSql() : field.equalSql());
            parameters.add(value);
            named.add(field.name());
        }
        for (FilterField field : fields.values()) {
            if (field.whenAbsent() != null && !named.contains(field.name())) {
                sql.add("(" + field.whenAbsent() + ")");
            }
        }
        if (sql.isEmpty()) {
            return SqlCondition.EMPTY;
        }
        return new SqlCondition(String.join(" AND ", sql), parameters, named);
    }
}
