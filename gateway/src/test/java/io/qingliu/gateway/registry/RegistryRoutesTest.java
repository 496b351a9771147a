package io.qingliu.gateway.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qingliu.gateway.testing.Suite;
import io.qingliu.gateway.testing.SuiteProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Divisions, facilities and projects over HTTP, against the real project-service holding Ziyang's list. */
@QuarkusTest
@TestProfile(SuiteProfile.class)
class RegistryRoutesTest {

    private static final String ZIYANG_TOWNS = "county = \"512002000000\" AND kind = DIVISION_KIND_TOWN";

    @Test
    void getsADivisionOfTheImportedListWithItsEtag() {
        Response response = given().get("/api/v1/divisions/512002000000");
        response.then().statusCode(200).contentType("application/json")
                .body("name", equalTo("divisions/512002000000"))
                .body("code", equalTo("512002000000"))
                .body("displayName", equalTo("雁江区"))
                .body("level", equalTo("DIVISION_LEVEL_COUNTY"))
                .body("parent", equalTo("divisions/512000000000"));
        String etag = response.jsonPath().getString("etag");
        assertFalse(etag.isEmpty());
        assertEquals(etag, response.header("ETag"), "the header is the etag, quotes and all");
    }

    @Test
    void listsDivisionsPageByPageWithTheFilterAndOrderPassedThrough() {
        List<String> names = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            JsonPath page = given().queryParam("filter", ZIYANG_TOWNS).queryParam("orderBy", "code desc")
                    .queryParam("pageSize", 5).queryParam("pageToken", token)
                    .get("/api/v1/divisions").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> divisions = page.getList("divisions");
            assertTrue(divisions.size() <= 5, "at most pageSize divisions per page");
            for (Map<String, Object> d : divisions) {
                assertEquals("DIVISION_KIND_TOWN", d.get("kind"));
                assertEquals("512002000000", d.get("countyCode"));
                names.add((String) d.get("name"));
            }
            token = page.getString("nextPageToken");
            pages++;
        } while (!token.isEmpty());
        assertTrue(pages > 1, "Yanjiang's towns span several pages of 5");
        assertEquals(names.size(), new HashSet<>(names).size(), "no division twice across pages");
        List<String> descending = new ArrayList<>(names);
        descending.sort(java.util.Comparator.reverseOrder());
        assertEquals(descending, names, "orderBy=code desc reached the service");
        // The same towns as the official list's towns (镇) of 雁江区 (512002…).
        assertEquals(ziyangTownsOfYanjiang(), names.size());
    }

    @Test
    void aMissingDivisionIs404WithTheServicesErrorInfo() {
        JsonPath error = given().get("/api/v1/divisions/512002999000").then().statusCode(404)
                .contentType("application/json")
                .body("error.code", equalTo(404))
                .body("error.status", equalTo("NOT_FOUND"))
                .extract().jsonPath();
        assertTrue(error.getString("error.message").contains("512002999000"), error.prettify());
        Map<String, Object> info = Suite.detail(error, "google.rpc.ErrorInfo");
        assertEquals("qingliu.io", info.get("domain"));
        assertFalse(((String) info.get("reason")).isEmpty());
    }

    @Test
    void aPageSizeThatIsNoNumberIs400NamingIt() {
        JsonPath error = given().queryParam("pageSize", "abc").get("/api/v1/divisions").then().statusCode(400)
                .body("error.status", equalTo("INVALID_ARGUMENT")).extract().jsonPath();
        assertEquals(List.of("pageSize"), Suite.violatedFields(error));
        assertEquals("qingliu.io", Suite.detail(error, "google.rpc.ErrorInfo").get("domain"));
    }

    @Test
    void aPageSizeOutOfRangeIs400WithTheServicesFieldViolation() {
        JsonPath error = given().queryParam("pageSize", 5000).get("/api/v1/projects").then().statusCode(400)
                .body("error.status", equalTo("INVALID_ARGUMENT")).extract().jsonPath();
        assertEquals(List.of("page_size"), Suite.violatedFields(error));
    }

    @Test
    void aBadFilterIs400NamingTheFilter() {
        JsonPath error = given().queryParam("filter", "colour = \"red\"").get("/api/v1/facilities").then()
                .statusCode(400).body("error.status", equalTo("INVALID_ARGUMENT")).extract().jsonPath();
        assertEquals(List.of("filter"), Suite.violatedFields(error));
    }

    @Test
    void theRegistryHoldsNoPlantNorProjectYet() {
        // Only RegistryWritesTest writes, and only garbage collection points (and a basin), and one garbage collection project.
        given().queryParam("filter", "type = FACILITY_TYPE_SEWAGE_TREATMENT_PLANT").get("/api/v1/facilities").then()
                .statusCode(200).body("facilities.size()", equalTo(0)).body("nextPageToken", equalTo(""));
        given().queryParam("filter", "kind = PROJECT_KIND_NEW_BUILD").get("/api/v1/projects").then().statusCode(200)
                .body("projects.size()", equalTo(0));
        given().get("/api/v1/projects/999999999").then().statusCode(404).body("error.status", equalTo("NOT_FOUND"));
    }

    @Test
    void anUnknownRouteIsAnAip193Error() {
        given().get("/api/v1/rivers").then().statusCode(404).contentType("application/json")
                .body("error.code", equalTo(404)).body("error.status", equalTo("NOT_FOUND"))
                .body("error.details[0].reason", equalTo("NO_SUCH_ROUTE"));
    }

    @Test
    void theOpenApiDocumentListsTheRoutes() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .jsonPath();
        Map<String, Object> paths = doc.getMap("paths");
        for (String path : List.of("/api/v1/divisions", "/api/v1/divisions/{division}", "/api/v1/facilities/{facility}",
                "/api/v1/projects/{project}", "/api/v1/plans", "/api/v1/plans/{plan}",
                "/api/v1/plans/{plan}/coverageGoals/{coverageGoal}:summarizeCoverage", "/api/v1/capacity:summarize")) {
            assertTrue(paths.containsKey(path), path + " in " + paths.keySet());
        }
        // The custom methods appear as the annotations write them, not as the JAX-RS segments that match them.
        for (String path : List.of("/api/v1/plans/{plan}/coverageGoals/{goalMethod}", "/api/v1/{collectionMethod}")) {
            assertTrue(!paths.containsKey(path), path + " is not in " + paths.keySet());
        }
    }

    /** Towns (镇) of 雁江区 in the shipped list, counted from the file the service imported. */
    private static int ziyangTownsOfYanjiang() {
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of(
                "../project-service/src/main/resources/divisions/ziyang-5120.csv"))) {
            return (int) lines.map(l -> l.split(","))
                    .filter(f -> f[2].equals("township") && f[3].equals("512002000000") && f[1].endsWith("镇"))
                    .count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
