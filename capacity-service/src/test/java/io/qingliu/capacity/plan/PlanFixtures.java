package io.qingliu.capacity.plan;

import static io.qingliu.capacity.testing.ReadModelFixtures.YANJIANG;
import static io.qingliu.capacity.testing.ReadModelFixtures.ZIYANG;

import com.google.type.Date;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.api.capacity.v1.CapacityTarget;
import io.qingliu.api.capacity.v1.CoverageGoal;
import io.qingliu.api.capacity.v1.CreatePlanRequest;
import io.qingliu.api.capacity.v1.GetPlanRequest;
import io.qingliu.api.capacity.v1.Plan;
import io.qingliu.api.capacity.v1.ProjectCountTarget;
import io.qingliu.api.capacity.v1.ServiceType;
import io.qingliu.api.common.v1.DivisionKind;
import io.qingliu.api.common.v1.DivisionLevel;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.capacity.testing.ReadModelFixtures;

/** Valid plans and goals to start from, and shorthand calls. */
final class PlanFixtures {

    private PlanFixtures() {
    }

    static Date date(int year, int month, int day) {
        return Date.newBuilder().setYear(year).setMonth(month).setDay(day).build();
    }

    /** A valid plan for Ziyang City, with one target of each sort and two goals, under a unique code. */
    static Plan.Builder plan() {
        return Plan.newBuilder()
                .setCode("T-" + ReadModelFixtures.unique())
                .setDisplayName("测试计划")
                .setAreaCode(ZIYANG)
                .setStartDate(date(2018, 1, 1))
                .setEndDate(date(2020, 12, 31))
                .addProjectCountTargets(ProjectCountTarget.newBuilder().setProjectKind(ProjectKind.PROJECT_KIND_UPGRADE)
                        .setFacilityType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT).setCount(12))
                .addCapacityTargets(CapacityTarget.newBuilder()
                        .setFacilityType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT).setAddedTonnesPerDay(76200))
                .addCoverageGoals(townSewage(YANJIANG))
                .addCoverageGoals(villageGarbage(ZIYANG));
    }

    /** Every town of an area with a sewage plant. */
    static CoverageGoal.Builder townSewage(String area) {
        return CoverageGoal.newBuilder().setGoalId("town-sewage").setDisplayName("建制镇生活污水处理厂全覆盖")
                .setUnitLevel(DivisionLevel.DIVISION_LEVEL_TOWNSHIP).setUnitKind(DivisionKind.DIVISION_KIND_TOWN)
                .setAreaCode(area).setServiceType(ServiceType.SERVICE_TYPE_SEWAGE_TREATMENT)
                .setDeadline(date(2020, 9, 27));
    }

    /** Every administrative village of an area in the 沱江 basin with its garbage collected and treated. */
    static CoverageGoal.Builder villageGarbage(String area) {
        return CoverageGoal.newBuilder().setGoalId("village-garbage").setDisplayName("沱江流域行政村生活垃圾集中收集处理全覆盖")
                .setUnitLevel(DivisionLevel.DIVISION_LEVEL_VILLAGE)
                .setUnitKind(DivisionKind.DIVISION_KIND_VILLAGERS_COMMITTEE).setAreaCode(area).setBasin("沱江")
                .setServiceType(ServiceType.SERVICE_TYPE_GARBAGE_COLLECTION_AND_TREATMENT)
                .setDeadline(date(2020, 9, 27));
    }

    static Plan create(CapacityServiceGrpc.CapacityServiceBlockingStub stub, Plan.Builder plan) {
        return stub.createPlan(CreatePlanRequest.newBuilder().setPlan(plan).build());
    }

    static Plan get(CapacityServiceGrpc.CapacityServiceBlockingStub stub, String name) {
        return stub.getPlan(GetPlanRequest.newBuilder().setName(name).build());
    }
}
