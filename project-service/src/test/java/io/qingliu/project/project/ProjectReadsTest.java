package io.qingliu.project.project;

import static io.qingliu.kit.testing.StatusAssertions.assertFieldViolations;
import static io.qingliu.kit.testing.StatusAssertions.assertStatus;
import static io.qingliu.project.testing.RegistryFixtures.QINGLIU;
import static io.qingliu.project.testing.RegistryFixtures.createProject;
import static io.qingliu.project.testing.RegistryFixtures.date;
import static io.qingliu.project.testing.RegistryFixtures.getProject;
import static io.qingliu.project.testing.RegistryFixtures.newBuild;
import static io.qingliu.project.testing.RegistryFixtures.plan;
import static io.qingliu.project.testing.RegistryFixtures.projectsOfPlan;
import static io.qingliu.project.testing.RegistryFixtures.transition;
import static io.qingliu.project.testing.RegistryFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.qingliu.api.project.v1.CreateProjectRequest;
import io.qingliu.api.project.v1.FundingSource;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.api.project.v1.TransitionProjectRequest;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.pgclient.PgConnectOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GetProject reads the row with the non-blocking client (ProjectReads), every other read and write
 * goes through Hibernate: both must tell the same project alike, to the last field.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ProjectReadsTest {

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub stub;

    @Test
    void getProjectAnswersWhatTheWriteAndTheListingSayToTheLastField() {
        String plan = plan();
        CreateProjectRequest.Builder request = newBuild(plan, "清流镇污水处理厂新建工程 " + unique(), QINGLIU, 1234.567);
        request.getProjectBuilder().setResponsibleUnit("安岳县住房和城乡建设局").setNotes("含配套管网 3.2 km；\t制表符与\n换行")
                .setProgressPercent(35).setInvestmentFen(987_654_321L)
                .addFundingSources(FundingSource.newBuilder().setSource("中央预算内投资").setAmountFen(500_000_000L))
                .addFundingSources(FundingSource.newBuilder().setSource("地方政府专项债券").setAmountFen(487_654_321L));
        Project created = createProject(stub, request);
        assertEquals(created, getProject(stub, created.getName()), "as created");

        Project moved = transition(stub, created, ProjectState.PROJECT_STATE_APPROVED, date(2018, 11, 5));
        moved = transition(stub, moved, ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION, date(2019, 1, 15));
        moved = stub.transitionProject(TransitionProjectRequest.newBuilder().setName(moved.getName())
                .setState(ProjectState.PROJECT_STATE_SUSPENDED).setEffectiveDate(date(2019, 3, 1))
                .setReason("征地未完成，暂停施工").setEtag(moved.getEtag()).build());
        Project read = getProject(stub, moved.getName());
        assertEquals(moved, read, "after three moves, one with a reason");
        assertEquals(3, read.getTransitionsCount());
        assertEquals(2, read.getFundingSourcesCount());
        assertEquals(1234.567, read.getCapacityAfterTonnesPerDay());

        List<Project> listed = projectsOfPlan(stub, plan);
        assertEquals(List.of(read), listed, "ListProjects, read by Hibernate, says the same");
    }

    @Test
    void anUnknownProjectIsNotFoundAndAMalformedNameIsInvalid() {
        assertStatus(Status.Code.NOT_FOUND, () -> getProject(stub, "projects/987654321987"));
        assertFieldViolations(() -> getProject(stub, "facilities/1"), "name");
        assertFieldViolations(() -> getProject(stub, ""), "name");
    }

    @Test
    void theNonBlockingClientReadsTheServiceJdbcUrlOrTheServiceDoesNotStart() {
        PgConnectOptions options = ProjectReads.connectOptions("jdbc:postgresql://db.example:6543/qingliu_project?sslmode=require");
        assertEquals("db.example", options.getHost());
        assertEquals(6543, options.getPort());
        assertEquals("qingliu_project", options.getDatabase());
        assertEquals("REQUIRE", options.getSslMode().name());
        assertEquals(5432, ProjectReads.connectOptions("jdbc:postgresql://127.0.0.1/qingliu").getPort());
        for (String unreadable : new String[] {"jdbc:postgresql://a:5432,b:5432/qingliu", "jdbc:postgresql:qingliu",
                "jdbc:h2:mem:qingliu", "jdbc:postgresql:///qingliu"}) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ProjectReads.connectOptions(unreadable));
            assertEquals(true, refused.getMessage().startsWith("quarkus.datasource.jdbc.url must be"), refused.getMessage());
        }
    }
}
