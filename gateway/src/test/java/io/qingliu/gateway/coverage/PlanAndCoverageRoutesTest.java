package io.qingliu.gateway.coverage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;
import com.google.type.Date;
import io.grpc.ManagedChannel;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.api.capacity.v1.CoverageBreakdown;
import io.qingliu.api.capacity.v1.SummarizeCoverageRequest;
import io.qingliu.api.capacity.v1.SummarizeCoverageResponse;
import io.qingliu.gateway.testing.Suite;
import io.qingliu.gateway.testing.SuiteProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plans, coverage and progress over HTTP, against the real capacity-service with the shipped Ziyang plan. */
@QuarkusTest
@TestProfile(SuiteProfile.class)
class PlanAndCoverageRoutesTest {

    private static final String TOWN_GOAL = "town-sewage";

    @Test
    void theShippedPlanIsListedAndReadableByName() {
        String plan = Suite.ziyangPlanId();
        var response = given().get("/api/v1/plans/" + plan);
        response.then().statusCode(200)
                .body("name", equalTo("plans/" + plan))
                .body("code", equalTo(Suite.ZIYANG_PLAN_CODE))
                .body("areaCode", equalTo("512000000000"))
                .body("startDate.year", equalTo(2018))
                .body("coverageGoals.goalId", org.hamcrest.Matchers.hasItem(TOWN_GOAL));
        assertEquals(response.jsonPath().getString("etag"), response.header("ETag"));
    }

    @Test
    void aCoverageSummaryIsTheServicesAnswerAndCountsEveryTown() throws Exception {
        String plan = Suite.ziyangPlanId();
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        JsonPath summary = given().queryParam("asOfDate", today.toString()).queryParam("breakdown", "county")
                .get("/api/v1/plans/" + plan + "/coverageGoals/" + TOWN_GOAL + ":summarizeCoverage")
                .then().statusCode(200).extract().jsonPath();
        assertEquals("plans/" + plan + "/coverageGoals/" + TOWN_GOAL, summary.getString("goal"));
        assertEquals(today.getYear(), summary.getInt("asOfDate.year"));
        // No facility is registered: every town counts and none is covered (zeros are written out).
        assertEquals(0, summary.getInt("totals.covered"));
        assertEquals(townsOfZiyang(), summary.getInt("totals.total"));
        List<String> counties = summary.getList("counties.code");
        assertTrue(counties.containsAll(List.of("512002000000", "512021000000", "512022000000")), counties.toString());
        assertEquals(List.of(), summary.getList("townships"));

        // The very answer capacity-service gives over gRPC, field for field. Another test's write may
        // still be on its way through the feed (the answer carries feed_sequence): ask until both agree.
        ManagedChannel channel = Suite.capacityChannel();
        try {
            var direct = CapacityServiceGrpc.newBlockingStub(channel);
            var request = SummarizeCoverageRequest.newBuilder()
                    .setGoal("plans/" + plan + "/coverageGoals/" + TOWN_GOAL)
                    .setAsOfDate(Date.newBuilder().setYear(today.getYear()).setMonth(today.getMonthValue())
                            .setDay(today.getDayOfMonth()))
                    .setBreakdown(CoverageBreakdown.COVERAGE_BREAKDOWN_COUNTY).build();
            ObjectMapper json = new ObjectMapper();
            JsonNode viaGateway = json.readTree(summary.prettify());
            JsonNode expected = null;
            for (int attempt = 0; attempt < 50 && !viaGateway.equals(expected); attempt++) {
                if (attempt > 0) {
                    Thread.sleep(200);
                    viaGateway = json.readTree(given().queryParam("asOfDate", today.toString())
                            .queryParam("breakdown", "county")
                            .get("/api/v1/plans/" + plan + "/coverageGoals/" + TOWN_GOAL + ":summarizeCoverage")
                            .then().statusCode(200).extract().asString());
                }
                SummarizeCoverageResponse answer = direct.summarizeCoverage(request);
                expected = json.readTree(JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(answer));
            }
            assertEquals(expected, viaGateway);
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void malformedCoverageParametersAre400NamingTheParameter() {
        String path = "/api/v1/plans/" + Suite.ziyangPlanId() + "/coverageGoals/" + TOWN_GOAL + ":summarizeCoverage";
        JsonPath badDate = given().queryParam("asOfDate", "2020-02-30").get(path).then().statusCode(400)
                .body("error.status", equalTo("INVALID_ARGUMENT")).extract().jsonPath();
        assertEquals(List.of("asOfDate"), Suite.violatedFields(badDate));
        JsonPath badBreakdown = given().queryParam("breakdown", "street").get(path).then().statusCode(400)
                .extract().jsonPath();
        assertEquals(List.of("breakdown"), Suite.violatedFields(badBreakdown));
        assertTrue(badBreakdown.getString("error.message").contains("COVERAGE_BREAKDOWN_TOWNSHIP"));
    }

    @Test
    void anUnknownGoalIs404() {
        String goals = "/api/v1/plans/" + Suite.ziyangPlanId() + "/coverageGoals/";
        // capacity-service's own answer (it names the goal), not a missing route.
        given().get(goals + "no-such-goal:summarizeCoverage").then().statusCode(404)
                .body("error.status", equalTo("NOT_FOUND")).body("error.message", containsString("no-such-goal"));
        // A method a goal does not have is the gateway's 404, saying which there are.
        given().get(goals + TOWN_GOAL + ":summarise").then().statusCode(404)
                .body("error.message", containsString(":summarizeCoverage"));
    }

    @Test
    void uncoveredUnitsAreListedPageByPage() {
        String path = "/api/v1/plans/" + Suite.ziyangPlanId() + "/coverageGoals/" + TOWN_GOAL + ":listUncoveredUnits";
        JsonPath first = given().queryParam("pageSize", 3).queryParam("areaCode", "512021000000").get(path).then()
                .statusCode(200).extract().jsonPath();
        List<Map<String, Object>> units = first.getList("units");
        assertEquals(3, units.size());
        units.forEach(u -> assertEquals("512021000000", u.get("countyCode")));
        String token = first.getString("nextPageToken");
        assertTrue(!token.isEmpty());
        List<String> second = given().queryParam("pageSize", 3).queryParam("areaCode", "512021000000")
                .queryParam("pageToken", token).get(path).then().statusCode(200).extract().jsonPath()
                .getList("units.code");
        assertTrue(second.stream().noneMatch(first.getList("units.code")::contains));
    }

    @Test
    void aTownsEvidenceSaysItIsNotCovered() {
        String path = "/api/v1/plans/" + Suite.ziyangPlanId() + "/coverageGoals/" + TOWN_GOAL + ":getCoverageEvidence";
        String town = given().queryParam("filter", "county = \"512002000000\" AND kind = DIVISION_KIND_TOWN")
                .queryParam("pageSize", 1).get("/api/v1/divisions").then().statusCode(200).extract().jsonPath()
                .getString("divisions[0].code");
        given().queryParam("unitCode", town).get(path).then().statusCode(200)
                .body("unit.code", equalTo(town)).body("covered", equalTo(false));
    }

    @Test
    void planProgressAnswersForTheWholePlan() {
        String plan = Suite.ziyangPlanId();
        given().get("/api/v1/plans/" + plan + "/progress").then().statusCode(200)
                .body("plan", equalTo("plans/" + plan));
        given().get("/api/v1/plans/999999999/progress").then().statusCode(404)
                .body("error.status", equalTo("NOT_FOUND"));
    }

    /** Towns (镇) of the whole city in the shipped list: what the town goal counts. */
    private static int townsOfZiyang() {
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of(
                "../project-service/src/main/resources/divisions/ziyang-5120.csv"))) {
            return (int) lines.map(l -> l.split(",")).filter(f -> f[2].equals("township") && f[1].endsWith("镇"))
                    .count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
