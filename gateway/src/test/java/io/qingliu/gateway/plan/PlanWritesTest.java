package io.qingliu.gateway.plan;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.qingliu.gateway.testing.Suite;
import io.qingliu.gateway.testing.SuiteProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A plan created (once per request id), updated under its etag and deleted over HTTP. */
@QuarkusTest
@TestProfile(SuiteProfile.class)
class PlanWritesTest {

    private static final String PLAN = """
            {"code": "YJ-GW-TEST", "displayName": "雁江区测试计划", "areaCode": "512002000000",
             "startDate": {"year": 2021, "month": 1, "day": 1}, "endDate": {"year": 2023, "month": 12, "day": 31},
             "capacityTargets": [{"facilityType": "FACILITY_TYPE_SEWAGE_TREATMENT_PLANT", "addedTonnesPerDay": 5000}]}""";

    @Test
    void aPlanIsCreatedUpdatedUnderItsEtagAndDeleted() {
        // capacity-service loads the shipped plan only while it has none: let it do so first.
        Suite.ziyangPlanId();

        Response created = given().contentType(ContentType.JSON).body(PLAN)
                .queryParam("requestId", "0b6f1f0e-6a43-4c51-9d55-1c1c7c1f0a01").post("/api/v1/plans");
        created.then().statusCode(200).body("code", equalTo("YJ-GW-TEST"))
                .body("capacityTargets[0].addedTonnesPerDay", equalTo(5000.0f))
                // capacity-service records the caller whose token the gateway passed on (the suite's admin).
                .body("creator", equalTo("test-admin")).body("creatorRole", equalTo("admin"));
        String id = created.jsonPath().getString("name").substring("plans/".length());
        String etag = created.header("ETag");

        // The same request id again: the first answer, not a second plan nor a conflict.
        given().contentType(ContentType.JSON).body(PLAN).queryParam("requestId", "0b6f1f0e-6a43-4c51-9d55-1c1c7c1f0a01")
                .post("/api/v1/plans").then().statusCode(200).body("name", equalTo("plans/" + id));
        // A new request with a code taken.
        given().contentType(ContentType.JSON).body(PLAN).post("/api/v1/plans").then().statusCode(409)
                .body("error.status", equalTo("ALREADY_EXISTS"));

        given().contentType(ContentType.JSON).header("If-Match", "\"stale\"").queryParam("updateMask", "displayName")
                .body("{\"displayName\": \"改名\"}").patch("/api/v1/plans/" + id).then().statusCode(409)
                .body("error.status", equalTo("ABORTED"));
        Response renamed = given().contentType(ContentType.JSON).header("If-Match", etag)
                .queryParam("updateMask", "displayName").body("{\"displayName\": \"雁江区测试计划（修订）\"}")
                .patch("/api/v1/plans/" + id);
        renamed.then().statusCode(200).body("displayName", equalTo("雁江区测试计划（修订）"))
                .body("code", equalTo("YJ-GW-TEST"));
        assertNotEquals(etag, renamed.header("ETag"));

        given().header("If-Match", etag).delete("/api/v1/plans/" + id).then().statusCode(409);
        given().header("If-Match", renamed.header("ETag")).delete("/api/v1/plans/" + id).then().statusCode(200);
        given().get("/api/v1/plans/" + id).then().statusCode(404).body("error.status", equalTo("NOT_FOUND"));
    }

    @Test
    void anInvalidPlanIs400WithTheServicesFieldViolations() {
        Suite.ziyangPlanId();
        JsonPath error = given().contentType(ContentType.JSON)
                .body("{\"code\": \"bad code!\", \"startDate\": {\"year\": 2021, \"month\": 1, \"day\": 1}}")
                .post("/api/v1/plans").then().statusCode(400).body("error.status", equalTo("INVALID_ARGUMENT"))
                .extract().jsonPath();
        List<String> fields = Suite.violatedFields(error);
        assertEquals(true, fields.stream().anyMatch(f -> f.endsWith("code")), fields.toString());
        assertEquals(true, fields.stream().anyMatch(f -> f.endsWith("end_date")), fields.toString());
    }
}
