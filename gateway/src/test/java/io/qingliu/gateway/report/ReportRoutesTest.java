package io.qingliu.gateway.report;

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
import io.qingliu.api.capacity.v1.CoverageBreakdown;
import io.qingliu.api.capacity.v1.CoverageFigures;
import io.qingliu.api.capacity.v1.CoverageGoal;
import io.qingliu.api.capacity.v1.GetPlanProgressRequest;
import io.qingliu.api.capacity.v1.GetPlanRequest;
import io.qingliu.api.capacity.v1.GoalUnit;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsRequest;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsResponse;
import io.qingliu.api.capacity.v1.Plan;
import io.qingliu.api.capacity.v1.PlanProgress;
import io.qingliu.api.capacity.v1.SummarizeCoverageRequest;
import io.qingliu.api.capacity.v1.SummarizeCoverageResponse;
import io.qingliu.api.capacity.v1.TargetProgress;
import io.qingliu.gateway.testing.Await;
import io.qingliu.gateway.testing.ReportCsv;
import io.qingliu.gateway.testing.Suite;
import io.qingliu.gateway.testing.SuiteProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The progress report of the shipped Ziyang plan against capacity-service's own gRPC answers: the
 * CSV's and the workbook's figures are the service's, the HTML names what it shows and escapes names.
 */
@QuarkusTest
@TestProfile(SuiteProfile.class)
class ReportRoutesTest {

    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static final LocalDate FIXED = LocalDate.of(2020, 12, 31);

    private static ManagedChannel channel;
    private static CapacityServiceBlockingStub direct;

    private static String plant;
    private static int gatewayPort;
    private static String ziyangPlanId;

    /**
     * capacity-service answers only as of dates from the registry's earliest effective date to today.
     * A plant in operation since 2019, serving one town, makes 2020-12-31 such a date (and gives the
     * report a covered town); it is deleted afterwards, so the other tests see the registry as before.
     */
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
        String plan = Suite.ziyangPlanId();
        ziyangPlanId = plan;
        String town = direct.listUncoveredUnits(ListUncoveredUnitsRequest.newBuilder()
                .setGoal("plans/" + plan + "/coverageGoals/town-sewage").setPageSize(1).build()).getUnits(0).getCode();
        plant = given().contentType(ContentType.JSON).body("""
                {"displayName": "报告测试<污水>处理厂", "type": "FACILITY_TYPE_SEWAGE_TREATMENT_PLANT",
                 "locationCode": "%s", "servedDivisionCodes": ["%s"], "capacityTonnesPerDay": 2000,
                 "dischargeStandard": "DISCHARGE_STANDARD_GB18918_CLASS_1A",
                 "operatingState": "OPERATING_STATE_IN_OPERATION", "operationDate": {"year": 2019, "month": 6, "day": 1}}"""
                .formatted(town, town)).post("/api/v1/facilities").then().statusCode(200).extract().jsonPath()
                .getString("name");
        Await.until("capacity-service to answer as of " + FIXED, Duration.ofSeconds(30), () -> {
            try {
                Direct.ask(plan, FIXED, "");
                return true;
            } catch (io.grpc.StatusRuntimeException e) {
                return false;
            }
        });
    }

    @AfterAll
    static void deleteThePlant() {
        try {
            if (plant != null) {
                String etag = given().port(gatewayPort).get("/api/v1/" + plant).then().statusCode(200).extract().jsonPath().getString("etag");
                given().port(gatewayPort).queryParam("etag", etag).delete("/api/v1/" + plant).then().statusCode(200);
                Await.until("capacity-service to see the plant deleted", Duration.ofSeconds(30), () -> {
                    try {
                        Direct.ask(ziyangPlanId, FIXED, "");
                        return false;
                    } catch (io.grpc.StatusRuntimeException e) {
                        return true; // 2020-12-31 is before any data again
                    }
                });
            }
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void theCsvAsOfAFixedDateHoldsTheServicesFigures() {
        registerAPlantOf2019();
        String plan = Suite.ziyangPlanId();
        Map<String, List<List<String>>> csv = csvAgreeingWithTheService(plan, FIXED.toString());
        assertEquals(FIXED.toString(), csv.get("report").get(1).get(4));
    }

    @Test
    void theCsvAsOfTodayHoldsTheServicesFigures() {
        registerAPlantOf2019();
        String plan = Suite.ziyangPlanId();
        Map<String, List<List<String>>> csv = csvAgreeingWithTheService(plan, null);
        // The date the service took for today, in its zone: within a day of this machine's.
        LocalDate date = LocalDate.parse(csv.get("report").get(1).get(4));
        assertTrue(Math.abs(date.toEpochDay() - LocalDate.now().toEpochDay()) <= 1, date.toString());
    }

    @Test
    void aCountysCsvHoldsThatCountyOnly() {
        registerAPlantOf2019();
        String plan = Suite.ziyangPlanId();
        Map<String, List<List<String>>> csv = csvAgreeingWithTheService(plan, FIXED.toString(), "512002000000");
        for (List<String> row : ReportCsv.rows(csv, "coverage_by_county")) {
            assertEquals("512002000000", row.get(3), row.toString());
        }
    }

    @Test
    void theWorkbookHoldsTheSameFiguresAsNumbers() throws Exception {
        registerAPlantOf2019();
        String plan = Suite.ziyangPlanId();
        for (int attempt = 0;; attempt++) {
            Response response = given().header("Accept", XLSX).queryParam("asOfDate", FIXED.toString())
                    .get("/api/v1/plans/" + plan + "/report");
            assertEquals(200, response.statusCode(), response.asString());
            response.then().contentType(startsWith(XLSX))
                    .header("Content-Disposition", startsWith("attachment; filename=\"progress-ZY-2018-2020-"));
            Direct expected = Direct.ask(plan, FIXED, "");
            try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(response.asByteArray()))) {
                XSSFSheet summary = book.getSheet("概况");
                long feed = (long) summary.getRow(1).getCell(6).getNumericCellValue();
                if (feed != expected.progress.getFeedSequence() && attempt < 25) {
                    Thread.sleep(200); // another test's write still on its way through the feed
                    continue;
                }
                assertEquals(expected.progress.getFeedSequence(), feed);
                assertEquals(expected.plan.getDisplayName(), summary.getRow(1).getCell(2).getStringCellValue());

                XSSFSheet targets = book.getSheet("目标完成情况");
                assertTrue(targets.getRow(0).getCell(0).getCellStyle().getFont().getBold(), "header row is bold");
                assertEquals(expected.progress.getTargetsCount(), targets.getLastRowNum());
                for (int i = 0; i < expected.progress.getTargetsCount(); i++) {
                    TargetProgress t = expected.progress.getTargets(i);
                    XSSFRow row = targets.getRow(i + 1);
                    assertEquals(t.getLabel(), row.getCell(0).getStringCellValue());
                    assertEquals(CellType.NUMERIC, row.getCell(4).getCellType());
                    assertEquals(t.getTarget(), row.getCell(3).getNumericCellValue(), 0);
                    assertEquals(t.getAchieved(), row.getCell(4).getNumericCellValue(), 0);
                    assertEquals(t.getPercent(), row.getCell(6).getNumericCellValue(), 0);
                }

                XSSFSheet counties = book.getSheet("分县(区)覆盖情况");
                Map<String, double[]> byGoalAndCounty = new LinkedHashMap<>();
                for (int r = 1; r <= counties.getLastRowNum(); r++) {
                    XSSFRow row = counties.getRow(r);
                    byGoalAndCounty.put(row.getCell(0).getStringCellValue() + "/" + row.getCell(2).getStringCellValue(),
                            new double[] {row.getCell(4).getNumericCellValue(), row.getCell(5).getNumericCellValue()});
                }
                for (var goal : expected.coverage.entrySet()) {
                    for (CoverageFigures c : goal.getValue().getCountiesList()) {
                        double[] got = byGoalAndCounty.get(goal.getKey() + "/" + c.getCode());
                        assertEquals(c.getCovered(), got[0], 0, c.getCode());
                        assertEquals(c.getTotal(), got[1], 0, c.getCode());
                    }
                }

                XSSFSheet uncovered = book.getSheet("未覆盖的乡镇和村");
                List<String> codes = new ArrayList<>();
                for (int r = 1; r <= uncovered.getLastRowNum(); r++) {
                    codes.add(uncovered.getRow(r).getCell(0).getStringCellValue() + "/"
                            + uncovered.getRow(r).getCell(2).getStringCellValue());
                }
                assertEquals(expected.uncoveredCodes(), codes);

                XSSFSheet monthly = book.getSheet("逐月进度");
                int points = expected.progress.getTargetsList().stream().mapToInt(TargetProgress::getMonthlyCount).sum();
                assertEquals(points, monthly.getLastRowNum());
                XSSFCell value = monthly.getRow(1).getCell(2);
                assertEquals(CellType.NUMERIC, value.getCellType());
                assertEquals(expected.progress.getTargets(0).getMonthly(0).getValue(), value.getNumericCellValue(), 0);
                assertTrue(book.getSheet("逾期项目") != null);
            }
            return;
        }
    }

    @Test
    void theHtmlPageNamesThePlanAndEachCountyWithChartsAndNoScript() throws Exception {
        registerAPlantOf2019();
        String plan = Suite.ziyangPlanId();
        Response response = given().queryParam("asOfDate", FIXED.toString()).get("/api/v1/plans/" + plan + "/report");
        assertEquals(200, response.statusCode(), response.asString());
        response.then().contentType(startsWith("text/html"));
        String html = response.asString();
        // Kept for a person to look at (target/ only; not asserted on).
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "report-ziyang-2020-12-31.html"), html);
        Direct expected = Direct.ask(plan, FIXED, "");
        assertTrue(html.contains(expected.plan.getDisplayName()), "plan name");
        assertTrue(html.contains("<svg"), "an inline SVG chart");
        assertFalse(html.toLowerCase(Locale.ROOT).contains("<script"), "no script");
        for (SummarizeCoverageResponse goal : expected.coverage.values()) {
            for (CoverageFigures c : goal.getCountiesList()) {
                assertTrue(html.contains(c.getDisplayName()), c.getDisplayName());
                assertTrue(html.contains(c.getCovered() + "/" + c.getTotal()), c.getCode() + " covered/total");
            }
        }
        for (CoverageGoal g : expected.plan.getCoverageGoalsList()) {
            assertTrue(html.contains(g.getDisplayName()), g.getDisplayName());
        }
    }

    @Test
    void namesAreEscapedInTheHtml() {
        Suite.ziyangPlanId(); // capacity-service loads the shipped plan only while it has none
        String body = """
                {"code": "GW-REPORT-ESC", "displayName": "<script>alert('x')</script>计划 & co", "areaCode": "512002000000",
                 "startDate": {"year": 2021, "month": 1, "day": 1}, "endDate": {"year": 2023, "month": 12, "day": 31},
                 "capacityTargets": [{"facilityType": "FACILITY_TYPE_SEWAGE_TREATMENT_PLANT", "addedTonnesPerDay": 5000}]}""";
        var created = given().contentType(ContentType.JSON).body(body).post("/api/v1/plans").then().statusCode(200)
                .extract().jsonPath();
        String id = created.getString("name").substring("plans/".length());
        try {
            String html = given().queryParam("format", "html").get("/api/v1/plans/" + id + "/report").then()
                    .statusCode(200).extract().asString();
            assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;计划 &amp; co"), html);
            assertFalse(html.toLowerCase(Locale.ROOT).contains("<script"));
        } finally {
            given().queryParam("etag", created.getString("etag")).delete("/api/v1/plans/" + id).then().statusCode(200);
        }
    }

    @Test
    void anUnknownPlanIsA404() {
        given().queryParam("format", "csv").get("/api/v1/plans/987654321/report").then().statusCode(404)
                .body("error.status", equalTo("NOT_FOUND"));
    }

    @Test
    void badParametersAre400sNamingThem() {
        String plan = Suite.ziyangPlanId();
        for (var bad : List.of(Map.of("format", "pdf"), Map.of("asOfDate", "2020-02-30"), Map.of("areaCode", "ziyang"))) {
            var error = given().queryParams(bad).get("/api/v1/plans/" + plan + "/report").then().statusCode(400)
                    .body("error.status", equalTo("INVALID_ARGUMENT")).extract().jsonPath();
            assertEquals(List.of(bad.keySet().iterator().next()), Suite.violatedFields(error));
        }
    }

    // --- helpers ------------------------------------------------------------------------------

    private static Map<String, List<List<String>>> csvAgreeingWithTheService(String plan, String asOfDate) {
        return csvAgreeingWithTheService(plan, asOfDate, "");
    }

    /**
     * The report as CSV and the service's answers for its date and area, asked until both come from
     * the same feed position (another test's write may still be on its way), then compared.
     */
    private static Map<String, List<List<String>>> csvAgreeingWithTheService(String plan, String asOfDate, String area) {
        for (int attempt = 0;; attempt++) {
            var request = given().queryParam("format", "csv");
            if (asOfDate != null) {
                request.queryParam("asOfDate", asOfDate);
            }
            if (!area.isEmpty()) {
                request.queryParam("areaCode", area);
            }
            Response response = request.get("/api/v1/plans/" + plan + "/report");
            assertEquals(200, response.statusCode(), response.asString());
            response.then().contentType(startsWith("text/csv"))
                    .header("Content-Disposition", startsWith("attachment;"));
            byte[] bytes = response.asByteArray();
            assertEquals(List.of((byte) 0xEF, (byte) 0xBB, (byte) 0xBF), List.of(bytes[0], bytes[1], bytes[2]), "BOM");
            Map<String, List<List<String>>> csv = ReportCsv.parse(new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8));
            List<String> report = csv.get("report").get(1);
            Direct expected = Direct.ask(plan, LocalDate.parse(report.get(4)), area);
            if (Long.parseLong(report.get(7)) != expected.progress.getFeedSequence() && attempt < 25) {
                sleep();
                continue;
            }
            assertEquals(Long.toString(expected.progress.getFeedSequence()), report.get(7));
            assertEquals(expected.plan.getDisplayName(), report.get(3));

            List<List<String>> targets = ReportCsv.rows(csv, "targets");
            assertEquals(expected.progress.getTargetsCount(), targets.size());
            for (int i = 0; i < targets.size(); i++) {
                TargetProgress t = expected.progress.getTargets(i);
                assertEquals(t.getLabel(), targets.get(i).get(1));
                assertEquals(t.getTarget(), Double.parseDouble(targets.get(i).get(4)), 0, t.getLabel());
                assertEquals(t.getAchieved(), Double.parseDouble(targets.get(i).get(5)), 0, t.getLabel());
                assertEquals(t.getPipeline(), Double.parseDouble(targets.get(i).get(6)), 0, t.getLabel());
                assertEquals(t.getPercent(), Double.parseDouble(targets.get(i).get(7)), 0, t.getLabel());
                assertEquals(t.getForecast(), Double.parseDouble(targets.get(i).get(9)), 0, t.getLabel());
            }
            int points = expected.progress.getTargetsList().stream().mapToInt(TargetProgress::getMonthlyCount).sum();
            assertEquals(points, ReportCsv.rows(csv, "monthly").size());

            Map<String, List<String>> counties = new LinkedHashMap<>();
            for (List<String> row : ReportCsv.rows(csv, "coverage_by_county")) {
                // Each goal's totals row ("合计") carries the area's code, a county's own when the report is for one.
                counties.put(row.get(1) + "/" + row.get(3) + ("合计".equals(row.get(4)) ? "/total" : ""), row);
            }
            // The town goal counts every town of the area (the village goal may count none: basins are data).
            assertFalse(expected.coverage.get("town-sewage").getCountiesList().isEmpty());
            for (var goal : expected.coverage.entrySet()) {
                for (CoverageFigures c : goal.getValue().getCountiesList()) {
                    List<String> row = counties.get(goal.getKey() + "/" + c.getCode());
                    assertEquals(c.getDisplayName(), row.get(4));
                    assertEquals(Integer.toString(c.getCovered()), row.get(5), c.getCode());
                    assertEquals(Integer.toString(c.getTotal()), row.get(6), c.getCode());
                    assertEquals(c.getPercent(), Double.parseDouble(row.get(7)), 0, c.getCode());
                }
                CoverageFigures totals = goal.getValue().getTotals();
                List<String> total = counties.get(goal.getKey() + "/" + totals.getCode() + "/total");
                assertEquals(Integer.toString(totals.getCovered()), total.get(5));
                assertEquals(Integer.toString(totals.getTotal()), total.get(6));
                assertEquals(goal.getValue().getTownshipsCount(), ReportCsv.rows(csv, "coverage_by_township").stream()
                        .filter(r -> r.get(1).equals(goal.getKey())).count());
            }

            List<String> uncovered = ReportCsv.rows(csv, "uncovered").stream().map(r -> r.get(1) + "/" + r.get(3)).toList();
            assertEquals(expected.uncoveredCodes(), uncovered);
            assertEquals(expected.progress.getLateProjectsCount(), ReportCsv.rows(csv, "late_projects").size());
            return csv;
        }
    }

    /** What capacity-service answers over gRPC for the plan, a date and an area. */
    private record Direct(Plan plan, PlanProgress progress, Map<String, SummarizeCoverageResponse> coverage,
            Map<String, List<GoalUnit>> uncovered) {

        static Direct ask(String planId, LocalDate day, String area) {
            Date date = Date.newBuilder().setYear(day.getYear()).setMonth(day.getMonthValue()).setDay(day.getDayOfMonth())
                    .build();
            Plan plan = direct.getPlan(GetPlanRequest.newBuilder().setName("plans/" + planId).build());
            PlanProgress progress = direct.getPlanProgress(GetPlanProgressRequest.newBuilder().setName(plan.getName())
                    .setAsOfDate(date).setAreaCode(area).build());
            Map<String, SummarizeCoverageResponse> coverage = new LinkedHashMap<>();
            Map<String, List<GoalUnit>> uncovered = new LinkedHashMap<>();
            for (CoverageGoal goal : plan.getCoverageGoalsList()) {
                coverage.put(goal.getGoalId(), direct.summarizeCoverage(SummarizeCoverageRequest.newBuilder()
                        .setGoal(goal.getName()).setAsOfDate(date).setAreaCode(area)
                        .setBreakdown(CoverageBreakdown.COVERAGE_BREAKDOWN_TOWNSHIP).build()));
                List<GoalUnit> units = new ArrayList<>();
                String token = "";
                do {
                    ListUncoveredUnitsResponse page = direct.listUncoveredUnits(ListUncoveredUnitsRequest.newBuilder()
                            .setGoal(goal.getName()).setAsOfDate(date).setAreaCode(area).setPageSize(500)
                            .setPageToken(token).build());
                    units.addAll(page.getUnitsList());
                    token = page.getNextPageToken();
                } while (!token.isEmpty());
                uncovered.put(goal.getGoalId(), units);
            }
            return new Direct(plan, progress, coverage, uncovered);
        }

        List<String> uncoveredCodes() {
            List<String> out = new ArrayList<>();
            uncovered.forEach((goal, units) -> units.forEach(u -> out.add(goal + "/" + u.getCode())));
            return out;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
