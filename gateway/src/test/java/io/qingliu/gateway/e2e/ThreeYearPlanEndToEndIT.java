package io.qingliu.gateway.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.type.Date;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import com.google.rpc.ErrorInfo;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc.CapacityServiceBlockingStub;
import io.qingliu.api.capacity.v1.CoverageBreakdown;
import io.qingliu.api.capacity.v1.CoverageFigures;
import io.qingliu.api.capacity.v1.GetPlanProgressRequest;
import io.qingliu.api.capacity.v1.PlanProgress;
import io.qingliu.api.capacity.v1.SummarizeCoverageRequest;
import io.qingliu.api.capacity.v1.SummarizeCoverageResponse;
import io.qingliu.api.capacity.v1.TargetProgress;
import io.qingliu.api.capacity.v1.TargetType;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.project.v1.AuditRecord;
import io.qingliu.api.project.v1.DeleteProjectRequest;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.GetProjectRequest;
import io.qingliu.api.project.v1.ListFacilitiesRequest;
import io.qingliu.api.project.v1.ListFacilitiesResponse;
import io.qingliu.api.project.v1.ListProjectHistoryRequest;
import io.qingliu.api.project.v1.ListProjectHistoryResponse;
import io.qingliu.api.project.v1.ListProjectsRequest;
import io.qingliu.api.project.v1.ListProjectsResponse;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectServiceGrpc.ProjectServiceBlockingStub;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.api.project.v1.TransitionProjectRequest;
import io.qingliu.gateway.testing.Await;
import io.qingliu.gateway.testing.DefaultTokenOverHttp;
import io.qingliu.gateway.testing.FaultyLink;
import io.qingliu.gateway.testing.PostgresServer;
import io.qingliu.gateway.testing.ReportCsv;
import io.qingliu.gateway.testing.ServiceProcess;
import io.qingliu.kit.auth.Role;
import io.qingliu.kit.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The suite as its users meet it: the three packaged services as separate processes on real
 * PostgreSQL. A planner loads the demonstration programme of the three-year plan over the
 * gateway's HTTP/JSON (the very program {@code deploy/local/run --demo} runs) with a planner's
 * token, which the gateway passes on (the audit trail names the planner); Anyue's county system
 * moves one of its late plants to operation over gRPC with a county token for Anyue, and is
 * refused, nothing changed, when it tries the same on a plant of Lezhi. The progress the gateway
 * shows, the report's numbers, capacity-service's own answers and what the registry holds agree
 * at every step. The gateway reaches project-service over a link that can drop a connection: a
 * read it cuts is retried unseen, a write is not (the client's request id makes its own retry
 * safe); a frozen project-service is a 504 after the deadline, not a hang. Then each service is
 * stopped in turn: without capacity-service the gateway says so (503 naming it, readiness DOWN)
 * while writes to the registry go on and reach the answers once it is back; without
 * project-service coverage and the report still answer.
 *
 * The steps build on one another, in order, on one registry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeYearPlanEndToEndIT {

    private static final String PLAN_CODE = "ZY-2018-2020";
    private static final String ANYUE = "512021000000";
    private static final String LEZHI = "512022000000";
    private static final Duration CONVERGE = Duration.ofSeconds(90);
    /** The gateway's deadline per call, short so that the frozen-service step is quick. */
    private static final Duration DEADLINE = Duration.ofSeconds(3);

    private PostgresServer postgres;
    private ServiceProcess projectService;
    private ServiceProcess capacityService;
    private ServiceProcess gateway;
    /** The network between the gateway and project-service. */
    private FaultyLink link;
    private ManagedChannel projectChannel;
    private ManagedChannel capacityChannel;
    /**
     * What Anyue's county system holds: a plain gRPC client of project-service with a county token
     * for Anyue (it reads everything and writes Anyue's facilities and projects).
     */
    private ProjectServiceBlockingStub registry;
    /** Lezhi's county system, likewise. */
    private ProjectServiceBlockingStub lezhiSystem;
    /** The test's own reads of the registry, with a viewer's token. */
    private ProjectServiceBlockingStub viewer;
    private CapacityServiceBlockingStub capacity;
    /** The planner's token: the demonstration programme and every HTTP request of the test carry it. */
    private String plannerToken;

    private String plan;
    private String townGoal;
    private LocalDate today;
    /** Set by the county system's step: the plant it put in operation. */
    private String commissioned;
    /** Set while capacity-service is down: the project a planner registered meanwhile. */
    private String registeredDuringOutage;

    /** A failed step prints what the services logged as warnings and errors: CI keeps no log files. */
    @RegisterExtension
    final TestWatcher serviceLogsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (ServiceProcess p : new ServiceProcess[] {projectService, capacityService, gateway}) {
                if (p != null) {
                    System.out.println("---- " + p.name() + ": its last warnings and errors, after "
                            + context.getDisplayName() + " failed ----");
                    p.problems(30).forEach(System.out::println);
                }
            }
        }
    };

    @BeforeAll
    void startTheSuite() {
        postgres = PostgresServer.configuredOrEmbedded();
        projectService = ServiceProcess.projectService(ServiceProcess.freePort(), postgres,
                postgres.freshDatabase("qingliu_e2e_project"));
        projectService.start();
        capacityService = ServiceProcess.capacityService(ServiceProcess.freePort(), postgres,
                postgres.freshDatabase("qingliu_e2e_capacity"), projectService.port());
        capacityService.start();
        link = new FaultyLink(projectService.port());
        gateway = ServiceProcess.gateway(ServiceProcess.freePort(), link.port(), capacityService.port(),
                DEADLINE.toMillis() + "ms");
        gateway.start();
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = gateway.port();
        plannerToken = TestTokens.token("planner-li", Role.PLANNER, null, Duration.ofHours(2));
        DefaultTokenOverHttp.install(plannerToken);
        projectChannel = ManagedChannelBuilder.forAddress("127.0.0.1", projectService.port()).usePlaintext().build();
        capacityChannel = ManagedChannelBuilder.forAddress("127.0.0.1", capacityService.port()).usePlaintext().build();
        registry = ProjectServiceGrpc.newBlockingStub(projectChannel).withCallCredentials(TestTokens.bearer(
                TestTokens.token("anyue-county-system", Role.COUNTY, ANYUE, Duration.ofHours(2))));
        lezhiSystem = ProjectServiceGrpc.newBlockingStub(projectChannel).withCallCredentials(TestTokens.bearer(
                TestTokens.token("lezhi-county-system", Role.COUNTY, LEZHI, Duration.ofHours(2))));
        viewer = ProjectServiceGrpc.newBlockingStub(projectChannel).withCallCredentials(TestTokens.as(Role.VIEWER, null));
        capacity = CapacityServiceGrpc.newBlockingStub(capacityChannel).withCallCredentials(TestTokens.as(Role.VIEWER, null));
        today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    }

    @AfterAll
    void stopTheSuite() {
        for (ManagedChannel c : new ManagedChannel[] {projectChannel, capacityChannel}) {
            if (c != null) {
                c.shutdownNow();
            }
        }
        for (ServiceProcess p : new ServiceProcess[] {gateway, capacityService, projectService}) {
            if (p != null) {
                p.stop();
            }
        }
        if (link != null) {
            link.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        RestAssured.reset();
    }

    @Test
    @Order(1)
    void aPlannerLoadsTheDemonstrationProgrammeOverHttp() {
        String awaited = demo("--await-plan", "180");
        assertTrue(awaited.contains("plan " + PLAN_CODE + " is plans/"), awaited);
        plan = awaited.substring(awaited.indexOf("plans/")).trim();
        townGoal = plan + "/coverageGoals/town-sewage";

        String loaded = demo();
        assertTrue(loaded.contains("12 upgrades and 54 new township plants of " + PLAN_CODE), loaded);

        // The registry holds the programme the release describes.
        List<Project> projects = planProjects();
        assertEquals(66, projects.size());
        assertEquals(12, projects.stream().filter(p -> p.getKind() == ProjectKind.PROJECT_KIND_UPGRADE).count());
        assertEquals(54, projects.stream().filter(p -> p.getKind() == ProjectKind.PROJECT_KIND_NEW_BUILD).count());
        assertEquals(0, new BigDecimal("76200").compareTo(sum(projects, p -> true)), "t/d the plan's works add");
        assertEquals(Set.of("512002000000", ANYUE, LEZHI),
                projects.stream().map(Project::getCountyCode).collect(Collectors.toSet()));
        long done = projects.stream().filter(p -> p.getState() == ProjectState.PROJECT_STATE_COMMISSIONED).count();
        assertTrue(done > 0 && done < 66, "some commissioned, some not: " + done);
        // The gateway passed the planner's token on: the audit trail names the planner.
        AuditRecord created = history(projects.get(0).getName()).get(0);
        assertEquals("planner-li", created.getActor());
        assertEquals("planner", created.getActorRole());
    }

    @Test
    @Order(2)
    void aSecondRunChangesNothing() {
        Map<String, String> before = registryEtags();
        String again = demo();
        assertTrue(again.contains("12 upgrades and 54 new township plants"), again);
        assertEquals(before, registryEtags(), "every project, facility and township exactly as after the first run");
    }

    @Test
    @Order(3)
    void progressIsTheSameThroughTheGatewayTheServiceAndTheRegistry() {
        PlanProgress progress = progressAgreeingWithTheRegistry();
        List<Project> projects = planProjects();
        assertEquals(progressJson(progress), given().queryParam("asOfDate", today.toString())
                .get("/api/v1/" + plan + "/progress").then().statusCode(200).extract().asString().transform(JsonPath::from)
                .prettify(), "the gateway's progress is capacity-service's, field for field");
        // Late: every project still in the pipeline, as each of them has missed its planned dates.
        assertEquals(projects.stream().filter(p -> p.getState() != ProjectState.PROJECT_STATE_COMMISSIONED)
                .map(Project::getName).collect(Collectors.toSet()),
                progress.getLateProjectsList().stream().map(l -> l.getProject()).collect(Collectors.toSet()));
        assertFalse(progress.getLateProjectsList().isEmpty());
    }

    @Test
    @Order(4)
    void anyuesCountySystemPutsALatePlantIntoOperationOverGrpc() {
        Project late = planProjects().stream().filter(p -> p.getCountyCode().equals(ANYUE)
                && p.getKind() == ProjectKind.PROJECT_KIND_NEW_BUILD
                && p.getState() == ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION).findFirst().orElseThrow();
        CoverageFigures anyueBefore = county(coverage(ANYUE), ANYUE);

        Project completed = registry.transitionProject(move(late, ProjectState.PROJECT_STATE_COMPLETED, late.getEtag()));
        assertEquals(ProjectState.PROJECT_STATE_COMPLETED, completed.getState());
        StatusRuntimeException stale = assertThrows(StatusRuntimeException.class,
                () -> registry.transitionProject(move(late, ProjectState.PROJECT_STATE_COMMISSIONED, late.getEtag())));
        assertEquals(Status.Code.ABORTED, stale.getStatus().getCode(), "a stale etag changes nothing");
        assertEquals(ProjectState.PROJECT_STATE_COMPLETED,
                registry.getProject(GetProjectRequest.newBuilder().setName(late.getName()).build()).getState());
        Project running = registry.transitionProject(move(completed, ProjectState.PROJECT_STATE_COMMISSIONED,
                completed.getEtag()));
        assertEquals(ProjectState.PROJECT_STATE_COMMISSIONED, running.getState());
        commissioned = late.getName();
        List<AuditRecord> trail = history(late.getName());
        for (AuditRecord moved : trail.subList(trail.size() - 2, trail.size())) {
            assertEquals("anyue-county-system", moved.getActor());
            assertEquals("county", moved.getActorRole());
        }

        PlanProgress progress = progressAgreeingWithTheRegistry();
        assertTrue(progress.getLateProjectsList().stream().noneMatch(l -> l.getProject().equals(late.getName())));
        // Its town had no plant: Anyue now counts one more town covered, as the gateway and the service both say.
        CoverageFigures anyueAfter = county(coverage(ANYUE), ANYUE);
        assertEquals(anyueBefore.getCovered() + 1, anyueAfter.getCovered());
        JsonPath viaGateway = given().queryParam("areaCode", ANYUE).queryParam("breakdown", "county")
                .get("/api/v1/" + townGoal + ":summarizeCoverage").then().statusCode(200).extract().jsonPath();
        assertEquals(anyueAfter.getCovered(), viaGateway.getInt("counties.find { it.code == '" + ANYUE + "' }.covered"));
        JsonPath evidence = given().queryParam("unitCode", running.getTownshipCode())
                .get("/api/v1/" + townGoal + ":getCoverageEvidence").then().statusCode(200).extract().jsonPath();
        assertTrue(evidence.getBoolean("covered"), evidence.prettify());
        assertEquals(running.getFacility(), evidence.getString("facilities[0].facility"), evidence.prettify());
    }

    @Test
    @Order(5)
    void anyuesCountySystemIsRefusedLezhisPlantAndNothingChanges() {
        Project lezhis = planProjects().stream().filter(p -> p.getCountyCode().equals(LEZHI)
                && p.getState() == ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION).findFirst().orElseThrow();
        PlanProgress before = progressAgreeingWithTheRegistry();
        int recordsBefore = history(lezhis.getName()).size();

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> registry.transitionProject(move(lezhis, ProjectState.PROJECT_STATE_COMPLETED, lezhis.getEtag())));
        assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode(), refused.toString());
        ErrorInfo info = errorInfo(refused);
        assertEquals("OTHER_COUNTY", info.getReason(), info.toString());
        assertEquals(ANYUE, info.getMetadataOrThrow("caller_county"));
        assertEquals(LEZHI, info.getMetadataOrThrow("record_county"));
        StatusRuntimeException deleting = assertThrows(StatusRuntimeException.class, () -> registry.deleteProject(
                DeleteProjectRequest.newBuilder().setName(lezhis.getName()).setEtag(lezhis.getEtag()).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, deleting.getStatus().getCode(), deleting.toString());
        assertEquals("OTHER_COUNTY", errorInfo(deleting).getReason());

        // Nothing changed: the project, its audit trail, and the progress that counts it.
        assertEquals(lezhis, viewer.getProject(GetProjectRequest.newBuilder().setName(lezhis.getName()).build()));
        assertEquals(recordsBefore, history(lezhis.getName()).size());
        assertEquals(targets(before), targets(progressAgreeingWithTheRegistry()));
    }

    @Test
    @Order(6)
    void theReportCarriesTheServicesNumbersInEveryFormat() throws IOException {
        PlanProgress progress = progressAgreeingWithTheRegistry();
        SummarizeCoverageResponse towns = coverage("");

        Response csvResponse = given().queryParam("format", "csv").queryParam("asOfDate", today.toString())
                .get("/api/v1/" + plan + "/report");
        assertEquals(200, csvResponse.statusCode(), csvResponse.asString());
        byte[] bytes = csvResponse.asByteArray();
        Map<String, List<List<String>>> csv = ReportCsv.parse(new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8));
        assertEquals(Long.toString(progress.getFeedSequence()), csv.get("report").get(1).get(7));
        List<List<String>> targets = ReportCsv.rows(csv, "targets");
        assertEquals(progress.getTargetsCount(), targets.size());
        for (int i = 0; i < targets.size(); i++) {
            TargetProgress t = progress.getTargets(i);
            assertEquals(t.getLabel(), targets.get(i).get(1));
            assertEquals(t.getTarget(), Double.parseDouble(targets.get(i).get(4)), 0, t.getLabel());
            assertEquals(t.getAchieved(), Double.parseDouble(targets.get(i).get(5)), 0, t.getLabel());
            assertEquals(t.getPipeline(), Double.parseDouble(targets.get(i).get(6)), 0, t.getLabel());
        }
        for (CoverageFigures county : towns.getCountiesList()) {
            List<String> row = ReportCsv.rows(csv, "coverage_by_county").stream()
                    .filter(r -> r.get(1).equals("town-sewage") && r.get(3).equals(county.getCode())).findFirst()
                    .orElseThrow(() -> new AssertionError("no CSV row for " + county.getCode()));
            assertEquals(Integer.toString(county.getCovered()), row.get(5), county.getDisplayName());
            assertEquals(Integer.toString(county.getTotal()), row.get(6), county.getDisplayName());
        }
        assertEquals(progress.getLateProjectsCount(), ReportCsv.rows(csv, "late_projects").size());

        byte[] xlsx = given().queryParam("format", "xlsx").queryParam("asOfDate", today.toString())
                .get("/api/v1/" + plan + "/report").then().statusCode(200).extract().asByteArray();
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            XSSFSheet sheet = book.getSheet("目标完成情况");
            for (int i = 0; i < progress.getTargetsCount(); i++) {
                TargetProgress t = progress.getTargets(i);
                assertEquals(t.getLabel(), sheet.getRow(i + 1).getCell(0).getStringCellValue());
                assertEquals(t.getAchieved(), sheet.getRow(i + 1).getCell(4).getNumericCellValue(), 0, t.getLabel());
            }
        }

        String html = given().queryParam("asOfDate", today.toString()).get("/api/v1/" + plan + "/report").then()
                .statusCode(200).contentType(ContentType.HTML).extract().asString();
        assertTrue(html.contains("资阳市污水、垃圾处理三年行动计划（2018—2020年）"), "the plan's own name");
        for (CoverageFigures county : towns.getCountiesList()) {
            assertTrue(html.contains(county.getDisplayName()), county.getDisplayName());
        }
        assertTrue(html.contains("<svg"), "charts drawn inline");
    }

    @Test
    @Order(7)
    void aReadWhoseConnectionDropsIsRetriedUnseen() {
        int cuts = link.cuts();
        link.cutNextRequest();
        assertEquals(commissioned, given().get("/api/v1/" + commissioned).then().statusCode(200).extract().jsonPath()
                .getString("name"));
        assertEquals(cuts + 1, link.cuts(), "the first attempt was cut");
    }

    @Test
    @Order(8)
    void aWriteWhoseConnectionDropsIsNotRetriedButTheClientsRequestIdMakesItsRetrySafe() {
        int facilities = facilityCount();
        String site = """
                {"displayName": "乐至县生活垃圾焚烧发电厂", "type": "FACILITY_TYPE_GARBAGE_DISPOSAL_SITE",
                 "locationCode": "%s", "capacityTonnesPerDay": 600, "operatingState": "OPERATING_STATE_PLANNED"}"""
                .formatted(townWithoutAPlant(LEZHI));
        String requestId = UUID.randomUUID().toString();

        int cuts = link.cuts();
        link.cutNextRequest();
        JsonPath lost = given().contentType(ContentType.JSON).body(site).queryParam("requestId", requestId)
                .post("/api/v1/facilities").then().statusCode(503).extract().jsonPath();
        assertEquals(cuts + 1, link.cuts());
        assertEquals("project-service", lost.getString("error.details.find { it.reason != null }.metadata.service"));
        assertEquals(facilities, facilityCount(), "the gateway did not retry the write on its own");

        String first = given().contentType(ContentType.JSON).body(site).queryParam("requestId", requestId)
                .post("/api/v1/facilities").then().statusCode(200).extract().jsonPath().getString("name");
        String again = given().contentType(ContentType.JSON).body(site).queryParam("requestId", requestId)
                .post("/api/v1/facilities").then().statusCode(200).extract().jsonPath().getString("name");
        assertEquals(first, again);
        assertEquals(facilities + 1, facilityCount(), "written once");
    }

    @Test
    @Order(9)
    void aFrozenProjectServiceIsADeadlineNotAHang() {
        projectService.freeze();
        try {
            long start = System.nanoTime();
            JsonPath late = given().get("/api/v1/" + commissioned).then().statusCode(504).extract().jsonPath();
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertEquals("DEADLINE_EXCEEDED", late.getString("error.status"));
            assertEquals("project-service", late.getString("error.details.find { it.reason != null }.metadata.service"));
            assertTrue(waited.compareTo(DEADLINE) >= 0 && waited.compareTo(DEADLINE.multipliedBy(5)) < 0,
                    "answered after the deadline, not before and not never: " + waited);
            // What capacity-service answers from its read model does not wait for the registry.
            Response progress = given().get("/api/v1/" + plan + "/progress");
            assertEquals(200, progress.statusCode(), progress.asString());
        } finally {
            projectService.thaw();
        }
        given().get("/api/v1/" + commissioned).then().statusCode(200);
    }

    @Test
    @Order(10)
    void withCapacityServiceDownTheGatewaySaysSoAndRegistryWritesReachTheAnswersOnceItIsBack() {
        PlanProgress before = progressAgreeingWithTheRegistry();
        String lezhiTown = townWithoutAPlant(LEZHI);
        capacityService.stop();

        JsonPath down = given().get("/api/v1/" + plan + "/progress").then().statusCode(503).extract().jsonPath();
        assertEquals("UNAVAILABLE", down.getString("error.status"));
        assertEquals("capacity-service", down.getString("error.details.find { it.reason != null }.metadata.service"));
        JsonPath health = given().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
        assertEquals("DOWN", health.getString("checks.find { it.name == 'capacity-service' }.status"));
        assertEquals("UP", health.getString("checks.find { it.name == 'project-service' }.status"));

        // The registry does not depend on capacity-service: a planner registers a new plant meanwhile.
        registeredDuringOutage = given().contentType(ContentType.JSON).body("""
                {"project": {"displayName": "补短板新建污水处理厂", "kind": "PROJECT_KIND_NEW_BUILD", "planCode": "%s",
                             "capacityAfterTonnesPerDay": 400, "standardAfter": "DISCHARGE_STANDARD_GB18918_CLASS_1A",
                             "plannedStartDate": {"year": %d, "month": 1, "day": 1},
                             "plannedCommissioningDate": {"year": %d, "month": 12, "day": 31}},
                 "newFacility": {"displayName": "补短板新建污水处理厂", "type": "FACILITY_TYPE_SEWAGE_TREATMENT_PLANT",
                                 "locationCode": "%s", "capacityTonnesPerDay": 400,
                                 "dischargeStandard": "DISCHARGE_STANDARD_GB18918_CLASS_1A"},
                 "requestId": "%s"}""".formatted(PLAN_CODE, today.getYear() + 1, today.getYear() + 1, lezhiTown,
                UUID.randomUUID())).post("/api/v1/projects").then().statusCode(200).extract().jsonPath().getString("name");

        capacityService.start();
        Await.until("the gateway's readiness to be UP again", CONVERGE,
                () -> given().get("/q/health/ready").statusCode() == 200);
        PlanProgress after = progressAgreeingWithTheRegistry();
        assertEquals(pipeline(before, ProjectKind.PROJECT_KIND_NEW_BUILD) + 1, pipeline(after, ProjectKind.PROJECT_KIND_NEW_BUILD),
                "the plant registered while capacity-service was down is in its pipeline");
        given().get("/api/v1/" + plan + "/progress").then().statusCode(200);
    }

    @Test
    @Order(11)
    void withProjectServiceDownCoverageAndTheReportStillAnswer() {
        SummarizeCoverageResponse before = coverage("");
        String coverageJson = given().queryParam("breakdown", "county").queryParam("asOfDate", today.toString())
                .get("/api/v1/" + townGoal + ":summarizeCoverage").then().statusCode(200).extract().asString();
        projectService.stop();

        assertEquals(coverageJson, given().queryParam("breakdown", "county").queryParam("asOfDate", today.toString())
                .get("/api/v1/" + townGoal + ":summarizeCoverage").then().statusCode(200).extract().asString(),
                "coverage answers from capacity-service's read model, unchanged");
        assertEquals(before, coverage(""));
        given().queryParam("format", "csv").get("/api/v1/" + plan + "/report").then().statusCode(200);
        JsonPath down = given().get("/api/v1/" + commissioned).then().statusCode(503).extract().jsonPath();
        assertEquals("project-service", down.getString("error.details.find { it.reason != null }.metadata.service"));
        assertEquals("DOWN", given().get("/q/health/ready").then().statusCode(503).extract().jsonPath()
                .getString("checks.find { it.name == 'project-service' }.status"));
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> registry
                .withDeadlineAfter(5, TimeUnit.SECONDS).getProject(GetProjectRequest.newBuilder().setName(commissioned).build()));
        assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());

        projectService.start();
        // Lezhi's county system retries its write (on the plant of its county the planner registered)
        // with the same request id until the registry is back: applied once.
        TransitionProjectRequest approve = TransitionProjectRequest.newBuilder().setName(registeredDuringOutage)
                .setState(ProjectState.PROJECT_STATE_APPROVED).setEffectiveDate(date(today)).setReason("立项批复")
                .setRequestId(UUID.randomUUID().toString()).build();
        Project approved = null;
        for (int attempt = 0; approved == null; attempt++) {
            try {
                approved = lezhiSystem.withWaitForReady().withDeadlineAfter(10, TimeUnit.SECONDS).transitionProject(approve);
            } catch (StatusRuntimeException e) {
                assertTrue(attempt < 20 && e.getStatus().getCode() == Status.Code.UNAVAILABLE, e.toString());
            }
        }
        assertEquals(approved, lezhiSystem.transitionProject(approve), "a retry with the same request id changes nothing more");
        assertEquals(1, approved.getTransitionsCount());
        // capacity-service reconnects to the feed and applies the approval: no change left behind.
        Await.until("capacity-service to catch up with the restarted registry", CONVERGE, () -> {
            JsonPath feed = given().port(capacityService.port()).get("/q/health/ready").then().extract().jsonPath();
            return "UP".equals(feed.getString("status"))
                    && feed.getBoolean("checks.find { it.name == 'change-feed' }.data.connected")
                    && feed.getLong("checks.find { it.name == 'change-feed' }.data.lag_changes") == 0
                    && given().get("/q/health/ready").statusCode() == 200;
        });
        progressAgreeingWithTheRegistry();
    }

    // --- the users' tools ---------------------------------------------------------------------

    /** Runs deploy/local/Demo.java against the gateway, as {@code deploy/local/run --demo} does; its output. */
    private String demo(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Path.of("..", "deploy", "local", "Demo.java").toString(), "--gateway", "http://127.0.0.1:" + gateway.port(),
                "--token", plannerToken));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("demo", ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "Demo.java did not finish in 5 minutes");
            String text = Files.readString(out);
            assertEquals(0, p.exitValue(), text);
            return text;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A project's audit trail, oldest first, as a viewer reads it. */
    private List<AuditRecord> history(String project) {
        List<AuditRecord> out = new ArrayList<>();
        String token = "";
        do {
            ListProjectHistoryResponse page = viewer.listProjectHistory(ListProjectHistoryRequest.newBuilder().setName(project)
                    .setPageSize(1000).setPageToken(token).build());
            out.addAll(page.getRecordsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return out;
    }

    /** The ErrorInfo a service's refusal carries. */
    private static ErrorInfo errorInfo(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertTrue(status != null, e.toString());
        return status.getDetailsList().stream().filter(d -> d.is(ErrorInfo.class)).map(d -> {
            try {
                return d.unpack(ErrorInfo.class);
            } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                throw new AssertionError(x);
            }
        }).findFirst().orElseThrow(() -> new AssertionError("no ErrorInfo in " + status));
    }

    private static TransitionProjectRequest move(Project p, ProjectState to, String etag) {
        return TransitionProjectRequest.newBuilder().setName(p.getName()).setState(to).setEtag(etag)
                .setEffectiveDate(date(LocalDate.now(ZoneId.of("Asia/Shanghai")))).setReason("安岳县系统：竣工并通水运行")
                .setRequestId(UUID.randomUUID().toString()).build();
    }

    // --- what the registry holds, and what the answers must therefore say ------------------------

    private List<Project> planProjects() {
        List<Project> out = new ArrayList<>();
        String token = "";
        do {
            ListProjectsResponse page = viewer.listProjects(ListProjectsRequest.newBuilder()
                    .setFilter("plan = \"" + PLAN_CODE + "\"").setPageSize(1000).setPageToken(token).build());
            out.addAll(page.getProjectsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return out;
    }

    /** Every project, facility and township with its etag: what "changes nothing" compares. */
    private Map<String, String> registryEtags() {
        Map<String, String> out = new TreeMap<>();
        planProjects().forEach(p -> out.put(p.getName(), p.getEtag()));
        String token = "";
        do {
            ListFacilitiesResponse page = viewer.listFacilities(ListFacilitiesRequest.newBuilder().setPageSize(1000)
                    .setPageToken(token).build());
            page.getFacilitiesList().forEach(f -> out.put(f.getName(), f.getEtag()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        given().queryParam("filter", "level = DIVISION_LEVEL_TOWNSHIP").queryParam("pageSize", 1000)
                .get("/api/v1/divisions").then().statusCode(200).extract().jsonPath().<Map<String, String>>getList("divisions")
                .forEach(d -> out.put(d.get("name"), d.get("etag")));
        return out;
    }

    /** Capacity the projects add when commissioned: new builds their capacity, upgrades after − before. */
    private static BigDecimal sum(List<Project> projects, java.util.function.Predicate<Project> which) {
        return projects.stream().filter(which).filter(p -> p.getFacilityType() == FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT)
                .map(p -> BigDecimal.valueOf(p.getCapacityAfterTonnesPerDay()).subtract(BigDecimal.valueOf(p.getCapacityBeforeTonnesPerDay())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /**
     * capacity-service's progress as of today, once it agrees with the registry: each target's
     * achieved and pipeline as the registry's projects make them. Asked until they agree (the feed
     * is asynchronous), then the agreement is asserted.
     */
    private PlanProgress progressAgreeingWithTheRegistry() {
        Await.until("capacity-service's progress to reflect the registry", CONVERGE, () -> {
            try {
                return expectedTargets(planProjects()).equals(targets(progress()));
            } catch (StatusRuntimeException e) {
                return false;
            }
        });
        PlanProgress progress = progress();
        assertEquals(expectedTargets(planProjects()), targets(progress));
        return progress;
    }

    private PlanProgress progress() {
        return capacity.withDeadlineAfter(10, TimeUnit.SECONDS).getPlanProgress(GetPlanProgressRequest.newBuilder()
                .setName(plan).setAsOfDate(date(today)).build());
    }

    /** "achieved / pipeline" of the count and capacity targets, computed from the registry's projects. */
    private static List<String> expectedTargets(List<Project> projects) {
        java.util.function.Predicate<Project> done = p -> p.getState() == ProjectState.PROJECT_STATE_COMMISSIONED;
        java.util.function.Predicate<Project> pipeline = p -> p.getState() != ProjectState.PROJECT_STATE_COMMISSIONED
                && p.getState() != ProjectState.PROJECT_STATE_CANCELLED;
        List<String> out = new ArrayList<>();
        for (ProjectKind kind : List.of(ProjectKind.PROJECT_KIND_UPGRADE, ProjectKind.PROJECT_KIND_NEW_BUILD)) {
            out.add(kind + " " + projects.stream().filter(p -> p.getKind() == kind).filter(done).count() + " / "
                    + projects.stream().filter(p -> p.getKind() == kind).filter(pipeline).count());
        }
        out.add("capacity " + sum(projects, done).stripTrailingZeros().toPlainString() + " / "
                + sum(projects, pipeline).stripTrailingZeros().toPlainString());
        return out;
    }

    private static List<String> targets(PlanProgress progress) {
        List<String> out = new ArrayList<>();
        List<TargetProgress> counts = progress.getTargetsList().stream()
                .filter(t -> t.getType() == TargetType.TARGET_TYPE_PROJECT_COUNT).toList();
        assertEquals(2, counts.size(), progress.toString());
        out.add(ProjectKind.PROJECT_KIND_UPGRADE + " " + (long) counts.get(0).getAchieved() + " / " + (long) counts.get(0).getPipeline());
        out.add(ProjectKind.PROJECT_KIND_NEW_BUILD + " " + (long) counts.get(1).getAchieved() + " / " + (long) counts.get(1).getPipeline());
        TargetProgress added = progress.getTargetsList().stream()
                .filter(t -> t.getType() == TargetType.TARGET_TYPE_ADDED_CAPACITY).findFirst().orElseThrow();
        out.add("capacity " + BigDecimal.valueOf(added.getAchieved()).stripTrailingZeros().toPlainString() + " / "
                + BigDecimal.valueOf(added.getPipeline()).stripTrailingZeros().toPlainString());
        return out;
    }

    private static long pipeline(PlanProgress progress, ProjectKind kind) {
        int index = kind == ProjectKind.PROJECT_KIND_UPGRADE ? 0 : 1;
        return (long) progress.getTargetsList().stream().filter(t -> t.getType() == TargetType.TARGET_TYPE_PROJECT_COUNT)
                .toList().get(index).getPipeline();
    }

    private SummarizeCoverageResponse coverage(String area) {
        return capacity.withDeadlineAfter(10, TimeUnit.SECONDS).summarizeCoverage(SummarizeCoverageRequest.newBuilder()
                .setGoal(townGoal).setAreaCode(area).setAsOfDate(date(today))
                .setBreakdown(CoverageBreakdown.COVERAGE_BREAKDOWN_COUNTY).build());
    }

    private static CoverageFigures county(SummarizeCoverageResponse coverage, String code) {
        return coverage.getCountiesList().stream().filter(c -> c.getCode().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError("no county " + code + " in " + coverage));
    }

    private int facilityCount() {
        int count = 0;
        String token = "";
        do {
            ListFacilitiesResponse page = viewer.listFacilities(ListFacilitiesRequest.newBuilder().setPageSize(1000)
                    .setPageToken(token).build());
            count += page.getFacilitiesCount();
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return count;
    }

    /** A town of the county where no sewage plant stands nor is planned. */
    private String townWithoutAPlant(String county) {
        Set<String> withPlant = new HashSet<>();
        String token = "";
        do {
            ListFacilitiesResponse page = viewer.listFacilities(ListFacilitiesRequest.newBuilder().setPageSize(1000)
                    .setFilter("county = \"" + county + "\" AND type = FACILITY_TYPE_SEWAGE_TREATMENT_PLANT")
                    .setPageToken(token).build());
            page.getFacilitiesList().stream().map(Facility::getLocationCode).forEach(withPlant::add);
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        List<Map<String, String>> towns = given().queryParam("filter", "county = \"" + county + "\" AND kind = DIVISION_KIND_TOWN")
                .queryParam("pageSize", 1000).get("/api/v1/divisions").then().statusCode(200).extract().jsonPath()
                .getList("divisions");
        return towns.stream().map(t -> t.get("code")).filter(code -> !withPlant.contains(code)).findFirst()
                .orElseThrow(() -> new AssertionError("every town of " + county + " has a plant"));
    }

    private static String progressJson(Message progress) {
        try {
            return JsonPath.from(JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(progress)).prettify();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static Date date(LocalDate d) {
        return Date.newBuilder().setYear(d.getYear()).setMonth(d.getMonthValue()).setDay(d.getDayOfMonth()).build();
    }
}
