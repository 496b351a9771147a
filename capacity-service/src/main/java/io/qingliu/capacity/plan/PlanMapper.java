package io.qingliu.capacity.plan;

import io.qingliu.api.common.v1.DivisionKind;
import io.qingliu.api.common.v1.DivisionLevel;
import io.qingliu.kit.support.EnumMapping;
import io.qingliu.kit.support.Etags;
import io.qingliu.kit.support.Timestamps;
import java.util.Comparator;

/** Plan entity → API message. */
public final class PlanMapper {

    private PlanMapper() {
    }

    public static io.qingliu.api.capacity.v1.Plan toProto(Plan p) {
        var b = io.qingliu.api.capacity.v1.Plan.newBuilder()
                .setName(p.resourceName())
                .setCode(p.code)
                .setDisplayName(p.displayName)
                .setAreaCode(p.areaCode)
                .setStartDate(Timestamps.date(p.startDate))
                .setEndDate(Timestamps.date(p.endDate))
                .setCreateTime(Timestamps.of(p.createdAt))
                .setUpdateTime(Timestamps.of(p.updatedAt))
                .setEtag(Etags.of(p.version))
                .setCreator(p.createdBy)
                .setCreatorRole(p.createdByRole == null ? "" : p.createdByRole)
                .setLastEditor(p.updatedBy)
                .setLastEditorRole(p.updatedByRole == null ? "" : p.updatedByRole);
        // Stored numbers are the proto numbers.
        for (Plan.ProjectCountTarget t : p.projectCountTargets) {
            b.addProjectCountTargets(io.qingliu.api.capacity.v1.ProjectCountTarget.newBuilder()
                    .setProjectKindValue(t.projectKind())
                    .setFacilityTypeValue(t.facilityType())
                    .setCount(t.count()));
        }
        for (Plan.CapacityTarget t : p.capacityTargets) {
            b.addCapacityTargets(io.qingliu.api.capacity.v1.CapacityTarget.newBuilder()
                    .setFacilityTypeValue(t.facilityType())
                    .setAddedTonnesPerDay(t.addedTonnesPerDay().doubleValue()));
        }
        p.goals.stream().sorted(Comparator.comparingInt(g -> g.ordinal)).forEach(g -> b.addCoverageGoals(toProto(g)));
        return b.build();
    }

    public static io.qingliu.api.capacity.v1.CoverageGoal toProto(CoverageGoal g) {
        return io.qingliu.api.capacity.v1.CoverageGoal.newBuilder()
                .setName(g.resourceName())
                .setGoalId(g.goalId)
                .setDisplayName(g.displayName)
                .setUnitLevel(EnumMapping.toProto(g.unitLevel, DivisionLevel.class))
                .setUnitKind(EnumMapping.toProto(g.unitKind, DivisionKind.class))
                .setAreaCode(g.areaCode)
                .setBasin(g.basin)
                .setServiceType(EnumMapping.toProto(g.serviceType, io.qingliu.api.capacity.v1.ServiceType.class))
                .setDeadline(Timestamps.date(g.deadline))
                .build();
    }
}
