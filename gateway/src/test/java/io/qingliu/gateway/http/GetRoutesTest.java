package io.qingliu.gateway.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.api.capacity.v1.GetPlanRequest;
import io.qingliu.api.project.v1.GetDivisionRequest;
import io.qingliu.api.project.v1.GetFacilityRequest;
import io.qingliu.api.project.v1.GetProjectRequest;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.gateway.testing.Suite;
import io.qingliu.gateway.testing.SuiteProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The standard Gets served on the event loop ({@link GetRoutes}): each answers what its gRPC
 * method answers, in gRPC-JSON with the etag, HEAD as GET without the body, and a name the
 * service refuses with the service's status and reason in the AIP-193 form.
 */
@QuarkusTest
@TestProfile(SuiteProfile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GetRoutesTest {

    private final ManagedChannel projectChannel = Suite.projectChannel();
    private final ManagedChannel capacityChannel = Suite.capacityChannel();
    private final ProjectServiceGrpc.ProjectServiceBlockingStub registry = ProjectServiceGrpc.newBlockingStub(projectChannel);
    private final CapacityServiceGrpc.CapacityServiceBlockingStub capacity = CapacityServiceGrpc.newBlockingStub(capacityChannel);

    @AfterAll
    void closeChannels() {
        projectChannel.shutdownNow();
        capacityChannel.shutdownNow();
    }

    @Test
    void eachStandardGetAnswersWhatItsMethodAnswers() throws Exception {
        String division = "divisions/512002000000";
        sameAsService(division, () -> registry.getDivision(GetDivisionRequest.newBuilder().setName(division).build()));

        // A collection point of its own (as a planner would register it over HTTP).
        String facility = given().contentType("application/json").body("""
                {"displayName": "GET 路由测试收集点 %s", "type": "FACILITY_TYPE_GARBAGE_COLLECTION_POINT",
                 "locationCode": "512021001002", "operatingState": "OPERATING_STATE_PLANNED"}"""
                .formatted(java.util.UUID.randomUUID())).post("/api/v1/facilities").then().statusCode(200)
                .extract().jsonPath().getString("name");
        sameAsService(facility, () -> registry.getFacility(GetFacilityRequest.newBuilder().setName(facility).build()));

        String plan = "plans/" + Suite.ziyangPlanId();
        sameAsService(plan, () -> capacity.getPlan(GetPlanRequest.newBuilder().setName(plan).build()));
    }

    @Test
    void aNameTheServiceRefusesIsItsErrorInTheHttpForm() {
        for (String name : new String[] {"projects/999999999", "projects/not-a-number", "divisions/12", "plans/0"}) {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> {
                if (name.startsWith("plans/")) {
                    capacity.getPlan(GetPlanRequest.newBuilder().setName(name).build());
                } else if (name.startsWith("divisions/")) {
                    registry.getDivision(GetDivisionRequest.newBuilder().setName(name).build());
                } else {
                    registry.getProject(GetProjectRequest.newBuilder().setName(name).build());
                }
            }, name);
            Response response = given().get("/api/v1/" + name);
            response.then().statusCode(ApiError.httpStatus(refused.getStatus().getCode())).contentType("application/json");
            JsonPath error = response.jsonPath();
            assertEquals(refused.getStatus().getCode().name(), error.getString("error.status"), name);
            assertEquals(refused.getStatus().getDescription(), error.getString("error.message"), name);
            assertNotNull(Suite.detail(error, "google.rpc.ErrorInfo"), name + ": the service's ErrorInfo is passed on");
        }
    }

    /** GET answers the service's message and its etag; HEAD the same status and etag, no body. */
    private void sameAsService(String name, Supplier<Message> call) throws InvalidProtocolBufferException {
        Message expected = call.get();
        Response get = given().get("/api/v1/" + name);
        get.then().statusCode(200).contentType("application/json");
        Message.Builder served = expected.newBuilderForType();
        JsonFormat.parser().merge(get.asString(), served);
        assertEquals(expected, served.build(), name);
        assertEquals(ProtoJson.etag(expected), get.header("ETag"), name);

        Response head = given().head("/api/v1/" + name);
        head.then().statusCode(200);
        assertEquals(get.header("ETag"), head.header("ETag"), name);
        assertEquals("", head.asString(), name + ": HEAD has no body");
    }
}
