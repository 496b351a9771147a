package io.qingliu.capacity.plan;

import static io.qingliu.capacity.plan.PlanFixtures.create;
import static io.qingliu.capacity.plan.PlanFixtures.get;
import static io.qingliu.capacity.plan.PlanFixtures.plan;
import static io.qingliu.capacity.testing.ReadModelFixtures.rows;
import static io.qingliu.kit.testing.StatusAssertions.assertReason;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.FieldMask;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.Status;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc.CapacityServiceBlockingStub;
import io.qingliu.api.capacity.v1.DeletePlanRequest;
import io.qingliu.api.capacity.v1.ListPlansRequest;
import io.qingliu.api.capacity.v1.Plan;
import io.qingliu.api.capacity.v1.UpdatePlanRequest;
import io.qingliu.capacity.testing.PostgresResource;
import io.qingliu.capacity.testing.ReadModelFixtures;
import io.qingliu.kit.auth.Role;
import io.qingliu.kit.testing.TestTokens;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plans are what the city sets: planners and admins write them, everyone reads them, and every
 * change is recorded with the subject and role of the token that made it, also once the plan is
 * gone.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PlanAccessTest {

    private static final String ANYUE = "512021000000";

    @GrpcClient("capacity")
    CapacityServiceBlockingStub stub;

    @GrpcClient("capacity")
    HealthGrpc.HealthBlockingStub health;

    @Inject
    DataSource db;

    @BeforeEach
    void divisions() {
        ReadModelFixtures.divisions(db);
    }

    private CapacityServiceBlockingStub as(Role role, String county) {
        return stub.withCallCredentials(TestTokens.as(role, county));
    }

    @Test
    void viewersAndCountySystemsReadPlansButDoNotWriteThem() {
        Plan existing = create(stub, plan());
        int plans = plans();
        for (CapacityServiceBlockingStub reader : List.of(as(Role.VIEWER, null), as(Role.COUNTY, ANYUE))) {
            assertEquals(existing, get(reader, existing.getName()));
            assertReason(Status.Code.PERMISSION_DENIED, "ROLE_NOT_ALLOWED", () -> create(reader, plan()));
            assertReason(Status.Code.PERMISSION_DENIED, "ROLE_NOT_ALLOWED", () -> reader.updatePlan(UpdatePlanRequest
                    .newBuilder().setPlan(Plan.newBuilder().setName(existing.getName()).setDisplayName("改名"))
                    .setUpdateMask(FieldMask.newBuilder().addPaths("display_name")).build()));
            assertReason(Status.Code.PERMISSION_DENIED, "ROLE_NOT_ALLOWED",
                    () -> reader.deletePlan(DeletePlanRequest.newBuilder().setName(existing.getName()).build()));
        }
        assertEquals(plans, plans(), "no plan was added or removed");
        assertEquals(existing, get(stub, existing.getName()), "nor changed");
    }

    @Test
    void withoutATokenNothingAnswersButHealth() {
        assertReason(Status.Code.UNAUTHENTICATED, "TOKEN_MISSING",
                () -> stub.withCallCredentials(TestTokens.none()).listPlans(ListPlansRequest.getDefaultInstance()));
        assertReason(Status.Code.UNAUTHENTICATED, "TOKEN_INVALID",
                () -> stub.withCallCredentials(TestTokens.bearer("x.y.z")).listPlans(ListPlansRequest.getDefaultInstance()));
        assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                health.withCallCredentials(TestTokens.none()).check(HealthCheckRequest.getDefaultInstance()).getStatus());
    }

    @Test
    void everyChangeOfAPlanRecordsWhoMadeItAndInWhatRole() {
        Plan created = create(as(Role.PLANNER, null), plan());
        assertEquals("test-planner", created.getCreator());
        assertEquals("planner", created.getCreatorRole());
        assertEquals("test-planner", created.getLastEditor());

        Plan renamed = as(Role.ADMIN, null).updatePlan(UpdatePlanRequest.newBuilder()
                .setPlan(Plan.newBuilder().setName(created.getName()).setDisplayName("改名后的计划").setEtag(created.getEtag()))
                .setUpdateMask(FieldMask.newBuilder().addPaths("display_name")).build());
        assertEquals("test-planner", renamed.getCreator(), "the creator stays");
        assertEquals("test-admin", renamed.getLastEditor());
        assertEquals("admin", renamed.getLastEditorRole());

        as(Role.PLANNER, null).deletePlan(DeletePlanRequest.newBuilder().setName(created.getName())
                .setEtag(renamed.getEtag()).build());
        long id = Long.parseLong(created.getName().substring("plans/".length()));
        List<List<Object>> trail = rows(db, "SELECT action, actor, actor_role, plan_code FROM plan_audit WHERE plan_id = ? ORDER BY id", id);
        assertEquals(List.of(
                List.of("CREATED", "test-planner", "planner", created.getCode()),
                List.of("UPDATED", "test-admin", "admin", created.getCode()),
                List.of("DELETED", "test-planner", "planner", created.getCode())), trail);
    }

    private int plans() {
        return stub.listPlans(ListPlansRequest.newBuilder().setPageSize(1000).build()).getPlansCount();
    }
}
