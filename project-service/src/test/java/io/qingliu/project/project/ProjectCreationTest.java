package io.qingliu.project.project;

import static io.qingliu.project.testing.RegistryFixtures.ANYUE;
import static io.qingliu.project.testing.RegistryFixtures.BAOHE;
import static io.qingliu.project.testing.RegistryFixtures.BAOHE_QINGMING;
import static io.qingliu.project.testing.RegistryFixtures.QINGLIU;
import static io.qingliu.project.testing.RegistryFixtures.QINGLIU_HONGYAN;
import static io.qingliu.project.testing.RegistryFixtures.SHENGCHI;
import static io.qingliu.project.testing.RegistryFixtures.SHENGCHI_DAGOU;
import static io.qingliu.project.testing.RegistryFixtures.YANJIANG;
import static io.qingliu.project.testing.RegistryFixtures.createFacility;
import static io.qingliu.project.testing.RegistryFixtures.createProject;
import static io.qingliu.project.testing.RegistryFixtures.date;
import static io.qingliu.project.testing.RegistryFixtures.expansion;
import static io.qingliu.project.testing.RegistryFixtures.facility;
import static io.qingliu.project.testing.RegistryFixtures.getFacility;
import static io.qingliu.project.testing.RegistryFixtures.getProject;
import static io.qingliu.project.testing.RegistryFixtures.newBuild;
import static io.qingliu.project.testing.RegistryFixtures.onFacility;
import static io.qingliu.project.testing.RegistryFixtures.operatingPlant;
import static io.qingliu.project.testing.RegistryFixtures.plan;
import static io.qingliu.project.testing.RegistryFixtures.unique;
import static io.qingliu.project.testing.RegistryFixtures.upgrade;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.common.v1.OperatingState;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.ChangeType;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.FundingSource;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CreateProject for each kind of works, with what it derives from its facility. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ProjectCreationTest {

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub stub;

    @Test
    void newBuildCreatesItsPlannedFacilityInTheSameTransaction() {
        String plan = plan();
        long head = ChangeFeedReader.currentHead(stub);
        var request = newBuild(plan, "清流镇污水处理厂新建工程 " + unique(), QINGLIU, 1200);
        request.getProjectBuilder().setResponsibleUnit("安岳县住房和城乡建设局").setProgressPercent(0).setNotes("三年行动计划")
                .addFundingSources(FundingSource.newBuilder().setSource("中央预算内投资").setAmountFen(800_000_00L))
                .addFundingSources(FundingSource.newBuilder().setSource("县级财政").setAmountFen(400_000_00L));
        request.getNewFacilityBuilder().addServedDivisionCodes(QINGLIU_HONGYAN);
        Project project = createProject(stub, request);

        assertTrue(project.getName().matches("projects/\\d+"), project.getName());
        assertEquals(ProjectKind.PROJECT_KIND_NEW_BUILD, project.getKind());
        assertEquals(ProjectState.PROJECT_STATE_PLANNED, project.getState());
        assertEquals(0, project.getTransitionsCount(), "creation is not a move");
        assertEquals(ANYUE, project.getCountyCode());
        assertEquals(QINGLIU, project.getTownshipCode());
        assertEquals(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT, project.getFacilityType());
        assertEquals(plan, project.getPlanCode());
        assertEquals(0, project.getCapacityBeforeTonnesPerDay());
        assertEquals(1200, project.getCapacityAfterTonnesPerDay());
        assertEquals(DischargeStandard.DISCHARGE_STANDARD_UNSPECIFIED, project.getStandardBefore());
        assertEquals(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A, project.getStandardAfter());
        assertEquals(date(2018, 10, 1), project.getPlannedStartDate());
        assertEquals(2, project.getFundingSourcesCount());
        assertEquals("安岳县住房和城乡建设局", project.getResponsibleUnit());
        assertFalse(project.hasActualStartDate());
        assertEquals(project, getProject(stub, project.getName()));

        Facility facility = getFacility(stub, project.getFacility());
        assertEquals(OperatingState.OPERATING_STATE_PLANNED, facility.getOperatingState());
        assertEquals(QINGLIU, facility.getLocationCode());
        assertEquals(ANYUE, facility.getCountyCode());
        assertEquals(List.of(QINGLIU, QINGLIU_HONGYAN), facility.getServedDivisionCodesList());
        assertEquals(1200, facility.getCapacityTonnesPerDay(), "the facility is designed with the project's capacity");
        assertEquals(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A, facility.getDischargeStandard());
        assertFalse(facility.hasOperationDate());

        List<Change> changes = ChangeFeedReader.readRange(stub, head, ChangeFeedReader.currentHead(stub));
        assertEquals(2, changes.size(), "facility and project, nothing else");
        assertEquals(facility, changes.get(0).getFacility());
        assertEquals(ChangeType.CHANGE_TYPE_CREATED, changes.get(0).getType());
        assertEquals(project, changes.get(1).getProject());
        assertEquals(ChangeType.CHANGE_TYPE_CREATED, changes.get(1).getType());
        assertEquals(changes.get(0).getRecordTime(), changes.get(1).getRecordTime(), "one transaction");
    }

    @Test
    void newBuildTakesItsDesignFromTheNewFacilityWhenTheProjectLeavesItOut() {
        var request = newBuild(plan(), "大沟村垃圾收集点新建 " + unique(), SHENGCHI_DAGOU, 0);
        request.getProjectBuilder().clearStandardAfter();
        request.setNewFacility(facility(FacilityType.FACILITY_TYPE_GARBAGE_COLLECTION_POINT, "大沟村垃圾收集点 " + unique(),
                SHENGCHI_DAGOU).setCapacityTonnesPerDay(2.5));
        Project project = createProject(stub, request);
        assertEquals(2.5, project.getCapacityAfterTonnesPerDay());
        assertEquals(FacilityType.FACILITY_TYPE_GARBAGE_COLLECTION_POINT, project.getFacilityType());
        assertEquals(SHENGCHI, project.getTownshipCode());
        assertEquals(2.5, getFacility(stub, project.getFacility()).getCapacityTonnesPerDay());
    }

    @Test
    void upgradeStartsFromWhatThePlantHasNow() {
        Facility plant = createFacility(stub, operatingPlant("雁江区保和镇污水处理厂 " + unique(), BAOHE, 1000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, date(2009, 12, 1)));
        Project upgrade = createProject(stub, upgrade(plan(), "保和镇污水处理厂提标改造工程 " + unique(), plant.getName(),
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A));

        assertEquals(ProjectKind.PROJECT_KIND_UPGRADE, upgrade.getKind());
        assertEquals(plant.getName(), upgrade.getFacility());
        assertEquals(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, upgrade.getStandardBefore(), "defaults from the plant");
        assertEquals(1000, upgrade.getCapacityBeforeTonnesPerDay(), "defaults from the plant");
        assertEquals(1000, upgrade.getCapacityAfterTonnesPerDay(), "an upgrade without added capacity keeps it");
        assertEquals(YANJIANG, upgrade.getCountyCode());
        assertEquals(BAOHE, upgrade.getTownshipCode());
        assertEquals(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT, upgrade.getFacilityType());
        assertEquals(plant, getFacility(stub, plant.getName()), "creating a project leaves an existing facility as it is");

        // An upgrade that also adds capacity, to Sichuan's stricter standard.
        var withCapacity = upgrade(plan(), "提标扩能 " + unique(), plant.getName(), DischargeStandard.DISCHARGE_STANDARD_DB51_2311_2016);
        withCapacity.getProjectBuilder().setCapacityAfterTonnesPerDay(1500);
        Project both = createProject(stub, withCapacity);
        assertEquals(1000, both.getCapacityBeforeTonnesPerDay());
        assertEquals(1500, both.getCapacityAfterTonnesPerDay());
    }

    @Test
    void expansionAddsCapacityToAPlantOrAGarbageSite() {
        Facility plant = createFacility(stub, operatingPlant("乐至县城市污水处理厂 " + unique(), SHENGCHI, 20000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A, date(2008, 1, 1)));
        Project expansion = createProject(stub, expansion(plan(), "扩容 " + unique(), plant.getName(), 30000));
        assertEquals(20000, expansion.getCapacityBeforeTonnesPerDay());
        assertEquals(30000, expansion.getCapacityAfterTonnesPerDay());
        assertEquals(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A, expansion.getStandardBefore());

        Facility station = createFacility(stub, facility(FacilityType.FACILITY_TYPE_GARBAGE_TRANSFER_STATION, "转运站 " + unique(),
                SHENGCHI).setCapacityTonnesPerDay(30));
        Project stationExpansion = createProject(stub, expansion(plan(), "转运站扩容 " + unique(), station.getName(), 45));
        assertEquals(30, stationExpansion.getCapacityBeforeTonnesPerDay());
        assertEquals(FacilityType.FACILITY_TYPE_GARBAGE_TRANSFER_STATION, stationExpansion.getFacilityType());
    }

    @Test
    void pipeNetworkWorksExtendAnExistingNetworkOrBuildANewOne() {
        Facility plant = createFacility(stub, operatingPlant("厂 " + unique(), BAOHE, 800,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A, date(2015, 1, 1)));
        Facility network = createFacility(stub, facility(FacilityType.FACILITY_TYPE_PIPE_NETWORK, "保和镇管网 " + unique(), BAOHE)
                .setLengthKm(10).setDownstreamFacility(plant.getName()));
        var extend = onFacility(plan(), "管网延伸 " + unique(), ProjectKind.PROJECT_KIND_PIPE_NETWORK, network.getName());
        extend.getProjectBuilder().setLengthKm(4.5);
        Project extension = createProject(stub, extend);
        assertEquals(4.5, extension.getLengthKm());
        assertEquals(FacilityType.FACILITY_TYPE_PIPE_NETWORK, extension.getFacilityType());

        var build = onFacility(plan(), "清明村管网 " + unique(), ProjectKind.PROJECT_KIND_PIPE_NETWORK, "");
        build.getProjectBuilder().setLengthKm(3.25);
        build.setNewFacility(facility(FacilityType.FACILITY_TYPE_PIPE_NETWORK, "清明村管网 " + unique(), BAOHE_QINGMING)
                .setDownstreamFacility(plant.getName()));
        Project built = createProject(stub, build);
        Facility newNetwork = getFacility(stub, built.getFacility());
        assertEquals(3.25, newNetwork.getLengthKm());
        assertEquals(plant.getName(), newNetwork.getDownstreamFacility());
        assertEquals(OperatingState.OPERATING_STATE_PLANNED, newNetwork.getOperatingState());
    }
}
