package io.qingliu.project.auth;

import static io.qingliu.kit.testing.StatusAssertions.assertInvalid;
import static io.qingliu.kit.testing.StatusAssertions.assertReason;
import static io.qingliu.project.testing.RegistryFixtures.ANYUE;
import static io.qingliu.project.testing.RegistryFixtures.BAOHE;
import static io.qingliu.project.testing.RegistryFixtures.LEZHI;
import static io.qingliu.project.testing.RegistryFixtures.QINGLIU;
import static io.qingliu.project.testing.RegistryFixtures.SHENGCHI;
import static io.qingliu.project.testing.RegistryFixtures.SHENGCHI_DAGOU;
import static io.qingliu.project.testing.RegistryFixtures.YUEYANG;
import static io.qingliu.project.testing.RegistryFixtures.createFacility;
import static io.qingliu.project.testing.RegistryFixtures.createProject;
import static io.qingliu.project.testing.RegistryFixtures.date;
import static io.qingliu.project.testing.RegistryFixtures.getProject;
import static io.qingliu.project.testing.RegistryFixtures.newBuild;
import static io.qingliu.project.testing.RegistryFixtures.plan;
import static io.qingliu.project.testing.RegistryFixtures.plant;
import static io.qingliu.project.testing.RegistryFixtures.projectsOfPlan;
import static io.qingliu.project.testing.RegistryFixtures.transition;
import static io.qingliu.project.testing.RegistryFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.project.v1.AuditRecord;
import io.qingliu.api.project.v1.CreateFacilityRequest;
import io.qingliu.api.project.v1.DeleteProjectRequest;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.GetDivisionRequest;
import io.qingliu.api.project.v1.ImportDivisionsRequest;
import io.qingliu.api.project.v1.ImportProjectsRequest;
import io.qingliu.api.project.v1.ImportProjectsResponse;
import io.qingliu.api.project.v1.ListProjectHistoryRequest;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectImportEntry;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectServiceGrpc.ProjectServiceBlockingStub;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.api.project.v1.UpdateDivisionRequest;
import io.qingliu.api.project.v1.UpdateFacilityRequest;
import io.qingliu.kit.auth.Role;
import io.qingliu.kit.testing.TestTokens;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.kit.testing.ClientStreams;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/**
 * Who may change the registry, checked by the service itself: a call without a valid token is
 * refused before anything runs; a viewer reads; Anyue's county system writes the facilities and
 * projects of Anyue and nothing of Lezhi's, whichever door it tries (create, update, transition,
 * delete, import); and the audit trail names the subject and role of whoever wrote.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class RegistryAccessTest {

    @GrpcClient("project")
    ProjectServiceBlockingStub stub;

    @GrpcClient("project")
    HealthGrpc.HealthBlockingStub health;

    @Inject
    ProjectServiceGrpc.ProjectServiceStub async;

    private ProjectServiceBlockingStub as(Role role, String county) {
        return stub.withCallCredentials(TestTokens.as(role, county));
    }

    private ProjectServiceBlockingStub anyue() {
        return stub.withCallCredentials(TestTokens.bearer(TestTokens.token("anyue-county-system", Role.COUNTY, ANYUE,
                Duration.ofMinutes(10))));
    }

    @Test
    void aCallWithoutAValidTokenIsRefusedButHealthAnswersAnyone() {
        GetDivisionRequest read = GetDivisionRequest.newBuilder().setName("divisions/" + BAOHE).build();
        assertReason(Status.Code.UNAUTHENTICATED, "TOKEN_MISSING", () -> stub.withCallCredentials(TestTokens.none()).getDivision(read));
        assertReason(Status.Code.UNAUTHENTICATED, "TOKEN_INVALID",
                () -> stub.withCallCredentials(TestTokens.bearer("not-a-token")).getDivision(read));
        assertReason(Status.Code.UNAUTHENTICATED, "TOKEN_EXPIRED", () -> stub.withCallCredentials(TestTokens.bearer(
                TestTokens.token("late", Role.ADMIN, null, Duration.ofMinutes(-5)))).getDivision(read));
        JwtClaims otherIssuer = new JwtClaims();
        otherIssuer.setIssuer("someone-else");
        otherIssuer.setSubject("intruder");
        otherIssuer.setExpirationTime(NumericDate.fromMilliseconds(System.currentTimeMillis() + 60_000));
        otherIssuer.setStringListClaim("groups", List.of("admin"));
        assertReason(Status.Code.UNAUTHENTICATED, "TOKEN_INVALID",
                () -> stub.withCallCredentials(TestTokens.bearer(TestTokens.signed(otherIssuer))).getDivision(read));

        // A refused write changes nothing: the feed's head stays where it was.
        long head = ChangeFeedReader.currentHead(stub);
        assertReason(Status.Code.UNAUTHENTICATED, "TOKEN_MISSING", () -> stub.withCallCredentials(TestTokens.none())
                .createFacility(CreateFacilityRequest.newBuilder().setFacility(plant(unique(), BAOHE, 500,
                        DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)).build()));
        assertEquals(head, ChangeFeedReader.currentHead(stub));

        HealthCheckResponse serving = health.withCallCredentials(TestTokens.none()).check(HealthCheckRequest.getDefaultInstance());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, serving.getStatus());
    }

    @Test
    void aViewerReadsEverythingAndWritesNothing() {
        ProjectServiceBlockingStub viewer = as(Role.VIEWER, null);
        assertEquals("divisions/" + BAOHE, viewer.getDivision(GetDivisionRequest.newBuilder().setName("divisions/" + BAOHE)
                .build()).getName());
        long head = ChangeFeedReader.currentHead(viewer);
        var refused = assertReason(Status.Code.PERMISSION_DENIED, "ROLE_NOT_ALLOWED", () -> viewer.createFacility(
                CreateFacilityRequest.newBuilder().setFacility(plant(unique(), BAOHE, 500,
                        DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)).build()));
        assertEquals("viewer", refused.getMetadataOrThrow("role"));
        assertEquals("qingliu.project.v1.ProjectService/CreateFacility", refused.getMetadataOrThrow("method"));
        assertEquals(head, ChangeFeedReader.currentHead(stub));
    }

    @Test
    void onlyTheCitysPlannersSetBasinsAndOnlyAdminsImportDivisionLists() {
        UpdateDivisionRequest basin = UpdateDivisionRequest.newBuilder()
                .setDivision(io.qingliu.api.project.v1.Division.newBuilder().setName("divisions/" + QINGLIU).setBasin("沱江"))
                .setUpdateMask(com.google.protobuf.FieldMask.newBuilder().addPaths("basin")).build();
        assertReason(Status.Code.PERMISSION_DENIED, "ROLE_NOT_ALLOWED", () -> anyue().updateDivision(basin));
        assertEquals("沱江", as(Role.PLANNER, null).updateDivision(basin).getBasin());

        var planner = async.withCallCredentials(TestTokens.as(Role.PLANNER, null));
        Throwable e = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, () -> ClientStreams.send(
                planner::importDivisions, List.of(ImportDivisionsRequest.getDefaultInstance())));
        assertEquals(Status.Code.PERMISSION_DENIED, Status.fromThrowable(e).getCode(), e.toString());
    }

    @Test
    void aCountySystemWritesItsOwnCountysFacilitiesAndNoOtherCountys() {
        Facility own = anyue().createFacility(CreateFacilityRequest.newBuilder().setFacility(plant("清流镇污水处理厂 " + unique(),
                QINGLIU, 500, DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)).build());
        assertEquals(ANYUE, own.getCountyCode());

        long head = ChangeFeedReader.currentHead(stub);
        var elsewhere = assertReason(Status.Code.PERMISSION_DENIED, "OTHER_COUNTY", () -> anyue().createFacility(
                CreateFacilityRequest.newBuilder().setFacility(plant(unique(), SHENGCHI, 500,
                        DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)).build()));
        assertEquals(ANYUE, elsewhere.getMetadataOrThrow("caller_county"));
        assertEquals(LEZHI, elsewhere.getMetadataOrThrow("record_county"));
        // Its own plant may not move to Lezhi. (Serving a village of Lezhi is refused to anyone: a
        // facility serves units of its own county.)
        assertInvalid(() -> anyue().createFacility(CreateFacilityRequest.newBuilder().setFacility(plant(unique(), QINGLIU,
                500, DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A).addServedDivisionCodes(SHENGCHI_DAGOU)).build()),
                "facility.served_division_codes[1]");
        assertReason(Status.Code.PERMISSION_DENIED, "OTHER_COUNTY", () -> anyue().updateFacility(UpdateFacilityRequest
                .newBuilder().setFacility(Facility.newBuilder().setName(own.getName()).setLocationCode(SHENGCHI)
                        .clearServedDivisionCodes().addServedDivisionCodes(SHENGCHI))
                .setUpdateMask(com.google.protobuf.FieldMask.newBuilder().addPaths("location_code").addPaths("served_division_codes"))
                .build()));
        // Lezhi's plant, registered by the city, is out of Anyue's reach.
        Facility lezhis = createFacility(stub, plant(unique(), SHENGCHI, 800, DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B));
        long afterCity = ChangeFeedReader.currentHead(stub);
        assertEquals(head + 1, afterCity, "only the city's own write reached the feed");
        assertReason(Status.Code.PERMISSION_DENIED, "OTHER_COUNTY", () -> anyue().updateFacility(UpdateFacilityRequest
                .newBuilder().setFacility(Facility.newBuilder().setName(lezhis.getName()).setCapacityTonnesPerDay(900))
                .setUpdateMask(com.google.protobuf.FieldMask.newBuilder().addPaths("capacity_tonnes_per_day")).build()));
        assertReason(Status.Code.PERMISSION_DENIED, "OTHER_COUNTY", () -> anyue().deleteFacility(
                io.qingliu.api.project.v1.DeleteFacilityRequest.newBuilder().setName(lezhis.getName()).build()));
        assertEquals(afterCity, ChangeFeedReader.currentHead(stub));
    }

    @Test
    void aCountySystemMovesItsOwnProjectsAndTheAuditTrailNamesIt() {
        String plan = plan();
        Project own = createProject(anyue(), newBuild(plan, "悦阳镇污水处理厂新建工程", YUEYANG, 600));
        Project approved = transition(anyue(), own, ProjectState.PROJECT_STATE_APPROVED, date(2019, 1, 10));
        assertEquals(ProjectState.PROJECT_STATE_APPROVED, approved.getState());

        List<AuditRecord> trail = stub.listProjectHistory(ListProjectHistoryRequest.newBuilder().setName(own.getName())
                .build()).getRecordsList();
        assertEquals(2, trail.size(), trail.toString());
        for (AuditRecord r : trail) {
            assertEquals("anyue-county-system", r.getActor());
            assertEquals("county", r.getActorRole());
        }
        Project byPlanner = transition(as(Role.PLANNER, null), approved, ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION,
                date(2019, 3, 1));
        List<AuditRecord> after = stub.listProjectHistory(ListProjectHistoryRequest.newBuilder().setName(own.getName())
                .build()).getRecordsList();
        AuditRecord last = after.stream().max(java.util.Comparator.comparingLong(AuditRecord::getSequence)).orElseThrow();
        assertEquals("test-planner", last.getActor());
        assertEquals("planner", last.getActorRole());
        assertEquals(ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION, byPlanner.getState());
    }

    @Test
    void aCountySystemCannotCreateUpdateMoveOrDeleteAnotherCountysProject() {
        String plan = plan();
        Project lezhis = createProject(stub, newBuild(plan, "圣池镇污水处理厂新建工程", SHENGCHI, 600));
        long head = ChangeFeedReader.currentHead(stub);

        assertReason(Status.Code.PERMISSION_DENIED, "OTHER_COUNTY",
                () -> createProject(anyue(), newBuild(plan, "圣池镇污水处理厂二期", SHENGCHI, 300)));
        assertReason(Status.Code.PERMISSION_DENIED, "OTHER_COUNTY",
                () -> transition(anyue(), lezhis, ProjectState.PROJECT_STATE_APPROVED, date(2019, 1, 10)));
        assertReason(Status.Code.PERMISSION_DENIED, "OTHER_COUNTY", () -> anyue().updateProject(
                io.qingliu.api.project.v1.UpdateProjectRequest.newBuilder().setProject(Project.newBuilder()
                        .setName(lezhis.getName()).setProgressPercent(50))
                        .setUpdateMask(com.google.protobuf.FieldMask.newBuilder().addPaths("progress_percent")).build()));
        assertReason(Status.Code.PERMISSION_DENIED, "OTHER_COUNTY",
                () -> anyue().deleteProject(DeleteProjectRequest.newBuilder().setName(lezhis.getName()).build()));

        assertEquals(head, ChangeFeedReader.currentHead(stub), "nothing of the refused calls was written");
        assertEquals(lezhis, getProject(stub, lezhis.getName()));
    }

    @Test
    void aCountysImportWithOneEntryOfAnotherCountyIsRefusedWhole() {
        String plan = plan();
        List<ProjectImportEntry> entries = new java.util.ArrayList<>();
        for (String town : List.of(QINGLIU, YUEYANG, QINGLIU, YUEYANG)) {
            entries.add(entry(plan, town));
        }
        entries.add(2, entry(plan, SHENGCHI));
        long head = ChangeFeedReader.currentHead(stub);
        var county = async.withCallCredentials(TestTokens.bearer(TestTokens.token("anyue-county-system", Role.COUNTY, ANYUE,
                Duration.ofMinutes(10))));

        Throwable refused = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, () -> ClientStreams.send(
                county::importProjects, List.of(ImportProjectsRequest.newBuilder().addAllEntries(entries).build())));
        Status status = Status.fromThrowable(refused);
        assertEquals(Status.Code.PERMISSION_DENIED, status.getCode(), refused.toString());
        assertTrue(status.getDescription().contains("entries[2]"), status.getDescription());
        assertEquals(head, ChangeFeedReader.currentHead(stub), "nothing of the refused import remains");
        assertEquals(List.of(), projectsOfPlan(stub, plan));
        // With skip_invalid too: another county's entry is not an invalid entry to skip.
        Throwable skipping = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, () -> ClientStreams.send(
                county::importProjects, List.of(ImportProjectsRequest.newBuilder().setSkipInvalid(true).addAllEntries(entries)
                        .build())));
        assertEquals(Status.Code.PERMISSION_DENIED, Status.fromThrowable(skipping).getCode());
        assertEquals(head, ChangeFeedReader.currentHead(stub));

        entries.remove(2);
        ImportProjectsResponse imported = ClientStreams.send(county::importProjects,
                List.of(ImportProjectsRequest.newBuilder().addAllEntries(entries).build()));
        assertEquals(4, imported.getCreatedCount());
        assertTrue(projectsOfPlan(stub, plan).stream().allMatch(p -> p.getCountyCode().equals(ANYUE)));
    }

    /**
     * The refusal of another county's entry does not wait for the end of the stream: it comes as
     * soon as the entry's chunk (2,000 entries) is checked, while the county system still sends.
     */
    @Test
    void aCountysImportIsRefusedAtTheForeignEntryWhileItsClientIsStillSending() throws Exception {
        String plan = plan();
        ImportProjectsRequest.Builder message = ImportProjectsRequest.newBuilder();
        for (int i = 0; i < 2000; i++) {
            message.addEntries(entry(plan, i == 1500 ? SHENGCHI : i % 2 == 0 ? QINGLIU : YUEYANG));
        }
        long head = ChangeFeedReader.currentHead(stub);
        var county = async.withCallCredentials(TestTokens.bearer(TestTokens.token("anyue-county-system", Role.COUNTY, ANYUE,
                Duration.ofMinutes(10))));

        var stream = ClientStreams.open(county::importProjects).send(message.build());
        Status refused = stream.awaitFailure(Duration.ofSeconds(60));
        assertEquals(Status.Code.PERMISSION_DENIED, refused.getCode(), refused.toString());
        assertTrue(refused.getDescription().contains("entries[1500]"), refused.getDescription());
        assertEquals(head, ChangeFeedReader.currentHead(stub), "nothing of the refused import remains");
        assertEquals(List.of(), projectsOfPlan(stub, plan));
    }

    private static ProjectImportEntry entry(String plan, String town) {
        var request = newBuild(plan, "新建污水处理厂 " + unique(), town, 400);
        return ProjectImportEntry.newBuilder().setProject(request.getProject()).setNewFacility(request.getNewFacility()).build();
    }
}
