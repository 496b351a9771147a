package io.qingliu.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qingliu.api.project.v1.CreateFacilityRequest;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.gateway.testing.ServiceProcess;
import io.qingliu.gateway.testing.Suite;
import io.qingliu.gateway.testing.SuiteProfile;
import io.qingliu.gateway.testing.SuiteResource;
import io.qingliu.kit.auth.Role;
import io.qingliu.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/**
 * Who may use the gateway: every {@code /api} request shows a bearer token the gateway verifies
 * itself (401 in the AIP-193 form naming why, with {@code WWW-Authenticate}, and no service
 * called), and passes on to the services, which decide what its role may do (403 with their
 * ErrorInfo) and record who did it. Health and the API's description answer anyone.
 */
@QuarkusTest
@TestProfile(SuiteProfile.class)
class GatewayAuthTest {

    private static final String ANYUE = "512021000000";
    private static final String LEZHI = "512022000000";
    /** Villages of Anyue and of Lezhi (Ziyang's list). */
    private static final String ANYUE_VILLAGE = "512021001002";
    private static final String LEZHI_VILLAGE = "512022001002";

    /** A request with no Authorization header at all (without the suite's admin token by default). */
    private static RequestSpecification anonymous() {
        return given().noFilters();
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static RequestSpecification as(Role role, String county) {
        return as(TestTokens.token(role, county));
    }

    @Test
    void aRequestWithoutAValidTokenIs401NamingWhy() {
        String path = "/api/v1/divisions/512000000000";
        unauthenticated(anonymous().get(path), "TOKEN_MISSING");
        unauthenticated(anonymous().header("Authorization", "Basic cGxhbm5lcjpzZWNyZXQ=").get(path), "TOKEN_MISSING");
        unauthenticated(as("not-a-token").get(path), "TOKEN_INVALID");
        unauthenticated(as(TestTokens.token("late", Role.ADMIN, null, Duration.ofMinutes(-5))).get(path), "TOKEN_EXPIRED");

        // Signed with a key that is not the issuer's.
        JwtClaims claims = claims("qingliu", "intruder", "admin");
        unauthenticated(as(TestTokens.sign(claims, otherKey().getPrivate())).get(path), "TOKEN_INVALID");
        // The right key, but another issuer; a county token that names no county.
        unauthenticated(as(TestTokens.signed(claims("someone-else", "intruder", "admin"))).get(path), "TOKEN_INVALID");
        unauthenticated(as(TestTokens.signed(claims("qingliu", "county-without-county", "county"))).get(path),
                "TOKEN_INVALID");

        // Every route, the report, the export and an unknown route alike.
        String plan = Suite.ziyangPlanId();
        unauthenticated(anonymous().get("/api/v1/plans/" + plan + "/report"), "TOKEN_MISSING");
        unauthenticated(anonymous().get("/api/v1/plans/" + plan + "/coverageGoals/town-sewage:exportUnits"), "TOKEN_MISSING");
        unauthenticated(anonymous().get("/api/v1/plans/" + plan + "/progress"), "TOKEN_MISSING");
        unauthenticated(anonymous().get("/api/v1/no-such-route"), "TOKEN_MISSING");

        // The same request with a token answers.
        as(Role.VIEWER, null).get(path).then().statusCode(200).body("name", equalTo("divisions/512000000000"));
    }

    @Test
    void aWriteWithoutATokenReachesNoService() {
        String name = "无令牌的垃圾收集点 " + UUID.randomUUID();
        String body = point(name, ANYUE_VILLAGE);
        String requestId = UUID.randomUUID().toString();
        double createFacilityCalls = calls(SuiteResource.projectService(), "CreateFacility");
        double createPlanCalls = calls(SuiteResource.capacityService(), "CreatePlan");
        unauthenticated(anonymous().contentType(ContentType.JSON).body(body).queryParam("requestId", requestId)
                .post("/api/v1/facilities"), "TOKEN_MISSING");
        unauthenticated(as("not-a-token").contentType(ContentType.JSON).body(body).post("/api/v1/facilities"), "TOKEN_INVALID");
        // Refused before the body is read: a body the gateway could not parse is a 401 too, not a 400.
        unauthenticated(anonymous().contentType(ContentType.JSON).body("{\"capacityTonnesPerDay\": \"abc\"}")
                .post("/api/v1/facilities"), "TOKEN_MISSING");
        unauthenticated(anonymous().contentType(ContentType.JSON).body(plan("NO-TOKEN-" + UUID.randomUUID()))
                .post("/api/v1/plans"), "TOKEN_MISSING");

        // Neither service saw a call (their own gRPC metrics), and nothing was created.
        assertEquals(createFacilityCalls, calls(SuiteResource.projectService(), "CreateFacility"));
        assertEquals(createPlanCalls, calls(SuiteResource.capacityService(), "CreatePlan"));
        assertEquals(List.of(), facilitiesNamed(name), "nothing was created");

        // With a token the same request reaches project-service (and the metric counts it).
        given().contentType(ContentType.JSON).body(body).queryParam("requestId", requestId).post("/api/v1/facilities")
                .then().statusCode(200).body("displayName", equalTo(name));
        assertEquals(createFacilityCalls + 1, calls(SuiteResource.projectService(), "CreateFacility"));
        assertEquals(1, facilitiesNamed(name).size());
        deleteFacility(facilitiesNamed(name).get(0));

        // The metric counts refused calls too: one without a token made straight to the service is counted.
        ManagedChannel channel = Suite.projectChannel();
        try {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> ProjectServiceGrpc
                    .newBlockingStub(channel).withCallCredentials(TestTokens.none())
                    .createFacility(CreateFacilityRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
        } finally {
            channel.shutdownNow();
        }
        assertEquals(createFacilityCalls + 2, calls(SuiteResource.projectService(), "CreateFacility"));
    }

    @Test
    void healthAndTheApisDescriptionAnswerWithoutAToken() {
        anonymous().get("/q/health/live").then().statusCode(200);
        anonymous().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        anonymous().get("/q/health").then().statusCode(200);
        anonymous().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"));
        anonymous().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void aViewerReadsAndTheServicesRefuseItsWritesWithTheirErrorInfo() {
        as(Role.VIEWER, null).get("/api/v1/divisions/" + ANYUE).then().statusCode(200);
        as(Role.VIEWER, null).get("/api/v1/plans/" + Suite.ziyangPlanId() + "/progress").then().statusCode(200);

        String name = "观察者的垃圾收集点 " + UUID.randomUUID();
        JsonPath refused = forbidden(as(Role.VIEWER, null).contentType(ContentType.JSON).body(point(name, ANYUE_VILLAGE))
                .post("/api/v1/facilities"), "ROLE_NOT_ALLOWED");
        Map<String, Object> metadata = metadata(refused);
        assertEquals("viewer", metadata.get("role"));
        assertEquals("qingliu.project.v1.ProjectService/CreateFacility", metadata.get("method"), "project-service's answer");
        assertEquals(List.of(), facilitiesNamed(name));

        JsonPath plan = forbidden(as(Role.VIEWER, null).contentType(ContentType.JSON).body(plan("VIEWER-" + UUID.randomUUID()))
                .post("/api/v1/plans"), "ROLE_NOT_ALLOWED");
        assertEquals("qingliu.capacity.v1.CapacityService/CreatePlan", metadata(plan).get("method"), "capacity-service's answer");
    }

    @Test
    void aCountySystemWritesItsOwnCountysFacilitiesAndTheServiceRefusesAnothers() {
        String anyue = TestTokens.token("anyue-county-system", Role.COUNTY, ANYUE, Duration.ofMinutes(10));
        Response own = as(anyue).contentType(ContentType.JSON).body(point("安岳县土城门社区垃圾收集点", ANYUE_VILLAGE))
                .post("/api/v1/facilities");
        own.then().statusCode(200).body("countyCode", equalTo(ANYUE));
        String id = own.jsonPath().getString("name").substring("facilities/".length());
        as(anyue).contentType(ContentType.JSON).header("If-Match", own.header("ETag"))
                .body("{\"displayName\": \"安岳县土城门社区生活垃圾收集点\"}").patch("/api/v1/facilities/" + id)
                .then().statusCode(200).body("displayName", equalTo("安岳县土城门社区生活垃圾收集点"));

        String lezhiName = "安岳县系统写的乐至县收集点 " + UUID.randomUUID();
        JsonPath elsewhere = forbidden(as(anyue).contentType(ContentType.JSON).body(point(lezhiName, LEZHI_VILLAGE))
                .post("/api/v1/facilities"), "OTHER_COUNTY");
        assertEquals(ANYUE, metadata(elsewhere).get("caller_county"));
        assertEquals(LEZHI, metadata(elsewhere).get("record_county"));
        assertEquals(List.of(), facilitiesNamed(lezhiName));

        // A county's token writes records, not the city's planning data (a township's basin).
        forbidden(as(anyue).contentType(ContentType.JSON).body("{\"basin\": \"沱江\"}")
                .patch("/api/v1/divisions/512021001000"), "ROLE_NOT_ALLOWED");

        String etag = as(anyue).get("/api/v1/facilities/" + id).header("ETag");
        as(anyue).header("If-Match", etag).delete("/api/v1/facilities/" + id).then().statusCode(200);
    }

    @Test
    void theAuditTrailNamesTheCallerWhoseTokenTheGatewayPassedOn() {
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        String planner = TestTokens.token("planner-wang", Role.PLANNER, null, Duration.ofMinutes(10));
        String anyue = TestTokens.token("anyue-county-system", Role.COUNTY, ANYUE, Duration.ofMinutes(10));
        Response created = as(planner).contentType(ContentType.JSON).body("""
                {"project": {"displayName": "龙王庙社区垃圾收集点建设", "kind": "PROJECT_KIND_GARBAGE_COLLECTION",
                             "responsibleUnit": "安岳县住建局"},
                 "newFacility": {"displayName": "龙王庙社区垃圾收集点", "type": "FACILITY_TYPE_GARBAGE_COLLECTION_POINT",
                                 "locationCode": "%s"}}""".formatted(ANYUE_VILLAGE)).post("/api/v1/projects");
        created.then().statusCode(200).body("countyCode", equalTo(ANYUE));
        String id = created.jsonPath().getString("name").substring("projects/".length());
        as(anyue).contentType(ContentType.JSON).header("If-Match", created.header("ETag"))
                .body("{\"state\": \"PROJECT_STATE_APPROVED\", \"effectiveDate\": {\"year\": %d, \"month\": %d, \"day\": %d}, \"reason\": \"立项批复\"}"
                        .formatted(today.getYear(), today.getMonthValue(), today.getDayOfMonth()))
                .post("/api/v1/projects/" + id + ":transition").then().statusCode(200)
                .body("state", equalTo("PROJECT_STATE_APPROVED"));

        JsonPath history = as(Role.VIEWER, null).get("/api/v1/projects/" + id + "/history").then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> records = history.getList("records");
        assertEquals(2, records.size(), history.prettify());
        assertEquals("AUDIT_ACTION_CREATED", records.get(0).get("action"));
        assertEquals("planner-wang", records.get(0).get("actor"));
        assertEquals("planner", records.get(0).get("actorRole"));
        assertEquals("AUDIT_ACTION_TRANSITIONED", records.get(1).get("action"));
        assertEquals("anyue-county-system", records.get(1).get("actor"));
        assertEquals("county", records.get(1).get("actorRole"));
    }

    // --- helpers -------------------------------------------------------------------------------

    /** A 401 as AIP-193 writes it, with the verifier's reason and a Bearer challenge. */
    private static JsonPath unauthenticated(Response response, String reason) {
        String body = response.asString();
        assertEquals(401, response.statusCode(), body);
        JsonPath error = JsonPath.from(body);
        assertEquals(401, error.getInt("error.code"), body);
        assertEquals("UNAUTHENTICATED", error.getString("error.status"), body);
        assertTrue(!error.getString("error.message").isBlank(), body);
        Map<String, Object> info = Suite.detail(error, "google.rpc.ErrorInfo");
        assertEquals(reason, info.get("reason"), body);
        assertEquals("qingliu.io", info.get("domain"), body);
        String challenge = response.header("WWW-Authenticate");
        assertTrue(challenge != null && challenge.startsWith("Bearer "), "WWW-Authenticate: " + challenge);
        assertEquals(!reason.equals("TOKEN_MISSING"), challenge.contains("error=\"invalid_token\""), challenge);
        return error;
    }

    /** A 403 as the service answered it: PERMISSION_DENIED with its ErrorInfo; no challenge (the token was good). */
    private static JsonPath forbidden(Response response, String reason) {
        String body = response.asString();
        assertEquals(403, response.statusCode(), body);
        JsonPath error = JsonPath.from(body);
        assertEquals("PERMISSION_DENIED", error.getString("error.status"), body);
        Map<String, Object> info = Suite.detail(error, "google.rpc.ErrorInfo");
        assertEquals(reason, info.get("reason"), body);
        assertEquals("qingliu.io", info.get("domain"), body);
        assertNull(response.header("WWW-Authenticate"));
        return error;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(JsonPath error) {
        return (Map<String, Object>) Suite.detail(error, "google.rpc.ErrorInfo").get("metadata");
    }

    /** A planned garbage collection point at a village: it serves nothing yet, so no coverage changes. */
    private static String point(String name, String village) {
        return """
                {"displayName": "%s", "type": "FACILITY_TYPE_GARBAGE_COLLECTION_POINT",
                 "locationCode": "%s", "operatingState": "OPERATING_STATE_PLANNED"}""".formatted(name, village);
    }

    private static String plan(String code) {
        return """
                {"code": "%s", "displayName": "无权创建的计划", "areaCode": "512000000000",
                 "startDate": {"year": 2021, "month": 1, "day": 1}, "endDate": {"year": 2023, "month": 12, "day": 31}}"""
                .formatted(code);
    }

    /** The names of the facilities with this display name, read as an admin. */
    private static List<String> facilitiesNamed(String displayName) {
        List<String> out = new ArrayList<>();
        String token = "";
        do {
            JsonPath page = given().queryParam("pageSize", 1000).queryParam("pageToken", token).get("/api/v1/facilities")
                    .then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> facilities = page.getList("facilities");
            facilities.stream().filter(f -> displayName.equals(f.get("displayName"))).forEach(f -> out.add((String) f.get("name")));
            token = page.getString("nextPageToken");
        } while (token != null && !token.isEmpty());
        return out;
    }

    /**
     * How many calls of this method the service has answered, whatever their status: the sum of
     * its {@code grpc_server_processing_duration_seconds_count} series for the method.
     */
    private static double calls(ServiceProcess service, String method) {
        String metrics = given().noFilters().port(service.port()).get("/q/metrics").then().statusCode(200).extract().asString();
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("grpc_server_processing_duration_seconds_count{") && line.contains("method=\"" + method + "\"")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private static void deleteFacility(String name) {
        String etag = given().get("/api/v1/" + name).then().statusCode(200).extract().header("ETag");
        given().header("If-Match", etag).delete("/api/v1/" + name).then().statusCode(200);
    }

    private static JwtClaims claims(String issuer, String subject, String role) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(subject);
        claims.setExpirationTime(NumericDate.fromMilliseconds(System.currentTimeMillis() + 600_000));
        claims.setStringListClaim("groups", List.of(role));
        return claims;
    }

    private static KeyPair otherKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
