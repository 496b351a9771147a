package io.qingliu.project.facility;

import static io.qingliu.project.testing.RegistryFixtures.BAOHE;
import static io.qingliu.project.testing.RegistryFixtures.BAOHE_QINGMING;
import static io.qingliu.project.testing.RegistryFixtures.QINGLIU;
import static io.qingliu.project.testing.RegistryFixtures.SHENGCHI;
import static io.qingliu.project.testing.RegistryFixtures.YANJIANG_TOWN;
import static io.qingliu.project.testing.RegistryFixtures.createFacility;
import static io.qingliu.project.testing.RegistryFixtures.createProject;
import static io.qingliu.project.testing.RegistryFixtures.date;
import static io.qingliu.project.testing.RegistryFixtures.expansion;
import static io.qingliu.project.testing.RegistryFixtures.facility;
import static io.qingliu.project.testing.RegistryFixtures.getFacility;
import static io.qingliu.project.testing.RegistryFixtures.mask;
import static io.qingliu.project.testing.RegistryFixtures.newBuild;
import static io.qingliu.project.testing.RegistryFixtures.operatingPlant;
import static io.qingliu.project.testing.RegistryFixtures.plan;
import static io.qingliu.project.testing.RegistryFixtures.plant;
import static io.qingliu.project.testing.RegistryFixtures.unique;
import static io.qingliu.project.testing.RegistryFixtures.upgrade;
import static io.qingliu.kit.testing.StatusAssertions.assertFieldViolations;
import static io.qingliu.kit.testing.StatusAssertions.assertReason;
import static io.qingliu.kit.testing.StatusAssertions.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.google.protobuf.FieldMask;
import io.grpc.Status;
import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.common.v1.OperatingState;
import io.qingliu.api.project.v1.DeleteFacilityRequest;
import io.qingliu.api.project.v1.DeleteProjectRequest;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.UpdateFacilityRequest;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** UpdateFacility (masks, etags, the operating state) and DeleteFacility (references). */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class FacilityUpdateAndDeleteTest {

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub stub;

    private Facility update(Facility facility, FieldMask mask) {
        return stub.updateFacility(UpdateFacilityRequest.newBuilder().setFacility(facility).setUpdateMask(mask).build());
    }

    @Test
    void maskedUpdateChangesOnlyTheNamedField() {
        Facility plant = createFacility(stub, operatingPlant("保和镇污水处理厂 " + unique(), BAOHE, 1000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, date(2010, 3, 1)));
        String newName = "保和镇第一污水处理厂 " + unique();
        // The request carries other changed values too; only the masked field is taken.
        Facility updated = update(plant.toBuilder().setDisplayName(newName).setCapacityTonnesPerDay(5).clearServedDivisionCodes()
                .build(), mask("display_name"));

        assertEquals(newName, updated.getDisplayName());
        assertEquals(plant.toBuilder().setDisplayName(newName).clearEtag().clearUpdateTime().build(),
                updated.toBuilder().clearEtag().clearUpdateTime().build(), "nothing else changed");
        assertNotEquals(plant.getEtag(), updated.getEtag());
        assertEquals(updated, getFacility(stub, plant.getName()));
    }

    @Test
    void starMaskReplacesEveryUpdatableField() {
        Facility plant = createFacility(stub, plant("雁江镇污水处理厂 " + unique(), YANJIANG_TOWN, 500,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B));
        Facility replacement = Facility.newBuilder().setName(plant.getName()).setEtag(plant.getEtag())
                .setType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT)
                .setDisplayName("雁江镇污水处理厂（扩建） " + unique()).setLocationCode(YANJIANG_TOWN)
                .addServedDivisionCodes(YANJIANG_TOWN).addServedDivisionCodes("512002100201")
                .setCapacityTonnesPerDay(750.25).setDischargeStandard(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)
                .setOperatingState(OperatingState.OPERATING_STATE_IN_OPERATION).setOperationDate(date(2017, 7, 1)).build();
        Facility updated = update(replacement, mask("*"));
        assertEquals(replacement.getDisplayName(), updated.getDisplayName());
        assertEquals(List.of(YANJIANG_TOWN, "512002100201"), updated.getServedDivisionCodesList());
        assertEquals(750.25, updated.getCapacityTonnesPerDay());
        assertEquals(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A, updated.getDischargeStandard());
        assertEquals(OperatingState.OPERATING_STATE_IN_OPERATION, updated.getOperatingState());
        assertEquals(date(2017, 7, 1), updated.getOperationDate());

        // `*` with fields left out clears them; an unset display name is then a violation.
        assertFieldViolations(() -> update(Facility.newBuilder().setName(plant.getName())
                .setType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT).setLocationCode(YANJIANG_TOWN)
                .setOperatingState(OperatingState.OPERATING_STATE_IN_OPERATION).build(), mask("*")),
                "facility.display_name", "facility.operation_date");
    }

    @Test
    void unknownOrOutputOnlyMaskPathsAreRejected() {
        Facility plant = createFacility(stub, plant("厂 " + unique(), BAOHE, 500, DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B));
        assertFieldViolations(() -> update(plant, mask("colour")), "update_mask");
        assertFieldViolations(() -> update(plant, mask("display_name", "county_code", "type")), "update_mask", "update_mask");
        // The type cannot change, even with `*`.
        assertFieldViolations(() -> update(plant.toBuilder().setType(FacilityType.FACILITY_TYPE_GARBAGE_DISPOSAL_SITE).build(),
                mask("*")), "facility.type");
        assertEquals(plant, getFacility(stub, plant.getName()));
    }

    @Test
    void staleEtagIsAbortedAndChangesNothing() {
        Facility plant = createFacility(stub, plant("厂 " + unique(), BAOHE, 500, DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B));
        Facility renamed = update(plant.toBuilder().setDisplayName("改名 " + unique()).build(), mask("display_name"));
        long head = ChangeFeedReader.currentHead(stub);
        var info = assertReason(Status.Code.ABORTED, "ETAG_MISMATCH",
                () -> update(plant.toBuilder().setDisplayName("再改名").build(), mask("display_name")));
        assertEquals(renamed.getEtag(), info.getMetadataOrThrow("current_etag"));
        assertEquals(renamed, getFacility(stub, plant.getName()));
        assertEquals(head, ChangeFeedReader.currentHead(stub));
        // Without an etag the update is unconditional.
        Facility again = update(plant.toBuilder().clearEtag().setDisplayName("无条件改名 " + unique()).build(), mask("display_name"));
        assertNotEquals(renamed.getEtag(), again.getEtag());
        assertStatus(Status.Code.NOT_FOUND, () -> update(plant.toBuilder().setName("facilities/987654321987").clearEtag().build(),
                mask("display_name")));
    }

    @Test
    void operatingStateFollowsProjectsAndIsSetDirectlyOnlyToTakeAFacilityOutOfService() {
        // A facility no project acts on: staff may set its state (a plant that existed before the plan).
        Facility free = createFacility(stub, plant("既有厂 " + unique(), QINGLIU, 300, DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B));
        Facility operating = update(free.toBuilder().setOperatingState(OperatingState.OPERATING_STATE_IN_OPERATION)
                .setOperationDate(date(2011, 1, 1)).build(), mask("operating_state", "operation_date"));
        assertEquals(OperatingState.OPERATING_STATE_IN_OPERATION, operating.getOperatingState());

        // Once a project acts on it, its state follows the project ...
        createProject(stub, upgrade(plan(), "既有厂提标改造 " + unique(), operating.getName(), DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A));
        Facility current = getFacility(stub, operating.getName());
        assertReason(Status.Code.FAILED_PRECONDITION, "STATE_DRIVEN_BY_PROJECTS", () -> update(current.toBuilder()
                .setOperatingState(OperatingState.OPERATING_STATE_UNDER_CONSTRUCTION).clearOperationDate().build(),
                mask("operating_state", "operation_date")));
        assertEquals(current, getFacility(stub, operating.getName()));

        // ... except that it may be taken out of service, and back.
        Facility out = update(current.toBuilder().setOperatingState(OperatingState.OPERATING_STATE_OUT_OF_SERVICE)
                .setOutOfServiceDate(date(2020, 8, 1)).build(), mask("operating_state", "out_of_service_date"));
        assertEquals(OperatingState.OPERATING_STATE_OUT_OF_SERVICE, out.getOperatingState());
        assertEquals(date(2020, 8, 1), out.getOutOfServiceDate());
        assertEquals(date(2011, 1, 1), out.getOperationDate());
        Facility back = update(out.toBuilder().setOperatingState(OperatingState.OPERATING_STATE_IN_OPERATION)
                .clearOutOfServiceDate().build(), mask("operating_state", "out_of_service_date"));
        assertEquals(OperatingState.OPERATING_STATE_IN_OPERATION, back.getOperatingState());
        assertFalse(back.hasOutOfServiceDate());

        // A new build's planned facility cannot be put in operation by hand either.
        Project build = createProject(stub, newBuild(plan(), "盛池镇污水处理厂新建工程 " + unique(), SHENGCHI, 400));
        Facility planned = getFacility(stub, build.getFacility());
        assertReason(Status.Code.FAILED_PRECONDITION, "STATE_DRIVEN_BY_PROJECTS", () -> update(planned.toBuilder()
                .setOperatingState(OperatingState.OPERATING_STATE_IN_OPERATION).setOperationDate(date(2019, 1, 1)).build(),
                mask("operating_state", "operation_date")));
    }

    @Test
    void facilityWithProjectsMayNotMoveToAnotherTownship() {
        Facility plant = createFacility(stub, operatingPlant("厂 " + unique(), BAOHE, 500,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, date(2012, 1, 1)));
        createProject(stub, expansion(plan(), "扩容 " + unique(), plant.getName(), 800));
        assertReason(Status.Code.FAILED_PRECONDITION, "FACILITY_HAS_PROJECTS", () -> update(plant.toBuilder()
                .setLocationCode(QINGLIU).clearServedDivisionCodes().addServedDivisionCodes(QINGLIU).clearEtag().build(),
                mask("location_code", "served_division_codes")));
        // Its served units must stay in its county in any case: that is bad input, named as such.
        assertFieldViolations(() -> update(plant.toBuilder().setLocationCode(QINGLIU).clearEtag().build(), mask("location_code")),
                "facility.served_division_codes[0]");
        // Within its township it may move.
        Facility moved = update(plant.toBuilder().setLocationCode(BAOHE_QINGMING).clearEtag().build(), mask("location_code"));
        assertEquals(BAOHE_QINGMING, moved.getLocationCode());
    }

    @Test
    void deleteIsRefusedWhileAProjectOrAnotherFacilityRefersToIt() {
        Facility plant = createFacility(stub, operatingPlant("厂 " + unique(), BAOHE, 500,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, date(2012, 1, 1)));
        Project upgrade = createProject(stub, upgrade(plan(), "提标 " + unique(), plant.getName(), DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A));
        var info = assertReason(Status.Code.FAILED_PRECONDITION, "FACILITY_IN_USE",
                () -> stub.deleteFacility(DeleteFacilityRequest.newBuilder().setName(plant.getName()).build()));
        assertEquals(plant.getName(), info.getMetadataOrThrow("resource"));
        assertEquals(plant, getFacility(stub, plant.getName()));

        stub.deleteProject(DeleteProjectRequest.newBuilder().setName(upgrade.getName()).build());
        Facility network = createFacility(stub, facility(FacilityType.FACILITY_TYPE_PIPE_NETWORK, "管网 " + unique(), BAOHE)
                .setLengthKm(2).setDownstreamFacility(plant.getName()));
        assertReason(Status.Code.FAILED_PRECONDITION, "FACILITY_IN_USE",
                () -> stub.deleteFacility(DeleteFacilityRequest.newBuilder().setName(plant.getName()).build()));

        stub.deleteFacility(DeleteFacilityRequest.newBuilder().setName(network.getName()).setEtag(network.getEtag()).build());
        assertReason(Status.Code.ABORTED, "ETAG_MISMATCH", () -> stub.deleteFacility(DeleteFacilityRequest.newBuilder()
                .setName(plant.getName()).setEtag("\"999\"").build()));
        long head = ChangeFeedReader.currentHead(stub);
        stub.deleteFacility(DeleteFacilityRequest.newBuilder().setName(plant.getName()).setEtag(plant.getEtag()).build());
        assertStatus(Status.Code.NOT_FOUND, () -> getFacility(stub, plant.getName()));
        assertStatus(Status.Code.NOT_FOUND, () -> stub.deleteFacility(DeleteFacilityRequest.newBuilder().setName(plant.getName()).build()));
        var changes = ChangeFeedReader.readRange(stub, head, ChangeFeedReader.currentHead(stub));
        assertEquals(1, changes.size());
        assertEquals(io.qingliu.api.project.v1.ChangeType.CHANGE_TYPE_DELETED, changes.get(0).getType());
        assertEquals(plant.getName(), changes.get(0).getFacility().getName(), "the deletion carries the last state");
    }
}
