package io.qingliu.kit.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The sortable fields of one resource, its id column and its default order, and the AIP-132 {@code order_by}
 * parser.
 *
 * <p>{@code order_by} is one field name optionally followed by {@code asc} or {@code desc} (case-insensitive);
 * extra whitespace is ignored; empty means the default order. Several fields (a comma) are rejected. Rows are
 * always sorted by {@code (sort column, id column)} in the same direction. Sort columns must be NOT NULL (see
 * {@link SortField}); ids are {@code long}.
 */
public final class OrderSpec {

    private final String idColumn;
    private final Map<String, SortField> fields;
    private final SortOrder defaultOrder;

    private OrderSpec(String idColumn, Map<String, SortField> fields, String defaultOrderBy) {
        this.idColumn = idColumn;
        this.fields = fields;
        this.defaultOrder = parseNonEmpty(defaultOrderBy);
    }

    /**
     * @param idColumn       the unique {@code bigint} id column, e.g. {@code p.id}
     * @param defaultOrderBy the order used when {@code order_by} is empty, e.g. {@code create_time} or
     *                       {@code create_time desc}
     * @param fields         the sortable fields
     */
    public static OrderSpec of(String idColumn, String defaultOrderBy, SortField... fields) {
        Objects.requireNonNull(idColumn, "idColumn");
        Map<String, SortField> byName = new LinkedHashMap<>();
        for (SortField field : fields) {
            if (byName.putIfAbsent(field.name(), field) != null) {
                throw new IllegalArgumentException("duplicate sort field: " + field.name());
            }
        }
        if (byName.isEmpty()) {
            throw new IllegalArgumentException("no sort fields");
        }
        try {
            return new OrderSpec(idColumn, byName, defaultOrderBy);
        } catch (QueryException e) {
            throw new IllegalArgumentException("invalid default order: " + e.getMessage(), e);
        }
    }

    public SortOrder defaultOrder() {
        return defaultOrder;
    }

    public List<String> fieldNames() {
        return new ArrayList<>(fields.keySet());
    }

    /**
     * Resolves {@code order_by}.
     *
     * @throws QueryException on {@code order_by} for several or unknown fields and bad directions
     */
    public SortOrder parse(String orderBy) {
        if (orderBy == null || orderBy.isBlank()) {
            return defaultOrder;
        }
        return parseNonEmpty(orderBy);
    }

    private SortOrder parseNonEmpty(String orderBy) {
        if (orderBy.length() > 256) {
            throw error("order_by is too long (" + orderBy.length() + " characters; at most 256)");
        }
        int comma = orderBy.indexOf(',');
        if (comma >= 0) {
            throw error("order_by accepts a single field; found ',' at position " + (comma + 1));
        }
        List<String> words = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        int i = 0;
        while (i < orderBy.length()) {
            if (Character.isWhitespace(orderBy.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < orderBy.length() && !Character.isWhitespace(orderBy.charAt(i))) {
                i++;
            }
            words.add(orderBy.substring(start, i));
            positions.add(start + 1);
        }
        SortField field = fields.get(words.get(0));
        if (field == null) {
            throw error("unknown field " + QueryException.quote(words.get(0)) + " in order_by; allowed: "
                    + String.join(", ", fields.keySet()));
        }
        boolean descending = false;
        if (words.size() >= 2) {
            String direction = words.get(1);
            if (direction.equalsIgnoreCase("desc")) {
                descending = true;
            } else if (!direction.equalsIgnoreCase("asc")) {
                throw error("expected 'asc' or 'desc' after '" + field.name() + "' in order_by at position "
                        + positions.get(1) + ", found " + QueryException.quote(direction));
            }
        }
        if (words.size() > 2) {
            throw error("unexpected " + QueryException.quote(words.get(2)) + " in order_by at position "
                    + positions.get(2) + "; order_by is one field optionally followed by 'asc' or 'desc'");
        }
        return new SortOrder(field, idColumn, descending);
    }

    private static QueryException error(String message) {
        return new QueryException(QueryException.ORDER_BY, message);
    }
}
