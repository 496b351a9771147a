package io.qingliu.kit.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A SQL boolean expression with {@code ?} placeholders and the JDBC parameters bound to them, in order.
 *
 * @param sql        the condition, e.g. {@code p.state = ? AND p.county_code <> ?}; empty for "no condition"
 * @param parameters parameter values, one per {@code ?}, in order
 * @param fields     the filter fields the condition was compiled from (empty for hand-written conditions)
 */
public record SqlCondition(String sql, List<Object> parameters, Set<String> fields) {

    public static final SqlCondition EMPTY = new SqlCondition("", List.of(), Set.of());

    public SqlCondition {
        Objects.requireNonNull(sql, "sql");
        parameters = List.copyOf(parameters);
        fields = Collections.unmodifiableSet(new LinkedHashSet<>(fields));
        long placeholders = sql.chars().filter(c -> c == '?').count();
        if (placeholders != parameters.size()) {
            throw new IllegalArgumentException(
                    placeholders + " placeholders but " + parameters.size() + " parameters in: " + sql);
        }
    }

    /**
     * A hand-written condition (from code, never from a request) with its parameters. Every {@code ?} in the text
     * counts as a placeholder (checked against the parameter count), so avoid {@code ?} in literals and operators.
     */
    public static SqlCondition of(String sql, Object... parameters) {
        return new SqlCondition(sql, Arrays.asList(parameters), Set.of());
    }

    public boolean isEmpty() {
        return sql.isEmpty();
    }

    /** Whether the filter named this field. */
    public boolean mentions(String field) {
        return fields.contains(field);
    }

    /** Both conditions; either may be empty. Non-trivial hand-written parts are parenthesized by callers. */
    public SqlCondition and(SqlCondition other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        List<Object> params = new ArrayList<>(parameters);
        params.addAll(other.parameters);
        Set<String> names = new LinkedHashSet<>(fields);
        names.addAll(other.fields);
        return new SqlCondition(sql + " AND " + other.sql, params, names);
    }
}
