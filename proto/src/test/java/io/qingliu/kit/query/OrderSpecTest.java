package io.qingliu.kit.query;

import static io.qingliu.kit.query.QueryAssertions.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderSpecTest {

    static final OrderSpec SPEC = OrderSpec.of("p.id", "create_time",
            SortField.of("create_time", "p.create_time", Instant.class),
            SortField.of("display_name", "p.display_name", String.class),
            SortField.of("planned_commissioning_date", "p.planned_commissioning_date", LocalDate.class));

    @Test
    void emptyMeansDefault() {
        for (String empty : new String[] {"", "  ", null}) {
            SortOrder order = SPEC.parse(empty);
            assertSame(SPEC.defaultOrder(), order);
            assertEquals("create_time", order.field().name());
            assertFalse(order.descending());
        }
    }

    @Test
    void ascendingSql() {
        SortOrder order = SPEC.parse("display_name");
        assertEquals("p.display_name, p.id", order.orderByClause());
        assertEquals("(p.display_name, p.id) > (?, ?)", order.afterCondition());
        assertEquals(order, SPEC.parse("display_name asc"));
        assertEquals(order, SPEC.parse("  display_name   ASC "));
    }

    @Test
    void descendingSql() {
        SortOrder order = SPEC.parse("planned_commissioning_date desc");
        assertTrue(order.descending());
        assertEquals(LocalDate.class, order.field().type());
        assertEquals("p.planned_commissioning_date DESC, p.id DESC", order.orderByClause());
        assertEquals("(p.planned_commissioning_date, p.id) < (?, ?)", order.afterCondition());
        assertEquals(order, SPEC.parse("\tplanned_commissioning_date  DESC\n"));
    }

    @Test
    void defaultMayBeDescending() {
        OrderSpec spec = OrderSpec.of("c.id", "create_time desc", SortField.of("create_time", "c.t", Instant.class));
        assertEquals("c.t DESC, c.id DESC", spec.parse("").orderByClause());
        assertEquals("c.t, c.id", spec.parse("create_time").orderByClause());
    }

    @Test
    void multipleFieldsRejected() {
        assertRejected("order_by", () -> SPEC.parse("display_name, create_time"),
                "single field", "',' at position 13");
        assertRejected("order_by", () -> SPEC.parse("display_name desc,create_time"), "position 18");
        assertRejected("order_by", () -> SPEC.parse("display_name create_time"),
                "expected 'asc' or 'desc' after 'display_name'", "position 14", "'create_time'");
    }

    @Test
    void unknownFieldRejectedWithAllowedList() {
        assertRejected("order_by", () -> SPEC.parse("colour"), "unknown field 'colour' in order_by",
                "allowed: create_time, display_name, planned_commissioning_date");
        assertRejected("order_by", () -> SPEC.parse("Display_Name"), "unknown field 'Display_Name'");
        assertRejected("order_by", () -> SPEC.parse("p.id; DROP TABLE x"), "unknown field 'p.id;'");
        assertRejected("order_by", () -> SPEC.parse("desc"), "unknown field 'desc'");
    }

    @Test
    void badDirectionAndTrailingWordsRejected() {
        assertRejected("order_by", () -> SPEC.parse("display_name descending"),
                "expected 'asc' or 'desc'", "position 14", "'descending'");
        assertRejected("order_by", () -> SPEC.parse("display_name desc nulls"),
                "unexpected 'nulls' in order_by at position 19");
        assertRejected("order_by", () -> SPEC.parse("display_name " + "x".repeat(300)), "too long");
    }

    @Test
    void specValidation() {
        SortField f = SortField.of("a", "t.a", Long.class);
        assertThrows(IllegalArgumentException.class, () -> OrderSpec.of("t.id", "a", f, f));
        assertThrows(IllegalArgumentException.class, () -> OrderSpec.of("t.id", "b", f));
        assertThrows(IllegalArgumentException.class, () -> OrderSpec.of("t.id", "a"));
        assertThrows(IllegalArgumentException.class, () -> SortField.of("a", "t.a", Double.class));
        assertThrows(IllegalArgumentException.class, () -> SortField.of("A", "t.a", Long.class));
        assertEquals(Long.class, SortField.of("a", "t.a", long.class).type());
        assertEquals(List.of("create_time", "display_name", "planned_commissioning_date"), SPEC.fieldNames());
    }
}
