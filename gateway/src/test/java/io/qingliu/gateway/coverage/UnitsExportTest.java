package io.qingliu.gateway.coverage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.type.Date;
import io.grpc.ManagedChannel;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc.CapacityServiceBlockingStub;
import io.qingliu.api.capacity.v1.GoalUnit;
import io.qingliu.api.capacity.v1.GoalUnitStatus;
import io.qingliu.api.capacity.v1.ListGoalUnitsRequest;
import io.qingliu.api.capacity.v1.ListGoalUnitsResponse;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsRequest;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsResponse;
import io.qingliu.gateway.testing.Await;
import io.qingliu.gateway.testing.ReportCsv;
import io.qingliu.gateway.testing.Suite;
import io.qingliu.gateway.testing.SuiteProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code {goal}:exportUnits} of the shipped Ziyang plan against capacity-service's own gRPC answers:
 * the CSV holds, row for row, what ListGoalUnits answers (and its uncovered rows are
 * ListUncoveredUnits' list), paged through 20 units at a time in the tests. One town gets a plant
 * in operation since 2019-06-01, so that a row is covered with a since; it is deleted afterwards.
 */
@QuarkusTest
@TestProfile(SuiteProfile.class)
class UnitsExportTest {

    private static final LocalDate PLANT_SINCE = LocalDate.of(2019, 6, 1);
    private static final LocalDate FIXED = LocalDate.of(2020, 12, 31);
    private static final String ANYUE = "512021000000";
    private static final String HEADER = "code,name,kind,county,township,basin,covered,covered_since";

    private static ManagedChannel channel;
    private static CapacityServiceBlockingStub direct;
    private static String plant;
    private static String plantTown;
    private static int gatewayPort;

    @BeforeAll
    static void connect() {
        channel = Suite.capacityChannel();
        direct = CapacityServiceGrpc.newBlockingStub(channel);
    }

    /** Once, from within a test: RestAssured knows the gateway's port only there. */
    private static synchronized void registerAPlantOf2019() {
        if (plant != null) {
            return;
        }
        gatewayPort = io.restassured.RestAssured.port;
        String goal = townGoal();
        plantTown = direct.listUncoveredUnits(ListUncoveredUnitsRequest.newBuilder().setGoal(goal)
                .setAreaCode(ANYUE).setPageSize(1).build()).getUnits(0).getCode();
        plant = given().contentType(ContentType.JSON).body("""
                {"displayName": "导出测试污水处理厂", "type": "FACILITY_TYPE_SEWAGE_TREATMENT_PLANT",
                 "locationCode": "%s", "capacityTonnesPerDay": 800,
                 "dischargeStandard": "DISCHARGE_STANDARD_GB18918_CLASS_1A",
                 "operatingState": "OPERATING_STATE_IN_OPERATION", "operationDate": {"year": 2019, "month": 6, "day": 1}}"""
                .formatted(plantTown)).post("/api/v1/facilities").then().statusCode(200).extract().jsonPath()
                .getString("name");
        Await.until("capacity-service to count the plant's town covered", Duration.ofSeconds(30),
                () -> direct.listGoalUnits(ListGoalUnitsRequest.newBuilder().setGoal(goal).setFilter("covered = true")
                        .build()).getTotalSize() == 1);
    }

    @AfterAll
    static void deleteThePlant() {
        try {
            if (plant != null) {
                String etag = given().port(gatewayPort).get("/api/v1/" + plant).then().statusCode(200).extract().jsonPath()
                        .getString("etag");
                given().port(gatewayPort).queryParam("etag", etag).delete("/api/v1/" + plant).then().statusCode(200);
                Await.until("capacity-service to see the plant deleted", Duration.ofSeconds(30),
                        () -> direct.listGoalUnits(ListGoalUnitsRequest.newBuilder().setGoal(townGoal())
                                .setFilter("covered = true").build()).getTotalSize() == 0);
            }
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void theTownGoalsCsvIsListGoalUnitsAnswerRowForRowTodayAndOnAPastDate() {
        registerAPlantOf2019();
        for (String on : new String[] {null, FIXED.toString()}) {
            List<List<String>> rows = csvAgreeingWithTheService(townGoal(), on, "", "");
            assertFalse(rows.isEmpty());
            List<String> uncovered = rows.stream().filter(r -> r.get(6).equals("false")).map(r -> r.get(0)).toList();
            LocalDate date = on == null ? null : LocalDate.parse(on);
            assertEquals(uncoveredCodes(townGoal(), date), uncovered, "the uncovered rows are ListUncoveredUnits' list");
            List<List<String>> covered = rows.stream().filter(r -> r.get(6).equals("true")).toList();
            assertEquals(1, covered.size(), covered.toString());
            assertEquals(List.of(plantTown, ANYUE, PLANT_SINCE.toString()),
                    List.of(covered.get(0).get(0), covered.get(0).get(3), covered.get(0).get(7)));
        }
    }

    @Test
    void aCountysCsvHoldsItsUnitsOnlyAndAFilterKeepsTheCoveredOnes() {
        registerAPlantOf2019();
        List<List<String>> anyue = csvAgreeingWithTheService(townGoal(), FIXED.toString(), ANYUE, "");
        assertTrue(anyue.size() > 20, "more than one page: " + anyue.size());
        assertTrue(anyue.stream().allMatch(r -> r.get(3).equals(ANYUE)));
        List<List<String>> covered = csvAgreeingWithTheService(townGoal(), FIXED.toString(), ANYUE, "covered = true");
        assertEquals(List.of(plantTown), covered.stream().map(r -> r.get(0)).toList());
    }

    @Test
    void aGoalThatCountsNoUnitIsTheHeaderAlone() {
        // The tests' registry sets no basin, so the Tuojiang village goal counts nothing.
        Response response = given().get(goalsPath() + "tuojiang-village-garbage:exportUnits");
        response.then().statusCode(200).contentType(startsWith("text/csv")).header("Qingliu-Total-Size", "0");
        assertEquals("\uFEFF" + HEADER + "\r\n", new String(response.asByteArray(), StandardCharsets.UTF_8));
    }

    @Test
    void theJsonListingPagesUnitsWithTheirStatus() {
        String path = goalsPath() + "town-sewage:listUnits";
        JsonPath first = given().queryParam("pageSize", 3).queryParam("areaCode", ANYUE).get(path).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(3, first.getList("units").size());
        assertTrue(first.getList("units.unit.countyCode").stream().allMatch(ANYUE::equals));
        assertEquals(3, first.getList("units.covered").size(), "false is written out");
        assertTrue(first.getLong("feedSequence") > 0);
        List<String> second = given().queryParam("pageSize", 3).queryParam("areaCode", ANYUE)
                .queryParam("pageToken", first.getString("nextPageToken")).get(path).then().statusCode(200).extract()
                .jsonPath().getList("units.unit.code");
        assertEquals(3, second.size());
        assertTrue(second.stream().noneMatch(first.getList("units.unit.code")::contains));
        assertEquals(List.of("pageSize"), Suite.violatedFields(given().queryParam("pageSize", "many").get(path).then()
                .statusCode(400).extract().jsonPath()));
        assertEquals(List.of("page_size"), Suite.violatedFields(given().queryParam("pageSize", 10_001).get(path).then()
                .statusCode(400).extract().jsonPath()));
    }

    @Test
    void badParametersAre400sNamingThemBeforeAnyRow() {
        String path = goalsPath() + "town-sewage:exportUnits";
        // {parameter, value, the field the violation names}: the gateway's own checks name the parameter,
        // the service's name its request field.
        for (String[] bad : List.of(new String[] {"asOfDate", "2020-02-30", "asOfDate"},
                new String[] {"areaCode", "ziyang", "areaCode"},
                new String[] {"asOfDate", LocalDate.now().plusDays(2).toString(), "as_of_date"},
                new String[] {"areaCode", "510100000000", "area_code"},
                new String[] {"filter", "colour = red", "filter"})) {
            JsonPath error = given().queryParam(bad[0], bad[1]).get(path).then().statusCode(400)
                    .contentType(startsWith("application/json")).body("error.status", equalTo("INVALID_ARGUMENT"))
                    .extract().jsonPath();
            assertEquals(List.of(bad[2]), Suite.violatedFields(error), bad[0] + "=" + bad[1]);
        }
        given().get(goalsPath() + "no-such-goal:exportUnits").then().statusCode(404)
                .body("error.status", equalTo("NOT_FOUND"));
    }

    // --- helpers ------------------------------------------------------------------------------

    /**
     * The CSV and ListGoalUnits' pages for the same date, area and filter, asked until both come from
     * the same feed position (another test's write may still be on its way), then compared row for row.
     */
    private static List<List<String>> csvAgreeingWithTheService(String goal, String asOfDate, String area, String filter) {
        for (int attempt = 0;; attempt++) {
            var request = given();
            if (asOfDate != null) {
                request.queryParam("asOfDate", asOfDate);
            }
            if (!area.isEmpty()) {
                request.queryParam("areaCode", area);
            }
            if (!filter.isEmpty()) {
                request.queryParam("filter", filter);
            }
            Response response = request.get(goalsPath() + goal.substring(goal.lastIndexOf('/') + 1) + ":exportUnits");
            assertEquals(200, response.statusCode(), response.asString());
            response.then().contentType(startsWith("text/csv")).header("Content-Disposition", startsWith("attachment;"));
            byte[] bytes = response.asByteArray();
            assertEquals(List.of((byte) 0xEF, (byte) 0xBB, (byte) 0xBF), List.of(bytes[0], bytes[1], bytes[2]), "BOM");
            List<List<String>> csv = parse(new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8));
            assertEquals(List.of(HEADER.split(",")), csv.get(0));
            List<List<String>> rows = csv.subList(1, csv.size());

            List<GoalUnitStatus> expected = new ArrayList<>();
            long feedSequence = -1;
            boolean moved = false;
            String token = "";
            do {
                var ask = ListGoalUnitsRequest.newBuilder().setGoal(goal).setAreaCode(area).setFilter(filter)
                        .setPageSize(1000).setPageToken(token);
                if (asOfDate != null) {
                    ask.setAsOfDate(date(LocalDate.parse(asOfDate)));
                }
                ListGoalUnitsResponse page = direct.listGoalUnits(ask.build());
                moved |= feedSequence >= 0 && page.getFeedSequence() != feedSequence;
                feedSequence = page.getFeedSequence();
                expected.addAll(page.getUnitsList());
                assertEquals(Integer.toString(page.getTotalSize()), response.header("Qingliu-Total-Size"));
                token = page.getNextPageToken();
            } while (!token.isEmpty());
            if ((moved || !Long.toString(feedSequence).equals(response.header("Qingliu-Feed-Sequence"))) && attempt < 25) {
                sleep();
                continue;
            }
            assertEquals(Long.toString(feedSequence), response.header("Qingliu-Feed-Sequence"));
            assertEquals(expected.stream().map(UnitsExportTest::row).toList(), rows);
            return rows;
        }
    }

    /** The row the CSV should hold for a unit the service listed. */
    private static List<String> row(GoalUnitStatus s) {
        GoalUnit u = s.getUnit();
        Date d = s.getCoveredSince();
        return List.of(u.getCode(), u.getDisplayName(), u.getKind().name(), u.getCountyCode(), u.getTownshipCode(),
                u.getBasin(), Boolean.toString(s.getCovered()),
                s.hasCoveredSince() ? LocalDate.of(d.getYear(), d.getMonth(), d.getDay()).toString() : "");
    }

    private static List<String> uncoveredCodes(String goal, LocalDate on) {
        List<String> out = new ArrayList<>();
        String token = "";
        do {
            var ask = ListUncoveredUnitsRequest.newBuilder().setGoal(goal).setPageSize(7).setPageToken(token);
            if (on != null) {
                ask.setAsOfDate(date(on));
            }
            ListUncoveredUnitsResponse page = direct.listUncoveredUnits(ask.build());
            page.getUnitsList().forEach(u -> out.add(u.getCode()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return out;
    }

    private static String townGoal() {
        return "plans/" + Suite.ziyangPlanId() + "/coverageGoals/town-sewage";
    }

    private static String goalsPath() {
        return "/api/v1/plans/" + Suite.ziyangPlanId() + "/coverageGoals/";
    }

    private static Date date(LocalDate d) {
        return Date.newBuilder().setYear(d.getYear()).setMonth(d.getMonthValue()).setDay(d.getDayOfMonth()).build();
    }

    /** The export's records, each of the header's 8 fields. */
    static List<List<String>> parse(String text) {
        List<List<String>> records = ReportCsv.records(text);
        records.forEach(row -> assertEquals(8, row.size(), "every record has the header's 8 fields: " + row));
        return records;
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
