package io.qingliu.gateway.openapi;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.qingliu.api.capacity.v1.CapacityServiceProto;
import io.qingliu.api.project.v1.ProjectServiceProto;
import io.qingliu.gateway.testing.StreamingHttp;
import io.qingliu.gateway.testing.Suite;
import io.qingliu.gateway.testing.SuiteProfile;
import io.qingliu.kit.auth.Role;
import io.qingliu.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document at {@code /q/openapi} says what the gateway serves: every body the suite
 * reads through a route, and every error, is valid against the schema the document gives for
 * that operation and status (JSON Schema 2020-12, OpenAPI 3.1's dialect; messages admit no
 * property they do not declare), and every {@code google.api.http} binding is in it with its verb.
 */
@QuarkusTest
@TestProfile(SuiteProfile.class)
class OpenApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Pattern VARIABLE = Pattern.compile("\\{[A-Za-z0-9_.]+(?:=([^}]+))?}");
    private static final String TOWN_GOAL = "town-sewage";

    private JsonNode document;

    /** Fetched per test (RestAssured's port is the running gateway's only once a test runs). */
    @BeforeEach
    void fetchTheDocument() throws Exception {
        document = JSON.readTree(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString());
    }

    @Test
    void everyHttpBindingOfTheProtosIsInTheDocumentWithItsVerb() {
        List<String> paths = new ArrayList<>();
        document.get("paths").fieldNames().forEachRemaining(paths::add);
        int bindings = 0;
        for (ServiceDescriptor service : List.of(
                ProjectServiceProto.getDescriptor().findServiceByName("ProjectService"),
                CapacityServiceProto.getDescriptor().findServiceByName("CapacityService"))) {
            for (MethodDescriptor method : service.getMethods()) {
                if (!method.getOptions().hasExtension(AnnotationsProto.http)) {
                    continue;
                }
                HttpRule rule = method.getOptions().getExtension(AnnotationsProto.http);
                String verb = rule.getPatternCase().name().toLowerCase(Locale.ROOT);
                String expected = shape(expand(template(rule)));
                String path = paths.stream().filter(p -> shape(p).equals(expected)).findFirst()
                        .orElseThrow(() -> new AssertionError(method.getName() + ": no path " + expected + " in " + paths));
                JsonNode operation = document.get("paths").get(path).get(verb);
                assertNotNull(operation, method.getName() + ": no " + verb + " on " + path);
                assertEquals(service.getName() + "." + method.getName(), operation.get("operationId").asText());
                assertTrue(operation.get("responses").has("200"), method.getName() + " documents its answer");
                assertEquals("[{\"bearer\":[]}]", operation.path("security").toString(), method.getName() + " needs the token");
                assertTrue(operation.get("responses").has("401") && operation.get("responses").has("403"),
                        method.getName() + " documents 401 and 403");
                if (!rule.getBody().isEmpty()) {
                    assertTrue(operation.has("requestBody"), method.getName() + " documents its body");
                }
                bindings++;
            }
        }
        assertTrue(bindings >= 25, "every annotated method checked: " + bindings);
        // The route that mirrors no method stays, with its formats.
        JsonNode report = document.at("/paths/~1api~1v1~1plans~1{plan}~1report/get/responses/200/content");
        assertTrue(report.has("text/html") && report.has("text/csv")
                && report.has("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), report.toString());
        assertTrue(document.at("/paths/~1api~1v1~1plans~1{plan}~1report/get/responses/404").isObject());
        assertEquals("[{\"bearer\":[]}]", document.at("/paths/~1api~1v1~1plans~1{plan}~1report/get/security").toString());
        assertTrue(document.at("/paths/~1api~1v1~1plans~1{plan}~1report/get/responses/401/headers/WWW-Authenticate").isObject());
        // So does the gateway's own method on a goal.
        JsonNode export = document.at("/paths/~1api~1v1~1plans~1{plan}~1coverageGoals~1{coverageGoal}:exportUnits/get");
        assertTrue(export.at("/responses/200/content").has("text/csv"), export.toString());
        assertEquals("[{\"bearer\":[]}]", export.path("security").toString());
        JsonNode bearer = document.at("/components/securitySchemes/bearer");
        assertEquals("http", bearer.path("type").asText(), bearer.toString());
        assertEquals("bearer", bearer.path("scheme").asText(), bearer.toString());
        assertEquals("JWT", bearer.path("bearerFormat").asText(), bearer.toString());
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void readsOfTheRegistryAreServedAsDocumented() {
        served("get", "/api/v1/divisions", given().queryParam("pageSize", 5).get("/api/v1/divisions"));
        served("get", "/api/v1/divisions/{division}", given().get("/api/v1/divisions/512002000000"));
        served("get", "/api/v1/divisions/{division}", given().get("/api/v1/divisions/512002001001"));

        Response facility = given().contentType(ContentType.JSON).body("""
                {"displayName": "雁南社区垃圾收集点", "type": "FACILITY_TYPE_GARBAGE_COLLECTION_POINT",
                 "locationCode": "512002001001", "operatingState": "OPERATING_STATE_PLANNED"}""")
                .post("/api/v1/facilities");
        served("post", "/api/v1/facilities", facility);
        String facilityId = facility.jsonPath().getString("name").substring("facilities/".length());
        served("get", "/api/v1/facilities/{facility}", given().get("/api/v1/facilities/" + facilityId));
        served("get", "/api/v1/facilities", given().queryParam("pageSize", 20).get("/api/v1/facilities"));

        Response project = given().contentType(ContentType.JSON).body("""
                {"project": {"displayName": "雁南社区垃圾收集点建设", "kind": "PROJECT_KIND_GARBAGE_COLLECTION",
                             "responsibleUnit": "雁江区住建局", "investmentFen": "1200000",
                             "fundingSources": [{"source": "县级财政", "amountFen": "1200000"}]},
                 "newFacility": {"displayName": "雁南社区垃圾收集点二", "type": "FACILITY_TYPE_GARBAGE_COLLECTION_POINT",
                                 "locationCode": "512002001001"}}""").post("/api/v1/projects");
        served("post", "/api/v1/projects", project);
        String projectId = project.jsonPath().getString("name").substring("projects/".length());
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
        Response moved = given().contentType(ContentType.JSON).body("{\"state\": \"PROJECT_STATE_APPROVED\", \"effectiveDate\": "
                + "{\"year\": " + today.getYear() + ", \"month\": " + today.getMonthValue() + ", \"day\": "
                + today.getDayOfMonth() + "}, \"reason\": \"立项\"}").post("/api/v1/projects/" + projectId + ":transition");
        served("post", "/api/v1/projects/{project}:transition", moved);
        assertFalse(moved.jsonPath().getList("transitions").isEmpty(), "a transition is in the validated body");

        served("get", "/api/v1/projects/{project}", given().get("/api/v1/projects/" + projectId));
        served("get", "/api/v1/projects", given().queryParam("pageSize", 20).get("/api/v1/projects"));
        Response history = given().get("/api/v1/projects/" + projectId + "/history");
        served("get", "/api/v1/projects/{project}/history", history);
        assertFalse(history.jsonPath().getList("records").isEmpty(), history.asString());
    }

    @Test
    void readsOfPlansCoverageAndCapacityAreServedAsDocumented() {
        String plan = Suite.ziyangPlanId();
        served("get", "/api/v1/plans", given().get("/api/v1/plans"));
        served("get", "/api/v1/plans/{plan}", given().get("/api/v1/plans/" + plan));
        Response progress = given().get("/api/v1/plans/" + plan + "/progress");
        served("get", "/api/v1/plans/{plan}/progress", progress);
        assertFalse(progress.jsonPath().getList("targets").isEmpty());

        String goal = "/api/v1/plans/" + plan + "/coverageGoals/" + TOWN_GOAL;
        Response summary = given().queryParam("breakdown", "township").get(goal + ":summarizeCoverage");
        served("get", "/api/v1/plans/{plan}/coverageGoals/{coverageGoal}:summarizeCoverage", summary);
        assertFalse(summary.jsonPath().getList("townships").isEmpty());
        Response uncovered = given().queryParam("pageSize", 5).get(goal + ":listUncoveredUnits");
        served("get", "/api/v1/plans/{plan}/coverageGoals/{coverageGoal}:listUncoveredUnits", uncovered);
        String unit = uncovered.jsonPath().getString("units[0].code");
        served("get", "/api/v1/plans/{plan}/coverageGoals/{coverageGoal}:getCoverageEvidence",
                given().queryParam("unitCode", unit).get(goal + ":getCoverageEvidence"));

        served("get", "/api/v1/capacity:summarize", given().queryParam("grouping", "county").get("/api/v1/capacity:summarize"));
        Response capacity = given().queryParam("grouping", "year").queryParam("plan", "plans/" + plan)
                .get("/api/v1/capacity:summarize");
        served("get", "/api/v1/capacity:summarize", capacity);
        assertFalse(capacity.jsonPath().getList("rows").isEmpty(), "a row per year is in the validated body");
    }

    @Test
    void errorsAreServedAsDocumented() {
        served("get", "/api/v1/facilities/{facility}", given().get("/api/v1/facilities/999999999"), 404);
        served("get", "/api/v1/plans/{plan}", given().get("/api/v1/plans/999999999"), 404);
        served("get", "/api/v1/divisions", given().queryParam("pageSize", "abc").get("/api/v1/divisions"), 400);
        // The service's own field violations, passed on.
        served("post", "/api/v1/facilities", given().contentType(ContentType.JSON)
                .body("{\"type\": \"FACILITY_TYPE_GARBAGE_COLLECTION_POINT\"}").post("/api/v1/facilities"), 400);
        served("post", "/api/v1/facilities", given().contentType(ContentType.JSON)
                .body("{\"capacityTonnesPerDay\": \"abc\"}").post("/api/v1/facilities"), 400);
        served("get", "/api/v1/plans/{plan}/coverageGoals/{coverageGoal}:summarizeCoverage",
                given().queryParam("asOfDate", "2020-02-30")
                        .get("/api/v1/plans/" + Suite.ziyangPlanId() + "/coverageGoals/" + TOWN_GOAL + ":summarizeCoverage"), 400);
        // Who may call: no token (the gateway's own 401), a role the service refuses (its 403, passed on).
        served("get", "/api/v1/facilities/{facility}", given().noFilters().get("/api/v1/facilities/999999999"), 401);
        served("post", "/api/v1/plans", given().noFilters().contentType(ContentType.JSON).body("{}").post("/api/v1/plans"), 401);
        served("post", "/api/v1/facilities", given().header("Authorization", "Bearer " + TestTokens.token(Role.VIEWER, null))
                .contentType(ContentType.JSON).body("{\"type\": \"FACILITY_TYPE_GARBAGE_COLLECTION_POINT\"}")
                .post("/api/v1/facilities"), 403);
    }

    @Test
    void theStreamingMethodsAreServedAsDocumented() {
        JsonNode importing = document.path("paths").path("/api/v1/projects:import").path("post");
        assertTrue(importing.at("/requestBody/content").has("application/x-ndjson"), importing.toString());
        Response imported = given().contentType("application/x-ndjson").body("""
                {"entries": [{"project": {"displayName": "雁南社区垃圾收集点三建设", "kind": "PROJECT_KIND_GARBAGE_COLLECTION"},
                              "newFacility": {"displayName": "雁南社区垃圾收集点三", "type": "FACILITY_TYPE_GARBAGE_COLLECTION_POINT",
                                              "locationCode": "512002001001"}}]}
                """.getBytes(StandardCharsets.UTF_8)).post("/api/v1/projects:import");
        served("post", "/api/v1/projects:import", imported);
        served("post", "/api/v1/projects:import", given().contentType("application/x-ndjson").body("{\"entries\": 3}\n".getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/projects:import"), 400);

        var feed = StreamingHttp.lines("/api/v1/changes:watch?maxBatchSize=3", StreamingHttp.ADMIN, Duration.ofSeconds(10));
        assertEquals(200, feed.statusCode());
        try (var lines = feed.body()) {
            String first = lines.iterator().next();
            List<Error> errors = validate(responseSchema("get", "/api/v1/changes:watch", 200, "application/x-ndjson"), first);
            assertTrue(errors.isEmpty(), "a line of the feed is not as documented: " + errors + "\n" + first);
        }
    }

    /** The validation itself can fail: a served body with a property too many, or a value of the wrong type, is refused. */
    @Test
    void aBodyUnlikeItsSchemaIsRefused() throws Exception {
        String served = given().get("/api/v1/divisions/512002000000").then().statusCode(200).extract().asString();
        JsonNode schema = responseSchema("get", "/api/v1/divisions/{division}", 200);
        assertTrue(validate(schema, served).isEmpty());

        ObjectNode extra = (ObjectNode) JSON.readTree(served);
        extra.put("colour", "green");
        assertFalse(validate(schema, extra.toString()).isEmpty(), "an undeclared property is refused");

        ObjectNode wrongType = (ObjectNode) JSON.readTree(served);
        wrongType.put("level", 3);
        assertFalse(validate(schema, wrongType.toString()).isEmpty(), "an enum as a number is refused");

        ObjectNode nested = (ObjectNode) JSON.readTree(served);
        nested.putObject("updateTime").put("seconds", 1);
        assertFalse(validate(schema, nested.toString()).isEmpty(), "a timestamp as an object is refused");
    }

    private void served(String verb, String path, Response response) {
        served(verb, path, response, 200);
    }

    private void served(String verb, String path, Response response, int status) {
        String body = response.asString();
        assertEquals(status, response.statusCode(), verb + " " + path + ": " + body);
        List<Error> errors = validate(responseSchema(verb, path, status), body);
        assertTrue(errors.isEmpty(), verb + " " + path + " " + status + " is not as documented: " + errors + "\n" + body);
    }

    /** The schema the document gives for the operation's answer of that status, as application/json. */
    private JsonNode responseSchema(String verb, String path, int status) {
        return responseSchema(verb, path, status, "application/json");
    }

    private JsonNode responseSchema(String verb, String path, int status, String mediaType) {
        JsonNode operation = document.path("paths").path(path).path(verb);
        assertTrue(operation.isObject(), "no " + verb + " " + path + " in the document");
        JsonNode response = operation.path("responses").path(String.valueOf(status));
        if (response.has("$ref")) {
            response = document.at(response.get("$ref").asText().substring(1));
        }
        JsonNode schema = response.path("content").path(mediaType).path("schema");
        assertTrue(schema.isObject(), verb + " " + path + " documents no " + mediaType + " body for " + status);
        return schema;
    }

    /** Validates against the schema with the document's components beside it, so that its $refs resolve. */
    private List<Error> validate(JsonNode schema, String body) {
        ObjectNode root = schema.deepCopy();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("components", document.get("components"));
        return SCHEMAS.getSchema(root.toString(), InputFormat.JSON).validate(body, InputFormat.JSON);
    }

    private static String template(HttpRule rule) {
        return switch (rule.getPatternCase()) {
            case GET -> rule.getGet();
            case POST -> rule.getPost();
            case PATCH -> rule.getPatch();
            case PUT -> rule.getPut();
            case DELETE -> rule.getDelete();
            default -> throw new AssertionError("unexpected pattern " + rule.getPatternCase());
        };
    }

    /** {@code /api/v1/{goal=plans/*}/coverageGoals/*}:x} → {@code /api/v1/plans/*}/coverageGoals/*:x}. */
    private static String expand(String template) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) == null ? "*" : m.group(1)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A path with each parameter, whatever its name, as {@code *}. */
    private static String shape(String path) {
        return path.replaceAll("\\{[^}]+}", "*");
    }
}
