package io.qingliu.kit.query;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One filterable field of a resource: the name clients write in {@code filter}, the SQL expression it compares
 * (e.g. {@code p.county_code}) and the converter for its values.
 *
 * <p>The SQL expression comes from code, never from the request. {@code field = v} compiles to
 * {@code expr = ?}; {@code field != v} to {@code expr <> ?}, or {@code expr IS DISTINCT FROM ?} when the
 * expression is {@linkplain #nullable() nullable} (so that rows where it is NULL match). An expression that is not
 * a plain column reference is wrapped in parentheses.
 *
 * @param name          field name in the filter, e.g. {@code county}
 * @param sqlExpression SQL expression compared with the value
 * @param converter     turns the value text into the bound parameter
 * @param nullable      whether the expression can be NULL
 * @param placeholder   the parameter placeholder, {@code ?} or e.g. {@code CAST(? AS project_state)}
 * @param whenAbsent    SQL condition added when the filter does not name this field (e.g. hide retired rows
 *                      unless {@code retired} is filtered on), or null
 */
public record FilterField(String name, String sqlExpression, ValueConverter converter, boolean nullable,
                          String placeholder, String whenAbsent) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");
    private static final Pattern SQL_TYPE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    public FilterField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sqlExpression, "sqlExpression");
        Objects.requireNonNull(converter, "converter");
        Objects.requireNonNull(placeholder, "placeholder");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid filter field name: " + name);
        }
        if (sqlExpression.isBlank()) {
            throw new IllegalArgumentException("blank SQL expression for " + name);
        }
        if (placeholder.chars().filter(c -> c == '?').count() != 1) {
            throw new IllegalArgumentException("placeholder must contain exactly one '?': " + placeholder);
        }
        if (whenAbsent != null && whenAbsent.isBlank()) {
            throw new IllegalArgumentException("blank whenAbsent condition for " + name);
        }
    }

    /** A field whose expression is never NULL. */
    public static FilterField of(String name, String sqlExpression, ValueConverter converter) {
        return new FilterField(name, sqlExpression, converter, false, "?", null);
    }

    /** A field whose expression may be NULL ({@code !=} compiles to {@code IS DISTINCT FROM}). */
    public static FilterField nullable(String name, String sqlExpression, ValueConverter converter) {
        return new FilterField(name, sqlExpression, converter, true, "?", null);
    }

    /** The same field with its parameter cast to a SQL type, e.g. a PostgreSQL enum: {@code CAST(? AS type)}. */
    public FilterField withCast(String sqlType) {
        if (!SQL_TYPE.matcher(sqlType).matches()) {
            throw new IllegalArgumentException("invalid SQL type: " + sqlType);
        }
        return new FilterField(name, sqlExpression, converter, nullable, "CAST(? AS " + sqlType + ")", whenAbsent);
    }

    /** The same field with a parameterless SQL condition applied when the filter does not name this field. */
    public FilterField withWhenAbsent(String condition) {
        return new FilterField(name, sqlExpression, converter, nullable, placeholder, condition);
    }

    String operand() {
        return COLUMN.matcher(sqlExpression).matches() ? sqlExpression : "(" + sqlExpression + ")";
    }

    String equalSql() {
        return operand() + " = " + placeholder;
    }

    String notEqualSql() {
        return operand() + (nullable ? " IS DISTINCT FROM " : " <> ") + placeholder;
    }
}
