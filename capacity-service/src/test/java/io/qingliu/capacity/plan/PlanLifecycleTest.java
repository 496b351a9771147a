package io.qingliu.capacity.plan;

import static io.qingliu.capacity.plan.PlanFixtures.create;
import static io.qingliu.capacity.plan.PlanFixtures.date;
import static io.qingliu.capacity.plan.PlanFixtures.get;
import static io.qingliu.capacity.plan.PlanFixtures.plan;
import static io.qingliu.capacity.plan.PlanFixtures.townSewage;
import static io.qingliu.capacity.plan.PlanFixtures.villageGarbage;
import static io.qingliu.capacity.testing.ReadModelFixtures.ANYUE;
import static io.qingliu.capacity.testing.ReadModelFixtures.SICHUAN;
import static io.qingliu.capacity.testing.ReadModelFixtures.SONGTAO_TOWN;
import static io.qingliu.capacity.testing.ReadModelFixtures.XIAOYAN_VILLAGE;
import static io.qingliu.capacity.testing.ReadModelFixtures.YANJIANG;
import static io.qingliu.capacity.testing.ReadModelFixtures.YANJIANG_TOWN;
import static io.qingliu.capacity.testing.ReadModelFixtures.ZIYANG;
import static io.qingliu.capacity.testing.ReadModelFixtures.number;
import static io.qingliu.capacity.testing.ReadModelFixtures.rows;
import static io.qingliu.kit.testing.StatusAssertions.assertFieldViolations;
import static io.qingliu.kit.testing.StatusAssertions.assertReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.FieldMask;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.api.capacity.v1.CreatePlanRequest;
import io.qingliu.api.capacity.v1.DeletePlanRequest;
import io.qingliu.api.capacity.v1.ListPlansRequest;
import io.qingliu.api.capacity.v1.ListPlansResponse;
import io.qingliu.api.capacity.v1.Plan;
import io.qingliu.api.capacity.v1.ProjectCountTarget;
import io.qingliu.api.capacity.v1.SummarizeCoverageRequest;
import io.qingliu.api.capacity.v1.SummarizeCoverageResponse;
import io.qingliu.api.capacity.v1.UpdatePlanRequest;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.capacity.testing.PostgresResource;
import io.qingliu.capacity.testing.ReadModelFixtures;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plans through their life: create, read, list, update, delete, with etags and request ids. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PlanLifecycleTest {

    @GrpcClient("capacity")
    CapacityServiceGrpc.CapacityServiceBlockingStub stub;

    @Inject
    DataSource db;

    @BeforeEach
    void divisions() {
        ReadModelFixtures.divisions(db);
    }

    @Test
    void createdPlanReadsBackWithNamesEtagAndTimes() {
        Plan.Builder request = plan();
        Plan created = create(stub, request);
        assertTrue(created.getName().matches("plans/[1-9][0-9]*"), created.getName());
        assertEquals(request.getCode(), created.getCode());
        assertFalse(created.getEtag().isEmpty());
        assertTrue(created.hasCreateTime());
        assertEquals(created.getCreateTime(), created.getUpdateTime());
        // What was asked for comes back as sent, with the output fields filled in.
        Plan expected = request.clone().setName(created.getName()).setCreateTime(created.getCreateTime())
                .setUpdateTime(created.getUpdateTime()).setEtag(created.getEtag())
                .setCreator("test-admin").setCreatorRole("admin").setLastEditor("test-admin").setLastEditorRole("admin")
                .setCoverageGoals(0, request.getCoverageGoals(0).toBuilder().setName(created.getName() + "/coverageGoals/town-sewage"))
                .setCoverageGoals(1, request.getCoverageGoals(1).toBuilder().setName(created.getName() + "/coverageGoals/village-garbage"))
                .build();
        assertEquals(expected, created);
        assertEquals(created, get(stub, created.getName()));
    }

    @Test
    void goalsRowsCarryTheirAreasPrefixAndTheirUnitsAreCounted() {
        // A plan for the whole registry may have goals of every area size.
        Plan created = create(stub, plan().setAreaCode("").clearCoverageGoals()
                .addCoverageGoals(townSewage("").setGoalId("everywhere"))
                .addCoverageGoals(townSewage(SICHUAN).setGoalId("province"))
                .addCoverageGoals(townSewage(ZIYANG).setGoalId("city"))
                .addCoverageGoals(townSewage(YANJIANG).setGoalId("county"))
                .addCoverageGoals(villageGarbage(ZIYANG).setGoalId("villages")));
        long planId = planId(created);
        Map<String, Object> prefixes = rows(db, "SELECT goal_id, area_prefix FROM coverage_goal WHERE plan_id = ?", planId)
                .stream().collect(Collectors.toMap(r -> (String) r.get(0), r -> r.get(1)));
        assertEquals(Map.of("everywhere", "", "province", "51", "city", "5120", "county", "512002", "villages", "5120"),
                prefixes);
        assertEquals(List.of("everywhere", "province", "city", "county", "villages"),
                rows(db, "SELECT goal_id FROM coverage_goal WHERE plan_id = ? ORDER BY ordinal", planId).stream()
                        .map(r -> r.get(0)).toList());

        // Defining a goal counts its units: the towns of Yanjiang District, one per township (not its subdistrict).
        assertEquals(List.of(List.of(YANJIANG_TOWN, YANJIANG, 1), List.of(SONGTAO_TOWN, YANJIANG, 1)),
                totals(goalRowId(planId, "county")));
        // Per county: the same units, counted once per county.
        assertEquals(List.of(List.of(YANJIANG, 2)), rows(db,
                "SELECT county_code, total FROM goal_county_total WHERE goal_id = ? ORDER BY county_code",
                goalRowId(planId, "county")));
        // The city's towns include Anyue's.
        assertEquals(3, totals(goalRowId(planId, "city")).size());
        assertTrue(totals(goalRowId(planId, "city")).stream().anyMatch(t -> t.get(1).equals(ANYUE)));
        // The villagers' committee of 雁江镇 in the 沱江 basin.
        assertEquals(List.of(List.of(YANJIANG_TOWN, YANJIANG, 1)), totals(goalRowId(planId, "villages")));
        assertEquals(1, number(db, "SELECT count(*) FROM goal_unit WHERE goal_id = ? AND code = ?",
                goalRowId(planId, "villages"), XIAOYAN_VILLAGE));
    }

    @Test
    void listingPagesThroughPlansInCodeOrder() {
        String prefix = "LIST-" + ReadModelFixtures.unique().toUpperCase() + "-";
        List<String> mine = List.of(prefix + "1", prefix + "2", prefix + "3", prefix + "4", prefix + "5");
        for (String code : List.of(mine.get(3), mine.get(0), mine.get(4), mine.get(2), mine.get(1))) {
            create(stub, plan().setCode(code));
        }
        List<String> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListPlansResponse page = stub.listPlans(ListPlansRequest.newBuilder().setPageSize(2).setPageToken(token).build());
            assertTrue(page.getPlansCount() <= 2);
            page.getPlansList().forEach(p -> seen.add(p.getCode()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty() && pages < 1000);
        assertEquals(new HashSet<>(seen).size(), seen.size(), "no plan twice: " + seen);
        assertEquals(mine, seen.stream().filter(c -> c.startsWith(prefix)).toList());
        // Goals come with the plans of a page.
        ListPlansResponse all = stub.listPlans(ListPlansRequest.getDefaultInstance());
        assertEquals(Math.min(100, seen.size()), all.getPlansCount(), "page_size 0 means 100");
        assertEquals(seen.size() <= 100, all.getNextPageToken().isEmpty());
        assertTrue(all.getPlansList().stream().filter(p -> p.getCode().startsWith(prefix))
                .allMatch(p -> p.getCoverageGoalsCount() == 2));

        assertFieldViolations(() -> stub.listPlans(ListPlansRequest.newBuilder().setPageSize(1001).build()), "page_size");
        assertFieldViolations(() -> stub.listPlans(ListPlansRequest.newBuilder().setPageSize(-1).build()), "page_size");
        assertFieldViolations(() -> stub.listPlans(ListPlansRequest.newBuilder().setPageToken("bogus").build()),
                "page_token");
        assertEquals(Math.min(1000, seen.size()),
                stub.listPlans(ListPlansRequest.newBuilder().setPageSize(1000).build()).getPlansCount());
    }

    @Test
    void updateChangesTheMaskedFieldsOnly() {
        Plan created = create(stub, plan());
        Plan changed = update(created.toBuilder().setDisplayName("改名后的计划").setAreaCode(YANJIANG)
                .clearProjectCountTargets().setEtag(created.getEtag()), "display_name");
        assertEquals("改名后的计划", changed.getDisplayName());
        assertEquals(ZIYANG, changed.getAreaCode(), "area_code was not in the mask");
        assertEquals(created.getProjectCountTargetsList(), changed.getProjectCountTargetsList());
        assertNotEquals(created.getEtag(), changed.getEtag());
        assertEquals(created.getCreateTime(), changed.getCreateTime());
        assertTrue(com.google.protobuf.util.Timestamps.compare(changed.getUpdateTime(), created.getUpdateTime()) > 0);
        assertEquals(changed, get(stub, created.getName()));

        // Repeated fields are replaced whole; an unset field in the mask is cleared.
        Plan targets = update(changed.toBuilder().clearProjectCountTargets()
                .addProjectCountTargets(ProjectCountTarget.newBuilder().setProjectKind(ProjectKind.PROJECT_KIND_NEW_BUILD)
                        .setCount(54))
                .clearCapacityTargets(), "project_count_targets", "capacity_targets");
        assertEquals(1, targets.getProjectCountTargetsCount());
        assertEquals(FacilityType.FACILITY_TYPE_UNSPECIFIED, targets.getProjectCountTargets(0).getFacilityType());
        assertEquals(0, targets.getCapacityTargetsCount());

        // '*' sets every updatable field from the request.
        Plan whole = plan().setCode(created.getCode()).setName(created.getName()).setDisplayName("整体替换")
                .setAreaCode(YANJIANG).clearCoverageGoals().addCoverageGoals(townSewage(YANJIANG)).build();
        Plan replaced = update(whole.toBuilder(), "*");
        assertEquals("整体替换", replaced.getDisplayName());
        assertEquals(YANJIANG, replaced.getAreaCode());
        assertEquals(whole.getProjectCountTargetsList(), replaced.getProjectCountTargetsList());
        assertEquals(List.of("town-sewage"), replaced.getCoverageGoalsList().stream().map(g -> g.getGoalId()).toList());

        // The code cannot change, through the mask or beside it; the mask must name updatable fields.
        assertFieldViolations(() -> update(replaced.toBuilder().setCode("OTHER-CODE"), "display_name"), "plan.code");
        assertFieldViolations(() -> update(replaced.toBuilder(), "code"), "update_mask");
        assertFieldViolations(() -> update(replaced.toBuilder(), "display_name", "colour"), "update_mask");
        assertFieldViolations(() -> update(replaced.toBuilder()), "update_mask");
        assertFieldViolations(() -> update(replaced.toBuilder().setName("projects/1"), "display_name"), "plan.name");
        assertEquals(replaced, get(stub, created.getName()), "refused updates change nothing");
    }

    @Test
    void goalsThatStayKeepTheirRowsAndTheirCoverage() {
        Plan created = create(stub, plan().addCoverageGoals(townSewage(ANYUE).setGoalId("anyue-towns")));
        long planId = planId(created);
        long kept = goalRowId(planId, "town-sewage");
        long redefined = goalRowId(planId, "village-garbage");
        long removed = goalRowId(planId, "anyue-towns");
        // Marks in the derived rows: recomputing a goal's coverage would wipe its mark.
        for (long goal : List.of(kept, redefined)) {
            ReadModelFixtures.update(db, "INSERT INTO coverage_delta (goal_id, township_code, day, county_code, delta) VALUES (?, 'mark', ?, '', 7)",
                    goal, java.time.LocalDate.of(2019, 1, 1));
        }
        assertTrue(number(db, "SELECT count(*) FROM goal_unit WHERE goal_id = ?", removed) > 0);

        Plan changed = update(created.toBuilder().clearCoverageGoals()
                .addCoverageGoals(townSewage(ZIYANG).setGoalId("new-goal"))
                .addCoverageGoals(villageGarbage(ZIYANG).setBasin(""))
                .addCoverageGoals(townSewage(YANJIANG).setDisplayName("改名").setDeadline(date(2021, 6, 30))),
                "coverage_goals");
        assertEquals(List.of("new-goal", "village-garbage", "town-sewage"),
                changed.getCoverageGoalsList().stream().map(g -> g.getGoalId()).toList());
        assertEquals("改名", changed.getCoverageGoals(2).getDisplayName());
        assertEquals(date(2021, 6, 30), changed.getCoverageGoals(2).getDeadline());

        // A name or deadline change is an update of the row: its coverage stays.
        assertEquals(kept, goalRowId(planId, "town-sewage"));
        assertEquals(2, number(db, "SELECT ordinal FROM coverage_goal WHERE id = ?", kept));
        assertEquals(1, number(db, "SELECT count(*) FROM coverage_delta WHERE goal_id = ? AND township_code = 'mark'", kept));
        // A changed basin redefines the goal: its coverage is computed afresh.
        assertEquals(0, number(db, "SELECT count(*) FROM coverage_delta WHERE goal_id = ? AND township_code = 'mark'",
                goalRowId(planId, "village-garbage")));
        assertEquals(redefined, goalRowId(planId, "village-garbage"));
        // A removed goal goes with its derived rows; a new one is computed.
        assertEquals(0, number(db, "SELECT count(*) FROM coverage_goal WHERE id = ?", removed));
        assertEquals(0, number(db, "SELECT count(*) FROM goal_unit WHERE goal_id = ?", removed));
        assertEquals(3, totals(goalRowId(planId, "new-goal")).size());
    }

    @Test
    void staleEtagsAreRefusedAndChangeNothing() {
        Plan created = create(stub, plan());
        Plan changed = update(created.toBuilder().setDisplayName("第二版").setEtag(created.getEtag()), "display_name");
        ErrorInfo info = assertReason(Status.Code.ABORTED, "ETAG_MISMATCH",
                () -> update(created.toBuilder().setDisplayName("第三版").setEtag(created.getEtag()), "display_name"));
        assertEquals(changed.getEtag(), info.getMetadataOrThrow("current_etag"));
        assertReason(Status.Code.ABORTED, "ETAG_MISMATCH", () -> stub.deletePlan(DeletePlanRequest.newBuilder()
                .setName(created.getName()).setEtag(created.getEtag()).build()));
        assertEquals(changed, get(stub, created.getName()));
    }

    @Test
    void answersFollowAGoalRedefinedOrDeletedAtOnce() {
        // Over Yanjiang District, the goal counts its two towns, and Anyue lies outside it.
        Plan created = create(stub, plan().clearCoverageGoals().addCoverageGoals(townSewage(YANJIANG)));
        String goal = created.getCoverageGoals(0).getName();
        SummarizeCoverageRequest wholeGoal = SummarizeCoverageRequest.newBuilder().setGoal(goal).build();
        SummarizeCoverageRequest anyue = wholeGoal.toBuilder().setAreaCode(ANYUE).build();
        assertEquals(2, stub.summarizeCoverage(wholeGoal).getTotals().getTotal());
        assertFieldViolations(() -> stub.summarizeCoverage(anyue), "area_code");

        // Redefined over the whole city, the same goal answers for Anyue at once: the definition the
        // answers keep in memory is dropped when the update commits.
        Plan widened = update(created.toBuilder().setCoverageGoals(0, townSewage(ZIYANG)), "coverage_goals");
        assertEquals(goal, widened.getCoverageGoals(0).getName());
        assertEquals(3, stub.summarizeCoverage(wholeGoal).getTotals().getTotal());
        SummarizeCoverageResponse inAnyue = stub.summarizeCoverage(anyue);
        assertEquals(ANYUE, inAnyue.getTotals().getCode());
        assertEquals(1, inAnyue.getTotals().getTotal());

        stub.deletePlan(DeletePlanRequest.newBuilder().setName(created.getName()).build());
        assertReason(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND", () -> stub.summarizeCoverage(wholeGoal));
    }

    @Test
    void deleteRemovesThePlanItsGoalsAndTheirCoverage() {
        Plan created = create(stub, plan());
        long planId = planId(created);
        List<Long> goals = rows(db, "SELECT id FROM coverage_goal WHERE plan_id = ?", planId).stream()
                .map(r -> ((Number) r.get(0)).longValue()).toList();
        assertEquals(2, goals.size());
        stub.deletePlan(DeletePlanRequest.newBuilder().setName(created.getName()).setEtag(created.getEtag()).build());
        assertReason(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND", () -> get(stub, created.getName()));
        assertEquals(0, number(db, "SELECT count(*) FROM coverage_goal WHERE plan_id = ?", planId));
        for (long goal : goals) {
            assertEquals(0, number(db, "SELECT count(*) FROM goal_unit WHERE goal_id = ?", goal));
            for (String table : List.of("goal_township_total", "goal_county_total", "coverage_delta", "coverage_county")) {
                assertEquals(0, number(db, "SELECT count(*) FROM " + table + " WHERE goal_id = ?", goal), table);
            }
        }
        assertReason(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND",
                () -> stub.deletePlan(DeletePlanRequest.newBuilder().setName(created.getName()).build()));
        // Without an etag, a delete does not check it.
        Plan other = create(stub, plan());
        stub.deletePlan(DeletePlanRequest.newBuilder().setName(other.getName()).build());
        // The code is free again.
        create(stub, plan().setCode(created.getCode()));
    }

    @Test
    void unknownAndMalformedNames() {
        assertReason(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND", () -> get(stub, "plans/987654321"));
        assertReason(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND",
                () -> update(plan().setName("plans/987654321"), "display_name"));
        assertReason(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND",
                () -> stub.deletePlan(DeletePlanRequest.newBuilder().setName("plans/987654321").build()));
        assertFieldViolations(() -> get(stub, "plans/ZY-2018-2020"), "name");
        assertFieldViolations(() -> get(stub, ""), "name");
        assertFieldViolations(() -> stub.deletePlan(DeletePlanRequest.newBuilder().setName("plan/1").build()), "name");
    }

    @Test
    void duplicateCodeIsAlreadyExists() {
        Plan first = create(stub, plan());
        ErrorInfo info = assertReason(Status.Code.ALREADY_EXISTS, "PLAN_CODE_EXISTS",
                () -> create(stub, plan().setCode(first.getCode()).setDisplayName("另一个")));
        assertEquals(first.getName(), info.getMetadataOrThrow("resource"));
        assertEquals(first.getCode(), info.getMetadataOrThrow("code"));
        assertEquals(1, number(db, "SELECT count(*) FROM plan WHERE code = ?", first.getCode()));
    }

    @Test
    void requestIdsMakeCreateAndUpdateIdempotent() {
        String id = UUID.randomUUID().toString();
        CreatePlanRequest request = CreatePlanRequest.newBuilder().setPlan(plan()).setRequestId(id).build();
        Plan first = stub.createPlan(request);
        Plan again = stub.createPlan(request);
        assertEquals(first, again);
        assertEquals(1, number(db, "SELECT count(*) FROM plan WHERE code = ?", first.getCode()));
        // The same id for another request is refused.
        assertFieldViolations(() -> stub.createPlan(request.toBuilder().setPlan(plan()).build()), "request_id");
        assertFieldViolations(() -> stub.createPlan(request.toBuilder().setRequestId("not-a-uuid").build()), "request_id");

        String updateId = UUID.randomUUID().toString();
        UpdatePlanRequest rename = UpdatePlanRequest.newBuilder().setRequestId(updateId)
                .setPlan(first.toBuilder().setDisplayName("一次")).setUpdateMask(mask("display_name")).build();
        Plan renamed = stub.updatePlan(rename);
        Plan later = update(renamed.toBuilder().setDisplayName("两次"), "display_name");
        // A retry answers what the first call answered, even though its etag is stale by now.
        assertEquals(renamed, stub.updatePlan(rename));
        assertEquals(later, get(stub, first.getName()));
        assertFieldViolations(() -> stub.updatePlan(rename.toBuilder().setPlan(first.toBuilder().setDisplayName("三次"))
                .build()), "request_id");
        // An id used for a create is not one for an update.
        assertFieldViolations(() -> stub.updatePlan(rename.toBuilder().setRequestId(id).build()), "request_id");
    }

    @Test
    void concurrentCreatesOfOneCodeMakeOnePlan() throws Exception {
        Plan.Builder plan = plan();
        String requestId = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            // Four different requests for one code, and four retries of one request.
            List<Future<Object>> distinct = new ArrayList<>();
            List<Future<Object>> retries = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String name = "并发" + i;
                distinct.add(pool.submit(() -> outcome(() -> create(stub, plan.clone().setDisplayName(name)))));
                retries.add(pool.submit(() -> outcome(() -> stub.createPlan(CreatePlanRequest.newBuilder()
                        .setPlan(plan.clone().setCode(plan.getCode() + "-R")).setRequestId(requestId).build()))));
            }
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> f : distinct) {
                outcomes.add(f.get(60, TimeUnit.SECONDS));
            }
            assertEquals(1, outcomes.stream().filter(o -> o instanceof Plan).count(), outcomes.toString());
            assertEquals(3, outcomes.stream().filter(o -> o == Status.Code.ALREADY_EXISTS).count(), outcomes.toString());
            Set<Object> answers = new HashSet<>();
            for (Future<Object> f : retries) {
                answers.add(f.get(60, TimeUnit.SECONDS));
            }
            assertEquals(1, answers.size(), answers.toString());
            assertTrue(answers.iterator().next() instanceof Plan);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, number(db, "SELECT count(*) FROM plan WHERE code = ?", plan.getCode()));
        assertEquals(1, number(db, "SELECT count(*) FROM plan WHERE code = ?", plan.getCode() + "-R"));
    }

    /** The plan a call answers, or the code it fails with. */
    private static Object outcome(java.util.function.Supplier<Plan> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private Plan update(Plan.Builder plan, String... paths) {
        return stub.updatePlan(UpdatePlanRequest.newBuilder().setPlan(plan).setUpdateMask(mask(paths)).build());
    }

    private static FieldMask mask(String... paths) {
        return FieldMask.newBuilder().addAllPaths(List.of(paths)).build();
    }

    private long goalRowId(long planId, String goalId) {
        return number(db, "SELECT id FROM coverage_goal WHERE plan_id = ? AND goal_id = ?", planId, goalId);
    }

    /** A goal's township totals: township, county, total; by township. */
    private List<List<Object>> totals(long goalRowId) {
        return rows(db, "SELECT township_code, county_code, total FROM goal_township_total WHERE goal_id = ? ORDER BY township_code",
                goalRowId);
    }

    private static long planId(Plan plan) {
        return Long.parseLong(plan.getName().substring("plans/".length()));
    }
}
