package io.qingliu.project.project;

import static io.qingliu.project.testing.RegistryFixtures.BAOHE;
import static io.qingliu.project.testing.RegistryFixtures.QINGLIU;
import static io.qingliu.project.testing.RegistryFixtures.SHENGCHI;
import static io.qingliu.project.testing.RegistryFixtures.createFacility;
import static io.qingliu.project.testing.RegistryFixtures.createProject;
import static io.qingliu.project.testing.RegistryFixtures.date;
import static io.qingliu.project.testing.RegistryFixtures.future;
import static io.qingliu.project.testing.RegistryFixtures.getFacility;
import static io.qingliu.project.testing.RegistryFixtures.getProject;
import static io.qingliu.project.testing.RegistryFixtures.mask;
import static io.qingliu.project.testing.RegistryFixtures.newBuild;
import static io.qingliu.project.testing.RegistryFixtures.operatingPlant;
import static io.qingliu.project.testing.RegistryFixtures.plan;
import static io.qingliu.project.testing.RegistryFixtures.transition;
import static io.qingliu.project.testing.RegistryFixtures.unique;
import static io.qingliu.project.testing.RegistryFixtures.upgrade;
import static io.qingliu.kit.testing.StatusAssertions.assertFieldViolations;
import static io.qingliu.kit.testing.StatusAssertions.assertReason;
import static io.qingliu.kit.testing.StatusAssertions.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.type.Date;
import io.grpc.Status;
import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.common.v1.OperatingState;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.DeleteProjectRequest;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.api.project.v1.StateTransition;
import io.qingliu.api.project.v1.TransitionProjectRequest;
import io.qingliu.api.project.v1.UpdateProjectRequest;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.project.testing.PostgresResource;
import io.qingliu.project.testing.RegistryFixtures;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TransitionProject: the legal moves, their effective dates, and what commissioning does to the facility. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ProjectLifecycleTest {

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub stub;

    private Project newBuildProject() {
        return createProject(stub, newBuild(plan(), "清流镇污水处理厂新建工程 " + unique(), QINGLIU, 1200));
    }

    @Test
    void newBuildGoesAllTheWayAndCommissioningPutsItsFacilityInOperation() {
        Project p = newBuildProject();
        String facilityName = p.getFacility();

        p = transition(stub, p, ProjectState.PROJECT_STATE_APPROVED, date(2018, 11, 5));
        assertEquals(ProjectState.PROJECT_STATE_APPROVED, p.getState());
        assertEquals(OperatingState.OPERATING_STATE_PLANNED, getFacility(stub, facilityName).getOperatingState());

        p = transition(stub, p, ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION, date(2019, 1, 15));
        assertEquals(date(2019, 1, 15), p.getActualStartDate());
        assertEquals(OperatingState.OPERATING_STATE_UNDER_CONSTRUCTION, getFacility(stub, facilityName).getOperatingState(),
                "building starts: the facility is under construction");

        p = transition(stub, p, ProjectState.PROJECT_STATE_COMPLETED, date(2019, 9, 30));
        assertEquals(date(2019, 9, 30), p.getActualCompletionDate());
        assertFalse(p.hasActualCommissioningDate());

        long head = ChangeFeedReader.currentHead(stub);
        p = stub.transitionProject(TransitionProjectRequest.newBuilder().setName(p.getName())
                .setState(ProjectState.PROJECT_STATE_COMMISSIONED).setEffectiveDate(date(2019, 12, 1))
                .setReason("通过环保验收，正式投运").setEtag(p.getEtag()).build());
        assertEquals(ProjectState.PROJECT_STATE_COMMISSIONED, p.getState());
        assertEquals(date(2019, 12, 1), p.getActualCommissioningDate());
        assertEquals(date(2019, 1, 15), p.getActualStartDate());
        assertEquals(date(2019, 9, 30), p.getActualCompletionDate());
        assertEquals(p, getProject(stub, p.getName()));

        List<StateTransition> moves = p.getTransitionsList();
        assertEquals(4, moves.size());
        assertMove(moves.get(0), ProjectState.PROJECT_STATE_PLANNED, ProjectState.PROJECT_STATE_APPROVED, date(2018, 11, 5));
        assertMove(moves.get(1), ProjectState.PROJECT_STATE_APPROVED, ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION, date(2019, 1, 15));
        assertMove(moves.get(2), ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION, ProjectState.PROJECT_STATE_COMPLETED, date(2019, 9, 30));
        assertMove(moves.get(3), ProjectState.PROJECT_STATE_COMPLETED, ProjectState.PROJECT_STATE_COMMISSIONED, date(2019, 12, 1));
        assertEquals("通过环保验收，正式投运", moves.get(3).getReason());
        assertTrue(moves.get(3).hasRecordTime());

        Facility facility = getFacility(stub, facilityName);
        assertEquals(OperatingState.OPERATING_STATE_IN_OPERATION, facility.getOperatingState());
        assertEquals(date(2019, 12, 1), facility.getOperationDate(), "in operation since the commissioning date");
        assertEquals(1200, facility.getCapacityTonnesPerDay());
        assertEquals(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A, facility.getDischargeStandard());

        // Both changes were committed together: the facility's, then the project's, one after the other.
        List<Change> changes = ChangeFeedReader.readRange(stub, head, ChangeFeedReader.currentHead(stub));
        assertEquals(2, changes.size());
        assertEquals(facility, changes.get(0).getFacility());
        assertEquals(p, changes.get(1).getProject());
        assertEquals(changes.get(0).getRecordTime(), changes.get(1).getRecordTime(), "one transaction");

        // Commissioned is final.
        Project done = p;
        var info = assertReason(Status.Code.FAILED_PRECONDITION, "ILLEGAL_TRANSITION",
                () -> transition(stub, done, ProjectState.PROJECT_STATE_SUSPENDED, date(2020, 1, 1)));
        assertEquals("[]", info.getMetadataOrThrow("allowed"));
    }

    @Test
    void commissioningAnUpgradeRaisesThePlantButKeepsItsOperationDate() {
        Facility plant = createFacility(stub, operatingPlant("保和镇污水处理厂 " + unique(), BAOHE, 1000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, date(2010, 5, 1)));
        var request = upgrade(plan(), "保和镇污水处理厂提标扩能工程 " + unique(), plant.getName(),
                DischargeStandard.DISCHARGE_STANDARD_DB51_2311_2016);
        request.getProjectBuilder().setCapacityAfterTonnesPerDay(1500);
        Project p = createProject(stub, request);
        p = transition(stub, p, ProjectState.PROJECT_STATE_APPROVED, date(2018, 12, 1));
        p = transition(stub, p, ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION, date(2019, 3, 1));
        assertEquals(OperatingState.OPERATING_STATE_IN_OPERATION, getFacility(stub, plant.getName()).getOperatingState(),
                "a plant keeps operating while it is upgraded");
        p = transition(stub, p, ProjectState.PROJECT_STATE_COMPLETED, date(2019, 10, 1));
        p = transition(stub, p, ProjectState.PROJECT_STATE_COMMISSIONED, date(2019, 10, 20));

        Facility upgraded = getFacility(stub, plant.getName());
        assertEquals(DischargeStandard.DISCHARGE_STANDARD_DB51_2311_2016, upgraded.getDischargeStandard());
        assertEquals(1500, upgraded.getCapacityTonnesPerDay());
        assertEquals(OperatingState.OPERATING_STATE_IN_OPERATION, upgraded.getOperatingState());
        assertEquals(date(2010, 5, 1), upgraded.getOperationDate(), "the plant has operated since 2010");
    }

    @Test
    void illegalMovesAreRefusedAndChangeNothing() {
        Project p = newBuildProject();
        long head = ChangeFeedReader.currentHead(stub);
        var info = assertReason(Status.Code.FAILED_PRECONDITION, "ILLEGAL_TRANSITION",
                () -> transition(stub, p, ProjectState.PROJECT_STATE_COMPLETED, date(2019, 1, 1)));
        assertEquals("PLANNED", info.getMetadataOrThrow("from"));
        assertEquals("COMPLETED", info.getMetadataOrThrow("to"));
        assertEquals(p.getName(), info.getMetadataOrThrow("resource"));
        assertReason(Status.Code.FAILED_PRECONDITION, "ILLEGAL_TRANSITION",
                () -> transition(stub, p, ProjectState.PROJECT_STATE_COMMISSIONED, date(2019, 1, 1)));
        assertReason(Status.Code.FAILED_PRECONDITION, "ILLEGAL_TRANSITION",
                () -> transition(stub, p, ProjectState.PROJECT_STATE_PLANNED, date(2019, 1, 1)));
        assertEquals(p, getProject(stub, p.getName()));
        assertEquals(head, ChangeFeedReader.currentHead(stub));

        assertFieldViolations(() -> transition(stub, p, ProjectState.PROJECT_STATE_UNSPECIFIED, date(2019, 1, 1)), "state");
        assertFieldViolations(() -> stub.transitionProject(TransitionProjectRequest.newBuilder().setName(p.getName())
                .setStateValue(99).setEffectiveDate(date(2019, 1, 1)).build()), "state");
        assertStatus(Status.Code.NOT_FOUND, () -> transition(stub, p.toBuilder().setName("projects/987654321987").build(),
                ProjectState.PROJECT_STATE_APPROVED, date(2019, 1, 1)));
    }

    @Test
    void effectiveDatesAreRequiredNotInTheFutureAndNotBeforeThePreviousMove() {
        Project p = newBuildProject();
        var future = assertFieldViolations(() -> transition(stub, p, ProjectState.PROJECT_STATE_APPROVED, future()),
                "effective_date");
        assertTrue(future.get(0).getDescription().contains("future"));
        assertFieldViolations(() -> stub.transitionProject(TransitionProjectRequest.newBuilder().setName(p.getName())
                .setState(ProjectState.PROJECT_STATE_APPROVED).build()), "effective_date");
        assertFieldViolations(() -> stub.transitionProject(TransitionProjectRequest.newBuilder().setName(p.getName())
                .setState(ProjectState.PROJECT_STATE_APPROVED).setEffectiveDate(date(2019, 1, 1))
                .setReason("理".repeat(2001)).build()), "reason");
        // Today is allowed.
        Project approvedToday = transition(stub, p, ProjectState.PROJECT_STATE_APPROVED,
                date(LocalDate.now(RegistryFixtures.CHINA)));
        assertEquals(ProjectState.PROJECT_STATE_APPROVED, approvedToday.getState());

        Project q = transition(stub, newBuildProject(), ProjectState.PROJECT_STATE_APPROVED, date(2019, 3, 10));
        long head = ChangeFeedReader.currentHead(stub);
        var before = assertFieldViolations(() -> transition(stub, q, ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION,
                date(2019, 3, 9)), "effective_date");
        assertTrue(before.get(0).getDescription().contains("2019-03-10"));
        assertEquals(q, getProject(stub, q.getName()));
        assertEquals(head, ChangeFeedReader.currentHead(stub));
        // The same day as the previous move is fine.
        assertEquals(date(2019, 3, 10), transition(stub, q, ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION, date(2019, 3, 10))
                .getActualStartDate());
    }

    @Test
    void suspendedProjectResumesToTheStateItWasSuspendedFrom() {
        Project p = newBuildProject();
        p = transition(stub, p, ProjectState.PROJECT_STATE_APPROVED, date(2018, 11, 1));
        p = transition(stub, p, ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION, date(2019, 2, 1));
        p = transition(stub, p, ProjectState.PROJECT_STATE_SUSPENDED, date(2019, 6, 1));
        assertEquals(ProjectState.PROJECT_STATE_SUSPENDED, p.getState());
        assertEquals(OperatingState.OPERATING_STATE_UNDER_CONSTRUCTION, getFacility(stub, p.getFacility()).getOperatingState());

        Project suspended = p;
        var info = assertReason(Status.Code.FAILED_PRECONDITION, "ILLEGAL_TRANSITION",
                () -> transition(stub, suspended, ProjectState.PROJECT_STATE_APPROVED, date(2019, 7, 1)));
        assertEquals("[CANCELLED, UNDER_CONSTRUCTION]", info.getMetadataOrThrow("allowed"));
        assertReason(Status.Code.FAILED_PRECONDITION, "ILLEGAL_TRANSITION",
                () -> transition(stub, suspended, ProjectState.PROJECT_STATE_COMPLETED, date(2019, 7, 1)));
        assertReason(Status.Code.FAILED_PRECONDITION, "ILLEGAL_TRANSITION",
                () -> transition(stub, suspended, ProjectState.PROJECT_STATE_SUSPENDED, date(2019, 7, 1)));

        p = transition(stub, p, ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION, date(2019, 8, 1));
        assertEquals(ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION, p.getState());
        assertEquals(date(2019, 2, 1), p.getActualStartDate(), "resuming does not restart construction");
        assertMove(p.getTransitions(3), ProjectState.PROJECT_STATE_SUSPENDED, ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION,
                date(2019, 8, 1));
        p = transition(stub, p, ProjectState.PROJECT_STATE_COMPLETED, date(2019, 12, 1));
        assertEquals(ProjectState.PROJECT_STATE_COMPLETED, p.getState());

        // Suspended straight from planned resumes to planned.
        Project planned = transition(stub, newBuildProject(), ProjectState.PROJECT_STATE_SUSPENDED, date(2019, 1, 1));
        assertEquals(ProjectState.PROJECT_STATE_PLANNED,
                transition(stub, planned, ProjectState.PROJECT_STATE_PLANNED, date(2019, 2, 1)).getState());
    }

    @Test
    void cancelledIsFinalAndOnlyPlannedOrCancelledProjectsMayBeDeleted() {
        Project p = transition(stub, newBuildProject(), ProjectState.PROJECT_STATE_APPROVED, date(2019, 1, 1));
        Project approved = p;
        assertReason(Status.Code.FAILED_PRECONDITION, "PROJECT_UNDER_WAY",
                () -> stub.deleteProject(DeleteProjectRequest.newBuilder().setName(approved.getName()).build()));
        p = transition(stub, p, ProjectState.PROJECT_STATE_CANCELLED, date(2019, 4, 1));
        Project cancelled = p;
        for (ProjectState to : List.of(ProjectState.PROJECT_STATE_APPROVED, ProjectState.PROJECT_STATE_PLANNED,
                ProjectState.PROJECT_STATE_SUSPENDED, ProjectState.PROJECT_STATE_CANCELLED)) {
            assertReason(Status.Code.FAILED_PRECONDITION, "ILLEGAL_TRANSITION",
                    () -> transition(stub, cancelled, to, date(2019, 5, 1)));
        }
        assertReason(Status.Code.ABORTED, "ETAG_MISMATCH", () -> stub.deleteProject(DeleteProjectRequest.newBuilder()
                .setName(cancelled.getName()).setEtag(approved.getEtag()).build()));
        stub.deleteProject(DeleteProjectRequest.newBuilder().setName(cancelled.getName()).setEtag(cancelled.getEtag()).build());
        assertStatus(Status.Code.NOT_FOUND, () -> getProject(stub, cancelled.getName()));
        // The facility it would have built was never built: it goes with the project.
        assertStatus(Status.Code.NOT_FOUND, () -> getFacility(stub, cancelled.getFacility()));

        // A planned project may be deleted; one under construction may not, even cancelled it keeps its facility.
        Project planned = newBuildProject();
        stub.deleteProject(DeleteProjectRequest.newBuilder().setName(planned.getName()).build());
        assertStatus(Status.Code.NOT_FOUND, () -> getProject(stub, planned.getName()));

        Project building = transition(stub, transition(stub, newBuildProject(), ProjectState.PROJECT_STATE_APPROVED,
                date(2019, 1, 1)), ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION, date(2019, 2, 1));
        assertReason(Status.Code.FAILED_PRECONDITION, "PROJECT_UNDER_WAY",
                () -> stub.deleteProject(DeleteProjectRequest.newBuilder().setName(building.getName()).build()));
        Project abandoned = transition(stub, building, ProjectState.PROJECT_STATE_CANCELLED, date(2019, 3, 1));
        stub.deleteProject(DeleteProjectRequest.newBuilder().setName(abandoned.getName()).build());
        assertEquals(OperatingState.OPERATING_STATE_UNDER_CONSTRUCTION, getFacility(stub, abandoned.getFacility()).getOperatingState(),
                "a facility that was being built stays in the registry");
    }

    @Test
    void designIsFrozenOnceCommissionedButNotesMayChange() {
        Project p = newBuildProject();
        p = commission(p, date(2019, 6, 1));
        Project commissioned = p;
        for (var change : List.of(commissioned.toBuilder().setCapacityAfterTonnesPerDay(2000),
                commissioned.toBuilder().setStandardAfter(DischargeStandard.DISCHARGE_STANDARD_DB51_2311_2016))) {
            String field = change.getCapacityAfterTonnesPerDay() == 2000 ? "capacity_after_tonnes_per_day" : "standard_after";
            var info = assertReason(Status.Code.FAILED_PRECONDITION, "PROJECT_COMMISSIONED",
                    () -> stub.updateProject(UpdateProjectRequest.newBuilder().setProject(change).setUpdateMask(mask(field)).build()));
            assertEquals(field, info.getMetadataOrThrow("field"));
        }
        assertEquals(commissioned, getProject(stub, commissioned.getName()));

        Project noted = stub.updateProject(UpdateProjectRequest.newBuilder()
                .setProject(commissioned.toBuilder().setNotes("2020年运行负荷率85%").setProgressPercent(100))
                .setUpdateMask(mask("notes", "progress_percent")).build());
        assertEquals("2020年运行负荷率85%", noted.getNotes());
        assertEquals(100, noted.getProgressPercent());
        assertEquals(1200, noted.getCapacityAfterTonnesPerDay());
        // `*` with the design unchanged is fine.
        Project same = stub.updateProject(UpdateProjectRequest.newBuilder()
                .setProject(noted.toBuilder().setDisplayName("清流镇污水处理厂（已投运） " + unique())).setUpdateMask(mask("*")).build());
        assertEquals(ProjectState.PROJECT_STATE_COMMISSIONED, same.getState());
        assertEquals(1200, getFacility(stub, same.getFacility()).getCapacityTonnesPerDay());
    }

    @Test
    void staleEtagOnATransitionIsAborted() {
        Project p = newBuildProject();
        Project approved = transition(stub, p, ProjectState.PROJECT_STATE_APPROVED, date(2019, 1, 1));
        assertReason(Status.Code.ABORTED, "ETAG_MISMATCH",
                () -> transition(stub, p, ProjectState.PROJECT_STATE_CANCELLED, date(2019, 2, 1)));
        assertEquals(approved, getProject(stub, p.getName()));
    }

    @Test
    void garbageNewBuildCommissionedInAnotherCountyToo() {
        var request = newBuild(plan(), "盛池镇垃圾转运站新建 " + unique(), SHENGCHI, 0);
        request.getProjectBuilder().clearStandardAfter();
        request.setNewFacility(RegistryFixtures.facility(io.qingliu.api.common.v1.FacilityType.FACILITY_TYPE_GARBAGE_TRANSFER_STATION,
                "盛池镇垃圾转运站 " + unique(), SHENGCHI).setCapacityTonnesPerDay(25));
        Project p = createProject(stub, request);
        p = commission(p, date(2020, 3, 3));
        Facility station = getFacility(stub, p.getFacility());
        assertEquals(OperatingState.OPERATING_STATE_IN_OPERATION, station.getOperatingState());
        assertEquals(25, station.getCapacityTonnesPerDay());
        assertEquals(date(2020, 3, 3), station.getOperationDate());
        assertEquals(DischargeStandard.DISCHARGE_STANDARD_UNSPECIFIED, station.getDischargeStandard());
    }

    @Test
    void commissioningPipeNetworkWorksBuildsOrExtendsTheNetwork() {
        Facility plant = createFacility(stub, operatingPlant("清流镇污水处理厂 " + unique(), QINGLIU, 1000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A, date(2015, 1, 1)));
        Facility network = createFacility(stub, RegistryFixtures.facility(io.qingliu.api.common.v1.FacilityType.FACILITY_TYPE_PIPE_NETWORK,
                "清流镇管网 " + unique(), QINGLIU).setLengthKm(10).setDownstreamFacility(plant.getName())
                .setOperatingState(OperatingState.OPERATING_STATE_IN_OPERATION).setOperationDate(date(2015, 1, 1)));
        var extend = RegistryFixtures.onFacility(plan(), "清流镇管网延伸 " + unique(),
                io.qingliu.api.project.v1.ProjectKind.PROJECT_KIND_PIPE_NETWORK, network.getName());
        extend.getProjectBuilder().setLengthKm(4.5);
        Project p = createProject(stub, extend);
        p = commission(p, date(2019, 5, 5));
        Facility extended = getFacility(stub, network.getName());
        assertEquals(14.5, extended.getLengthKm(), "the works add their length to the network in operation");
        assertEquals(date(2015, 1, 1), extended.getOperationDate());

        var build = RegistryFixtures.onFacility(plan(), "红堰村管网 " + unique(),
                io.qingliu.api.project.v1.ProjectKind.PROJECT_KIND_PIPE_NETWORK, "");
        build.getProjectBuilder().setLengthKm(3.2);
        build.setNewFacility(RegistryFixtures.facility(io.qingliu.api.common.v1.FacilityType.FACILITY_TYPE_PIPE_NETWORK,
                "红堰村管网 " + unique(), RegistryFixtures.QINGLIU_HONGYAN).setDownstreamFacility(plant.getName()));
        Project q = createProject(stub, build);
        q = commission(q, date(2019, 6, 6));
        Facility built = getFacility(stub, q.getFacility());
        assertEquals(3.2, built.getLengthKm(), "a new network is as long as the works built it");
        assertEquals(OperatingState.OPERATING_STATE_IN_OPERATION, built.getOperatingState());
        assertEquals(date(2019, 6, 6), built.getOperationDate());
    }

    /** Moves a planned project through approval, construction and completion to commissioning, all on {@code date}. */
    private Project commission(Project p, Date date) {
        for (var move : List.of(ProjectState.PROJECT_STATE_APPROVED, ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION,
                ProjectState.PROJECT_STATE_COMPLETED, ProjectState.PROJECT_STATE_COMMISSIONED)) {
            p = transition(stub, p, move, date);
        }
        return p;
    }

    private static void assertMove(StateTransition move, ProjectState from, ProjectState to, Date date) {
        assertEquals(from, move.getFromState());
        assertEquals(to, move.getToState());
        assertEquals(date, move.getEffectiveDate());
    }
}
