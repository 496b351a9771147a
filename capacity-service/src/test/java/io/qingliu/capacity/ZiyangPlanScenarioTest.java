package io.qingliu.capacity;

import static io.qingliu.capacity.testing.Suite.date;
import static io.qingliu.kit.testing.StatusAssertions.assertFieldViolations;
import static io.qingliu.kit.testing.StatusAssertions.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.type.Date;
import io.grpc.Status;
import io.qingliu.api.capacity.v1.CapacityFigures;
import io.qingliu.api.capacity.v1.CapacityGrouping;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc.CapacityServiceBlockingStub;
import io.qingliu.api.capacity.v1.CoverageBreakdown;
import io.qingliu.api.capacity.v1.CoverageEvidence;
import io.qingliu.api.capacity.v1.CoverageFigures;
import io.qingliu.api.capacity.v1.GetCoverageEvidenceRequest;
import io.qingliu.api.capacity.v1.GetPlanProgressRequest;
import io.qingliu.api.capacity.v1.GoalUnit;
import io.qingliu.api.capacity.v1.GoalUnitStatus;
import io.qingliu.api.capacity.v1.ListGoalUnitsRequest;
import io.qingliu.api.capacity.v1.ListGoalUnitsResponse;
import io.qingliu.api.capacity.v1.LateProject;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsRequest;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsResponse;
import io.qingliu.api.capacity.v1.Milestone;
import io.qingliu.api.capacity.v1.Plan;
import io.qingliu.api.capacity.v1.PlanProgress;
import io.qingliu.api.capacity.v1.SummarizeCapacityRequest;
import io.qingliu.api.capacity.v1.SummarizeCapacityResponse;
import io.qingliu.api.capacity.v1.SummarizeCoverageRequest;
import io.qingliu.api.capacity.v1.SummarizeCoverageResponse;
import io.qingliu.api.capacity.v1.TargetProgress;
import io.qingliu.api.capacity.v1.TargetType;
import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.common.v1.OperatingState;
import io.qingliu.api.project.v1.CreateFacilityRequest;
import io.qingliu.api.project.v1.CreateProjectRequest;
import io.qingliu.api.project.v1.Division;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.api.project.v1.ProjectServiceGrpc.ProjectServiceBlockingStub;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.api.project.v1.TransitionProjectRequest;
import io.qingliu.capacity.feed.FeedConsumer;
import io.qingliu.capacity.testing.Suite;
import io.qingliu.capacity.testing.SuiteResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Ziyang three-year plan, end to end: project-service runs as a real process with the real
 * Ziyang division list; the shipped plan loads; baseline plants and the plan's projects are
 * registered and commissioned on dated steps; every figure is checked against numbers this test
 * computes from what it registered (and, for the denominators, from the official list itself).
 */
@QuarkusTest
@WithTestResource(SuiteResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ZiyangPlanScenarioTest {

    static final String PLAN = "ZY-2018-2020";
    static final String CITY = "512000000000";
    static final String YANJIANG = "512002000000";
    static final String ANYUE = "512021000000";
    static final String LEZHI = "512022000000";
    static final String TUOJIANG = "沱江";

    static final LocalDate BEFORE = LocalDate.of(2018, 12, 31);
    static final LocalDate STEP1 = LocalDate.of(2019, 3, 31);
    static final LocalDate STEP2 = LocalDate.of(2019, 6, 30);
    static final LocalDate BETWEEN = LocalDate.of(2019, 9, 29);
    static final LocalDate STEP3 = LocalDate.of(2019, 9, 30);
    static final LocalDate STEP4 = LocalDate.of(2019, 12, 31);
    static final LocalDate STEP5 = LocalDate.of(2020, 3, 31);
    static final LocalDate STEP6 = LocalDate.of(2020, 6, 30);
    static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Shanghai"));

    @GrpcClient("project")
    ProjectServiceBlockingStub project;

    @GrpcClient("capacity")
    CapacityServiceBlockingStub capacity;

    @Inject
    FeedConsumer consumer;

    @io.quarkus.test.common.http.TestHTTPResource("/q/health/ready")
    java.net.URL readinessUrl;

    /** What the test registered, and so expects. */
    static final class Programme {
        Plan plan;
        String townGoal;
        String villageGoal;
        /** Town code → the date its plant entered operation (towns with a plant only). */
        final Map<String, LocalDate> sewageSince = new HashMap<>();
        /** Village code → the date its whole garbage chain entered operation. */
        final Map<String, LocalDate> garbageSince = new HashMap<>();
        /** Every town of the city (by the official list) → its county. */
        final Map<String, String> towns = new TreeMap<>();
        /** Every villagers' committee in the Tuojiang basin → its county. */
        final Map<String, String> basinVillages = new TreeMap<>();
        /** Plant → capacity periods: [from, capacity] steps, plant in operation from the first. */
        final List<Object[]> capacitySteps = new ArrayList<>();
        final Map<String, Project> projects = new LinkedHashMap<>();
        Facility baoheCollection;
    }

    static Programme programme;

    @BeforeEach
    void registerTheProgrammeOnce() throws IOException {
        if (programme == null) {
            programme = register();
        }
    }

    private Programme register() throws IOException {
        Programme p = new Programme();
        Suite.await("the shipped plan to load", Duration.ofSeconds(120),
                () -> Suite.planByCode(capacity, PLAN).isPresent());
        p.plan = Suite.planByCode(capacity, PLAN).orElseThrow();
        p.townGoal = p.plan.getCoverageGoalsList().stream().filter(g -> g.getGoalId().equals("town-sewage"))
                .findFirst().orElseThrow().getName();
        p.villageGoal = p.plan.getCoverageGoalsList().stream()
                .filter(g -> g.getGoalId().equals("tuojiang-village-garbage")).findFirst().orElseThrow().getName();

        // Denominators, independently: towns from the official file; the basin's villages from the registry.
        for (String line : Files.readAllLines(divisionsFile(), StandardCharsets.UTF_8)) {
            String[] f = line.split(",");
            if (f[2].equals("township") && f[1].endsWith("镇")) {
                p.towns.put(f[0], f[3]);
            }
        }
        // The Tuojiang basin: every township of Yanjiang District (villages inherit it).
        for (Division township : Suite.divisions(project, "county = \"" + YANJIANG + "\" AND level = DIVISION_LEVEL_TOWNSHIP")) {
            Suite.setBasin(project, township.getCode(), TUOJIANG);
        }
        for (Division v : Suite.divisions(project, "basin = \"" + TUOJIANG + "\" AND kind = DIVISION_KIND_VILLAGERS_COMMITTEE")) {
            p.basinVillages.put(v.getCode(), v.getCountyCode());
        }

        // Baseline plants, in operation before the plan.
        Facility yanjiangPlant = operatingPlant("雁江区城市污水处理厂", "512002100000", 40000, LocalDate.of(2008, 6, 1), p);
        Facility anyuePlant = operatingPlant("安岳县城市污水处理厂", "512021100000", 30000, LocalDate.of(2010, 1, 1), p);
        operatingPlant("乐至县城市污水处理厂", "512022101000", 20000, LocalDate.of(2012, 1, 1), p);

        // The plan's works.
        Project u1 = create(upgrade("雁江区城市污水处理厂提标改造工程", yanjiangPlant, 50000), p);
        Project u2 = create(upgrade("安岳县城市污水处理厂提标改造工程", anyuePlant, 0), p);
        Project n1 = create(newBuild("松涛镇污水处理厂新建工程", "512002101000", 1000), p);
        Project n2 = create(newBuild("宝台镇污水处理厂新建工程", "512002102000", 1500), p);
        Project n3 = create(newBuild("安岳县石羊镇污水处理厂新建工程", firstTown(p, ANYUE, 1), 2000), p);
        Project n4 = create(newBuild("乐至县童家镇污水处理厂新建工程", firstTown(p, LEZHI, 1), 800), p);
        Project n5 = create(newBuild("安岳县第三个镇污水处理厂新建工程", firstTown(p, ANYUE, 2), 1200), p);
        create(newBuild("乐至县第三个镇污水处理厂新建工程", firstTown(p, LEZHI, 2), 500), p);

        // The garbage chain: a disposal site long in operation; a transfer station the plan builds;
        // a collection point serving 保和镇 (all its villages) since 2017, delivering to the station;
        // a second point, built by the plan, serving two villages of 临江镇.
        Facility site = project.createFacility(CreateFacilityRequest.newBuilder().setFacility(Facility.newBuilder()
                .setDisplayName("资阳市生活垃圾焚烧发电厂").setType(FacilityType.FACILITY_TYPE_GARBAGE_DISPOSAL_SITE)
                .setLocationCode("512002100000").setCapacityTonnesPerDay(1000)
                .setOperatingState(OperatingState.OPERATING_STATE_IN_OPERATION).setOperationDate(date(2015, 1, 1)))
                .build());
        Facility station = project.createFacility(CreateFacilityRequest.newBuilder().setFacility(Facility.newBuilder()
                .setDisplayName("保和镇垃圾转运站").setType(FacilityType.FACILITY_TYPE_GARBAGE_TRANSFER_STATION)
                .setLocationCode("512002104000").setCapacityTonnesPerDay(50).setDownstreamFacility(site.getName())
                .setOperatingState(OperatingState.OPERATING_STATE_PLANNED)).build());
        p.baoheCollection = project.createFacility(CreateFacilityRequest.newBuilder().setFacility(Facility.newBuilder()
                .setDisplayName("保和镇垃圾收集点").setType(FacilityType.FACILITY_TYPE_GARBAGE_COLLECTION_POINT)
                .setLocationCode("512002104000").addServedDivisionCodes("512002104000").setCapacityTonnesPerDay(5)
                .setDownstreamFacility(station.getName()).setOperatingState(OperatingState.OPERATING_STATE_IN_OPERATION)
                .setOperationDate(date(2017, 1, 1))).build());
        List<String> linjiangVillages = Suite.divisions(project,
                "township = \"512002103000\" AND kind = DIVISION_KIND_VILLAGERS_COMMITTEE").stream()
                .map(Division::getCode).limit(2).toList();
        Facility linjiangPoint = project.createFacility(CreateFacilityRequest.newBuilder().setFacility(Facility.newBuilder()
                .setDisplayName("临江镇垃圾收集点").setType(FacilityType.FACILITY_TYPE_GARBAGE_COLLECTION_POINT)
                .setLocationCode("512002103000").addAllServedDivisionCodes(linjiangVillages).setCapacityTonnesPerDay(3)
                .setDownstreamFacility(station.getName()).setOperatingState(OperatingState.OPERATING_STATE_PLANNED))
                .build());
        Project stationWorks = create(onFacility("保和镇垃圾转运站建设工程", ProjectKind.PROJECT_KIND_GARBAGE_COLLECTION,
                station, 50), p);
        Project linjiangWorks = create(onFacility("临江镇垃圾收集点建设工程", ProjectKind.PROJECT_KIND_GARBAGE_COLLECTION,
                linjiangPoint, 3), p);

        // Dated steps.
        commission(n1, STEP1, p);
        commission(n2, STEP1, p);
        commission(u1, STEP2, p);
        commission(stationWorks, STEP3, p);
        commission(n3, STEP4, p);
        commission(n4, STEP4, p);
        commission(linjiangWorks, STEP5, p);
        commission(u2, STEP6, p);
        move(n5, ProjectState.PROJECT_STATE_APPROVED, LocalDate.of(2019, 1, 10), p);
        move(n5, ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION, LocalDate.of(2019, 3, 1), p);

        String baohe = "512002104000";
        for (String village : p.basinVillages.keySet()) {
            if (village.startsWith(baohe.substring(0, 9))) {
                p.garbageSince.put(village, STEP3);
            }
        }
        for (String village : linjiangVillages) {
            p.garbageSince.put(village, STEP5);
        }
        Suite.awaitCaughtUp();
        return p;
    }

    // --- coverage ------------------------------------------------------------------------------

    @Test
    @Order(1)
    void townSewageCoverageAsOfEachStepMatchesThePlantsRegistered() {
        for (LocalDate on : List.of(BEFORE, STEP1, STEP2, BETWEEN, STEP4, TODAY)) {
            SummarizeCoverageResponse answer = coverage(programme.townGoal, "", on, CoverageBreakdown.COVERAGE_BREAKDOWN_TOWNSHIP);
            Map<String, long[]> expected = expectedByCounty(programme.towns, programme.sewageSince, on);
            assertCounties(expected, answer, "town sewage on " + on);
            assertEquals(67, answer.getTotals().getTotal(), "the city has 67 established towns");
            assertEquals(covered(programme.towns, programme.sewageSince, on), answer.getTotals().getCovered(), "on " + on);
            assertEquals(67, answer.getTownshipsList().stream().mapToInt(CoverageFigures::getTotal).sum());
            for (CoverageFigures town : answer.getTownshipsList()) {
                LocalDate since = programme.sewageSince.get(town.getCode());
                assertEquals(since != null && !since.isAfter(on) ? 1 : 0, town.getCovered(), town.getDisplayName() + " on " + on);
            }
        }
        assertEquals(3, coverage(programme.townGoal, "", BEFORE, CoverageBreakdown.COVERAGE_BREAKDOWN_COUNTY)
                .getTotals().getCovered(), "before the plan only the three county seats had a plant");
    }

    @Test
    @Order(2)
    void garbageCountsAVillageOnlyWhenItsWholeChainOperates() {
        // 保和镇's collection point has operated since 2017, but its transfer station only from STEP3.
        for (LocalDate on : List.of(LocalDate.of(2018, 6, 30), STEP2, BETWEEN, STEP3, STEP4, STEP5, TODAY)) {
            SummarizeCoverageResponse answer = coverage(programme.villageGoal, "", on, CoverageBreakdown.COVERAGE_BREAKDOWN_TOWNSHIP);
            assertEquals(programme.basinVillages.size(), answer.getTotals().getTotal());
            assertCounties(expectedByCounty(programme.basinVillages, programme.garbageSince, on), answer,
                    "basin villages on " + on);
            assertEquals(covered(programme.basinVillages, programme.garbageSince, on), answer.getTotals().getCovered(),
                    "covered villages on " + on);
        }
        assertEquals(0, coverage(programme.villageGoal, "", BETWEEN, CoverageBreakdown.COVERAGE_BREAKDOWN_COUNTY)
                .getTotals().getCovered(), "a collection point without its transfer station covers nothing");
        String village = programme.garbageSince.entrySet().stream().filter(e -> e.getValue().equals(STEP3))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        CoverageEvidence evidence = capacity.getCoverageEvidence(GetCoverageEvidenceRequest.newBuilder()
                .setGoal(programme.villageGoal).setUnitCode(village).build());
        assertTrue(evidence.getCovered());
        assertEquals(date(STEP3), evidence.getCoveredSince());
        assertEquals(1, evidence.getFacilitiesCount());
        assertEquals(programme.baoheCollection.getName(), evidence.getFacilities(0).getFacility());
        assertEquals(2, evidence.getFacilities(0).getChainCount(), "the station and the site downstream");
        assertEquals(date(STEP3), evidence.getFacilities(0).getPeriods(0).getStartDate());
        CoverageEvidence before = capacity.getCoverageEvidence(GetCoverageEvidenceRequest.newBuilder()
                .setGoal(programme.villageGoal).setUnitCode(village).setAsOfDate(date(BETWEEN)).build());
        assertFalse(before.getCovered());
        assertFalse(before.getFacilities(0).getServesOnDate());
    }

    @Test
    @Order(3)
    void uncoveredTownsArePagedAndAddUpToTheGap() {
        for (LocalDate on : List.of(BEFORE, STEP4)) {
            List<String> listed = new ArrayList<>();
            String token = "";
            int pages = 0;
            ListUncoveredUnitsResponse page;
            do {
                page = capacity.listUncoveredUnits(ListUncoveredUnitsRequest.newBuilder().setGoal(programme.townGoal)
                        .setAsOfDate(date(on)).setPageSize(10).setPageToken(token).build());
                page.getUnitsList().stream().map(GoalUnit::getCode).forEach(listed::add);
                token = page.getNextPageToken();
                pages++;
            } while (!token.isEmpty());
            List<String> expected = programme.towns.keySet().stream()
                    .filter(t -> !coveredOn(programme.sewageSince.get(t), on)).sorted().toList();
            assertEquals(expected, listed, "uncovered towns on " + on);
            assertEquals(expected.size(), page.getTotalSize());
            assertEquals((expected.size() + 9) / 10, pages);
        }
        ListUncoveredUnitsResponse anyue = capacity.listUncoveredUnits(ListUncoveredUnitsRequest.newBuilder()
                .setGoal(programme.townGoal).setAreaCode(ANYUE).setPageSize(1000).build());
        assertTrue(anyue.getUnitsList().stream().allMatch(u -> u.getCountyCode().equals(ANYUE)));
        assertEquals(programme.towns.entrySet().stream().filter(e -> e.getValue().equals(ANYUE))
                .filter(e -> !coveredOn(programme.sewageSince.get(e.getKey()), TODAY)).count(), anyue.getUnitsCount());
    }

    @Test
    @Order(4)
    void everyUnitIsListedWithItsStatusAndSinceAgreeingWithTheUncoveredListAndTheSummary() {
        for (LocalDate on : List.of(BEFORE, STEP1, STEP3, STEP4, STEP5, TODAY)) {
            for (var goal : List.of(Map.entry(programme.townGoal, programme.towns),
                    Map.entry(programme.villageGoal, programme.basinVillages))) {
                Map<String, LocalDate> since = goal.getValue() == programme.towns ? programme.sewageSince : programme.garbageSince;
                String what = goal.getKey() + " on " + on;
                List<GoalUnitStatus> listed = allUnits(goal.getKey(), "", on, "", 7);
                assertEquals(List.copyOf(goal.getValue().keySet()), listed.stream().map(u -> u.getUnit().getCode()).toList(),
                        "every unit the goal counts, by code: " + what);
                for (GoalUnitStatus u : listed) {
                    LocalDate from = since.get(u.getUnit().getCode());
                    assertEquals(coveredOn(from, on), u.getCovered(), u.getUnit().getDisplayName() + ", " + what);
                    assertEquals(coveredOn(from, on) ? date(from) : Date.getDefaultInstance(), u.getCoveredSince(),
                            "covered since the start of its covered period: " + u.getUnit().getDisplayName() + ", " + what);
                    assertEquals(goal.getValue().get(u.getUnit().getCode()), u.getUnit().getCountyCode());
                }
                List<String> uncovered = uncoveredCodes(goal.getKey(), on);
                assertEquals(uncovered, listed.stream().filter(u -> !u.getCovered()).map(u -> u.getUnit().getCode()).toList(),
                        "the uncovered ones are ListUncoveredUnits' list: " + what);
                assertEquals(uncovered, allUnits(goal.getKey(), "", on, "covered = false", 5).stream()
                        .map(u -> u.getUnit().getCode()).toList(), "filtered on covered = false: " + what);
                assertEquals(listed.stream().filter(GoalUnitStatus::getCovered).toList(),
                        allUnits(goal.getKey(), "", on, "covered = true", 5), "filtered on covered = true: " + what);

                SummarizeCoverageResponse summary = coverage(goal.getKey(), "", on, CoverageBreakdown.COVERAGE_BREAKDOWN_COUNTY);
                ListGoalUnitsResponse first = capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder().setGoal(goal.getKey())
                        .setAsOfDate(date(on)).setPageSize(3).build());
                assertEquals(summary.getTotals().getTotal(), first.getTotalSize(), "total_size is the summary's total: " + what);
                assertEquals(summary.getTotals().getCovered(), listed.stream().filter(GoalUnitStatus::getCovered).count(), what);
                assertEquals(summary.getFeedSequence(), first.getFeedSequence(), "the same state of the read model");
                assertEquals(date(on), first.getAsOfDate());
                assertEquals(summary.getTotals().getCovered(), capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder()
                        .setGoal(goal.getKey()).setAsOfDate(date(on)).setFilter("covered = true").build()).getTotalSize());
                assertEquals(summary.getTotals().getTotal() - summary.getTotals().getCovered(),
                        capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder().setGoal(goal.getKey()).setAsOfDate(date(on))
                                .setFilter("covered != true").build()).getTotalSize());
            }
        }
        // Without a date: today, as the answer says; within a county, or a township, only its units.
        ListGoalUnitsResponse today = capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder().setGoal(programme.townGoal)
                .setAreaCode(ANYUE).setPageSize(10_000).build());
        assertEquals(date(TODAY), today.getAsOfDate());
        assertEquals(programme.towns.entrySet().stream().filter(e -> e.getValue().equals(ANYUE)).map(Map.Entry::getKey).toList(),
                today.getUnitsList().stream().map(u -> u.getUnit().getCode()).toList());
        assertEquals(today.getUnitsCount(), today.getTotalSize());
        assertTrue(today.getNextPageToken().isEmpty());
        List<GoalUnitStatus> baohe = allUnits(programme.villageGoal, "512002104000", TODAY, "", 4);
        assertEquals(programme.basinVillages.keySet().stream().filter(v -> v.startsWith("512002104")).toList(),
                baohe.stream().map(u -> u.getUnit().getCode()).toList());
        assertTrue(baohe.stream().allMatch(u -> u.getCovered() && u.getCoveredSince().equals(date(STEP3))),
                "保和镇's villages, all covered by its chain since STEP3");
        assertEquals(0, capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder().setGoal(programme.townGoal)
                .setFilter("covered = true AND covered = false").build()).getUnitsCount(), "no status is both");
    }

    // --- capacity ------------------------------------------------------------------------------

    @Test
    @Order(5)
    void capacityInOperationAddedAndPipelineAsOfEachStep() {
        for (LocalDate on : List.of(BEFORE, STEP1, STEP2, STEP4, TODAY)) {
            SummarizeCapacityResponse answer = capacity.summarizeCapacity(SummarizeCapacityRequest.newBuilder()
                    .setAreaCode(CITY).setAsOfDate(date(on)).setPlan(programme.plan.getName())
                    .setGrouping(CapacityGrouping.CAPACITY_GROUPING_COUNTY).build());
            assertEquals(inOperation(on, ""), answer.getTotals().getInOperationTonnesPerDay(), 1e-6, "in operation on " + on);
            for (String county : List.of(YANJIANG, ANYUE, LEZHI)) {
                CapacityFigures row = answer.getRowsList().stream().filter(r -> r.getKey().equals(county)).findFirst()
                        .map(r -> r.getFigures()).orElse(CapacityFigures.getDefaultInstance());
                assertEquals(inOperation(on, county), row.getInOperationTonnesPerDay(), 1e-6, county + " on " + on);
            }
        }
        SummarizeCapacityResponse today = capacity.summarizeCapacity(SummarizeCapacityRequest.newBuilder()
                .setPlan(programme.plan.getName()).setGrouping(CapacityGrouping.CAPACITY_GROUPING_PROJECT_KIND).build());
        // New builds add their capacity; the first upgrade adds 10,000 (50,000 − 40,000), the second nothing.
        assertEquals(1000 + 1500 + 2000 + 800 + 10000, today.getTotals().getAddedTonnesPerDay(), 1e-6);
        assertEquals(1200, today.getTotals().getUnderConstructionTonnesPerDay(), 1e-6);
        assertEquals(500, today.getTotals().getPlannedTonnesPerDay(), 1e-6);
        assertEquals(6, today.getTotals().getCommissionedProjects(), "4 new builds and 2 upgrades (sewage plants)");
        assertEquals(2, today.getTotals().getPipelineProjects());
        assertEquals(5300, row(today, "PROJECT_KIND_NEW_BUILD").getAddedTonnesPerDay(), 1e-6);
        assertEquals(10000, row(today, "PROJECT_KIND_UPGRADE").getAddedTonnesPerDay(), 1e-6);

        SummarizeCapacityResponse byYear = capacity.summarizeCapacity(SummarizeCapacityRequest.newBuilder()
                .setPlan(programme.plan.getName()).setGrouping(CapacityGrouping.CAPACITY_GROUPING_YEAR).build());
        assertEquals(1000 + 1500 + 10000 + 2000 + 800, row(byYear, "2019").getAddedTonnesPerDay(), 1e-6);
        assertEquals(inOperation(LocalDate.of(2019, 12, 31), ""), row(byYear, "2019").getInOperationTonnesPerDay(), 1e-6);
        assertEquals(0, row(byYear, "2020").getAddedTonnesPerDay(), 1e-6, "the 2020 upgrade adds no capacity");
    }

    // --- progress ------------------------------------------------------------------------------

    @Test
    @Order(6)
    void planProgressCountsTargetsLateProjectsAndMonthlySeries() {
        PlanProgress progress = capacity.getPlanProgress(GetPlanProgressRequest.newBuilder()
                .setName(programme.plan.getName()).build());
        TargetProgress upgrades = target(progress, TargetType.TARGET_TYPE_PROJECT_COUNT, "提标改造");
        assertEquals(12, upgrades.getTarget());
        assertEquals(2, upgrades.getAchieved());
        TargetProgress newPlants = target(progress, TargetType.TARGET_TYPE_PROJECT_COUNT, "新建");
        assertEquals(54, newPlants.getTarget());
        assertEquals(4, newPlants.getAchieved());
        assertEquals(2, newPlants.getPipeline());
        assertEquals(4, newPlants.getForecast(), "the pipeline's planned dates have passed: nothing more by the deadline");
        assertFalse(newPlants.getForecastMet());
        assertEquals(7.41, newPlants.getPercent(), 1e-9);
        TargetProgress added = target(progress, TargetType.TARGET_TYPE_ADDED_CAPACITY, "");
        assertEquals(76200, added.getTarget());
        assertEquals(15300, added.getAchieved(), 1e-6);
        TargetProgress towns = progress.getTargetsList().stream().filter(t -> t.getGoal().equals(programme.townGoal))
                .findFirst().orElseThrow();
        assertEquals(67, towns.getTarget());
        assertEquals(covered(programme.towns, programme.sewageSince, TODAY), towns.getAchieved());

        Map<LocalDate, Double> monthly = newPlants.getMonthlyList().stream().collect(Collectors.toMap(
                p -> LocalDate.of(p.getDate().getYear(), p.getDate().getMonth(), p.getDate().getDay()), p -> p.getValue()));
        assertEquals(0.0, monthly.get(LocalDate.of(2019, 2, 28)));
        assertEquals(2.0, monthly.get(STEP1));
        assertEquals(4.0, monthly.get(STEP4));
        assertEquals(LocalDate.of(2018, 1, 31), toLocal(newPlants.getMonthly(0).getDate()), "series start with the plan");
        Map<LocalDate, Double> townSeries = towns.getMonthlyList().stream().collect(Collectors.toMap(
                p -> toLocal(p.getDate()), p -> p.getValue()));
        assertEquals((double) covered(programme.towns, programme.sewageSince, STEP1), townSeries.get(STEP1));

        List<LateProject> late = progress.getLateProjectsList();
        assertEquals(2, late.size(), late.toString());
        LateProject underConstruction = late.stream().filter(l -> l.getState() == ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION)
                .findFirst().orElseThrow();
        assertEquals(Milestone.MILESTONE_COMPLETION, underConstruction.getMissed());
        LateProject neverStarted = late.stream().filter(l -> l.getState() == ProjectState.PROJECT_STATE_PLANNED)
                .findFirst().orElseThrow();
        assertEquals(Milestone.MILESTONE_START, neverStarted.getMissed());
        assertTrue(late.get(0).getDaysLate() >= late.get(1).getDaysLate(), "most late first");

        PlanProgress anyue = capacity.getPlanProgress(GetPlanProgressRequest.newBuilder()
                .setName(programme.plan.getName()).setAreaCode(ANYUE).setAsOfDate(date(STEP4)).build());
        assertEquals(1, target(anyue, TargetType.TARGET_TYPE_PROJECT_COUNT, "新建").getAchieved(), "石羊镇 by STEP4");
        assertEquals(programme.towns.values().stream().filter(ANYUE::equals).count(),
                (long) anyue.getTargetsList().stream().filter(t -> t.getGoal().equals(programme.townGoal)).findFirst()
                        .orElseThrow().getTarget());
    }

    // --- effective dates entered later -------------------------------------------------------

    @Test
    @Order(7)
    void aBackDatedCommissioningChangesThePastAnswer() {
        Project n5 = programme.projects.get("安岳县第三个镇污水处理厂新建工程");
        LocalDate commissioned = LocalDate.of(2019, 8, 15);
        long before = coverage(programme.townGoal, "", BETWEEN, CoverageBreakdown.COVERAGE_BREAKDOWN_COUNTY).getTotals()
                .getCovered();
        double capacityBefore = capacity.summarizeCapacity(SummarizeCapacityRequest.newBuilder()
                .setAsOfDate(date(BETWEEN)).build()).getTotals().getInOperationTonnesPerDay();
        move(n5, ProjectState.PROJECT_STATE_COMPLETED, LocalDate.of(2019, 8, 1), programme);
        commission(n5, commissioned, programme);
        Suite.awaitCaughtUp();
        assertEquals(before + 1, coverage(programme.townGoal, "", BETWEEN, CoverageBreakdown.COVERAGE_BREAKDOWN_COUNTY)
                .getTotals().getCovered(), "entered today, effective 2019-08-15");
        assertEquals(covered(programme.towns, programme.sewageSince, BETWEEN),
                coverage(programme.townGoal, "", BETWEEN, CoverageBreakdown.COVERAGE_BREAKDOWN_COUNTY).getTotals().getCovered());
        assertEquals(capacityBefore + 1200, capacity.summarizeCapacity(SummarizeCapacityRequest.newBuilder()
                .setAsOfDate(date(BETWEEN)).build()).getTotals().getInOperationTonnesPerDay(), 1e-6);
        assertEquals(before, coverage(programme.townGoal, "", LocalDate.of(2019, 8, 14),
                CoverageBreakdown.COVERAGE_BREAKDOWN_COUNTY).getTotals().getCovered(), "the day before is unchanged");
    }

    // --- bad input -----------------------------------------------------------------------------

    @Test
    @Order(8)
    void badQuestionsNameTheFieldAndNeverAnswerEmpty() {
        assertStatus(Status.Code.NOT_FOUND, () -> capacity.summarizeCoverage(SummarizeCoverageRequest.newBuilder()
                .setGoal(programme.plan.getName() + "/coverageGoals/no-such-goal").build()));
        assertStatus(Status.Code.NOT_FOUND, () -> capacity.getPlanProgress(GetPlanProgressRequest.newBuilder()
                .setName("plans/987654").build()));
        assertFieldViolations(() -> capacity.summarizeCoverage(SummarizeCoverageRequest.newBuilder()
                .setGoal("plans/x/goals").build()), "goal");
        assertFieldViolations(() -> capacity.summarizeCoverage(SummarizeCoverageRequest.newBuilder()
                .setGoal(programme.townGoal).setAsOfDate(date(2000, 1, 1)).build()), "as_of_date");
        assertFieldViolations(() -> capacity.summarizeCoverage(SummarizeCoverageRequest.newBuilder()
                .setGoal(programme.townGoal).setAsOfDate(date(TODAY.plusDays(1))).build()), "as_of_date");
        assertFieldViolations(() -> capacity.summarizeCoverage(SummarizeCoverageRequest.newBuilder()
                .setGoal(programme.townGoal).setAsOfDate(date(2019, 2, 30)).build()), "as_of_date");
        assertFieldViolations(() -> capacity.summarizeCoverage(SummarizeCoverageRequest.newBuilder()
                .setGoal(programme.townGoal).setAreaCode("512002104000").build()), "area_code");
        assertFieldViolations(() -> capacity.summarizeCoverage(SummarizeCoverageRequest.newBuilder()
                .setGoal(programme.townGoal).setAreaCode("510100000000").build()), "area_code");
        assertFieldViolations(() -> capacity.summarizeCapacity(SummarizeCapacityRequest.newBuilder()
                .setAreaCode("5120").build()), "area_code");
        assertFieldViolations(() -> capacity.summarizeCapacity(SummarizeCapacityRequest.newBuilder()
                .setFacilityType(FacilityType.FACILITY_TYPE_PIPE_NETWORK).build()), "facility_type");
        assertFieldViolations(() -> capacity.listUncoveredUnits(ListUncoveredUnitsRequest.newBuilder()
                .setGoal(programme.townGoal).setPageSize(1001).build()), "page_size");
        assertFieldViolations(() -> capacity.listUncoveredUnits(ListUncoveredUnitsRequest.newBuilder()
                .setGoal(programme.townGoal).setPageToken("not-a-token").build()), "page_token");
        String token = capacity.listUncoveredUnits(ListUncoveredUnitsRequest.newBuilder().setGoal(programme.townGoal)
                .setPageSize(1).build()).getNextPageToken();
        assertFieldViolations(() -> capacity.listUncoveredUnits(ListUncoveredUnitsRequest.newBuilder()
                .setGoal(programme.townGoal).setPageSize(1).setAreaCode(ANYUE).setPageToken(token).build()), "page_token");
        assertFieldViolations(() -> capacity.getCoverageEvidence(GetCoverageEvidenceRequest.newBuilder()
                .setGoal(programme.townGoal).setUnitCode("512002104200").build()), "unit_code");

        // ListGoalUnits: the same rules, pages up to 10,000.
        assertStatus(Status.Code.NOT_FOUND, () -> capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder()
                .setGoal(programme.plan.getName() + "/coverageGoals/no-such-goal").build()));
        assertFieldViolations(() -> capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder().setGoal("plans/x/goals")
                .build()), "goal");
        assertFieldViolations(() -> capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder().setGoal(programme.townGoal)
                .setAreaCode("510100000000").build()), "area_code");
        assertFieldViolations(() -> capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder().setGoal(programme.townGoal)
                .setAreaCode("5120").build()), "area_code");
        assertFieldViolations(() -> capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder().setGoal(programme.townGoal)
                .setAsOfDate(date(TODAY.plusDays(1))).build()), "as_of_date");
        for (int size : new int[] {-1, 10_001}) {
            assertFieldViolations(() -> capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder()
                    .setGoal(programme.townGoal).setPageSize(size).build()), "page_size");
        }
        assertEquals(67, capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder().setGoal(programme.townGoal)
                .setPageSize(10_000).build()).getUnitsCount(), "10,000 is the largest page");
        for (String filter : List.of("colour = red", "covered = maybe", "covered > true")) {
            assertFieldViolations(() -> capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder()
                    .setGoal(programme.townGoal).setFilter(filter).build()), "filter");
        }
        assertFieldViolations(() -> capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder()
                .setGoal(programme.townGoal).setPageToken("not-a-token").build()), "page_token");
        String unitsToken = capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder().setGoal(programme.townGoal)
                .setAsOfDate(date(STEP1)).setPageSize(1).build()).getNextPageToken();
        assertFieldViolations(() -> capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder().setGoal(programme.townGoal)
                .setAsOfDate(date(STEP2)).setPageSize(1).setPageToken(unitsToken).build()), "page_token");
        assertFieldViolations(() -> capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder().setGoal(programme.townGoal)
                .setAsOfDate(date(STEP1)).setFilter("covered = true").setPageToken(unitsToken).build()), "page_token");
        assertFieldViolations(() -> capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder().setGoal(programme.villageGoal)
                .setAsOfDate(date(STEP1)).setPageToken(unitsToken).build()), "page_token");
        assertFieldViolations(() -> capacity.listUncoveredUnits(ListUncoveredUnitsRequest.newBuilder()
                .setGoal(programme.townGoal).setAsOfDate(date(STEP1)).setPageToken(unitsToken).build()), "page_token");
    }

    // --- the consumer: killed mid-stream, rebuilt from 0 ----------------------------------------

    @Test
    @Order(9)
    void killedMidStreamAndRebuiltFromZeroTheAnswersAreTheSame() throws Exception {
        List<Object> before = answers();
        consumer.rebuild();
        long head = Suite.projectHead();
        Suite.await("the rebuild to get part of the way", Duration.ofSeconds(60), () -> Suite.appliedSequence() > 0);
        consumer.stop();
        long stoppedAt = Suite.appliedSequence();
        assertTrue(stoppedAt < head, "stopped mid-stream at " + stoppedAt + " of " + head);
        if (head - stoppedAt > 1000) {
            // Far behind (more than defer-derived-beyond, 500, in this suite), only the mirror was written.
            assertTrue(Suite.derivedSequence() < stoppedAt,
                    "derivation deferred: derived " + Suite.derivedSequence() + ", applied " + stoppedAt);
        }
        Thread.sleep(300);
        assertEquals(stoppedAt, Suite.appliedSequence(), "nothing is applied while stopped");
        consumer.start();
        Suite.awaitCaughtUp();
        assertEquals(before, answers(), "a rebuild from 0, killed once on the way, answers exactly as before");
    }

    @Test
    @Order(10)
    void whileProjectServiceIsAwayItAnswersFromWhatItHasAndSaysHowFarBehindItIs() throws Exception {
        SummarizeCoverageResponse before = coverage(programme.townGoal, "", TODAY, CoverageBreakdown.COVERAGE_BREAKDOWN_COUNTY);
        SuiteResource.projectService().stop();
        try {
            Suite.await("the feed to report the disconnection", Duration.ofSeconds(30),
                    () -> readiness().contains("\"connected\":false"));
            assertEquals(before, coverage(programme.townGoal, "", TODAY, CoverageBreakdown.COVERAGE_BREAKDOWN_COUNTY),
                    "answers go on from the read model");
            String health = readiness();
            assertTrue(health.contains("\"applied_sequence\":" + before.getFeedSequence()), health);
            assertTrue(health.contains("\"last_error\""), health);
        } finally {
            SuiteResource.projectService().start();
        }
        // Back, with a change made after the outage: the consumer reconnects by itself. (This
        // test's own channel may still be backing off from the outage: wait for it to be ready.)
        Facility plant = operatingPlant("乐至县回澜镇污水处理厂", firstTown(programme, LEZHI, 3), 600, LocalDate.of(2021, 5, 1),
                programme);
        Suite.awaitCaughtUp();
        assertEquals(before.getTotals().getCovered() + 1,
                coverage(programme.townGoal, "", TODAY, CoverageBreakdown.COVERAGE_BREAKDOWN_COUNTY).getTotals().getCovered(),
                plant.getName() + " counts once the feed is back");
        Suite.await("the feed to report the reconnection", Duration.ofSeconds(30),
                () -> readiness().contains("\"connected\":true") && readiness().contains("\"lag_changes\":0"));
    }

    private String readiness() {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var request = java.net.http.HttpRequest.newBuilder(readinessUrl.toURI()).build();
            return http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body().replace(" ", "");
        } catch (IOException | InterruptedException | java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** Every kind of answer, for comparison across rebuilds. */
    private List<Object> answers() {
        List<Object> out = new ArrayList<>();
        for (LocalDate on : List.of(BEFORE, STEP2, BETWEEN, STEP4, TODAY)) {
            out.add(coverage(programme.townGoal, "", on, CoverageBreakdown.COVERAGE_BREAKDOWN_TOWNSHIP));
            out.add(coverage(programme.villageGoal, "", on, CoverageBreakdown.COVERAGE_BREAKDOWN_TOWNSHIP));
            out.add(capacity.summarizeCapacity(SummarizeCapacityRequest.newBuilder().setAsOfDate(date(on))
                    .setGrouping(CapacityGrouping.CAPACITY_GROUPING_COUNTY).build()));
            out.add(capacity.listUncoveredUnits(ListUncoveredUnitsRequest.newBuilder().setGoal(programme.villageGoal)
                    .setAsOfDate(date(on)).setPageSize(1000).build()));
        }
        out.add(capacity.getPlanProgress(GetPlanProgressRequest.newBuilder().setName(programme.plan.getName()).build()));
        return out;
    }

    // --- helpers -------------------------------------------------------------------------------

    private SummarizeCoverageResponse coverage(String goal, String area, LocalDate on, CoverageBreakdown breakdown) {
        return capacity.summarizeCoverage(SummarizeCoverageRequest.newBuilder().setGoal(goal).setAreaCode(area)
                .setAsOfDate(date(on)).setBreakdown(breakdown).build());
    }

    /** Every page of ListGoalUnits, each asked with the token of the one before. */
    private List<GoalUnitStatus> allUnits(String goal, String area, LocalDate on, String filter, int pageSize) {
        List<GoalUnitStatus> out = new ArrayList<>();
        String token = "";
        do {
            ListGoalUnitsResponse page = capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder().setGoal(goal)
                    .setAreaCode(area).setAsOfDate(date(on)).setFilter(filter).setPageSize(pageSize).setPageToken(token).build());
            assertTrue(page.getUnitsCount() <= pageSize);
            out.addAll(page.getUnitsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return out;
    }

    private List<String> uncoveredCodes(String goal, LocalDate on) {
        List<String> out = new ArrayList<>();
        String token = "";
        do {
            ListUncoveredUnitsResponse page = capacity.listUncoveredUnits(ListUncoveredUnitsRequest.newBuilder().setGoal(goal)
                    .setAsOfDate(date(on)).setPageSize(1000).setPageToken(token).build());
            page.getUnitsList().forEach(u -> out.add(u.getCode()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return out;
    }

    private static boolean coveredOn(LocalDate since, LocalDate on) {
        return since != null && !since.isAfter(on);
    }

    private static long covered(Map<String, String> units, Map<String, LocalDate> since, LocalDate on) {
        return units.keySet().stream().filter(u -> coveredOn(since.get(u), on)).count();
    }

    private static Map<String, long[]> expectedByCounty(Map<String, String> units, Map<String, LocalDate> since, LocalDate on) {
        Map<String, long[]> out = new TreeMap<>();
        units.forEach((unit, county) -> {
            long[] f = out.computeIfAbsent(county, k -> new long[2]);
            f[1]++;
            if (coveredOn(since.get(unit), on)) {
                f[0]++;
            }
        });
        return out;
    }

    private static void assertCounties(Map<String, long[]> expected, SummarizeCoverageResponse answer, String what) {
        Map<String, long[]> actual = new TreeMap<>();
        for (CoverageFigures f : answer.getCountiesList()) {
            actual.put(f.getCode(), new long[] {f.getCovered(), f.getTotal()});
        }
        assertEquals(expected.keySet(), actual.keySet(), what);
        expected.forEach((county, f) -> assertEquals(List.of(f[0], f[1]),
                List.of(actual.get(county)[0], actual.get(county)[1]), what + ", county " + county));
    }

    /** Capacity in operation on a date in a county ("" for all), from the steps registered. */
    private static double inOperation(LocalDate on, String county) {
        Map<String, Double> byPlant = new HashMap<>();
        for (Object[] step : programme.capacitySteps) {
            String plant = (String) step[0];
            if (((String) step[1]).startsWith(county) && !((LocalDate) step[2]).isAfter(on)) {
                byPlant.put(plant, (Double) step[3]);
            }
        }
        return byPlant.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static CapacityFigures row(SummarizeCapacityResponse answer, String key) {
        return answer.getRowsList().stream().filter(r -> r.getKey().equals(key)).findFirst().orElseThrow(
                () -> new AssertionError("no row " + key + " in " + answer)).getFigures();
    }

    private static TargetProgress target(PlanProgress progress, TargetType type, String labelPart) {
        return progress.getTargetsList().stream().filter(t -> t.getType() == type && t.getLabel().contains(labelPart))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type + " " + labelPart + " in " + progress));
    }

    private static LocalDate toLocal(Date d) {
        return LocalDate.of(d.getYear(), d.getMonth(), d.getDay());
    }

    private static Path divisionsFile() {
        String dir = System.getenv("QINGLIU_DIVISIONS_DIR");
        return (dir != null ? Path.of(dir) : Path.of("../../shared/data/divisions")).resolve("ziyang-5120.csv");
    }

    /** The n-th town (1-based, by code) of a county, other than its seat. */
    private static String firstTown(Programme p, String county, int n) {
        return p.towns.entrySet().stream().filter(e -> e.getValue().equals(county)).map(Map.Entry::getKey)
                .filter(t -> !t.endsWith("100000") && !t.equals("512022101000")).skip(n - 1).findFirst().orElseThrow();
    }

    private Facility operatingPlant(String name, String town, double tpd, LocalDate since, Programme p) {
        Facility f = project.withWaitForReady().withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS).createFacility(CreateFacilityRequest.newBuilder().setFacility(Facility.newBuilder()
                .setDisplayName(name).setType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT).setLocationCode(town)
                .addServedDivisionCodes(town).setCapacityTonnesPerDay(tpd)
                .setDischargeStandard(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B)
                .setOperatingState(OperatingState.OPERATING_STATE_IN_OPERATION).setOperationDate(date(since))).build());
        p.sewageSince.put(town, since);
        p.capacitySteps.add(new Object[] {f.getName(), f.getCountyCode(), since, tpd});
        return f;
    }

    private static CreateProjectRequest.Builder newBuild(String name, String town, double tpd) {
        return CreateProjectRequest.newBuilder()
                .setProject(Project.newBuilder().setDisplayName(name).setKind(ProjectKind.PROJECT_KIND_NEW_BUILD)
                        .setPlanCode(PLAN).setCapacityAfterTonnesPerDay(tpd)
                        .setStandardAfter(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)
                        .setPlannedStartDate(date(2019, 1, 1)).setPlannedCompletionDate(date(2020, 3, 31))
                        .setPlannedCommissioningDate(date(2020, 6, 30)))
                .setNewFacility(Facility.newBuilder().setDisplayName(name.replace("新建工程", "")).setType(
                        FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT).setLocationCode(town).addServedDivisionCodes(town));
    }

    private static CreateProjectRequest.Builder upgrade(String name, Facility plant, double after) {
        return CreateProjectRequest.newBuilder().setProject(Project.newBuilder().setDisplayName(name)
                .setKind(ProjectKind.PROJECT_KIND_UPGRADE).setPlanCode(PLAN).setFacility(plant.getName())
                .setCapacityAfterTonnesPerDay(after).setStandardAfter(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)
                .setPlannedCommissioningDate(date(2020, 6, 30)));
    }

    private static CreateProjectRequest.Builder onFacility(String name, ProjectKind kind, Facility facility, double after) {
        return CreateProjectRequest.newBuilder().setProject(Project.newBuilder().setDisplayName(name).setKind(kind)
                .setPlanCode(PLAN).setFacility(facility.getName()).setCapacityAfterTonnesPerDay(after)
                .setPlannedCommissioningDate(date(2020, 6, 30)));
    }

    private Project create(CreateProjectRequest.Builder request, Programme p) {
        Project created = project.createProject(request.build());
        p.projects.put(created.getDisplayName(), created);
        return created;
    }

    private void move(Project which, ProjectState state, LocalDate on, Programme p) {
        Project current = p.projects.get(which.getDisplayName());
        Project moved = project.transitionProject(TransitionProjectRequest.newBuilder().setName(current.getName())
                .setState(state).setEffectiveDate(date(on)).setEtag(current.getEtag()).build());
        p.projects.put(moved.getDisplayName(), moved);
    }

    /** Walks a project through its lifecycle to commissioned, every move effective on {@code on}. */
    private void commission(Project which, LocalDate on, Programme p) {
        List<ProjectState> path = List.of(ProjectState.PROJECT_STATE_APPROVED, ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION,
                ProjectState.PROJECT_STATE_COMPLETED, ProjectState.PROJECT_STATE_COMMISSIONED);
        ProjectState from = p.projects.get(which.getDisplayName()).getState();
        for (ProjectState next : path.subList(path.indexOf(from) + 1, path.size())) {
            move(which, next, on, p);
        }
        Project done = p.projects.get(which.getDisplayName());
        if (done.getFacilityType() == FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT) {
            if (done.getKind() == ProjectKind.PROJECT_KIND_NEW_BUILD) {
                p.sewageSince.put(done.getTownshipCode(), on);
            }
            p.capacitySteps.add(new Object[] {done.getFacility(), done.getCountyCode(), on,
                    done.getCapacityAfterTonnesPerDay()});
        }
    }
}
