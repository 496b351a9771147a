package io.qingliu.project.facility;

import static io.qingliu.project.testing.RegistryFixtures.ANYUE;
import static io.qingliu.project.testing.RegistryFixtures.BAOHE;
import static io.qingliu.project.testing.RegistryFixtures.BAOHE_QINGMING;
import static io.qingliu.project.testing.RegistryFixtures.BAOHE_TONGCHEBA;
import static io.qingliu.project.testing.RegistryFixtures.LEZHI;
import static io.qingliu.project.testing.RegistryFixtures.QINGLIU;
import static io.qingliu.project.testing.RegistryFixtures.QINGLIU_HONGYAN;
import static io.qingliu.project.testing.RegistryFixtures.SHENGCHI;
import static io.qingliu.project.testing.RegistryFixtures.SHENGCHI_DAGOU;
import static io.qingliu.project.testing.RegistryFixtures.YANJIANG;
import static io.qingliu.project.testing.RegistryFixtures.createFacility;
import static io.qingliu.project.testing.RegistryFixtures.date;
import static io.qingliu.project.testing.RegistryFixtures.facility;
import static io.qingliu.project.testing.RegistryFixtures.getFacility;
import static io.qingliu.project.testing.RegistryFixtures.operatingPlant;
import static io.qingliu.project.testing.RegistryFixtures.plant;
import static io.qingliu.project.testing.RegistryFixtures.unique;
import static io.qingliu.kit.testing.StatusAssertions.assertFieldViolations;
import static io.qingliu.kit.testing.StatusAssertions.assertStatus;
import static io.qingliu.kit.testing.StatusAssertions.description;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.common.v1.OperatingState;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.ChangeType;
import io.qingliu.api.project.v1.CreateFacilityRequest;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.GetFacilityRequest;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Registering facilities of each type, with the links of the sewage and garbage chains. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class FacilityRegistrationTest {

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub stub;

    @Test
    void plantThatExistedBeforeThePlanIsRegisteredInOperationWithItsStandard() {
        long head = ChangeFeedReader.currentHead(stub);
        Facility created = createFacility(stub, operatingPlant("保和镇污水处理厂 " + unique(), BAOHE, 2000.5,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, date(2012, 6, 30)).addServedDivisionCodes(BAOHE_QINGMING));

        assertTrue(created.getName().matches("facilities/\\d+"), created.getName());
        assertEquals(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT, created.getType());
        assertEquals(BAOHE, created.getLocationCode());
        assertEquals(YANJIANG, created.getCountyCode(), "county derived from the location");
        assertEquals(BAOHE, created.getTownshipCode(), "township derived from the location");
        assertEquals(List.of(BAOHE, BAOHE_QINGMING), created.getServedDivisionCodesList());
        assertEquals(2000.5, created.getCapacityTonnesPerDay());
        assertEquals(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, created.getDischargeStandard());
        assertEquals(0, created.getLengthKm());
        assertEquals(OperatingState.OPERATING_STATE_IN_OPERATION, created.getOperatingState());
        assertEquals(date(2012, 6, 30), created.getOperationDate());
        assertFalse(created.hasOutOfServiceDate());
        assertFalse(created.getEtag().isEmpty());
        assertTrue(created.hasCreateTime() && created.hasUpdateTime());
        assertEquals(created, getFacility(stub, created.getName()), "GetFacility reads back what create returned");

        List<Change> changes = ChangeFeedReader.readRange(stub, head, ChangeFeedReader.currentHead(stub));
        assertEquals(1, changes.size(), "one change in the feed");
        assertEquals(ChangeType.CHANGE_TYPE_CREATED, changes.get(0).getType());
        assertEquals(created.getName(), changes.get(0).getResourceName());
        assertEquals(created, changes.get(0).getFacility(), "the feed carries the created snapshot");
        assertEquals("test-admin", changes.get(0).getActor());
    }

    @Test
    void plannedPlantAtAVillageDerivesItsTownship() {
        Facility created = createFacility(stub, plant("筒车坝村污水处理站 " + unique(), BAOHE_TONGCHEBA, 80,
                DischargeStandard.DISCHARGE_STANDARD_DB51_2311_2016));
        assertEquals(BAOHE_TONGCHEBA, created.getLocationCode());
        assertEquals(BAOHE, created.getTownshipCode());
        assertEquals(YANJIANG, created.getCountyCode());
        assertEquals(OperatingState.OPERATING_STATE_PLANNED, created.getOperatingState());
        assertFalse(created.hasOperationDate());
    }

    @Test
    void pipeNetworkHasALengthAndFeedsAPlant() {
        Facility plant = createFacility(stub, operatingPlant("清流镇污水处理厂 " + unique(), QINGLIU, 1500,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A, date(2016, 1, 1)));
        Facility network = createFacility(stub, facility(FacilityType.FACILITY_TYPE_PIPE_NETWORK, "清流镇配套管网 " + unique(),
                QINGLIU_HONGYAN).setLengthKm(12.375).setDownstreamFacility(plant.getName()).addServedDivisionCodes(QINGLIU_HONGYAN));

        assertEquals(FacilityType.FACILITY_TYPE_PIPE_NETWORK, network.getType());
        assertEquals(12.375, network.getLengthKm());
        assertEquals(0, network.getCapacityTonnesPerDay(), "a pipe network has no capacity");
        assertEquals(plant.getName(), network.getDownstreamFacility());
        assertEquals(ANYUE, network.getCountyCode());
        assertEquals(QINGLIU, network.getTownshipCode());
    }

    @Test
    void garbageChainRunsFromCollectionPointThroughTransferStationToDisposalSite() {
        Facility site = createFacility(stub, facility(FacilityType.FACILITY_TYPE_GARBAGE_DISPOSAL_SITE,
                "乐至县生活垃圾焚烧厂 " + unique(), SHENGCHI).setCapacityTonnesPerDay(600));
        Facility station = createFacility(stub, facility(FacilityType.FACILITY_TYPE_GARBAGE_TRANSFER_STATION,
                "盛池镇垃圾转运站 " + unique(), SHENGCHI).setCapacityTonnesPerDay(30).setDownstreamFacility(site.getName()));
        Facility point = createFacility(stub, facility(FacilityType.FACILITY_TYPE_GARBAGE_COLLECTION_POINT,
                "大沟村垃圾收集点 " + unique(), SHENGCHI_DAGOU).setCapacityTonnesPerDay(1.5)
                .addServedDivisionCodes(SHENGCHI_DAGOU).setDownstreamFacility(station.getName()));

        assertFalse(site.hasOperationDate());
        assertEquals("", site.getDownstreamFacility(), "a disposal site delivers to nothing");
        assertEquals(site.getName(), station.getDownstreamFacility());
        assertEquals(station.getName(), point.getDownstreamFacility());
        assertEquals(1.5, point.getCapacityTonnesPerDay());
        assertEquals(LEZHI, point.getCountyCode());
        assertEquals(SHENGCHI, point.getTownshipCode());
        assertEquals(DischargeStandard.DISCHARGE_STANDARD_UNSPECIFIED, point.getDischargeStandard());
    }

    @Test
    void downstreamFacilityOfTheWrongTypeIsRejected() {
        Facility site = createFacility(stub, facility(FacilityType.FACILITY_TYPE_GARBAGE_DISPOSAL_SITE,
                "处理场 " + unique(), SHENGCHI).setCapacityTonnesPerDay(300));
        Facility station = createFacility(stub, facility(FacilityType.FACILITY_TYPE_GARBAGE_TRANSFER_STATION,
                "转运站 " + unique(), SHENGCHI).setCapacityTonnesPerDay(20));
        Facility plant = createFacility(stub, plant("污水处理厂 " + unique(), SHENGCHI, 500,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A));

        // A collection point delivers to a transfer station, not straight to a disposal site.
        var violations = assertFieldViolations(() -> createFacility(stub, facility(
                FacilityType.FACILITY_TYPE_GARBAGE_COLLECTION_POINT, "收集点 " + unique(), SHENGCHI_DAGOU)
                .setCapacityTonnesPerDay(1).setDownstreamFacility(site.getName())), "facility.downstream_facility");
        assertTrue(description(violations, "facility.downstream_facility").contains("garbage transfer station"));
        // A pipe network feeds a plant, not a transfer station.
        assertFieldViolations(() -> createFacility(stub, facility(FacilityType.FACILITY_TYPE_PIPE_NETWORK,
                "管网 " + unique(), SHENGCHI).setLengthKm(3).setDownstreamFacility(station.getName())),
                "facility.downstream_facility");
        // A transfer station delivers to a disposal site, not a plant.
        assertFieldViolations(() -> createFacility(stub, facility(FacilityType.FACILITY_TYPE_GARBAGE_TRANSFER_STATION,
                "转运站 " + unique(), SHENGCHI).setCapacityTonnesPerDay(20).setDownstreamFacility(plant.getName())),
                "facility.downstream_facility");
        // A plant delivers to nothing.
        assertFieldViolations(() -> createFacility(stub, plant("污水处理厂 " + unique(), SHENGCHI, 500,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A).setDownstreamFacility(plant.getName())),
                "facility.downstream_facility");
        // A downstream facility that does not exist, or a malformed name.
        assertFieldViolations(() -> createFacility(stub, facility(FacilityType.FACILITY_TYPE_PIPE_NETWORK,
                "管网 " + unique(), SHENGCHI).setLengthKm(3).setDownstreamFacility("facilities/987654321987")),
                "facility.downstream_facility");
        assertFieldViolations(() -> createFacility(stub, facility(FacilityType.FACILITY_TYPE_PIPE_NETWORK,
                "管网 " + unique(), SHENGCHI).setLengthKm(3).setDownstreamFacility("plants/1")),
                "facility.downstream_facility");
    }

    @Test
    void typeSpecificQuantitiesAreChecked() {
        // A pipe network has a length, not a capacity or a standard.
        assertFieldViolations(() -> createFacility(stub, facility(FacilityType.FACILITY_TYPE_PIPE_NETWORK, "管网 " + unique(),
                BAOHE).setLengthKm(2).setCapacityTonnesPerDay(100)
                .setDischargeStandard(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)),
                "facility.capacity_tonnes_per_day", "facility.discharge_standard");
        // Only pipe networks have a length; only plants a discharge standard.
        assertFieldViolations(() -> createFacility(stub, facility(FacilityType.FACILITY_TYPE_GARBAGE_TRANSFER_STATION,
                "转运站 " + unique(), BAOHE).setCapacityTonnesPerDay(10).setLengthKm(1)
                .setDischargeStandard(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)),
                "facility.length_km", "facility.discharge_standard");
        // The type is required and must be known.
        assertFieldViolations(() -> createFacility(stub, facility(FacilityType.FACILITY_TYPE_UNSPECIFIED, "无类型 " + unique(),
                BAOHE)), "facility.type");
        assertFieldViolations(() -> createFacility(stub, facility(FacilityType.FACILITY_TYPE_UNSPECIFIED, "未知类型 " + unique(),
                BAOHE).setTypeValue(42)), "facility.type");
    }

    @Test
    void plantInOperationNeedsItsOperationDateAndDatesMayNotLieInTheFuture() {
        var missing = assertFieldViolations(() -> createFacility(stub, plant("老厂 " + unique(), BAOHE, 1000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B)
                .setOperatingState(OperatingState.OPERATING_STATE_IN_OPERATION)), "facility.operation_date");
        assertTrue(description(missing, "facility.operation_date").contains("required"));

        var future = assertFieldViolations(() -> createFacility(stub, operatingPlant("未来厂 " + unique(), BAOHE, 1000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, io.qingliu.project.testing.RegistryFixtures.future())),
                "facility.operation_date");
        assertTrue(description(future, "facility.operation_date").contains("future"));

        // A planned facility has no operation date yet.
        assertFieldViolations(() -> createFacility(stub, plant("规划厂 " + unique(), BAOHE, 1000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B).setOperationDate(date(2015, 1, 1))),
                "facility.operation_date");
        // Out of service: both dates, in order; the state is required.
        assertFieldViolations(() -> createFacility(stub, operatingPlant("停运厂 " + unique(), BAOHE, 1000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, date(2015, 1, 1))
                .setOperatingState(OperatingState.OPERATING_STATE_OUT_OF_SERVICE)), "facility.out_of_service_date");
        assertFieldViolations(() -> createFacility(stub, operatingPlant("停运厂 " + unique(), BAOHE, 1000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, date(2015, 1, 1))
                .setOperatingState(OperatingState.OPERATING_STATE_OUT_OF_SERVICE).setOutOfServiceDate(date(2014, 1, 1))),
                "facility.out_of_service_date");
        assertFieldViolations(() -> createFacility(stub, plant("无状态 " + unique(), BAOHE, 1000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B)
                .setOperatingState(OperatingState.OPERATING_STATE_UNSPECIFIED)), "facility.operating_state");
        // An impossible calendar date.
        assertFieldViolations(() -> createFacility(stub, operatingPlant("坏日期 " + unique(), BAOHE, 1000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, date(2019, 2, 30))), "facility.operation_date");

        Facility outOfService = createFacility(stub, operatingPlant("停运厂 " + unique(), BAOHE, 1000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, date(2005, 1, 1))
                .setOperatingState(OperatingState.OPERATING_STATE_OUT_OF_SERVICE).setOutOfServiceDate(date(2018, 3, 1)));
        assertEquals(OperatingState.OPERATING_STATE_OUT_OF_SERVICE, outOfService.getOperatingState());
        assertEquals(date(2018, 3, 1), outOfService.getOutOfServiceDate());
    }

    @Test
    void createFacilityRetriedWithTheSameRequestIdCreatesOnce() {
        String requestId = UUID.randomUUID().toString();
        CreateFacilityRequest request = CreateFacilityRequest.newBuilder().setRequestId(requestId)
                .setFacility(plant("幂等厂 " + unique(), QINGLIU, 300, DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A))
                .build();
        Facility first = stub.createFacility(request);
        long head = ChangeFeedReader.currentHead(stub);
        Facility again = stub.createFacility(request);
        assertEquals(first, again, "the retry answers the first result");
        assertEquals(head, ChangeFeedReader.currentHead(stub), "the retry wrote nothing");
        assertFieldViolations(() -> stub.createFacility(request.toBuilder()
                .setFacility(request.getFacility().toBuilder().setCapacityTonnesPerDay(301)).build()), "request_id");
        assertFieldViolations(() -> stub.createFacility(request.toBuilder().setRequestId("not-a-uuid").build()),
                "request_id");
    }

    @Test
    void getFacilityOfAnUnknownOrMalformedName() {
        assertStatus(Status.Code.NOT_FOUND,
                () -> stub.getFacility(GetFacilityRequest.newBuilder().setName("facilities/987654321987").build()));
        assertFieldViolations(() -> stub.getFacility(GetFacilityRequest.newBuilder().setName("facility/1").build()), "name");
        assertFieldViolations(() -> stub.getFacility(GetFacilityRequest.newBuilder().setName("").build()), "name");
    }
}
