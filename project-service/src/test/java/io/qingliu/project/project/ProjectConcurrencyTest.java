package io.qingliu.project.project;

import static io.qingliu.project.testing.RegistryFixtures.BAOHE;
import static io.qingliu.project.testing.RegistryFixtures.QINGLIU;
import static io.qingliu.project.testing.RegistryFixtures.createFacility;
import static io.qingliu.project.testing.RegistryFixtures.createProject;
import static io.qingliu.project.testing.RegistryFixtures.date;
import static io.qingliu.project.testing.RegistryFixtures.getFacility;
import static io.qingliu.project.testing.RegistryFixtures.getProject;
import static io.qingliu.project.testing.RegistryFixtures.mask;
import static io.qingliu.project.testing.RegistryFixtures.newBuild;
import static io.qingliu.project.testing.RegistryFixtures.plan;
import static io.qingliu.project.testing.RegistryFixtures.plant;
import static io.qingliu.project.testing.RegistryFixtures.unique;
import static io.qingliu.kit.testing.StatusAssertions.errorInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.project.v1.AuditAction;
import io.qingliu.api.project.v1.AuditRecord;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.ListProjectHistoryRequest;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.api.project.v1.TransitionProjectRequest;
import io.qingliu.api.project.v1.UpdateFacilityRequest;
import io.qingliu.api.project.v1.UpdateProjectRequest;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Optimistic concurrency: two writers holding the same etag, at the same moment. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ProjectConcurrencyTest {

    private static final int ROUNDS = 5;

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub stub;

    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }

    /** The outcome of one racing call: its result, or the status it failed with. */
    private record Outcome<T>(T value, StatusRuntimeException error) {
    }

    /** Runs both calls released by one latch, and returns their outcomes. */
    private <T> List<Outcome<T>> race(Callable<T> a, Callable<T> b) throws Exception {
        CountDownLatch ready = new CountDownLatch(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Outcome<T>>> futures = new ArrayList<>();
        for (Callable<T> call : List.of(a, b)) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                try {
                    return new Outcome<T>(call.call(), null);
                } catch (StatusRuntimeException e) {
                    return new Outcome<T>(null, e);
                }
            }));
        }
        assertTrue(ready.await(10, TimeUnit.SECONDS));
        go.countDown();
        List<Outcome<T>> outcomes = new ArrayList<>();
        for (Future<Outcome<T>> f : futures) {
            outcomes.add(f.get(60, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    @Test
    void twoUpdatesWithTheSameEtagAtOnceExactlyOneWinsAndTheLoserChangesNothing() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Project p = createProject(stub, newBuild(plan(), "清流镇污水处理厂新建工程 " + unique(), QINGLIU, 1000));
            Project byA = p.toBuilder().setDisplayName("甲改名 " + unique()).setProgressPercent(10).setNotes("甲").build();
            Project byB = p.toBuilder().setDisplayName("乙改名 " + unique()).setCapacityAfterTonnesPerDay(1100).setNotes("乙").build();
            var outcomes = race(
                    () -> stub.updateProject(UpdateProjectRequest.newBuilder().setProject(byA)
                            .setUpdateMask(mask("display_name", "progress_percent", "notes")).build()),
                    () -> stub.updateProject(UpdateProjectRequest.newBuilder().setProject(byB)
                            .setUpdateMask(mask("display_name", "capacity_after_tonnes_per_day", "notes")).build()));

            List<Project> winners = outcomes.stream().filter(o -> o.error() == null).map(Outcome::value).toList();
            List<StatusRuntimeException> losers = outcomes.stream().filter(o -> o.error() != null).map(Outcome::error).toList();
            assertEquals(1, winners.size(), "exactly one update succeeds: " + losers);
            assertEquals(1, losers.size());
            assertEquals(Status.Code.ABORTED, losers.get(0).getStatus().getCode(), losers.get(0).getStatus().toString());
            assertNotNull(errorInfo(losers.get(0)).getReason());

            Project winner = winners.get(0);
            Project stored = getProject(stub, p.getName());
            assertEquals(winner, stored, "what is stored is the winner's update alone");
            boolean aWon = winner.getNotes().equals("甲");
            assertEquals(aWon ? byA.getDisplayName() : byB.getDisplayName(), stored.getDisplayName());
            assertEquals(aWon ? 10 : 0, stored.getProgressPercent());
            assertEquals(aWon ? 1000 : 1100, stored.getCapacityAfterTonnesPerDay());

            List<AuditRecord> history = stub.listProjectHistory(ListProjectHistoryRequest.newBuilder().setName(p.getName())
                    .build()).getRecordsList();
            assertEquals(List.of(AuditAction.AUDIT_ACTION_CREATED, AuditAction.AUDIT_ACTION_UPDATED),
                    history.stream().map(AuditRecord::getAction).toList(), "one update recorded");
        }
    }

    @Test
    void twoTransitionsWithTheSameEtagAtOnceMoveTheProjectOnce() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Project p = createProject(stub, newBuild(plan(), "新建工程 " + unique(), QINGLIU, 1000));
            var outcomes = race(
                    () -> stub.transitionProject(TransitionProjectRequest.newBuilder().setName(p.getName())
                            .setState(ProjectState.PROJECT_STATE_APPROVED).setEffectiveDate(date(2019, 1, 1))
                            .setEtag(p.getEtag()).build()),
                    () -> stub.transitionProject(TransitionProjectRequest.newBuilder().setName(p.getName())
                            .setState(ProjectState.PROJECT_STATE_CANCELLED).setEffectiveDate(date(2019, 1, 2))
                            .setEtag(p.getEtag()).build()));
            assertEquals(1, outcomes.stream().filter(o -> o.error() == null).count());
            StatusRuntimeException loser = outcomes.stream().filter(o -> o.error() != null).findFirst().orElseThrow().error();
            assertEquals(Status.Code.ABORTED, loser.getStatus().getCode());
            Project stored = getProject(stub, p.getName());
            assertEquals(1, stored.getTransitionsCount(), "moved once");
        }
    }

    @Test
    void twoFacilityUpdatesWithTheSameEtagAtOnceExactlyOneWins() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Facility f = createFacility(stub, plant("厂 " + unique(), BAOHE, 500, DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B));
            var outcomes = race(
                    () -> stub.updateFacility(UpdateFacilityRequest.newBuilder().setFacility(f.toBuilder().setCapacityTonnesPerDay(600))
                            .setUpdateMask(mask("capacity_tonnes_per_day")).build()),
                    () -> stub.updateFacility(UpdateFacilityRequest.newBuilder().setFacility(f.toBuilder().setCapacityTonnesPerDay(700))
                            .setUpdateMask(mask("capacity_tonnes_per_day")).build()));
            List<Facility> winners = outcomes.stream().filter(o -> o.error() == null).map(Outcome::value).toList();
            assertEquals(1, winners.size());
            assertEquals(Status.Code.ABORTED, outcomes.stream().filter(o -> o.error() != null).findFirst().orElseThrow()
                    .error().getStatus().getCode());
            assertEquals(winners.get(0), getFacility(stub, f.getName()));
        }
    }
}
