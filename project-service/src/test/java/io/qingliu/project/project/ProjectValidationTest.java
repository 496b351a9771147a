package io.qingliu.project.project;

import static io.qingliu.project.testing.RegistryFixtures.BAOHE;
import static io.qingliu.project.testing.RegistryFixtures.QINGLIU;
import static io.qingliu.project.testing.RegistryFixtures.SHENGCHI;
import static io.qingliu.project.testing.RegistryFixtures.createFacility;
import static io.qingliu.project.testing.RegistryFixtures.createProject;
import static io.qingliu.project.testing.RegistryFixtures.date;
import static io.qingliu.project.testing.RegistryFixtures.expansion;
import static io.qingliu.project.testing.RegistryFixtures.facility;
import static io.qingliu.project.testing.RegistryFixtures.newBuild;
import static io.qingliu.project.testing.RegistryFixtures.onFacility;
import static io.qingliu.project.testing.RegistryFixtures.operatingPlant;
import static io.qingliu.project.testing.RegistryFixtures.plan;
import static io.qingliu.project.testing.RegistryFixtures.projectsOfPlan;
import static io.qingliu.project.testing.RegistryFixtures.unique;
import static io.qingliu.project.testing.RegistryFixtures.upgrade;
import static io.qingliu.kit.testing.StatusAssertions.assertFieldViolations;
import static io.qingliu.kit.testing.StatusAssertions.description;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.project.v1.CreateProjectRequest;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.FundingSource;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.project.testing.PostgresResource;
import io.qingliu.project.testing.RegistryFixtures;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CreateProject rejects what is wrong, naming every field, and creates nothing. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ProjectValidationTest {

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub stub;

    private String plan;
    private Facility plant;

    @BeforeEach
    void plantInOperation() {
        plan = plan();
        plant = createFacility(stub, operatingPlant("保和镇污水处理厂 " + unique(), BAOHE, 1000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A, date(2010, 1, 1)));
    }

    private void assertRejected(CreateProjectRequest.Builder request, String... fields) {
        long head = ChangeFeedReader.currentHead(stub);
        assertFieldViolations(() -> createProject(stub, request), fields);
        assertEquals(0, projectsOfPlan(stub, plan).size(), "nothing created");
        assertEquals(head, ChangeFeedReader.currentHead(stub), "nothing written to the feed");
    }

    @Test
    void upgradeMustRaiseTheStandard() {
        var same = upgrade(plan, "提标 " + unique(), plant.getName(), DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A);
        assertRejected(same, "project.standard_after");
        var looser = upgrade(plan, "降标 " + unique(), plant.getName(), DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B);
        assertRejected(looser, "project.standard_after");
        var none = onFacility(plan, "无标准 " + unique(), ProjectKind.PROJECT_KIND_UPGRADE, plant.getName());
        assertRejected(none, "project.standard_after");
        // A stated standard_before is checked as stated; and an upgrade may not shrink capacity.
        var stated = upgrade(plan, "提标 " + unique(), plant.getName(), DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A);
        stated.getProjectBuilder().setStandardBefore(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)
                .setCapacityAfterTonnesPerDay(900);
        assertRejected(stated, "project.standard_after", "project.capacity_after_tonnes_per_day");
    }

    @Test
    void expansionMustAddCapacity() {
        assertRejected(expansion(plan, "扩容 " + unique(), plant.getName(), 1000), "project.capacity_after_tonnes_per_day");
        assertRejected(expansion(plan, "缩容 " + unique(), plant.getName(), 800), "project.capacity_after_tonnes_per_day");
        var looser = expansion(plan, "扩容降标 " + unique(), plant.getName(), 1500);
        looser.getProjectBuilder().setStandardAfter(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_2);
        assertRejected(looser, "project.standard_after");
    }

    @Test
    void kindMustFitTheFacilityType() {
        Facility station = createFacility(stub, facility(FacilityType.FACILITY_TYPE_GARBAGE_TRANSFER_STATION, "转运站 " + unique(),
                SHENGCHI).setCapacityTonnesPerDay(30));
        var onStation = upgrade(plan, "转运站提标 " + unique(), station.getName(), DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A);
        assertRejected(onStation, "project.facility", "project.standard_after");
        var network = onFacility(plan, "厂当管网 " + unique(), ProjectKind.PROJECT_KIND_PIPE_NETWORK, plant.getName());
        network.getProjectBuilder().setLengthKm(3);
        assertRejected(network, "project.facility", "project.length_km");
    }

    @Test
    void facilityMustBeNamedAndExist() {
        assertRejected(upgrade(plan, "无设施 " + unique(), "", DischargeStandard.DISCHARGE_STANDARD_DB51_2311_2016),
                "project.facility");
        assertRejected(upgrade(plan, "不存在 " + unique(), "facilities/987654321987",
                DischargeStandard.DISCHARGE_STANDARD_DB51_2311_2016), "project.facility");
        assertRejected(upgrade(plan, "格式错 " + unique(), "plants/7", DischargeStandard.DISCHARGE_STANDARD_DB51_2311_2016),
                "project.facility");
    }

    @Test
    void onlyWorksThatBuildAFacilityMayCarryANewFacility() {
        var upgrade = upgrade(plan, "提标 " + unique(), plant.getName(), DischargeStandard.DISCHARGE_STANDARD_DB51_2311_2016);
        upgrade.setNewFacility(RegistryFixtures.plant("新厂 " + unique(), QINGLIU, 100, DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A));
        assertRejected(upgrade, "new_facility");

        var buildWithoutFacility = newBuild(plan, "新建 " + unique(), QINGLIU, 500).clearNewFacility();
        assertRejected(buildWithoutFacility, "new_facility");

        var buildNamingAFacility = newBuild(plan, "新建 " + unique(), QINGLIU, 500);
        buildNamingAFacility.getProjectBuilder().setFacility(plant.getName());
        assertRejected(buildNamingAFacility, "project.facility");

        // The new facility is checked like any facility, under new_facility.
        var badFacility = newBuild(plan, "新建 " + unique(), "512002999000", 500);
        badFacility.getNewFacilityBuilder().setDisplayName("").clearServedDivisionCodes();
        assertRejected(badFacility, "new_facility.display_name", "new_facility.location_code");
        var operating = newBuild(plan, "新建 " + unique(), QINGLIU, 500);
        operating.getNewFacilityBuilder().setOperatingState(io.qingliu.api.common.v1.OperatingState.OPERATING_STATE_IN_OPERATION);
        assertRejected(operating, "new_facility.operating_state");
    }

    @Test
    void newBuildNeedsCapacityAndAPlantItsStandard() {
        var noCapacity = newBuild(plan, "新建 " + unique(), QINGLIU, 0);
        assertRejected(noCapacity, "project.capacity_after_tonnes_per_day");
        var noStandard = newBuild(plan, "新建 " + unique(), QINGLIU, 500);
        noStandard.getProjectBuilder().clearStandardAfter();
        assertRejected(noStandard, "project.standard_after");
        var withBefore = newBuild(plan, "新建 " + unique(), QINGLIU, 500);
        withBefore.getProjectBuilder().setCapacityBeforeTonnesPerDay(100);
        assertRejected(withBefore, "project.capacity_before_tonnes_per_day");
    }

    @Test
    void plannedDatesMustBeInOrder() {
        var completionFirst = newBuild(plan, "新建 " + unique(), QINGLIU, 500);
        completionFirst.getProjectBuilder().setPlannedStartDate(date(2019, 5, 1)).setPlannedCompletionDate(date(2019, 4, 30));
        assertRejected(completionFirst, "project.planned_completion_date");
        var commissioningFirst = newBuild(plan, "新建 " + unique(), QINGLIU, 500);
        commissioningFirst.getProjectBuilder().setPlannedCommissioningDate(date(2019, 9, 1));
        assertRejected(commissioningFirst, "project.planned_commissioning_date");
        var impossible = newBuild(plan, "新建 " + unique(), QINGLIU, 500);
        impossible.getProjectBuilder().setPlannedStartDate(date(2019, 13, 1));
        assertRejected(impossible, "project.planned_start_date");
    }

    @Test
    void fundingMayNotExceedTheInvestment() {
        var over = newBuild(plan, "新建 " + unique(), QINGLIU, 500);
        over.getProjectBuilder().setInvestmentFen(1_000_00L)
                .addFundingSources(FundingSource.newBuilder().setSource("省级专项资金").setAmountFen(600_00L))
                .addFundingSources(FundingSource.newBuilder().setSource("县级财政").setAmountFen(400_01L));
        assertRejected(over, "project.funding_sources");
        var badSources = newBuild(plan, "新建 " + unique(), QINGLIU, 500);
        badSources.getProjectBuilder().setInvestmentFen(-1)
                .addFundingSources(FundingSource.newBuilder().setSource("").setAmountFen(1))
                .addFundingSources(FundingSource.newBuilder().setSource("PPP").setAmountFen(-5));
        assertRejected(badSources, "project.investment_fen", "project.funding_sources[0].source",
                "project.funding_sources[1].amount_fen", "project.funding_sources");
        // Exactly the investment is fine.
        var exact = newBuild(plan, "新建 " + unique(), QINGLIU, 500);
        exact.getProjectBuilder().setInvestmentFen(1_000_00L)
                .addFundingSources(FundingSource.newBuilder().setSource("省级专项资金").setAmountFen(600_00L))
                .addFundingSources(FundingSource.newBuilder().setSource("县级财政").setAmountFen(400_00L));
        assertEquals(2, createProject(stub, exact).getFundingSourcesCount());
    }

    @Test
    void progressNamesAndPlanCodesAreChecked() {
        var progress = newBuild(plan, "新建 " + unique(), QINGLIU, 500);
        progress.getProjectBuilder().setProgressPercent(101);
        assertRejected(progress, "project.progress_percent");
        var negative = newBuild(plan, "新建 " + unique(), QINGLIU, 500);
        negative.getProjectBuilder().setProgressPercent(-1);
        assertRejected(negative, "project.progress_percent");
        var empty = newBuild(plan, "", QINGLIU, 500);
        empty.getNewFacilityBuilder().setDisplayName("新厂 " + unique());
        assertRejected(empty, "project.display_name");
        var oversized = newBuild(plan, "工".repeat(201), QINGLIU, 500);
        oversized.getNewFacilityBuilder().setDisplayName("新厂 " + unique());
        assertRejected(oversized, "project.display_name");
        var badPlan = newBuild(plan, "新建 " + unique(), QINGLIU, 500);
        badPlan.getProjectBuilder().setPlanCode("ZY 2018/2020");
        var violations = assertFieldViolations(() -> createProject(stub, badPlan), "project.plan_code");
        assertTrue(description(violations, "project.plan_code").contains("letters, digits"));
        var longNotes = newBuild(plan, "新建 " + unique(), QINGLIU, 500);
        longNotes.getProjectBuilder().setNotes("注".repeat(2001)).setResponsibleUnit("单".repeat(201));
        assertRejected(longNotes, "project.notes", "project.responsible_unit");
    }

    @Test
    void unknownEnumNumbersAreRejected() {
        var kind = upgrade(plan, "未知类型 " + unique(), plant.getName(), DischargeStandard.DISCHARGE_STANDARD_DB51_2311_2016);
        kind.getProjectBuilder().setKindValue(99);
        var violations = assertFieldViolations(() -> createProject(stub, kind), "project.kind");
        assertTrue(description(violations, "project.kind").contains("99"));
        var noKind = upgrade(plan, "无类型 " + unique(), plant.getName(), DischargeStandard.DISCHARGE_STANDARD_DB51_2311_2016);
        noKind.getProjectBuilder().setKindValue(0);
        assertRejected(noKind, "project.kind");
        var standard = upgrade(plan, "未知标准 " + unique(), plant.getName(), DischargeStandard.DISCHARGE_STANDARD_DB51_2311_2016);
        standard.getProjectBuilder().setStandardAfterValue(99).setStandardBeforeValue(77);
        assertRejected(standard, "project.standard_after", "project.standard_before");
        assertEquals(0, projectsOfPlan(stub, plan).size());
    }

    @Test
    void everyViolationIsNamedAtOnce() {
        var request = newBuild(plan, " ", "512002000000", 500);
        request.getProjectBuilder()
                .setPlanCode(plan + "!")                                          // letters, digits, - and _ only
                .setPlannedStartDate(date(2019, 6, 1)).setPlannedCompletionDate(date(2019, 1, 1))
                .setInvestmentFen(100).addFundingSources(FundingSource.newBuilder().setSource("县级财政").setAmountFen(200))
                .setProgressPercent(101);
        request.getNewFacilityBuilder().setDisplayName("新厂 " + unique()).clearServedDivisionCodes();
        long head = ChangeFeedReader.currentHead(stub);
        assertFieldViolations(() -> createProject(stub, request), "project.display_name", "project.plan_code",
                "project.planned_completion_date", "project.funding_sources", "project.progress_percent",
                "new_facility.location_code");
        assertEquals(head, ChangeFeedReader.currentHead(stub));
        assertEquals(0, projectsOfPlan(stub, plan).size());
        assertEquals(0, projectsOfPlan(stub, plan + "!").size());
    }
}
