package io.qingliu.kit.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The SQL of one List call: filter, keyset position, order and limit applied to a base query.
 *
 * <pre>{@code
 * ListQuery q = ListQuery.builder("SELECT p.* FROM project p JOIN division d ON d.code = p.county_code",
 *                 PROJECT_FILTERS, PROJECT_ORDERS, "projects")
 *         .request(req.getFilter(), req.getOrderBy(), req.getPageToken(), req.getPageSize())
 *         .build();
 * List<Row> rows = jdbc(q.sql(), q.parameters());          // at most pageSize + 1 rows
 * Page<Row> page = q.page(rows, r -> new Keyset(r.sortValue(q.order().field().name()), r.id()));
 * }</pre>
 *
 * <p>The SQL is {@code base WHERE <where> AND <filter> AND (sort, id) > (?, ?) ORDER BY sort, id LIMIT ?}
 * ({@code <} and {@code DESC} when descending); absent parts are left out. The base query must not have its own
 * WHERE, ORDER BY or LIMIT; add fixed conditions with {@link Builder#where}. Parameters are, in order: the
 * {@code where} parameters, the filter values, the keyset sort value and id (Instants as UTC
 * {@link java.time.OffsetDateTime}), and the limit ({@code pageSize + 1}).
 */
public final class ListQuery {

    private final String sql;
    private final List<Object> parameters;
    private final int pageSize;
    private final SortOrder order;
    private final SqlCondition filter;
    private final String namespace;
    private final String filterText;
    private final String orderByText;

    private ListQuery(String sql, List<Object> parameters, int pageSize, SortOrder order, SqlCondition filter,
                      String namespace, String filterText, String orderByText) {
        this.sql = sql;
        this.parameters = List.copyOf(parameters);
        this.pageSize = pageSize;
        this.order = order;
        this.filter = filter;
        this.namespace = namespace;
        this.filterText = filterText;
        this.orderByText = orderByText;
    }

    /**
     * @param baseSql   {@code SELECT … FROM …} with joins, without WHERE/ORDER BY/LIMIT
     * @param namespace what is listed, including the parent if any (e.g. {@code projects/42/history}); bound into
     *                  page tokens
     */
    public static Builder builder(String baseSql, FilterSpec filters, OrderSpec orders, String namespace) {
        return new Builder(baseSql, filters, orders, namespace);
    }

    /** The complete statement with {@code ?} placeholders. */
    public String sql() {
        return sql;
    }

    /** JDBC parameters for {@link #sql()}, in order. */
    public List<Object> parameters() {
        return parameters;
    }

    /** The resolved page size; the query fetches one row more to learn whether another page follows. */
    public int pageSize() {
        return pageSize;
    }

    /** The resolved order; its field tells which sort value to extract from rows. */
    public SortOrder order() {
        return order;
    }

    /** The compiled filter, e.g. to check {@link SqlCondition#mentions}. */
    public SqlCondition filter() {
        return filter;
    }

    /**
     * Cuts the fetched rows to a page and makes the next page token.
     *
     * @param rows  the rows returned by {@link #sql()}, in order (at most {@code pageSize + 1})
     * @param keyOf the row's value of the {@linkplain #order() sort field} and its id
     */
    public <R> Page<R> page(List<R> rows, Function<? super R, Keyset> keyOf) {
        if (rows.size() > pageSize + 1) {
            throw new IllegalArgumentException(rows.size() + " rows for a page of " + pageSize);
        }
        if (rows.size() <= pageSize) {
            return new Page<>(rows, "");
        }
        List<R> items = rows.subList(0, pageSize);
        Keyset last = keyOf.apply(items.get(pageSize - 1));
        if (SortValueType.ofValue(last.sortValue()) != order.field().valueType()) {
            throw new IllegalArgumentException("sort value " + last.sortValue() + " is not a "
                    + order.field().type().getSimpleName() + " (sort field " + order.field().name() + ")");
        }
        return new Page<>(items, PageToken.encode(last, namespace, filterText, orderByText));
    }

    /** Collects the request; {@link #build()} validates it. */
    public static final class Builder {
        private final String baseSql;
        private final FilterSpec filters;
        private final OrderSpec orders;
        private final String namespace;
        private SqlCondition where = SqlCondition.EMPTY;
        private String filter = "";
        private String orderBy = "";
        private String pageToken = "";
        private int pageSize;

        private Builder(String baseSql, FilterSpec filters, OrderSpec orders, String namespace) {
            this.baseSql = Objects.requireNonNull(baseSql, "baseSql").strip();
            this.filters = Objects.requireNonNull(filters, "filters");
            this.orders = Objects.requireNonNull(orders, "orders");
            this.namespace = Objects.requireNonNull(namespace, "namespace");
        }

        /** Adds a fixed condition written in code (never from the request), parenthesized, with its parameters. */
        public Builder where(String sql, Object... parameters) {
            SqlCondition condition = SqlCondition.of(sql, parameters);
            where = where.and(new SqlCondition("(" + condition.sql() + ")", condition.parameters(), Set.of()));
            return this;
        }

        /** The List request's filter, order_by, page_token and page_size (null strings count as empty). */
        public Builder request(String filter, String orderBy, String pageToken, int pageSize) {
            this.filter = filter == null ? "" : filter;
            this.orderBy = orderBy == null ? "" : orderBy;
            this.pageToken = pageToken == null ? "" : pageToken;
            this.pageSize = pageSize;
            return this;
        }

        /** @throws QueryException if filter, order_by, page_token or page_size is invalid */
        public ListQuery build() {
            SqlCondition compiled = filters.compile(filter);
            SortOrder order = orders.parse(orderBy);
            Optional<Keyset> after = PageToken.decode(pageToken, namespace, filter, orderBy);
            int size = PageSize.resolve(pageSize);

            List<String> conditions = new ArrayList<>();
            List<Object> parameters = new ArrayList<>();
            if (!where.isEmpty()) {
                conditions.add(where.sql());
                parameters.addAll(where.parameters());
            }
            if (!compiled.isEmpty()) {
                conditions.add(compiled.sql());
                parameters.addAll(compiled.parameters());
            }
            if (after.isPresent()) {
                Keyset position = after.get();
                SortValueType type = order.field().valueType();
                if (SortValueType.ofValue(position.sortValue()) != type) {
                    throw new QueryException(QueryException.PAGE_TOKEN,
                            "invalid page token; pass the next_page_token of the previous response unchanged");
                }
                conditions.add(order.afterCondition());
                parameters.add(type.toJdbc(position.sortValue()));
                parameters.add(position.id());
            }
            StringBuilder sql = new StringBuilder(baseSql);
            if (!conditions.isEmpty()) {
                sql.append(" WHERE ").append(String.join(" AND ", conditions));
            }
            sql.append(" ORDER BY ").append(order.orderByClause()).append(" LIMIT ?");
            parameters.add(size + 1);
            return new ListQuery(sql.toString(), parameters, size, order, compiled, namespace, filter, orderBy);
        }
    }
}
