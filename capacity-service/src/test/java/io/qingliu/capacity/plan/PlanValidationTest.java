package io.qingliu.capacity.plan;

import static io.qingliu.capacity.plan.PlanFixtures.create;
import static io.qingliu.capacity.plan.PlanFixtures.date;
import static io.qingliu.capacity.plan.PlanFixtures.get;
import static io.qingliu.capacity.plan.PlanFixtures.plan;
import static io.qingliu.capacity.plan.PlanFixtures.townSewage;
import static io.qingliu.capacity.plan.PlanFixtures.villageGarbage;
import static io.qingliu.capacity.testing.ReadModelFixtures.ANYUE;
import static io.qingliu.capacity.testing.ReadModelFixtures.JIANYANG_RETIRED;
import static io.qingliu.capacity.testing.ReadModelFixtures.LESHAN;
import static io.qingliu.capacity.testing.ReadModelFixtures.SICHUAN;
import static io.qingliu.capacity.testing.ReadModelFixtures.YANJIANG;
import static io.qingliu.capacity.testing.ReadModelFixtures.YANJIANG_TOWN;
import static io.qingliu.capacity.testing.ReadModelFixtures.ZIYANG;
import static io.qingliu.capacity.testing.ReadModelFixtures.number;
import static io.qingliu.kit.testing.StatusAssertions.assertFieldViolations;
import static io.qingliu.kit.testing.StatusAssertions.description;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.FieldMask;
import com.google.rpc.BadRequest;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.api.capacity.v1.CapacityTarget;
import io.qingliu.api.capacity.v1.CoverageGoal;
import io.qingliu.api.capacity.v1.Plan;
import io.qingliu.api.capacity.v1.ProjectCountTarget;
import io.qingliu.api.capacity.v1.ServiceType;
import io.qingliu.api.capacity.v1.UpdatePlanRequest;
import io.qingliu.api.common.v1.DivisionKind;
import io.qingliu.api.common.v1.DivisionLevel;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.capacity.testing.PostgresResource;
import io.qingliu.capacity.testing.ReadModelFixtures;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every rule of a plan: a bad request names each bad field by its proto path, and stores nothing. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PlanValidationTest {

    /** The facility types each project kind may name in a count target (besides leaving it unspecified). */
    static final Map<ProjectKind, Set<FacilityType>> ACTS_ON = Map.of(
            ProjectKind.PROJECT_KIND_NEW_BUILD, Set.of(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT,
                    FacilityType.FACILITY_TYPE_GARBAGE_TRANSFER_STATION, FacilityType.FACILITY_TYPE_GARBAGE_DISPOSAL_SITE),
            ProjectKind.PROJECT_KIND_UPGRADE, Set.of(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT),
            ProjectKind.PROJECT_KIND_EXPANSION, Set.of(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT,
                    FacilityType.FACILITY_TYPE_GARBAGE_TRANSFER_STATION, FacilityType.FACILITY_TYPE_GARBAGE_DISPOSAL_SITE),
            ProjectKind.PROJECT_KIND_PIPE_NETWORK, Set.of(FacilityType.FACILITY_TYPE_PIPE_NETWORK),
            ProjectKind.PROJECT_KIND_GARBAGE_COLLECTION, Set.of(FacilityType.FACILITY_TYPE_GARBAGE_COLLECTION_POINT,
                    FacilityType.FACILITY_TYPE_GARBAGE_TRANSFER_STATION, FacilityType.FACILITY_TYPE_GARBAGE_DISPOSAL_SITE));

    @GrpcClient("capacity")
    CapacityServiceGrpc.CapacityServiceBlockingStub stub;

    @Inject
    DataSource db;

    @BeforeEach
    void divisions() {
        ReadModelFixtures.divisions(db);
    }

    @Test
    void code() {
        assertRejected(plan().setCode(""), "plan.code");
        assertRejected(plan().setCode("ZY 2018"), "plan.code");
        assertRejected(plan().setCode("资阳-2018"), "plan.code");
        assertRejected(plan().setCode("ZY.2018"), "plan.code");
        assertRejected(plan().setCode("A".repeat(65)), "plan.code");
        String base = ReadModelFixtures.unique().replace('-', '_');
        create(stub, plan().setCode(base + "A".repeat(64 - base.length())));
        create(stub, plan().setCode("zy_2018-" + base));
    }

    @Test
    void displayName() {
        assertRejected(plan().setDisplayName(""), "plan.display_name");
        assertRejected(plan().setDisplayName("   "), "plan.display_name");
        assertRejected(plan().setDisplayName("计".repeat(201)), "plan.display_name");
        assertRejected(plan().setDisplayName("计划\u0001"), "plan.display_name");
        assertEquals("计".repeat(200), create(stub, plan().setDisplayName("计".repeat(200))).getDisplayName());
    }

    @Test
    void period() {
        assertRejected(plan().clearStartDate().clearEndDate(), "plan.start_date", "plan.end_date");
        var v = assertRejected(plan().setStartDate(date(2019, 1, 1)).setEndDate(date(2018, 12, 31)), "plan.end_date");
        assertTrue(description(v, "plan.end_date").contains("start_date"));
        assertRejected(plan().setStartDate(date(2019, 2, 30)), "plan.start_date");
        assertRejected(plan().setEndDate(date(0, 12, 31)), "plan.end_date");
        assertRejected(plan().setEndDate(date(2020, 13, 1)), "plan.end_date");
        // A one-day plan is a plan.
        create(stub, plan().setStartDate(date(2020, 9, 27)).setEndDate(date(2020, 9, 27)));
    }

    @Test
    void planArea() {
        var v = assertRejected(plan().setAreaCode("5120"), "plan.area_code");
        assertTrue(description(v, "plan.area_code").contains("12-digit"));
        v = assertRejected(plan().setAreaCode("512099000000"), "plan.area_code");
        assertTrue(description(v, "plan.area_code").contains("not a known division"));
        v = assertRejected(plan().setAreaCode(SICHUAN), "plan.area_code");
        assertTrue(description(v, "plan.area_code").contains("province; expected a city or county"));
        assertRejected(plan().setAreaCode(YANJIANG_TOWN), "plan.area_code");
        v = assertRejected(plan().setAreaCode(JIANYANG_RETIRED).clearCoverageGoals(), "plan.area_code");
        assertTrue(description(v, "plan.area_code").contains("retired"));
        // A county, or the whole registry.
        create(stub, plan().setAreaCode(YANJIANG).setCoverageGoals(1, villageGarbage(YANJIANG)));
        create(stub, plan().setAreaCode(""));
    }

    @Test
    void projectCountTargets() {
        // Every kind with every type it acts on, or with none.
        Plan.Builder valid = plan().clearProjectCountTargets();
        List<ProjectCountTarget.Builder> invalid = new ArrayList<>();
        for (ProjectKind kind : ACTS_ON.keySet()) {
            valid.addProjectCountTargets(ProjectCountTarget.newBuilder().setProjectKind(kind).setCount(1));
            for (FacilityType type : FacilityType.values()) {
                if (type == FacilityType.UNRECOGNIZED || type == FacilityType.FACILITY_TYPE_UNSPECIFIED) {
                    continue;
                }
                var target = ProjectCountTarget.newBuilder().setProjectKind(kind).setFacilityType(type).setCount(3);
                if (ACTS_ON.get(kind).contains(type)) {
                    valid.addProjectCountTargets(target);
                } else {
                    invalid.add(target);
                }
            }
        }
        Plan created = create(stub, valid);
        assertEquals(valid.getProjectCountTargetsList(), created.getProjectCountTargetsList());

        Plan.Builder bad = plan().clearProjectCountTargets();
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < invalid.size(); i++) {
            bad.addProjectCountTargets(invalid.get(i));
            fields.add("plan.project_count_targets[" + i + "].facility_type");
        }
        assertEquals(25 - 11, invalid.size());
        var v = assertRejected(bad, fields.toArray(String[]::new));
        assertTrue(description(v, "plan.project_count_targets[0].facility_type").contains("PROJECT_KIND_"), v.toString());

        assertRejected(plan().addProjectCountTargets(ProjectCountTarget.newBuilder().setCount(5)),
                "plan.project_count_targets[1].project_kind");
        assertRejected(plan().addProjectCountTargets(ProjectCountTarget.newBuilder().setProjectKindValue(99).setCount(5)),
                "plan.project_count_targets[1].project_kind");
        assertRejected(plan().addProjectCountTargets(ProjectCountTarget.newBuilder()
                .setProjectKind(ProjectKind.PROJECT_KIND_UPGRADE).setFacilityTypeValue(99).setCount(5)),
                "plan.project_count_targets[1].facility_type");
        assertRejected(plan().addProjectCountTargets(ProjectCountTarget.newBuilder()
                .setProjectKind(ProjectKind.PROJECT_KIND_UPGRADE).setCount(0)), "plan.project_count_targets[1].count");
        assertRejected(plan().addProjectCountTargets(ProjectCountTarget.newBuilder()
                .setProjectKind(ProjectKind.PROJECT_KIND_UPGRADE).setCount(-12)), "plan.project_count_targets[1].count");
    }

    @Test
    void capacityTargets() {
        assertRejected(capacity(FacilityType.FACILITY_TYPE_UNSPECIFIED, 100), "plan.capacity_targets[1].facility_type");
        assertRejected(capacity(FacilityType.FACILITY_TYPE_PIPE_NETWORK, 100), "plan.capacity_targets[1].facility_type");
        assertRejected(plan().addCapacityTargets(CapacityTarget.newBuilder().setFacilityTypeValue(42)
                .setAddedTonnesPerDay(1)), "plan.capacity_targets[1].facility_type");
        String field = "plan.capacity_targets[1].added_tonnes_per_day";
        assertRejected(capacity(FacilityType.FACILITY_TYPE_GARBAGE_DISPOSAL_SITE, 0), field);
        assertRejected(capacity(FacilityType.FACILITY_TYPE_GARBAGE_DISPOSAL_SITE, -5), field);
        assertRejected(capacity(FacilityType.FACILITY_TYPE_GARBAGE_DISPOSAL_SITE, 10_000_000.001), field);
        assertRejected(capacity(FacilityType.FACILITY_TYPE_GARBAGE_DISPOSAL_SITE, 1.0005), field);
        assertRejected(capacity(FacilityType.FACILITY_TYPE_GARBAGE_DISPOSAL_SITE, Double.NaN), field);
        assertRejected(capacity(FacilityType.FACILITY_TYPE_GARBAGE_DISPOSAL_SITE, Double.POSITIVE_INFINITY), field);
        Plan created = create(stub, plan().addCapacityTargets(CapacityTarget.newBuilder()
                .setFacilityType(FacilityType.FACILITY_TYPE_GARBAGE_COLLECTION_POINT).setAddedTonnesPerDay(10_000_000))
                .addCapacityTargets(CapacityTarget.newBuilder()
                        .setFacilityType(FacilityType.FACILITY_TYPE_GARBAGE_TRANSFER_STATION).setAddedTonnesPerDay(0.001)));
        assertEquals(List.of(76200.0, 10_000_000.0, 0.001),
                created.getCapacityTargetsList().stream().map(CapacityTarget::getAddedTonnesPerDay).toList());
    }

    @Test
    void goalCountAndIds() {
        Plan.Builder fifty = plan().clearCoverageGoals();
        for (int i = 1; i <= 50; i++) {
            fifty.addCoverageGoals(townSewage(YANJIANG).setGoalId("g" + i));
        }
        assertEquals(50, create(stub, fifty).getCoverageGoalsCount());
        var v = assertRejected(plan().addAllCoverageGoals(fifty.getCoverageGoalsList()), "plan.coverage_goals");
        assertTrue(description(v, "plan.coverage_goals").contains("at most 50"));

        for (String id : List.of("", "Town", "1town", "town_sewage", "town sewage", "-town", "镇", "t".repeat(41))) {
            assertRejected(plan().setCoverageGoals(1, villageGarbage(ZIYANG).setGoalId(id)), "plan.coverage_goals[1].goal_id");
        }
        v = assertRejected(plan().addCoverageGoals(townSewage(ZIYANG)), "plan.coverage_goals[2].goal_id");
        assertTrue(description(v, "plan.coverage_goals[2].goal_id").contains("coverage_goals[0]"));
        create(stub, plan().setCoverageGoals(1, villageGarbage(ZIYANG).setGoalId("v" + "-9".repeat(19) + "x")));
    }

    @Test
    void goalFields() {
        String goal = "plan.coverage_goals[1].";
        assertRejected(goal(g -> g.setDisplayName(" ")), goal + "display_name");
        assertRejected(goal(g -> g.setDisplayName("覆".repeat(201))), goal + "display_name");
        assertRejected(goal(g -> g.clearUnitLevel()), goal + "unit_level");
        assertRejected(goal(g -> g.setUnitLevel(DivisionLevel.DIVISION_LEVEL_COUNTY)), goal + "unit_level");
        assertRejected(goal(g -> g.setUnitLevelValue(42)), goal + "unit_level");
        assertRejected(goal(g -> g.clearUnitKind()), goal + "unit_kind");
        assertRejected(goal(g -> g.setUnitKind(DivisionKind.DIVISION_KIND_COUNTY)), goal + "unit_kind");
        assertRejected(goal(g -> g.setUnitKindValue(42)), goal + "unit_kind");
        var v = assertRejected(goal(g -> g.setUnitKind(DivisionKind.DIVISION_KIND_TOWN)), goal + "unit_kind");
        assertTrue(description(v, goal + "unit_kind").contains("DIVISION_KIND_VILLAGERS_COMMITTEE"), v.toString());
        assertRejected(goal(g -> g.setUnitLevel(DivisionLevel.DIVISION_LEVEL_TOWNSHIP)), goal + "unit_kind");
        assertRejected(goal(g -> g.clearServiceType()), goal + "service_type");
        assertRejected(goal(g -> g.setServiceTypeValue(9)), goal + "service_type");
        assertRejected(goal(g -> g.clearDeadline()), goal + "deadline");
        assertRejected(goal(g -> g.setDeadline(date(2020, 2, 30))), goal + "deadline");
        assertRejected(goal(g -> g.setBasin("沱".repeat(51))), goal + "basin");
        create(stub, goal(g -> g.setBasin("沱".repeat(50))));

        // Every kind at its level.
        Plan.Builder kinds = plan().clearCoverageGoals();
        for (DivisionKind kind : List.of(DivisionKind.DIVISION_KIND_TOWN, DivisionKind.DIVISION_KIND_TOWNSHIP,
                DivisionKind.DIVISION_KIND_SUBDISTRICT, DivisionKind.DIVISION_KIND_TOWNSHIP_OTHER)) {
            kinds.addCoverageGoals(townSewage(ZIYANG).setGoalId("t" + kind.getNumber()).setUnitKind(kind));
        }
        for (DivisionKind kind : List.of(DivisionKind.DIVISION_KIND_VILLAGERS_COMMITTEE, DivisionKind.DIVISION_KIND_COMMUNITY,
                DivisionKind.DIVISION_KIND_VILLAGE_OTHER)) {
            kinds.addCoverageGoals(villageGarbage(ZIYANG).setGoalId("v" + kind.getNumber()).setUnitKind(kind));
        }
        assertEquals(7, create(stub, kinds).getCoverageGoalsCount());
    }

    @Test
    void goalArea() {
        String field = "plan.coverage_goals[1].area_code";
        assertRejected(goal(g -> g.setAreaCode("51200200000x")), field);
        assertRejected(goal(g -> g.setAreaCode("512099000000")), field);
        var v = assertRejected(goal(g -> g.setAreaCode(YANJIANG_TOWN)), field);
        assertTrue(description(v, field).contains("expected a province, city or county"));
        v = assertRejected(goal(g -> g.setAreaCode(JIANYANG_RETIRED)), field);
        assertTrue(description(v, field).contains("retired"));
        // Inside the plan's area.
        v = assertRejected(goal(g -> g.setAreaCode(LESHAN)), field);
        assertTrue(description(v, field).contains("not inside the plan's area " + ZIYANG));
        assertRejected(goal(g -> g.setAreaCode(SICHUAN)), field);
        assertRejected(goal(g -> g.setAreaCode("")), field);
        assertRejected(plan().setAreaCode(YANJIANG).setCoverageGoals(1, villageGarbage(ANYUE)), field);
        assertRejected(plan().setAreaCode(YANJIANG).setCoverageGoals(1, villageGarbage(ZIYANG)), field);
        // The plan's area itself, or one inside; any area in a plan for the whole registry.
        create(stub, plan().setAreaCode(YANJIANG).setCoverageGoals(1, villageGarbage(YANJIANG)));
        create(stub, plan().setAreaCode("").setCoverageGoals(1, villageGarbage(LESHAN)));
    }

    @Test
    void everyBadFieldIsNamedAtOnce() {
        Plan.Builder bad = Plan.newBuilder().setCode("坏 code").setAreaCode("x").setStartDate(date(2020, 1, 1))
                .setEndDate(date(2019, 1, 1))
                .addProjectCountTargets(ProjectCountTarget.newBuilder())
                .addCapacityTargets(CapacityTarget.newBuilder())
                .addCoverageGoals(CoverageGoal.newBuilder())
                .addCoverageGoals(townSewage("5").setUnitKind(DivisionKind.DIVISION_KIND_COMMUNITY).setBasin("b".repeat(60)));
        List<BadRequest.FieldViolation> violations = assertRejected(bad, "plan.code", "plan.display_name",
                "plan.area_code", "plan.end_date",
                "plan.project_count_targets[0].project_kind", "plan.project_count_targets[0].count",
                "plan.capacity_targets[0].facility_type", "plan.capacity_targets[0].added_tonnes_per_day",
                "plan.coverage_goals[0].goal_id", "plan.coverage_goals[0].display_name",
                "plan.coverage_goals[0].unit_level", "plan.coverage_goals[0].unit_kind",
                "plan.coverage_goals[0].service_type", "plan.coverage_goals[0].deadline",
                "plan.coverage_goals[1].unit_kind", "plan.coverage_goals[1].area_code", "plan.coverage_goals[1].basin");
        assertEquals(17, violations.size());
    }

    @Test
    void aBadUpdateChangesNothing() {
        Plan created = create(stub, plan());
        // Moving the plan to another city leaves its goals outside it.
        var v = assertFieldViolations(() -> update(created.toBuilder().setAreaCode(LESHAN), "area_code"),
                "plan.coverage_goals[0].area_code", "plan.coverage_goals[1].area_code");
        assertTrue(description(v, "plan.coverage_goals[0].area_code").contains(LESHAN));
        assertFieldViolations(() -> update(created.toBuilder().setEndDate(date(2017, 1, 1)), "end_date"), "plan.end_date");
        assertFieldViolations(() -> update(created.toBuilder().clearDisplayName(), "*"), "plan.display_name");
        assertFieldViolations(() -> update(created.toBuilder().addCoverageGoals(townSewage(ZIYANG)), "coverage_goals"),
                "plan.coverage_goals[2].goal_id");
        assertEquals(created, get(stub, created.getName()));
    }

    @Test
    void aRetiredAreaThePlanNamesAlreadyDoesNotBlockItsUpdates() {
        String lezhi = "512022000000";
        ReadModelFixtures.division(db, lezhi, "乐至县", 3, 3, ZIYANG, lezhi, "", "", false);
        Plan created = create(stub, plan().setCoverageGoals(1, villageGarbage(lezhi)));
        ReadModelFixtures.update(db, "UPDATE division SET retired = true WHERE code = ?", lezhi);
        Plan renamed = update(created.toBuilder().setDisplayName("合并后"), "display_name");
        assertEquals(lezhi, renamed.getCoverageGoals(1).getAreaCode());
        // New references to it are refused.
        assertFieldViolations(() -> create(stub, plan().setCoverageGoals(1, villageGarbage(lezhi))),
                "plan.coverage_goals[1].area_code");
        assertFieldViolations(() -> update(renamed.toBuilder().setCoverageGoals(0, townSewage(lezhi)), "coverage_goals"),
                "plan.coverage_goals[0].area_code");
    }

    /** Asserts that creating the plan fails naming exactly {@code fields}, and that nothing was stored. */
    private List<BadRequest.FieldViolation> assertRejected(Plan.Builder plan, String... fields) {
        long goals = number(db, "SELECT count(*) FROM coverage_goal");
        List<BadRequest.FieldViolation> violations = assertFieldViolations(() -> create(stub, plan), fields);
        assertEquals(0, number(db, "SELECT count(*) FROM plan WHERE code = ?", plan.getCode()));
        assertEquals(goals, number(db, "SELECT count(*) FROM coverage_goal"));
        return violations;
    }

    /** The valid plan with its second goal (villages) changed. */
    private static Plan.Builder goal(java.util.function.UnaryOperator<CoverageGoal.Builder> change) {
        return plan().setCoverageGoals(1, change.apply(villageGarbage(ZIYANG)));
    }

    private static Plan.Builder capacity(FacilityType type, double tonnes) {
        return plan().addCapacityTargets(CapacityTarget.newBuilder().setFacilityType(type).setAddedTonnesPerDay(tonnes));
    }

    private Plan update(Plan.Builder plan, String... paths) {
        return stub.updatePlan(UpdatePlanRequest.newBuilder().setPlan(plan)
                .setUpdateMask(FieldMask.newBuilder().addAllPaths(List.of(paths))).build());
    }
}
