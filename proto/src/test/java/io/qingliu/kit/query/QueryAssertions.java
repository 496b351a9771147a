package io.qingliu.kit.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

final class QueryAssertions {

    private QueryAssertions() {
    }

    /** Asserts a QueryException on the given request field whose message contains every fragment. */
    static QueryException assertRejected(String field, Executable call, String... fragments) {
        QueryException e = assertThrows(QueryException.class, call);
        assertEquals(field, e.field(), () -> "field of: " + e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    () -> "message '" + e.getMessage() + "' does not contain '" + fragment + "'");
        }
        return e;
    }
}
