package io.qingliu.capacity.plan;

import static io.qingliu.capacity.plan.PlanFixtures.date;
import static io.qingliu.capacity.plan.PlanFixtures.plan;
import static io.qingliu.capacity.plan.PlanFixtures.townSewage;
import static io.qingliu.capacity.testing.ReadModelFixtures.SICHUAN;
import static io.qingliu.capacity.testing.ReadModelFixtures.ZIYANG;
import static io.qingliu.capacity.testing.ReadModelFixtures.number;
import static io.qingliu.capacity.testing.ReadModelFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.api.capacity.v1.CapacityTarget;
import io.qingliu.api.capacity.v1.CoverageGoal;
import io.qingliu.api.capacity.v1.ListPlansRequest;
import io.qingliu.api.capacity.v1.Plan;
import io.qingliu.api.capacity.v1.ProjectCountTarget;
import io.qingliu.api.capacity.v1.ServiceType;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plans loaded at first start: the shipped Ziyang plan, and waiting for the divisions it names. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class InitialPlanLoadTest {

    @GrpcClient("capacity")
    CapacityServiceGrpc.CapacityServiceBlockingStub stub;

    @Inject
    DataSource db;

    @Inject
    InitialPlanLoad loader;

    @BeforeEach
    void divisions() {
        ReadModelFixtures.divisions(db);
    }

    @Test
    void theShippedZiyangPlanIsTheThreeYearPlanOf2018() {
        List<Plan> plans = InitialPlanLoad.read("classpath:plans/ziyang-2018-2020.json");
        assertEquals(1, plans.size());
        Plan ziyang = plans.get(0);
        assertEquals("ZY-2018-2020", ziyang.getCode());
        assertEquals("资阳市污水、垃圾处理三年行动计划（2018—2020年）", ziyang.getDisplayName());
        assertEquals(ZIYANG, ziyang.getAreaCode());
        assertEquals(date(2018, 1, 1), ziyang.getStartDate());
        assertEquals(date(2020, 12, 31), ziyang.getEndDate());
        // 提标改造城乡生活污水处理厂12座、新建乡镇污水处理厂54座，新增处理能力7.62万吨/日
        assertEquals(List.of(
                ProjectCountTarget.newBuilder().setProjectKind(ProjectKind.PROJECT_KIND_UPGRADE)
                        .setFacilityType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT).setCount(12).build(),
                ProjectCountTarget.newBuilder().setProjectKind(ProjectKind.PROJECT_KIND_NEW_BUILD)
                        .setFacilityType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT).setCount(54).build()),
                ziyang.getProjectCountTargetsList());
        assertEquals(List.of(CapacityTarget.newBuilder().setFacilityType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT)
                .setAddedTonnesPerDay(76_200).build()), ziyang.getCapacityTargetsList());
        // 力争2年内实现"两个全覆盖"
        assertEquals(List.of(
                CoverageGoal.newBuilder().setGoalId("town-sewage").setDisplayName("全市建制镇生活污水处理厂全覆盖")
                        .setUnitLevel(DivisionLevel.DIVISION_LEVEL_TOWNSHIP).setUnitKind(DivisionKind.DIVISION_KIND_TOWN)
                        .setAreaCode(ZIYANG).setServiceType(ServiceType.SERVICE_TYPE_SEWAGE_TREATMENT)
                        .setDeadline(date(2020, 9, 27)).build(),
                CoverageGoal.newBuilder().setGoalId("tuojiang-village-garbage").setDisplayName("沱江流域行政村生活垃圾集中收集处理全覆盖")
                        .setUnitLevel(DivisionLevel.DIVISION_LEVEL_VILLAGE)
                        .setUnitKind(DivisionKind.DIVISION_KIND_VILLAGERS_COMMITTEE).setAreaCode(ZIYANG).setBasin("沱江")
                        .setServiceType(ServiceType.SERVICE_TYPE_GARBAGE_COLLECTION_AND_TREATMENT)
                        .setDeadline(date(2020, 9, 27)).build()),
                ziyang.getCoverageGoalsList());

        // Loaded as at first start: it passes CreatePlan's checks.
        assertTrue(loader.load(plans, Duration.ofMillis(20)));
        Plan stored = byCode("ZY-2018-2020");
        assertEquals(ziyang.getProjectCountTargetsList(), stored.getProjectCountTargetsList());
        assertEquals(ziyang.getCapacityTargetsList(), stored.getCapacityTargetsList());
        assertEquals(List.of("town-sewage", "tuojiang-village-garbage"),
                stored.getCoverageGoalsList().stream().map(CoverageGoal::getGoalId).toList());
        assertEquals(stored.getName() + "/coverageGoals/tuojiang-village-garbage", stored.getCoverageGoals(1).getName());
        assertEquals(List.of("5120", "5120"), rows(db,
                "SELECT area_prefix FROM coverage_goal WHERE plan_id = ? ORDER BY ordinal",
                Long.parseLong(stored.getName().substring("plans/".length()))).stream().map(r -> r.get(0)).toList());
        // A second load finds the code taken and creates nothing.
        assertTrue(loader.load(plans, Duration.ofMillis(20)));
        assertEquals(1, number(db, "SELECT count(*) FROM plan WHERE code = 'ZY-2018-2020'"));
    }

    @Test
    void theLoadWaitsForItsAreasToArriveFromTheFeed() throws Exception {
        String neijiang = "511000000000";
        Plan plan = plan().setAreaCode(neijiang).clearCoverageGoals().addCoverageGoals(townSewage(neijiang)).build();
        CompletableFuture<Boolean> loaded = CompletableFuture.supplyAsync(() -> loader.load(List.of(plan), Duration.ofMillis(20)));
        Thread.sleep(300);
        assertFalse(loaded.isDone(), "the load waits for 内江市");
        assertEquals(0, number(db, "SELECT count(*) FROM plan WHERE code = ?", plan.getCode()));
        ReadModelFixtures.division(db, neijiang, "内江市", 2, 2, SICHUAN, "", "", "", false);
        assertTrue(loaded.get(10, TimeUnit.SECONDS));
        assertEquals(1, number(db, "SELECT count(*) FROM plan WHERE code = ?", plan.getCode()));
    }

    @Test
    void aPlanThatFailsItsChecksLoadsNothing() {
        Plan good = plan().build();
        Plan bad = plan().setDisplayName("").build();
        assertFalse(loader.load(List.of(good, bad), Duration.ofMillis(20)));
        assertEquals(0, number(db, "SELECT count(*) FROM plan WHERE code IN (?, ?)", good.getCode(), bad.getCode()));
    }

    @Test
    void aSourceMustHoldAnArrayOfPlansInProtoJson(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("plans.json");
        Files.writeString(file, "[{\"code\": \"A-1\", \"displayName\": \"甲\"}]");
        assertEquals("A-1", InitialPlanLoad.read(file.toString()).get(0).getCode());
        Files.writeString(file, "{\"code\": \"A-1\"}");
        assertTrue(assertThrows(IllegalStateException.class, () -> InitialPlanLoad.read(file.toString())).getMessage()
                .contains("JSON array"));
        Files.writeString(file, "[{\"code\": \"A-1\", \"colour\": \"red\"}]");
        assertTrue(assertThrows(IllegalStateException.class, () -> InitialPlanLoad.read(file.toString())).getMessage()
                .contains("plan [0]"));
        Files.writeString(file, "[{");
        assertThrows(IllegalStateException.class, () -> InitialPlanLoad.read(file.toString()));
        assertThrows(IllegalStateException.class, () -> InitialPlanLoad.read("classpath:plans/none.json"));
        assertThrows(RuntimeException.class, () -> InitialPlanLoad.read(dir.resolve("missing.json").toString()));
    }

    private Plan byCode(String code) {
        return stub.listPlans(ListPlansRequest.newBuilder().setPageSize(1000).build()).getPlansList().stream()
                .filter(p -> p.getCode().equals(code)).findFirst().orElseThrow();
    }
}
