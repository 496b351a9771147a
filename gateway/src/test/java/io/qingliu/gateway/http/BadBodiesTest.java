package io.qingliu.gateway.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qingliu.gateway.testing.Suite;
import io.qingliu.gateway.testing.SuiteProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bodies the gateway cannot turn into a request are 400s whose BadRequest names the field, as
 * JSON names it under the request: a value of the wrong type, a nested one, a repeated element's.
 */
@QuarkusTest
@TestProfile(SuiteProfile.class)
class BadBodiesTest {

    @Test
    void aValueOfTheWrongTypeIsNamedByItsField() {
        assertNamed("facility.capacityTonnesPerDay", "abc", post("/api/v1/facilities", "{\"capacityTonnesPerDay\": \"abc\"}"));
        assertNamed("facility.type", "NO_SUCH_ENUM", post("/api/v1/facilities", "{\"type\": \"NO_SUCH_ENUM\"}"));
        assertNamed("facility.displayName", "an object", post("/api/v1/facilities", "{\"displayName\": {\"zh\": \"厂\"}}"));
        assertNamed("facility.servedDivisionCodes", "an array", post("/api/v1/facilities", "{\"servedDivisionCodes\": \"512002001001\"}"));
        assertNamed("plan.capacityTargets", "an array", post("/api/v1/plans", "{\"capacityTargets\": 5}"));
        // A field by its proto name is still named as JSON names it.
        assertNamed("facility.capacityTonnesPerDay", "true", post("/api/v1/facilities", "{\"capacity_tonnes_per_day\": true}"));
    }

    @Test
    void nestedMessagesAndRepeatedElementsAreNamedByTheirPath() {
        // CreateProject's body is the whole request, so its fields are named from the top.
        assertNamed("project.fundingSources[2].amountFen", "\"x\"", post("/api/v1/projects", """
                {"project": {"displayName": "试点", "fundingSources": [
                    {"source": "县级财政", "amountFen": "1"}, {"source": "省级专项", "amountFen": 2},
                    {"source": "PPP", "amountFen": "x"}]}}"""));
        assertNamed("project.plannedStartDate.month", "\"May\"", post("/api/v1/projects",
                "{\"project\": {\"plannedStartDate\": {\"year\": 2024, \"month\": \"May\", \"day\": 1}}}"));
        assertNamed("newFacility.colour", "Facility", post("/api/v1/projects", "{\"newFacility\": {\"colour\": \"red\"}}"));
        assertNamed("effectiveDate", "\"2024-05-01\"", post("/api/v1/projects/999999999:transition",
                "{\"state\": \"PROJECT_STATE_APPROVED\", \"effectiveDate\": \"2024-05-01\"}"));
        assertNamed("body", "an array", post("/api/v1/projects", "[1]"));
    }

    private static JsonPath post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).post(path).then().statusCode(400)
                .body("error.status", equalTo("INVALID_ARGUMENT")).extract().jsonPath();
    }

    private static void assertNamed(String field, String quoted, JsonPath error) {
        assertEquals(List.of(field), Suite.violatedFields(error), error.prettify());
        assertTrue(error.getString("error.message").contains(quoted), error.prettify());
    }
}
