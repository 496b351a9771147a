package io.qingliu.project.project;

import static io.qingliu.project.testing.RegistryFixtures.QINGLIU;
import static io.qingliu.project.testing.RegistryFixtures.SHENGCHI;
import static io.qingliu.project.testing.RegistryFixtures.createProject;
import static io.qingliu.project.testing.RegistryFixtures.date;
import static io.qingliu.project.testing.RegistryFixtures.getProject;
import static io.qingliu.project.testing.RegistryFixtures.newBuild;
import static io.qingliu.project.testing.RegistryFixtures.plan;
import static io.qingliu.project.testing.RegistryFixtures.projectsOfPlan;
import static io.qingliu.project.testing.RegistryFixtures.unique;
import static io.qingliu.kit.testing.StatusAssertions.assertFieldViolations;
import static io.qingliu.kit.testing.StatusAssertions.description;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qingliu.api.project.v1.CreateProjectRequest;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.api.project.v1.TransitionProjectRequest;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** AIP-155 request ids on CreateProject and TransitionProject. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ProjectIdempotencyTest {

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub stub;

    @Test
    void createRetriedWithTheSameRequestIdReturnsTheSameProjectAndCreatesNothingMore() {
        String plan = plan();
        CreateProjectRequest request = newBuild(plan, "清流镇污水处理厂新建工程 " + unique(), QINGLIU, 800)
                .setRequestId(UUID.randomUUID().toString()).build();
        Project first = stub.createProject(request);
        long head = ChangeFeedReader.currentHead(stub);

        Project retry = stub.createProject(request);
        assertEquals(first.getName(), retry.getName());
        assertEquals(first, retry, "the retry answers the first result");
        assertEquals(1, projectsOfPlan(stub, plan).size());
        assertEquals(head, ChangeFeedReader.currentHead(stub), "the retry wrote nothing");

        // The same id stays the first result's even after the project changed.
        Project moved = stub.transitionProject(TransitionProjectRequest.newBuilder().setName(first.getName())
                .setState(ProjectState.PROJECT_STATE_APPROVED).setEffectiveDate(date(2019, 1, 1)).build());
        assertEquals(first, stub.createProject(request));
        assertEquals(moved, getProject(stub, first.getName()));
        assertEquals(1, projectsOfPlan(stub, plan).size());
    }

    @Test
    void sameRequestIdWithADifferentBodyIsRejected() {
        String plan = plan();
        CreateProjectRequest request = newBuild(plan, "新建工程 " + unique(), QINGLIU, 800)
                .setRequestId(UUID.randomUUID().toString()).build();
        stub.createProject(request);
        long head = ChangeFeedReader.currentHead(stub);
        CreateProjectRequest.Builder different = request.toBuilder();
        different.getProjectBuilder().setCapacityAfterTonnesPerDay(900);
        var violations = assertFieldViolations(() -> stub.createProject(different.build()), "request_id");
        assertTrue(description(violations, "request_id").contains("different request"));
        assertEquals(1, projectsOfPlan(stub, plan).size());
        assertEquals(head, ChangeFeedReader.currentHead(stub));

        assertFieldViolations(() -> stub.createProject(request.toBuilder().setRequestId("12345").build()), "request_id");
    }

    @Test
    void aRejectedRequestDoesNotUseUpItsId() {
        String plan = plan();
        String id = UUID.randomUUID().toString();
        CreateProjectRequest.Builder bad = newBuild(plan, "新建工程 " + unique(), QINGLIU, 800).setRequestId(id);
        bad.getProjectBuilder().setProgressPercent(150);
        assertFieldViolations(() -> stub.createProject(bad.build()), "project.progress_percent");
        CreateProjectRequest.Builder fixed = bad.clone();
        fixed.getProjectBuilder().setProgressPercent(15);
        assertEquals(15, stub.createProject(fixed.build()).getProgressPercent());
        assertEquals(1, projectsOfPlan(stub, plan).size());
    }

    @Test
    void concurrentDuplicatesCreateOneProject() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 3; round++) {
                String plan = plan();
                CreateProjectRequest request = newBuild(plan, "盛池镇污水处理厂新建工程 " + unique(), SHENGCHI, 600)
                        .setRequestId(UUID.randomUUID().toString()).build();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Project>> calls = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    calls.add(pool.submit(() -> {
                        go.await();
                        return stub.createProject(request);
                    }));
                }
                go.countDown();
                Set<Project> answers = new HashSet<>();
                for (Future<Project> call : calls) {
                    answers.add(call.get(60, TimeUnit.SECONDS));
                }
                assertEquals(1, answers.size(), "every duplicate got the same answer");
                assertEquals(1, projectsOfPlan(stub, plan).size(), "one project");
                assertEquals(answers.iterator().next(), getProject(stub, answers.iterator().next().getName()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void transitionRetriedWithTheSameRequestIdMovesOnce() {
        Project p = createProject(stub, newBuild(plan(), "新建工程 " + unique(), QINGLIU, 800));
        TransitionProjectRequest approve = TransitionProjectRequest.newBuilder().setName(p.getName())
                .setState(ProjectState.PROJECT_STATE_APPROVED).setEffectiveDate(date(2019, 2, 1)).setEtag(p.getEtag())
                .setRequestId(UUID.randomUUID().toString()).build();
        Project first = stub.transitionProject(approve);
        long head = ChangeFeedReader.currentHead(stub);
        Project retry = stub.transitionProject(approve);
        assertEquals(first, retry, "the retry answers the first result, though the etag it carries is stale now");
        assertEquals(1, getProject(stub, p.getName()).getTransitionsCount(), "moved once");
        assertEquals(head, ChangeFeedReader.currentHead(stub));

        // Moving on, then retrying the first move, still answers the first move and changes nothing.
        Project building = stub.transitionProject(TransitionProjectRequest.newBuilder().setName(p.getName())
                .setState(ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION).setEffectiveDate(date(2019, 3, 1))
                .setRequestId(UUID.randomUUID().toString()).build());
        assertEquals(first, stub.transitionProject(approve));
        assertEquals(building, getProject(stub, p.getName()));

        // A different move under the same id is refused.
        assertFieldViolations(() -> stub.transitionProject(approve.toBuilder().setState(ProjectState.PROJECT_STATE_CANCELLED)
                .build()), "request_id");
    }
}
