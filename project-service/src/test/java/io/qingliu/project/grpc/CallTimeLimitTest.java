package io.qingliu.project.grpc;

import static io.qingliu.project.testing.RegistryFixtures.YANJIANG_TOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.project.v1.CreateProjectRequest;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.GetDivisionRequest;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.UpdateProjectRequest;
import io.qingliu.kit.testing.StatusAssertions;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.project.testing.PostgresResource;
import io.qingliu.project.testing.RegistryFixtures;
import io.qingliu.project.testing.ShortCallLimits;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A call whose time is up stops working: the statement it waits in is cancelled, nothing it was
 * doing is written (not even later, once the database would let it), and it answers
 * DEADLINE_EXCEEDED. Its time is its client's deadline, or the service's limit
 * ({@code qingliu.grpc.max-call-duration}; here 3 s, see {@link ShortCallLimits}) when that is
 * sooner or the client set none. The test holds a lock on the project the call updates, so that
 * the call waits in the database for as long as the lock is held.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(ShortCallLimits.class)
class CallTimeLimitTest {

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub registry;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aCallWhoseClientsDeadlinePassesStopsWaitingInTheDatabaseAndWritesNothing() throws Exception {
        assertEndsInTime(stub -> stub.withDeadlineAfter(1, TimeUnit.SECONDS), Status.Code.DEADLINE_EXCEEDED);
    }

    @Test
    void aCallWithoutADeadlineEndsAtTheServicesLimit() throws Exception {
        StatusRuntimeException refused = assertEndsInTime(Function.identity(), Status.Code.DEADLINE_EXCEEDED);
        // The service's own answer this time: the client had no deadline to expire.
        assertEquals("CALL_TIME_EXCEEDED", StatusAssertions.errorInfo(refused).getReason(), refused.toString());
    }

    private StatusRuntimeException assertEndsInTime(Function<ProjectServiceGrpc.ProjectServiceBlockingStub,
            ProjectServiceGrpc.ProjectServiceBlockingStub> caller, Status.Code expected) throws Exception {
        Project project = registry.createProject(CreateProjectRequest.newBuilder()
                .setProject(Project.newBuilder().setDisplayName("等锁的项目 " + RegistryFixtures.unique())
                        .setKind(ProjectKind.PROJECT_KIND_GARBAGE_COLLECTION).setResponsibleUnit("雁江区住建局"))
                .setNewFacility(Facility.newBuilder().setDisplayName("等锁的收集点 " + RegistryFixtures.unique())
                        .setType(FacilityType.FACILITY_TYPE_GARBAGE_COLLECTION_POINT).setLocationCode(YANJIANG_TOWN))
                .build());
        long id = Long.parseLong(project.getName().substring("projects/".length()));
        long head = ChangeFeedReader.currentHead(registry);
        StatusRuntimeException refused;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT id FROM project WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, id);
                lock.executeQuery().close();
            }
            long started = System.nanoTime();
            refused = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, () -> caller.apply(registry)
                    .updateProject(UpdateProjectRequest.newBuilder()
                            .setProject(Project.newBuilder().setName(project.getName()).setNotes("等到了锁"))
                            .setUpdateMask(RegistryFixtures.mask("notes")).build()));
            assertEquals(expected, refused.getStatus().getCode(), refused.toString());
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) < 30, "it ended, not hung");

            // Its statement no longer waits for the lock: the service stopped the work, not just the answer.
            awaitNoOneWaitingFor(holder, id);
            // Everyone else is answered meanwhile.
            assertEquals("divisions/" + YANJIANG_TOWN, registry.getDivision(GetDivisionRequest.newBuilder()
                    .setName("divisions/" + YANJIANG_TOWN).build()).getName());
            holder.rollback();
        }
        // With the lock gone, nothing of the ended call is applied after all.
        Thread.sleep(500);
        assertEquals(project.getNotes(), registry.getProject(io.qingliu.api.project.v1.GetProjectRequest.newBuilder()
                .setName(project.getName()).build()).getNotes());
        assertEquals(head, ChangeFeedReader.currentHead(registry), "nothing of the ended call was written");
        return refused;
    }

    /** Waits (20 s at most) until no other session waits for a lock that {@code holder} holds. */
    private static void awaitNoOneWaitingFor(Connection holder, long projectId) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (PreparedStatement waiting = holder.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))")) {
            while (true) {
                try (ResultSet rs = waiting.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        return;
                    }
                }
                assertTrue(System.nanoTime() < deadline, "the ended call still waits in the database for project " + projectId);
                Thread.sleep(100);
            }
        }
    }
}
