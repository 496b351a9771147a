package io.qingliu.gateway.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qingliu.gateway.testing.Suite;
import io.qingliu.gateway.testing.SuiteProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Registry writes over HTTP: bodies as gRPC-JSON, etags as ETag / If-Match. */
@QuarkusTest
@TestProfile(SuiteProfile.class)
class RegistryWritesTest {

    // A planned collection point at a village: it serves nothing yet, so no coverage changes.
    private static final String POINT = """
            {"displayName": "雁中社区垃圾收集点", "type": "FACILITY_TYPE_GARBAGE_COLLECTION_POINT",
             "locationCode": "512002001001", "operatingState": "OPERATING_STATE_PLANNED"}""";

    @Test
    void aFacilityIsCreatedUpdatedUnderItsEtagAndDeleted() {
        Response created = given().contentType(ContentType.JSON).body(POINT).post("/api/v1/facilities");
        created.then().statusCode(200).body("displayName", equalTo("雁中社区垃圾收集点"))
                .body("countyCode", equalTo("512002000000"));
        String name = created.jsonPath().getString("name");
        String id = name.substring("facilities/".length());
        String etag = created.header("ETag");
        assertEquals(created.jsonPath().getString("etag"), etag, "the header is the body's etag, quotes and all");

        given().get("/api/v1/facilities/" + id).then().statusCode(200).header("ETag", etag)
                .body("name", equalTo(name));

        // A stale etag changes nothing.
        given().contentType(ContentType.JSON).header("If-Match", "\"stale\"").body("{\"displayName\": \"改名\"}")
                .patch("/api/v1/facilities/" + id).then().statusCode(409).body("error.status", equalTo("ABORTED"));
        given().get("/api/v1/facilities/" + id).then().body("displayName", equalTo("雁中社区垃圾收集点"));

        // The current one applies the fields the mask names (here: the ones the body sets).
        Response renamed = given().contentType(ContentType.JSON).header("If-Match", etag)
                .body("{\"displayName\": \"雁中社区生活垃圾收集点\"}").patch("/api/v1/facilities/" + id);
        renamed.then().statusCode(200).body("displayName", equalTo("雁中社区生活垃圾收集点"))
                .body("locationCode", equalTo("512002001001"));
        assertNotEquals(etag, renamed.header("ETag"));

        // An explicit updateMask in JSON names.
        given().contentType(ContentType.JSON).queryParam("updateMask", "operatingState")
                .body("{\"operatingState\": \"OPERATING_STATE_UNDER_CONSTRUCTION\", \"displayName\": \"ignored\"}")
                .patch("/api/v1/facilities/" + id).then().statusCode(200)
                .body("operatingState", equalTo("OPERATING_STATE_UNDER_CONSTRUCTION"))
                .body("displayName", equalTo("雁中社区生活垃圾收集点"));

        String current = given().get("/api/v1/facilities/" + id).header("ETag");
        given().header("If-Match", current).delete("/api/v1/facilities/" + id).then().statusCode(200);
        given().get("/api/v1/facilities/" + id).then().statusCode(404);
    }

    @Test
    void anUnknownFieldIs400NamingIt() {
        JsonPath error = given().contentType(ContentType.JSON)
                .body(POINT.replace("{\"displayName\"", "{\"colour\": \"green\", \"displayName\""))
                .post("/api/v1/facilities").then().statusCode(400).extract().jsonPath();
        assertEquals(List.of("facility.colour"), Suite.violatedFields(error));
    }

    @Test
    void malformedJsonIs400NamingTheBodyAndAWrongTypeNamesItsField() {
        JsonPath malformed = given().contentType(ContentType.JSON).body("{\"displayName\": ")
                .post("/api/v1/facilities").then().statusCode(400).extract().jsonPath();
        assertEquals(List.of("facility"), Suite.violatedFields(malformed));
        JsonPath wrongType = given().contentType(ContentType.JSON)
                .body(POINT.replace("\"locationCode\"", "\"capacityTonnesPerDay\": \"lots\", \"locationCode\""))
                .post("/api/v1/facilities").then().statusCode(400).extract().jsonPath();
        assertEquals(List.of("facility.capacityTonnesPerDay"), Suite.violatedFields(wrongType));
        assertTrue(wrongType.getString("error.message").contains("lots"), wrongType.prettify());
    }

    @Test
    void whatTheServiceRejectsComesBackWithItsFieldViolations() {
        JsonPath error = given().contentType(ContentType.JSON).body("{\"type\": \"FACILITY_TYPE_GARBAGE_COLLECTION_POINT\"}")
                .post("/api/v1/facilities").then().statusCode(400).body("error.status", equalTo("INVALID_ARGUMENT"))
                .extract().jsonPath();
        List<String> fields = Suite.violatedFields(error);
        assertFalse(fields.isEmpty());
        assertTrue(fields.stream().anyMatch(f -> f.contains("display_name")), fields.toString());
    }

    @Test
    void aDivisionsBasinIsSetUnderItsEtag() {
        String village = "/api/v1/divisions/512002001002";
        Response before = given().get(village);
        given().contentType(ContentType.JSON).header("If-Match", "\"stale\"").body("{\"basin\": \"沱江\"}")
                .patch(village).then().statusCode(409).body("error.status", equalTo("ABORTED"));
        Response after = given().contentType(ContentType.JSON).header("If-Match", before.header("ETag"))
                .body("{\"basin\": \"沱江\"}").patch(village);
        after.then().statusCode(200).body("basin", equalTo("沱江")).body("effectiveBasin", equalTo("沱江"))
                .body("displayName", equalTo(before.jsonPath().getString("displayName")));
        assertNotEquals(before.header("ETag"), after.header("ETag"));
    }

    @Test
    void aProjectIsCreatedWithItsFacilityMovedThroughItsLifecycleAndAudited() {
        java.time.LocalDate date = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
        String today = date.toString();
        String todayJson = "{\"year\": " + date.getYear() + ", \"month\": " + date.getMonthValue() + ", \"day\": "
                + date.getDayOfMonth() + "}";
        Response created = given().contentType(ContentType.JSON).body("""
                {"project": {"displayName": "雁北社区垃圾收集点建设", "kind": "PROJECT_KIND_GARBAGE_COLLECTION",
                             "responsibleUnit": "雁江区住建局"},
                 "newFacility": {"displayName": "雁北社区垃圾收集点", "type": "FACILITY_TYPE_GARBAGE_COLLECTION_POINT",
                                 "locationCode": "512002001002"}}""").post("/api/v1/projects");
        created.then().statusCode(200).body("state", equalTo("PROJECT_STATE_PLANNED"))
                .body("countyCode", equalTo("512002000000"));
        String id = created.jsonPath().getString("name").substring("projects/".length());
        String facility = created.jsonPath().getString("facility");
        given().get("/api/v1/" + facility).then().statusCode(200).body("operatingState", equalTo("OPERATING_STATE_PLANNED"));

        given().contentType(ContentType.JSON).header("If-Match", "\"stale\"")
                .body("{\"state\": \"PROJECT_STATE_APPROVED\", \"effectiveDate\": \"" + today + "\"}")
                .post("/api/v1/projects/" + id + ":transition").then().statusCode(400)
                .body("error.details[1].fieldViolations[0].field", equalTo("effectiveDate")); // a date is {year, month, day}
        given().contentType(ContentType.JSON).header("If-Match", "\"stale\"")
                .body("{\"state\": \"PROJECT_STATE_APPROVED\", \"effectiveDate\": " + todayJson + "}")
                .post("/api/v1/projects/" + id + ":transition").then().statusCode(409).body("error.status", equalTo("ABORTED"));
        given().contentType(ContentType.JSON).header("If-Match", created.header("ETag"))
                .body("{\"state\": \"PROJECT_STATE_APPROVED\", \"effectiveDate\": " + todayJson + ", \"reason\": \"立项批复\"}")
                .post("/api/v1/projects/" + id + ":transition").then().statusCode(200)
                .body("state", equalTo("PROJECT_STATE_APPROVED"));
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/projects/" + id + ":approve").then()
                .statusCode(404).body("error.message", containsString(":transition"));

        JsonPath history = given().get("/api/v1/projects/" + id + "/history").then().statusCode(200).extract()
                .jsonPath();
        assertTrue(history.getList("records").size() >= 2, history.prettify());
    }

    @Test
    void aProjectIsUpdatedUnderItsEtagAndDeletedWithItsNewFacility() {
        Response created = given().contentType(ContentType.JSON).body("""
                {"project": {"displayName": "雁江区城东污水处理站新建工程", "kind": "PROJECT_KIND_NEW_BUILD",
                             "capacityAfterTonnesPerDay": 300, "standardAfter": "DISCHARGE_STANDARD_GB18918_CLASS_1A",
                             "progressPercent": 10},
                 "newFacility": {"displayName": "雁江区城东污水处理站", "type": "FACILITY_TYPE_SEWAGE_TREATMENT_PLANT",
                                 "locationCode": "512002001000", "capacityTonnesPerDay": 300,
                                 "dischargeStandard": "DISCHARGE_STANDARD_GB18918_CLASS_1A"}}""").post("/api/v1/projects");
        created.then().statusCode(200);
        String id = created.jsonPath().getString("name").substring("projects/".length());
        String facility = created.jsonPath().getString("facility");
        String etag = created.header("ETag");

        // A stale etag changes nothing.
        given().contentType(ContentType.JSON).header("If-Match", "\"stale\"").body("{\"progressPercent\": 50}")
                .patch("/api/v1/projects/" + id).then().statusCode(409).body("error.status", equalTo("ABORTED"));
        given().get("/api/v1/projects/" + id).then().body("progressPercent", equalTo(10));

        // The service's own checks come back with the field named; nothing changes.
        JsonPath refused = given().contentType(ContentType.JSON).header("If-Match", etag)
                .body("{\"progressPercent\": 150}").patch("/api/v1/projects/" + id).then().statusCode(400).extract()
                .jsonPath();
        assertEquals(List.of("project.progress_percent"), Suite.violatedFields(refused));

        // The fields of the mask change, the others stay, and the etag moves.
        Response updated = given().contentType(ContentType.JSON).header("If-Match", etag)
                .queryParam("updateMask", "progressPercent,notes")
                .body("{\"progressPercent\": 50, \"notes\": \"选址已定\", \"displayName\": \"ignored\"}")
                .patch("/api/v1/projects/" + id);
        updated.then().statusCode(200).body("progressPercent", equalTo(50)).body("notes", equalTo("选址已定"))
                .body("displayName", equalTo("雁江区城东污水处理站新建工程"));
        assertNotEquals(etag, updated.header("ETag"));

        // Deleting needs the current etag (here as ?etag=, as a transcoder sends it); the plant a
        // planned new build was to build goes with it.
        given().queryParam("etag", etag).delete("/api/v1/projects/" + id).then().statusCode(409);
        given().queryParam("etag", updated.jsonPath().getString("etag")).delete("/api/v1/projects/" + id).then()
                .statusCode(200);
        given().get("/api/v1/projects/" + id).then().statusCode(404).body("error.status", equalTo("NOT_FOUND"));
        given().get("/api/v1/" + facility).then().statusCode(404);
    }
}
