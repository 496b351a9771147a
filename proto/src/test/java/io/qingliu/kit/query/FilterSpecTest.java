package io.qingliu.kit.query;

import static io.qingliu.kit.query.QueryAssertions.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterSpecTest {

    static final Map<String, String> STATES = new LinkedHashMap<>();

    static {
        STATES.put("PROJECT_STATE_PLANNED", "PLANNED");
        STATES.put("PROJECT_STATE_UNDER_CONSTRUCTION", "UNDER_CONSTRUCTION");
        STATES.put("PROJECT_STATE_COMPLETED", "COMPLETED");
    }

    static final FilterSpec SPEC = FilterSpec.of(
            FilterField.of("county", "p.county_code", ValueConverter.divisionCode()),
            FilterField.of("state", "p.state", ValueConverter.enumValues(STATES)),
            FilterField.nullable("basin", "p.basin", ValueConverter.string()),
            FilterField.nullable("plan", "p.plan_name", ValueConverter.string()),
            FilterField.of("retired", "d.retire_time IS NOT NULL", ValueConverter.bool())
                    .withWhenAbsent("d.retire_time IS NULL"),
            FilterField.of("capacity", "p.capacity", ValueConverter.int64()),
            FilterField.nullable("parent", "d.parent_code",
                    ValueConverter.resourceName("divisions", ValueConverter.divisionCode())),
            FilterField.of("kind", "p.kind", ValueConverter.enumValues(Map.of("KIND_A", "A"))).withCast("project_kind"));

    static SqlCondition compile(String filter) {
        return SPEC.compile(filter);
    }

    static void assertFilterRejected(String filter, String... fragments) {
        assertRejected("filter", () -> compile(filter), fragments);
    }

    // --- accepted filters ---

    @Test
    void emptyFilterHasNoConditionsButWhenAbsentDefaults() {
        for (String empty : new String[] {"", "   ", "\t\n", null}) {
            SqlCondition c = compile(empty);
            assertEquals("(d.retire_time IS NULL)", c.sql());
            assertEquals(List.of(), c.parameters());
            assertEquals(0, c.fields().size());
        }
        assertTrue(FilterSpec.of(FilterField.of("a", "t.a", ValueConverter.string())).compile("").isEmpty());
        assertTrue(FilterSpec.none().compile("").isEmpty());
    }

    @Test
    void singleEquality() {
        SqlCondition c = compile("state = PROJECT_STATE_PLANNED");
        assertEquals("p.state = ? AND (d.retire_time IS NULL)", c.sql());
        assertEquals(List.of("PLANNED"), c.parameters());
        assertTrue(c.mentions("state"));
        assertFalse(c.mentions("county"));
    }

    @Test
    void conjunctionWithNotEqualOnNonNullableAndNullableColumns() {
        SqlCondition c = compile("state = PROJECT_STATE_PLANNED AND county != \"512002000000\" AND basin != \"Min\"");
        assertEquals("p.state = ? AND p.county_code <> ? AND p.basin IS DISTINCT FROM ? AND (d.retire_time IS NULL)",
                c.sql());
        assertEquals(List.of("PLANNED", "512002000000", "Min"), c.parameters());
    }

    @Test
    void mentioningFieldSuppressesWhenAbsentAndComplexExpressionIsParenthesized() {
        SqlCondition c = compile("retired = true");
        assertEquals("(d.retire_time IS NOT NULL) = ?", c.sql());
        assertEquals(List.of(Boolean.TRUE), c.parameters());
        assertTrue(c.mentions("retired"));
        assertEquals(List.of(Boolean.FALSE), compile("retired = false").parameters());
        assertEquals("(d.retire_time IS NOT NULL) <> ?", compile("retired != false").sql());
    }

    @Test
    void whitespaceAnywhereOrNowhere() {
        SqlCondition tight = compile("state=PROJECT_STATE_PLANNED AND county!=\"512002000000\"");
        SqlCondition loose = compile("  \n state\t=  PROJECT_STATE_PLANNED\n\nAND\tcounty  !=   \"512002000000\"   ");
        assertEquals(tight, loose);
        assertEquals(List.of("PLANNED", "512002000000"), tight.parameters());
        assertEquals(List.of("Min"), compile("basin=\"Min\"AND retired=true").parameters().subList(0, 1));
    }

    @Test
    void quotedAndBareValuesAreEquivalent() {
        assertEquals(compile("state = PROJECT_STATE_COMPLETED"), compile("state = \"PROJECT_STATE_COMPLETED\""));
        assertEquals(List.of("512002000000"), compile("county = 512002000000").parameters());
    }

    @Test
    void bareTokensAllowDigitsUnderscoreDashDotAndUnicodeLetters() {
        assertEquals(List.of("a-b.c_1"), compile("basin = a-b.c_1").parameters());
        assertEquals(List.of("闽江"), compile("basin = 闽江").parameters());
        assertEquals(List.of(-5L), compile("capacity = -5").parameters());
        assertEquals(List.of(12000L), compile("capacity=12000").parameters());
    }

    @Test
    void stringEscapes() {
        assertEquals(List.of("say \"hi\""), compile("plan = \"say \\\"hi\\\"\"").parameters());
        assertEquals(List.of("C:\\dir\\"), compile("plan = \"C:\\\\dir\\\\\"").parameters());
        assertEquals(List.of(""), compile("plan = \"\"").parameters());
        assertEquals(List.of("a AND b OR (c) : < > = != 'x'"),
                compile("plan = \"a AND b OR (c) : < > = != 'x'\"").parameters());
    }

    @Test
    void sameFieldTwiceIsAllowed() {
        SqlCondition c = compile("state = PROJECT_STATE_PLANNED AND state = PROJECT_STATE_COMPLETED");
        assertEquals("p.state = ? AND p.state = ? AND (d.retire_time IS NULL)", c.sql());
        assertEquals(List.of("PLANNED", "COMPLETED"), c.parameters());
        assertEquals(1, c.fields().size());
    }

    @Test
    void resourceNameConverterAndCast() {
        SqlCondition c = compile("parent = \"divisions/512002000000\" AND kind = KIND_A");
        assertEquals("d.parent_code = ? AND p.kind = CAST(? AS project_kind) AND (d.retire_time IS NULL)", c.sql());
        assertEquals(List.of("512002000000", "A"), c.parameters());
        assertEquals("d.parent_code IS DISTINCT FROM ?", compile("parent != \"divisions/512002000000\" AND retired = true")
                .sql().split(" AND ")[0]);
    }

    // --- SQL injection: values are data ---

    @Test
    void injectionAttemptIsBoundAsData() {
        String evil = "x' OR '1'='1";
        SqlCondition c = compile("plan = \"" + evil + "\"");
        assertEquals("p.plan_name = ? AND (d.retire_time IS NULL)", c.sql());
        assertEquals(List.of(evil), c.parameters());
        assertFalse(c.sql().contains("'"));

        String evil2 = "\"; DROP TABLE project; --";
        SqlCondition c2 = compile("plan != \"" + evil2.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        assertEquals("p.plan_name IS DISTINCT FROM ? AND (d.retire_time IS NULL)", c2.sql());
        assertEquals(List.of(evil2), c2.parameters());
    }

    @Test
    void sqlNeverContainsRequestText() {
        SqlCondition c = compile("plan = zzzmarker AND basin = \"yyymarker\"");
        assertFalse(c.sql().contains("marker"));
        assertEquals(2, c.sql().chars().filter(ch -> ch == '?').count());
    }

    @Test
    void injectionInFieldPositionIsRejected() {
        assertFilterRejected("p.state = x", "unknown field 'p.state'", "position 1");
        assertFilterRejected("state;DROP = x", "unexpected character ';' at position 6");
        assertFilterRejected("plan = x' OR '1'='1", "unexpected character ''' at position 9");
    }

    // --- rejections with field and position ---

    @Test
    void unknownFieldListsAllowed() {
        assertFilterRejected("colour = red", "unknown field 'colour' in filter at position 1",
                "allowed: county, state, basin, plan, retired, capacity, parent, kind");
        assertFilterRejected("state = PROJECT_STATE_PLANNED AND  colour = red", "'colour'", "position 36");
        assertRejected("filter", () -> FilterSpec.none().compile("a = b"), "unknown field 'a'", "allowed: (none)");
    }

    @Test
    void missingValue() {
        assertFilterRejected("state =", "expected a value after '=' at position 8", "end of filter");
        assertFilterRejected("state !=   ", "expected a value after '!=' at position 12");
        assertFilterRejected("state = AND county = 512002000000", "expected a value after '=' at position 9",
                "keyword 'AND'");
        assertFilterRejected("state = = x", "expected a value after '=' at position 9", "found '='");
    }

    @Test
    void missingOperator() {
        assertFilterRejected("state", "expected '=' or '!=' after 'state' at position 6", "end of filter");
        assertFilterRejected("state PROJECT_STATE_PLANNED", "expected '=' or '!=' after 'state' at position 7",
                "'PROJECT_STATE_PLANNED'");
        assertFilterRejected("state \"x\"", "expected '=' or '!='", "string \"x\"");
    }

    @Test
    void missingFieldName() {
        assertFilterRejected("= x", "expected a field name at position 1", "'='");
        assertFilterRejected("\"state\" = x", "expected a field name at position 1");
        assertFilterRejected("AND state = x", "expected a field name at position 1", "'AND'");
        assertFilterRejected("state = x AND", "expected a field name after 'AND' at position 14",
                "end of filter");
        assertFilterRejected("state = x AND AND basin = y", "expected a field name at position 15");
    }

    @Test
    void missingAnd() {
        assertFilterRejected("basin = a basin = b", "expected 'AND' or end of filter at position 11", "'basin'");
        assertFilterRejected("basin = \"a\"\"b\"", "expected 'AND' or end of filter at position 12");
    }

    @Test
    void andIsCaseSensitive() {
        assertFilterRejected("basin = a and plan = b", "expected 'AND' or end of filter at position 11",
                "'and'", "case-sensitive");
        assertFilterRejected("basin = a And plan = b", "position 11", "case-sensitive");
    }

    @Test
    void orIsRejected() {
        assertFilterRejected("basin = a OR basin = b", "OR is not supported", "position 11");
    }

    @Test
    void notAndNegationAreRejected() {
        assertFilterRejected("NOT basin = a", "NOT is not supported", "position 1");
        assertFilterRejected("basin = a AND NOT plan = b", "NOT is not supported", "position 15");
        assertFilterRejected("-basin = a", "negation '-' is not supported", "position 1");
    }

    @Test
    void parenthesesAreRejected() {
        assertFilterRejected("(basin = a)", "parentheses are not supported", "position 1");
        assertFilterRejected("basin = a AND (plan = b)", "parentheses", "position 15");
        assertFilterRejected("basin = f(x)", "parentheses", "position 10");
    }

    @Test
    void otherOperatorsAreRejected() {
        assertFilterRejected("basin:a", "has operator ':' is not supported", "position 6");
        assertFilterRejected("capacity < 5", "operator '<' is not supported", "position 10");
        assertFilterRejected("capacity <= 5", "operator '<=' is not supported", "position 10");
        assertFilterRejected("capacity > 5", "operator '>' is not supported", "position 10");
        assertFilterRejected("capacity >= 5", "operator '>=' is not supported", "position 10");
        assertFilterRejected("capacity == 5", "'==' is not supported", "position 10");
        assertFilterRejected("capacity ! 5", "unexpected '!' at position 10");
        assertFilterRejected("capacity = 5!", "unexpected '!' at position 13");
        assertFilterRejected("basin = a, plan = b", "unexpected character ',' at position 10");
        assertFilterRejected("basin = a*", "unexpected character '*' at position 10");
        assertFilterRejected("basin = 'a'", "unexpected character ''' at position 9");
    }

    @Test
    void badStrings() {
        assertFilterRejected("basin = \"abc", "unterminated string starting at position 9");
        assertFilterRejected("basin = \"abc\\\"", "unterminated string starting at position 9");
        assertFilterRejected("basin = \"a\\nb\"", "unsupported escape at position 11", "position 9");
        assertFilterRejected("basin = \"abc\\", "unsupported escape at position 13");
    }

    @Test
    void invalidValues() {
        assertFilterRejected("county = 5120020000", "invalid value '5120020000' for field 'county'",
                "position 10", "12-digit division code");
        assertFilterRejected("county = \"51200200000x\"", "12-digit");
        assertFilterRejected("county = \"５１２００２０００００００\"", "12-digit"); // full-width digits
        assertFilterRejected("state = PROJECT_STATE_FOO", "invalid value 'PROJECT_STATE_FOO' for field 'state'",
                "position 9", "expected one of PROJECT_STATE_PLANNED, PROJECT_STATE_UNDER_CONSTRUCTION, "
                        + "PROJECT_STATE_COMPLETED");
        assertFilterRejected("state = PLANNED", "invalid value 'PLANNED'"); // stored value is not an API name
        assertFilterRejected("retired = TRUE", "invalid value 'TRUE' for field 'retired'", "expected true or false");
        assertFilterRejected("retired = 1", "expected true or false");
        assertFilterRejected("capacity = 1.5", "expected an integer");
        assertFilterRejected("capacity = 99999999999999999999", "expected an integer");
        assertFilterRejected("parent = 512002000000", "expected a resource name divisions/");
        assertFilterRejected("parent = \"divisions/123\"", "expected a resource name divisions/", "12-digit");
        assertFilterRejected("parent = divisions/512002000000", "unexpected character '/' at position 19",
                "double quotes");
    }

    @Test
    void firstErrorWinsAndLongInputIsShortenedInMessages() {
        String longValue = "x".repeat(500);
        QueryException e = assertThrows(QueryException.class, () -> compile("county = " + longValue));
        assertTrue(e.getMessage().length() < 300, e.getMessage());
        assertFilterRejected("basin = x".repeat(1) + " AND plan = y".repeat(400), "filter is too long");
    }

    @Test
    void specValidation() {
        ValueConverter s = ValueConverter.string();
        assertThrows(IllegalArgumentException.class,
                () -> FilterSpec.of(FilterField.of("a", "t.a", s), FilterField.of("a", "t.b", s)));
        assertThrows(IllegalArgumentException.class, () -> FilterField.of("A b", "t.a", s));
        assertThrows(IllegalArgumentException.class, () -> FilterField.of("a", " ", s));
        assertThrows(IllegalArgumentException.class, () -> FilterField.of("a", "t.a", s).withCast("x; DROP"));
        assertThrows(IllegalArgumentException.class, () -> ValueConverter.enumValues(Map.of()));
        assertEquals(List.of("county", "state", "basin", "plan", "retired", "capacity", "parent", "kind"),
                List.copyOf(SPEC.fieldNames()));
    }
}
