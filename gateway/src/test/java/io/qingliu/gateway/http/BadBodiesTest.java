package io.qingliu.gateway.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qingliu.gateway.testing.Suite;
import io.qingliu.kit.testing.AdminTokenByDefault;
import io.qingliu.gateway.testing.SuiteProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bodies the gateway cannot turn into a request are 400s whose BadRequest names the field, as
 * JSON names it under the request: a value of the wrong type, a nested one, a repeated element's,
 * and a body over the size limit (1M here as in production), whether it declares its length or
 * comes chunked. None is a 500, a bare 413 or a connection closed without an answer.
 */
@QuarkusTest
@TestProfile(SuiteProfile.class)
class BadBodiesTest {

    private static final int LIMIT = 1024 * 1024;

    @TestHTTPResource("/api/v1/facilities")
    URI facilities;

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

    @Test
    void aBodyOverTheLimitWithItsLengthIs400NamingTheBody() {
        JsonPath error = given().contentType(ContentType.JSON).body(facilityOf(LIMIT + 1000)).post("/api/v1/facilities")
                .then().statusCode(400).body("error.status", equalTo("INVALID_ARGUMENT")).extract().jsonPath();
        assertEquals(List.of("body"), Suite.violatedFields(error));
        assertTrue(error.getString("error.message").contains(String.valueOf(LIMIT)), error.prettify());
        // The connection pool's next request is answered as usual.
        given().get("/api/v1/divisions/512002000000").then().statusCode(200);
    }

    @Test
    void aChunkedBodyOverTheLimitIs400NamingTheBodyAndOneWithinItIsRead() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> tooLarge = client.send(chunked(facilityOf(3 * LIMIT)), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, tooLarge.statusCode(), tooLarge.body());
        JsonPath error = JsonPath.from(tooLarge.body());
        assertEquals("INVALID_ARGUMENT", error.getString("error.status"));
        assertEquals(List.of("body"), Suite.violatedFields(error));

        // Within the limit, a chunked body reaches the route whole: its wrong-typed field is named.
        HttpResponse<String> small = client.send(chunked("{\"capacityTonnesPerDay\": \"abc\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, small.statusCode(), small.body());
        assertEquals(List.of("facility.capacityTonnesPerDay"), Suite.violatedFields(JsonPath.from(small.body())));
    }

    private HttpRequest chunked(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        // A publisher of unknown length: HTTP/1.1 sends it with Transfer-Encoding: chunked.
        return HttpRequest.newBuilder(facilities).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + AdminTokenByDefault.adminToken())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build();
    }

    /** A facility whose name makes the body this many bytes long, give or take a few. */
    private static String facilityOf(int bytes) {
        return "{\"displayName\": \"" + "x".repeat(bytes) + "\"}";
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
