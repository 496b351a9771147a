package io.qingliu.kit.query;

import java.util.Objects;

/**
 * A resolved order: sort by {@code (field.column, idColumn)}, both in the same direction, which gives a total,
 * stable order for keyset pagination.
 */
public record SortOrder(SortField field, String idColumn, boolean descending) {

    public SortOrder {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(idColumn, "idColumn");
    }

    /** E.g. {@code p.create_time, p.id} or {@code p.create_time DESC, p.id DESC}. */
    public String orderByClause() {
        String direction = descending ? " DESC" : "";
        return field.column() + direction + ", " + idColumn + direction;
    }

    /** Rows after the keyset position (two parameters: sort value, id): {@code (p.create_time, p.id) > (?, ?)}. */
    public String afterCondition() {
        return "(" + field.column() + ", " + idColumn + ") " + (descending ? "<" : ">") + " (?, ?)";
    }
}
