package io.qingliu.gateway.capacity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qingliu.gateway.testing.Suite;
import io.qingliu.gateway.testing.SuiteProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(SuiteProfile.class)
class CapacityRoutesTest {

    @Test
    void capacityOfTheCityByYearIsZeroWithNoPlantRegistered() {
        int year = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).getYear();
        JsonPath summary = given().queryParam("areaCode", "512000000000").queryParam("grouping", "year")
                .queryParam("facilityType", "sewage_treatment_plant").queryParam("plan", "plans/" + Suite.ziyangPlanId())
                .get("/api/v1/capacity:summarize").then().statusCode(200).extract().jsonPath();
        assertEquals(0.0, summary.getDouble("totals.inOperationTonnesPerDay"));
        assertEquals(0.0, summary.getDouble("totals.plannedTonnesPerDay"));
        assertEquals(year, summary.getInt("asOfDate.year"));
        // No project at all: the years run from this one to this one.
        assertEquals(List.of(Integer.toString(year)), summary.getList("rows.key"));
        assertEquals(0.0, summary.getDouble("rows[0].figures.inOperationTonnesPerDay"));
    }

    @Test
    void anUnknownGroupingOrFacilityTypeIs400NamingIt() {
        JsonPath grouping = given().queryParam("grouping", "month").get("/api/v1/capacity:summarize").then()
                .statusCode(400).body("error.status", equalTo("INVALID_ARGUMENT")).extract().jsonPath();
        assertEquals(List.of("grouping"), Suite.violatedFields(grouping));
        JsonPath type = given().queryParam("facilityType", "reservoir").get("/api/v1/capacity:summarize").then()
                .statusCode(400).extract().jsonPath();
        assertEquals(List.of("facilityType"), Suite.violatedFields(type));
    }
}
