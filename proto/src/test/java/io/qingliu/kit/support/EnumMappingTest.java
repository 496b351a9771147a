package io.qingliu.kit.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Syntax;
import org.junit.jupiter.api.Test;

/**
 * Domain enums and proto enums meet by name behind the proto's prefix; protobuf's own
 * {@code Syntax} (SYNTAX_PROTO2 = 0, SYNTAX_PROTO3, SYNTAX_EDITIONS) stands in for ours.
 */
class EnumMappingTest {

    /** A domain enum: one value the proto lacks, none for its zero value. */
    enum Dialect {
        PROTO3, EDITIONS, PROTO4
    }

    @Test
    void domainValuesBecomeTheProtoValuesOfTheSameName() {
        assertEquals(Syntax.SYNTAX_PROTO3, EnumMapping.toProto(Dialect.PROTO3, Syntax.class));
        assertEquals(Syntax.SYNTAX_EDITIONS, EnumMapping.toProto(Dialect.EDITIONS, Syntax.class));
        assertEquals(Syntax.SYNTAX_PROTO2, EnumMapping.toProto(null, Syntax.class), "null is the zero value");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> EnumMapping.toProto(Dialect.PROTO4, Syntax.class));
        assertEquals("no value SYNTAX_PROTO4 in com.google.protobuf.Syntax", missing.getMessage());
    }

    @Test
    void protoValuesBecomeDomainValuesAndTheZeroOrAnUnknownNumberNone() {
        assertEquals(Dialect.PROTO3, EnumMapping.fromProto(Syntax.SYNTAX_PROTO3, Dialect.class));
        assertEquals(Dialect.EDITIONS, EnumMapping.fromProto(Syntax.SYNTAX_EDITIONS, Dialect.class));
        assertNull(EnumMapping.fromProto(Syntax.SYNTAX_PROTO2, Dialect.class));
        assertNull(EnumMapping.fromProto(Syntax.UNRECOGNIZED, Dialect.class));
        assertNull(EnumMapping.fromProto(null, Dialect.class));
    }

    @Test
    void filterValuesListTheProtoNameOfEachDomainValue() {
        enum Known { PROTO3, EDITIONS }
        assertEquals(java.util.Map.of("SYNTAX_PROTO3", "PROTO3", "SYNTAX_EDITIONS", "EDITIONS"),
                EnumMapping.filterValues(Syntax.class, Known.class));
    }
}
