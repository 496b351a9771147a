package io.qingliu.gateway.downstream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qingliu.gateway.testing.Await;
import io.qingliu.gateway.testing.Suite;
import io.qingliu.gateway.testing.SuiteProfile;
import io.qingliu.gateway.testing.SuiteResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service stopped and started again under the gateway: 503 naming it, readiness DOWN naming it, recovery. */
@QuarkusTest
@TestProfile(SuiteProfile.class)
class OutageTest {

    @Test
    void aStoppedServiceIs503NamingItAndTheGatewayRecoversWhenItIsBack() {
        String plan = Suite.ziyangPlanId();
        given().get("/q/health/ready").then().statusCode(200);

        SuiteResource.capacityService().stop();
        try {
            JsonPath error = given().get("/api/v1/plans/" + plan).then().statusCode(503)
                    .body("error.code", equalTo(503))
                    .body("error.status", equalTo("UNAVAILABLE"))
                    .body("error.message", containsString("capacity-service"))
                    .extract().jsonPath();
            assertEquals("capacity-service",
                    ((Map<?, ?>) Suite.detail(error, "google.rpc.ErrorInfo").get("metadata")).get("service"));

            JsonPath ready = given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                    .extract().jsonPath();
            assertEquals(Map.of("capacity-service", "DOWN", "project-service", "UP"), checks(ready));

            // What needs only project-service still answers.
            given().get("/api/v1/divisions/512000000000").then().statusCode(200);
        } finally {
            SuiteResource.capacityService().start();
        }

        // The channel reconnects on its own: the same call answers again, readiness is UP again.
        Await.until("the gateway to reach capacity-service again", Duration.ofSeconds(60),
                () -> given().get("/api/v1/plans/" + plan).statusCode() == 200);
        Await.until("readiness UP again", Duration.ofSeconds(60),
                () -> given().get("/q/health/ready").statusCode() == 200);
        given().get("/api/v1/plans/" + plan).then().statusCode(200).body("code", equalTo(Suite.ZIYANG_PLAN_CODE));
    }

    @Test
    void withProjectServiceStoppedTheRegistryIs503AndCoverageStillAnswers() {
        String plan = Suite.ziyangPlanId();
        SuiteResource.projectService().stop();
        try {
            given().get("/api/v1/divisions/512000000000").then().statusCode(503)
                    .body("error.status", equalTo("UNAVAILABLE"))
                    .body("error.message", containsString("project-service"));
            JsonPath ready = given().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
            assertEquals(Map.of("capacity-service", "UP", "project-service", "DOWN"), checks(ready));
            // capacity-service answers from its read model while its upstream is away.
            given().get("/api/v1/plans/" + plan + "/coverageGoals/town-sewage:summarizeCoverage").then()
                    .statusCode(200).body("goal", equalTo("plans/" + plan + "/coverageGoals/town-sewage"));
        } finally {
            SuiteResource.projectService().start();
        }
        Await.until("the gateway to reach project-service again", Duration.ofSeconds(60),
                () -> given().get("/api/v1/divisions/512000000000").statusCode() == 200);
        Await.until("readiness UP again", Duration.ofSeconds(60),
                () -> given().get("/q/health/ready").statusCode() == 200);
    }

    private static Map<String, String> checks(JsonPath health) {
        List<Map<String, Object>> checks = health.getList("checks");
        return checks.stream().collect(java.util.stream.Collectors.toMap(c -> (String) c.get("name"),
                c -> (String) c.get("status")));
    }
}
