package io.qingliu.kit.query;

import static io.qingliu.kit.query.QueryAssertions.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ListQueryTest {

    static final String BASE = "SELECT p.* FROM project p JOIN division d ON d.code = p.county_code";
    static final FilterSpec FILTERS = FilterSpecTest.SPEC;
    static final OrderSpec ORDERS = OrderSpecTest.SPEC;

    record Row(long id, String name, Instant created, LocalDate date) {
        Object sortValue(String field) {
            return switch (field) {
                case "display_name" -> name;
                case "planned_commissioning_date" -> date;
                default -> created;
            };
        }
    }

    static ListQuery query(String filter, String orderBy, String token, int pageSize) {
        return ListQuery.builder(BASE, FILTERS, ORDERS, "projects").request(filter, orderBy, token, pageSize).build();
    }

    static Page<Row> page(ListQuery q, List<Row> rows) {
        return q.page(rows, r -> new Keyset(r.sortValue(q.order().field().name()), r.id()));
    }

    @Test
    void firstPageDefaults() {
        ListQuery q = query("", "", "", 0);
        assertEquals(BASE + " WHERE (d.retire_time IS NULL) ORDER BY p.create_time, p.id LIMIT ?", q.sql());
        assertEquals(List.of(101), q.parameters());
        assertEquals(100, q.pageSize());
    }

    @Test
    void withoutAnyCondition() {
        OrderSpec orders = OrderSpec.of("h.id", "create_time", SortField.of("create_time", "h.t", Instant.class));
        ListQuery q = ListQuery.builder("SELECT h.* FROM audit h", FilterSpec.none(), orders, "projects/7/history")
                .request("", "", "", 10).build();
        assertEquals("SELECT h.* FROM audit h ORDER BY h.t, h.id LIMIT ?", q.sql());
        assertEquals(List.of(11), q.parameters());
    }

    @Test
    void fixedWhereFilterKeysetAndLimitInOrder() {
        Instant created = Instant.parse("2025-03-01T08:15:30.123456Z");
        String filter = "state = PROJECT_STATE_PLANNED AND plan != \"x' OR '1'='1\"";
        String token = PageToken.encode(new Keyset(created, 41), "projects", filter, "");
        ListQuery q = ListQuery.builder(BASE, FILTERS, ORDERS, "projects")
                .where("p.delete_time IS NULL OR p.owner = ?", "alice")
                .request(filter, "", token, 20)
                .build();
        assertEquals(BASE + " WHERE (p.delete_time IS NULL OR p.owner = ?) AND p.state = ? AND "
                + "p.plan_name IS DISTINCT FROM ? AND (d.retire_time IS NULL) AND (p.create_time, p.id) > (?, ?) "
                + "ORDER BY p.create_time, p.id LIMIT ?", q.sql());
        assertEquals(List.of("alice", "PLANNED", "x' OR '1'='1", created.atOffset(ZoneOffset.UTC), 41L, 21),
                q.parameters());
        assertTrue(q.parameters().get(3) instanceof OffsetDateTime);
        assertFalse(q.sql().contains("'"));
        assertFalse(q.filter().mentions("retired"));
    }

    @Test
    void descendingUsesLessThanAndDesc() {
        String token = PageToken.encode(new Keyset("Plant M", 7), "projects", "", "display_name desc");
        ListQuery q = query("", "display_name desc", token, 5);
        assertEquals(BASE + " WHERE (d.retire_time IS NULL) AND (p.display_name, p.id) < (?, ?) "
                + "ORDER BY p.display_name DESC, p.id DESC LIMIT ?", q.sql());
        assertEquals(List.of("Plant M", 7L, 6), q.parameters());
    }

    @Test
    void dateSortValueBoundAsLocalDate() {
        LocalDate date = LocalDate.of(2026, 6, 30);
        String token = PageToken.encode(new Keyset(date, 3), "projects", "retired = true",
                "planned_commissioning_date");
        ListQuery q = query("retired = true", "planned_commissioning_date", token, 1);
        assertEquals(BASE + " WHERE (d.retire_time IS NOT NULL) = ? AND (p.planned_commissioning_date, p.id) > (?, ?)"
                + " ORDER BY p.planned_commissioning_date, p.id LIMIT ?", q.sql());
        assertEquals(List.of(true, date, 3L, 2), q.parameters());
    }

    @Test
    void eachRequestFieldIsValidated() {
        assertRejected("filter", () -> query("colour = red", "", "", 0), "unknown field 'colour'");
        assertRejected("order_by", () -> query("", "colour", "", 0), "unknown field 'colour'");
        assertRejected("page_token", () -> query("", "", "garbage", 0), "invalid page token");
        assertRejected("page_size", () -> query("", "", "", 1001), "between 0 and 1000");
        assertRejected("page_size", () -> query("", "", "", -1), "between 0 and 1000");
    }

    @Test
    void tokenFromAnotherQueryIsRejected() {
        String token = PageToken.encode(new Keyset("Plant M", 7), "projects", "", "display_name");
        assertRejected("page_token", () -> query("", "display_name desc", token, 5), "does not belong");
        assertRejected("page_token", () -> query("retired = true", "display_name", token, 5), "does not belong");
        assertRejected("page_token", () -> ListQuery.builder(BASE, FILTERS, ORDERS, "facilities")
                .request("", "display_name", token, 5).build(), "does not belong");
        // a changed page size is fine (AIP-158)
        assertEquals(List.of("Plant M", 7L, 51), query("", "display_name", token, 50).parameters().subList(0, 3));
    }

    @Test
    void tokenWithSortTypeNotMatchingTheSpecIsRejected() {
        String token = PageToken.encode(new Keyset(5L, 7), "projects", "", "display_name");
        assertRejected("page_token", () -> query("", "display_name", token, 5), "invalid page token");
    }

    @Test
    void pageCutsExtraRowAndMakesToken() {
        List<Row> rows = rows(4);
        ListQuery q = query("", "display_name desc", "", 3);
        Page<Row> page = page(q, rows);
        assertEquals(rows.subList(0, 3), page.items());
        assertTrue(page.hasNext());
        Keyset next = PageToken.decode(page.nextPageToken(), "projects", "", "display_name desc").orElseThrow();
        assertEquals(new Keyset(rows.get(2).name(), rows.get(2).id()), next);
    }

    @Test
    void lastPageHasEmptyToken() {
        ListQuery q = query("", "", "", 3);
        assertEquals("", page(q, rows(3)).nextPageToken());
        assertFalse(page(q, rows(2)).hasNext());
        assertEquals(List.of(), page(q, List.of()).items());
        assertThrows(IllegalArgumentException.class, () -> page(q, rows(5)));
    }

    @Test
    void pageRejectsSortValueOfWrongType() {
        ListQuery q = query("", "display_name", "", 1);
        assertThrows(IllegalArgumentException.class, () -> q.page(rows(2), r -> new Keyset(r.created(), r.id())));
    }

    /** Walks a whole in-memory "table" page by page through tokens, as a client would. */
    @Test
    void paginationWalkVisitsEveryRowOnce() {
        List<Row> table = new ArrayList<>(rows(23));
        table.add(new Row(100, "Plant B", Instant.parse("2025-01-01T00:00:00Z"), LocalDate.of(2025, 1, 1)));
        table.add(new Row(101, "Plant B", Instant.parse("2025-01-01T00:00:00Z"), LocalDate.of(2025, 1, 1)));
        for (String orderBy : List.of("", "display_name", "display_name desc", "planned_commissioning_date desc")) {
            List<Long> seen = new ArrayList<>();
            String token = "";
            int pages = 0;
            do {
                ListQuery q = query("", orderBy, token, 4);
                List<Row> fetched = simulate(table, q);
                Page<Row> page = page(q, fetched);
                page.items().forEach(r -> seen.add(r.id()));
                token = page.nextPageToken();
                pages++;
            } while (!token.isEmpty());
            assertEquals(7, pages, orderBy);
            assertEquals(table.stream().map(Row::id).sorted().collect(Collectors.toList()),
                    seen.stream().sorted().collect(Collectors.toList()), orderBy);
        }
    }

    /** Applies the keyset condition, order and limit of {@code q} in memory. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Row> simulate(List<Row> table, ListQuery q) {
        SortOrder order = q.order();
        Comparator<Row> cmp = Comparator.comparing(r -> (Comparable) r.sortValue(order.field().name()));
        cmp = cmp.thenComparingLong(Row::id);
        if (order.descending()) {
            cmp = cmp.reversed();
        }
        List<Object> p = q.parameters();
        int limit = (Integer) p.get(p.size() - 1);
        List<Row> sorted = table.stream().sorted(cmp).collect(Collectors.toList());
        if (p.size() >= 3) {
            Object sortParam = p.get(p.size() - 3);
            Object sort = sortParam instanceof OffsetDateTime odt ? odt.toInstant() : sortParam;
            long id = (Long) p.get(p.size() - 2);
            Row marker = new Row(id, sort instanceof String s ? s : "", sort instanceof Instant i ? i : Instant.EPOCH,
                    sort instanceof LocalDate d ? d : LocalDate.EPOCH);
            Comparator<Row> c = cmp;
            sorted = sorted.stream().filter(r -> c.compare(r, marker) > 0).collect(Collectors.toList());
        }
        return sorted.subList(0, Math.min(limit, sorted.size()));
    }

    private static List<Row> rows(int n) {
        return LongStream.rangeClosed(1, n)
                .mapToObj(i -> new Row(i, "Plant " + (char) ('A' + (i * 7) % 26),
                        Instant.parse("2025-01-01T00:00:00Z").plusNanos(i % 5 * 1000),
                        LocalDate.of(2025, 1, 1).plusDays(i % 3)))
                .collect(Collectors.toList());
    }
}
