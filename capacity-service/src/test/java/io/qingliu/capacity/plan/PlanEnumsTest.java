package io.qingliu.capacity.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ProtocolMessageEnum;
import io.qingliu.api.common.v1.DivisionKind;
import io.qingliu.api.common.v1.DivisionLevel;
import io.qingliu.kit.grpc.ApiException;
import io.qingliu.kit.support.EnumMapping;
import org.junit.jupiter.api.Test;

/** The domain enums store the numbers of their proto counterparts; goal names read back. */
class PlanEnumsTest {

    @Test
    void storedNumbersAreTheProtoNumbers() {
        assertSameNumbers(ProjectKind.values(), io.qingliu.api.project.v1.ProjectKind.class);
        assertSameNumbers(FacilityType.values(), io.qingliu.api.common.v1.FacilityType.class);
        assertSameNumbers(ServiceType.values(), io.qingliu.api.capacity.v1.ServiceType.class);
        assertSameNumbers(UnitLevel.values(), DivisionLevel.class);
        assertSameNumbers(UnitKind.values(), DivisionKind.class);
        assertEquals(UnitKind.COMMUNITY, Numbered.of(UnitKind.class, 9));
        assertNull(Numbered.of(UnitLevel.class, 3));
        assertThrows(IllegalStateException.class, () -> new UnitLevel.Column().convertToEntityAttribute((short) 3));
    }

    @Test
    void goalNamesReadBack() {
        assertEquals("plans/7/coverageGoals/town-sewage", GoalName.format(7, "town-sewage"));
        assertEquals(new GoalName(7, "town-sewage"), GoalName.parse("plans/7/coverageGoals/town-sewage", "goal"));
        for (String bad : new String[] {"", "plans/7", "plans/7/coverageGoals/", "plans/x/coverageGoals/a",
                "plans/7/coverageGoals/Town", "projects/7/coverageGoals/a", "plans/7/goals/a"}) {
            assertEquals("goal", assertThrows(ApiException.class, () -> GoalName.parse(bad, "goal")).violations().get(0)
                    .field(), bad);
        }
    }

    private static <E extends Enum<E> & Numbered, P extends Enum<P> & ProtocolMessageEnum> void assertSameNumbers(
            E[] values, Class<P> proto) {
        for (E value : values) {
            assertEquals(EnumMapping.toProto(value, proto).getNumber(), value.number(), value.toString());
        }
    }
}
