package io.qingliu.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.FieldMask;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.type.Date;
import io.grpc.CallCredentials;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc.CapacityServiceBlockingStub;
import io.qingliu.api.capacity.v1.CreatePlanRequest;
import io.qingliu.api.capacity.v1.DeletePlanRequest;
import io.qingliu.api.capacity.v1.GetCoverageEvidenceRequest;
import io.qingliu.api.capacity.v1.GetPlanProgressRequest;
import io.qingliu.api.capacity.v1.GetPlanRequest;
import io.qingliu.api.capacity.v1.ListGoalUnitsRequest;
import io.qingliu.api.capacity.v1.ListPlansRequest;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsRequest;
import io.qingliu.api.capacity.v1.Plan;
import io.qingliu.api.capacity.v1.SummarizeCapacityRequest;
import io.qingliu.api.capacity.v1.SummarizeCoverageRequest;
import io.qingliu.api.capacity.v1.UpdatePlanRequest;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.project.v1.CreateFacilityRequest;
import io.qingliu.api.project.v1.CreateProjectRequest;
import io.qingliu.api.project.v1.DeleteFacilityRequest;
import io.qingliu.api.project.v1.DeleteProjectRequest;
import io.qingliu.api.project.v1.Division;
import io.qingliu.api.project.v1.DivisionFileRole;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.GetDivisionRequest;
import io.qingliu.api.project.v1.GetFacilityRequest;
import io.qingliu.api.project.v1.GetProjectRequest;
import io.qingliu.api.project.v1.ImportDivisionsRequest;
import io.qingliu.api.project.v1.ImportProjectsRequest;
import io.qingliu.api.project.v1.ListDivisionsRequest;
import io.qingliu.api.project.v1.ListFacilitiesRequest;
import io.qingliu.api.project.v1.ListProjectHistoryRequest;
import io.qingliu.api.project.v1.ListProjectsRequest;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectImportEntry;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectServiceGrpc.ProjectServiceBlockingStub;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.api.project.v1.TransitionProjectRequest;
import io.qingliu.api.project.v1.UpdateDivisionRequest;
import io.qingliu.api.project.v1.UpdateFacilityRequest;
import io.qingliu.api.project.v1.UpdateProjectRequest;
import io.qingliu.api.project.v1.WatchChangesRequest;
import io.qingliu.gateway.testing.StreamingHttp;
import io.qingliu.gateway.testing.Suite;
import io.qingliu.gateway.testing.SuiteProfile;
import io.qingliu.gateway.testing.SuiteState;
import io.qingliu.kit.auth.Role;
import io.qingliu.kit.testing.ClientStreams;
import io.qingliu.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Who may do what, in one table: every gRPC method of both services and every HTTP route of the
 * gateway, called by nobody (no token), a viewer, a planner, Anyue's county system on a record of
 * Anyue ("own"), Lezhi's county system on the same record ("other") and an administrator.
 *
 * <p>{@code U}: refused as unauthenticated (UNAUTHENTICATED / 401); {@code D}: refused as not
 * allowed (PERMISSION_DENIED / 403); {@code A}: allowed, and done: a write cell works on a record
 * made for it alone and must succeed. Every refused cell is checked to have changed nothing (the
 * registry's change feed and the plans stand as they were). The table must name every method the
 * services' descriptors list and every route the gateway's OpenAPI document lists, so a new one
 * cannot be added without saying who may call it.
 */
@QuarkusTest
@TestProfile(SuiteProfile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {

    private static final String MATRIX = """
            # operation                                                             nobody viewer planner own other admin
            grpc qingliu.project.v1.ProjectService/GetDivision                          U     A      A      A    A     A
            grpc qingliu.project.v1.ProjectService/ListDivisions                        U     A      A      A    A     A
            grpc qingliu.project.v1.ProjectService/UpdateDivision                       U     D      A      D    D     A
            grpc qingliu.project.v1.ProjectService/ImportDivisions                      U     D      D      D    D     A
            grpc qingliu.project.v1.ProjectService/GetFacility                          U     A      A      A    A     A
            grpc qingliu.project.v1.ProjectService/ListFacilities                       U     A      A      A    A     A
            grpc qingliu.project.v1.ProjectService/CreateFacility                       U     D      A      A    D     A
            grpc qingliu.project.v1.ProjectService/UpdateFacility                       U     D      A      A    D     A
            grpc qingliu.project.v1.ProjectService/DeleteFacility                       U     D      A      A    D     A
            grpc qingliu.project.v1.ProjectService/GetProject                           U     A      A      A    A     A
            grpc qingliu.project.v1.ProjectService/ListProjects                         U     A      A      A    A     A
            grpc qingliu.project.v1.ProjectService/CreateProject                        U     D      A      A    D     A
            grpc qingliu.project.v1.ProjectService/UpdateProject                        U     D      A      A    D     A
            grpc qingliu.project.v1.ProjectService/DeleteProject                        U     D      A      A    D     A
            grpc qingliu.project.v1.ProjectService/TransitionProject                    U     D      A      A    D     A
            grpc qingliu.project.v1.ProjectService/ImportProjects                       U     D      A      A    D     A
            grpc qingliu.project.v1.ProjectService/ListProjectHistory                   U     A      A      A    A     A
            grpc qingliu.project.v1.ProjectService/WatchChanges                         U     A      A      A    A     A
            grpc qingliu.capacity.v1.CapacityService/GetPlan                            U     A      A      A    A     A
            grpc qingliu.capacity.v1.CapacityService/ListPlans                          U     A      A      A    A     A
            grpc qingliu.capacity.v1.CapacityService/CreatePlan                         U     D      A      D    D     A
            grpc qingliu.capacity.v1.CapacityService/UpdatePlan                         U     D      A      D    D     A
            grpc qingliu.capacity.v1.CapacityService/DeletePlan                         U     D      A      D    D     A
            grpc qingliu.capacity.v1.CapacityService/SummarizeCapacity                  U     A      A      A    A     A
            grpc qingliu.capacity.v1.CapacityService/SummarizeCoverage                  U     A      A      A    A     A
            grpc qingliu.capacity.v1.CapacityService/ListUncoveredUnits                 U     A      A      A    A     A
            grpc qingliu.capacity.v1.CapacityService/ListGoalUnits                      U     A      A      A    A     A
            grpc qingliu.capacity.v1.CapacityService/GetCoverageEvidence                U     A      A      A    A     A
            grpc qingliu.capacity.v1.CapacityService/GetPlanProgress                    U     A      A      A    A     A
            http GET /api/v1/divisions/{division}                                       U     A      A      A    A     A
            http GET /api/v1/divisions                                                  U     A      A      A    A     A
            http PATCH /api/v1/divisions/{division}                                     U     D      A      D    D     A
            http POST /api/v1/divisions:import                                          U     D      D      D    D     A
            http GET /api/v1/facilities/{facility}                                      U     A      A      A    A     A
            http GET /api/v1/facilities                                                 U     A      A      A    A     A
            http POST /api/v1/facilities                                                U     D      A      A    D     A
            http PATCH /api/v1/facilities/{facility}                                    U     D      A      A    D     A
            http DELETE /api/v1/facilities/{facility}                                   U     D      A      A    D     A
            http GET /api/v1/projects/{project}                                         U     A      A      A    A     A
            http GET /api/v1/projects                                                   U     A      A      A    A     A
            http POST /api/v1/projects                                                  U     D      A      A    D     A
            http PATCH /api/v1/projects/{project}                                       U     D      A      A    D     A
            http DELETE /api/v1/projects/{project}                                      U     D      A      A    D     A
            http POST /api/v1/projects/{project}:transition                              U     D      A      A    D     A
            http GET /api/v1/projects/{project}/history                                 U     A      A      A    A     A
            http POST /api/v1/projects:import                                           U     D      A      A    D     A
            http GET /api/v1/changes:watch                                              U     A      A      A    A     A
            http GET /api/v1/plans/{plan}                                               U     A      A      A    A     A
            http GET /api/v1/plans                                                      U     A      A      A    A     A
            http GET /api/v1/plans/{plan}/progress                                      U     A      A      A    A     A
            http POST /api/v1/plans                                                     U     D      A      D    D     A
            http PATCH /api/v1/plans/{plan}                                             U     D      A      D    D     A
            http DELETE /api/v1/plans/{plan}                                            U     D      A      D    D     A
            http GET /api/v1/plans/{plan}/coverageGoals/{coverageGoal}:summarizeCoverage  U     A      A      A    A     A
            http GET /api/v1/plans/{plan}/coverageGoals/{coverageGoal}:listUncoveredUnits U     A      A      A    A     A
            http GET /api/v1/plans/{plan}/coverageGoals/{coverageGoal}:listUnits          U     A      A      A    A     A
            http GET /api/v1/plans/{plan}/coverageGoals/{coverageGoal}:getCoverageEvidence U    A      A      A    A     A
            http GET /api/v1/plans/{plan}/coverageGoals/{coverageGoal}:exportUnits        U     A      A      A    A     A
            http GET /api/v1/capacity:summarize                                         U     A      A      A    A     A
            http GET /api/v1/plans/{plan}/report                                        U     A      A      A    A     A
            http GET /q/health/ready                                                    A     A      A      A    A     A
            http GET /q/openapi                                                         A     A      A      A    A     A
            """;

    private static final String ANYUE = "512021000000";
    private static final String LEZHI = "512022000000";
    /** Anyue's 岳城街道 and one of its villages: the records of the write cells lie there. */
    private static final String ANYUE_TOWNSHIP = "512021001000";
    private static final String ANYUE_VILLAGE = "512021001002";
    /** A town (镇) of Anyue: a unit the town-sewage goal counts. */
    private static final String ANYUE_TOWN = "512021100000";
    /** Ziyang's division list as project-service ships it (an admin's import of it is validated, not applied). */
    private static final Path ZIYANG_LIST = Path.of("..", "project-service", "src", "main", "resources", "divisions",
            "ziyang-5120.csv");

    /** The callers, in the table's column order. */
    enum Caller {
        NOBODY(null, null), VIEWER(Role.VIEWER, null), PLANNER(Role.PLANNER, null), OWN_COUNTY(Role.COUNTY, ANYUE),
        OTHER_COUNTY(Role.COUNTY, LEZHI), ADMIN(Role.ADMIN, null);

        final String token;

        Caller(Role role, String county) {
            this.token = role == null ? null
                    : TestTokens.token("matrix-" + name().toLowerCase().replace('_', '-'), role, county, Duration.ofHours(2));
        }

        CallCredentials credentials() {
            return token == null ? TestTokens.none() : TestTokens.bearer(token);
        }

        RequestSpecification http() {
            RequestSpecification request = given().noFilters();
            return token == null ? request : request.header("Authorization", "Bearer " + token);
        }
    }

    /** How a call ended, as the table writes it; anything else is spelled out so that a mismatch explains itself. */
    private static String outcome(Status.Code code, String detail) {
        return switch (code) {
            case OK -> "A";
            case UNAUTHENTICATED -> "U";
            case PERMISSION_DENIED -> "D";
            default -> code + " (" + detail + ")";
        };
    }

    private static String outcome(Response response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return "A";
        }
        return switch (status) {
            case 401 -> "U";
            case 403 -> "D";
            default -> "HTTP " + status + " (" + response.asString() + ")";
        };
    }

    private static String outcome(Runnable grpcCall) {
        try {
            grpcCall.run();
            return "A";
        } catch (StatusRuntimeException e) {
            return outcome(e.getStatus().getCode(), e.getStatus().getDescription());
        }
    }

    private final Map<String, Function<Caller, Supplier<String>>> probes = new LinkedHashMap<>();
    private final List<String> plansMade = new ArrayList<>();
    private final AtomicInteger serial = new AtomicInteger();
    private ManagedChannel projectChannel;
    private ManagedChannel capacityChannel;
    /** The fixtures' maker: calls without credentials of their own carry the suite's admin token. */
    private ProjectServiceBlockingStub registry;
    private CapacityServiceBlockingStub capacity;
    private String plan;
    private String goal;
    private Facility anyuesPlant;
    private Project anyuesProject;

    /** Once, before the first test (RestAssured knows the gateway's port only once a test runs). */
    @BeforeEach
    void connect() {
        if (projectChannel != null) {
            return;
        }
        projectChannel = Suite.projectChannel();
        capacityChannel = Suite.capacityChannel();
        registry = ProjectServiceGrpc.newBlockingStub(projectChannel).withDeadlineAfter(60, TimeUnit.SECONDS);
        capacity = CapacityServiceGrpc.newBlockingStub(capacityChannel).withDeadlineAfter(60, TimeUnit.SECONDS);
        plan = "plans/" + Suite.ziyangPlanId();
        goal = plan + "/coverageGoals/town-sewage";
        anyuesPlant = newPoint();
        anyuesProject = newProject();
        grpcProbes();
        httpProbes();
    }

    @AfterAll
    void cleanUp() {
        for (String name : plansMade) {
            try {
                Plan p = capacity.getPlan(GetPlanRequest.newBuilder().setName(name).build());
                capacity.deletePlan(DeletePlanRequest.newBuilder().setName(name).setEtag(p.getEtag()).build());
            } catch (StatusRuntimeException gone) {
                // deleted by its cell
            }
        }
        projectChannel.shutdownNow();
        capacityChannel.shutdownNow();
    }

    @Test
    void everyMethodAndRouteIsInTheTable() throws IOException {
        Set<String> grpc = new TreeSet<>();
        for (ServiceDescriptor service : List.of(ProjectServiceGrpc.getServiceDescriptor(),
                CapacityServiceGrpc.getServiceDescriptor())) {
            service.getMethods().forEach(m -> grpc.add("grpc " + m.getFullMethodName()));
        }
        Set<String> routes = new TreeSet<>();
        var document = new com.fasterxml.jackson.databind.ObjectMapper().readTree(given().queryParam("format", "json")
                .get("/q/openapi").then().statusCode(200).extract().asString());
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(
                verb -> routes.add("http " + verb.toUpperCase() + " " + path.getKey())));

        Map<String, String> table = table();
        Set<String> grpcInTable = table.keySet().stream().filter(k -> k.startsWith("grpc ")).collect(Collectors.toCollection(TreeSet::new));
        Set<String> routesInTable = table.keySet().stream().filter(k -> k.startsWith("http ") && !k.contains(" /q/"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(grpc, grpcInTable, "every gRPC method of both services, and only those");
        assertEquals(routes, routesInTable, "every route of the OpenAPI document, and only those");
        assertEquals(table.keySet(), probes.keySet(), "a probe for every row");
    }

    @Test
    void everyCallerGetsWhatTheTableSaysAndARefusalChangesNothing() {
        Map<String, String> table = table();
        List<String> mismatches = new ArrayList<>();
        int cells = 0;
        for (Map.Entry<String, String> row : table.entrySet()) {
            Function<Caller, Supplier<String>> probe = probes.get(row.getKey());
            for (Caller caller : Caller.values()) {
                String expected = String.valueOf(row.getValue().charAt(caller.ordinal()));
                // The cell's own record is made first; then nothing else may change if it is refused.
                Supplier<String> call = probe.apply(caller);
                String before = expected.equals("A") ? null : fingerprint();
                String actual;
                try {
                    actual = call.get();
                } catch (RuntimeException e) {
                    actual = "threw " + e;
                }
                cells++;
                if (!expected.equals(actual)) {
                    mismatches.add(row.getKey() + " as " + caller + ": expected " + expected + ", got " + actual);
                } else if (before != null && !before.equals(fingerprint())) {
                    mismatches.add(row.getKey() + " as " + caller + ": refused, but something changed");
                }
            }
        }
        assertEquals(List.of(), mismatches, mismatches.size() + " of " + cells + " cells differ from the table");
        assertEquals(table.size() * Caller.values().length, cells);
        assertTrue(cells >= 59 * 6, "every row of both services and the gateway: " + cells);
    }

    /** The table's rows: operation → one letter per caller, in column order. */
    private static Map<String, String> table() {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : MATRIX.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
            String[] words = line.split("\\s+");
            int letters = Caller.values().length;
            String operation = String.join(" ", List.of(words).subList(0, words.length - letters));
            String expected = String.join("", List.of(words).subList(words.length - letters, words.length));
            assertTrue(expected.matches("[UDA]+"), line);
            assertEquals(null, rows.put(operation, expected), "one row per operation: " + operation);
        }
        return rows;
    }

    /** What a refused call must leave as it was ({@link SuiteState}). */
    private String fingerprint() {
        return SuiteState.of(registry, capacity);
    }

    // --- the probes: one call of the row's operation as the caller, on a record of Anyue ----------

    /** A row's probe: given the caller, makes the cell's record (if any) and returns the call to make on it. */
    private void grpc(String method, Function<Caller, Runnable> prepare) {
        probes.put("grpc " + method, caller -> {
            Runnable call = prepare.apply(caller);
            return () -> outcome(call);
        });
    }

    private ProjectServiceBlockingStub registry(Caller caller) {
        return ProjectServiceGrpc.newBlockingStub(projectChannel).withCallCredentials(caller.credentials())
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private CapacityServiceBlockingStub capacity(Caller caller) {
        return CapacityServiceGrpc.newBlockingStub(capacityChannel).withCallCredentials(caller.credentials())
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private void grpcProbes() {
        String p = "qingliu.project.v1.ProjectService/";
        grpc(p + "GetDivision", c -> () -> registry(c).getDivision(GetDivisionRequest.newBuilder()
                .setName("divisions/" + ANYUE_TOWNSHIP).build()));
        grpc(p + "ListDivisions", c -> () -> registry(c).listDivisions(ListDivisionsRequest.newBuilder().setPageSize(5).build()));
        grpc(p + "UpdateDivision", c -> () -> registry(c).updateDivision(UpdateDivisionRequest.newBuilder()
                .setDivision(Division.newBuilder().setName("divisions/" + ANYUE_VILLAGE).setBasin(currentBasin()))
                .setUpdateMask(FieldMask.newBuilder().addPaths("basin")).build()));
        grpc(p + "ImportDivisions", c -> () -> {
            ClientStreams.send(ProjectServiceGrpc.newStub(projectChannel)
                    .withCallCredentials(c.credentials())::importDivisions, List.of(ImportDivisionsRequest.newBuilder()
                    .setRole(DivisionFileRole.DIVISION_FILE_ROLE_DIVISIONS).setValidateOnly(true)
                    .setContent(com.google.protobuf.ByteString.copyFrom(ziyangList())).build()), Duration.ofSeconds(60));
        });
        grpc(p + "GetFacility", c -> () -> registry(c).getFacility(GetFacilityRequest.newBuilder()
                .setName(anyuesPlant.getName()).build()));
        grpc(p + "ListFacilities", c -> () -> registry(c).listFacilities(ListFacilitiesRequest.newBuilder()
                .setPageSize(5).build()));
        grpc(p + "CreateFacility", c -> () -> registry(c).createFacility(CreateFacilityRequest.newBuilder()
                .setFacility(point()).build()));
        grpc(p + "UpdateFacility", c -> {
            Facility f = newPoint();
            return () -> registry(c).updateFacility(UpdateFacilityRequest.newBuilder()
                    .setFacility(Facility.newBuilder().setName(f.getName()).setDisplayName(f.getDisplayName() + "（改）"))
                    .setUpdateMask(FieldMask.newBuilder().addPaths("display_name")).build());
        });
        grpc(p + "DeleteFacility", c -> {
            Facility f = newPoint();
            return () -> registry(c).deleteFacility(DeleteFacilityRequest.newBuilder().setName(f.getName())
                    .setEtag(f.getEtag()).build());
        });
        grpc(p + "GetProject", c -> () -> registry(c).getProject(GetProjectRequest.newBuilder()
                .setName(anyuesProject.getName()).build()));
        grpc(p + "ListProjects", c -> () -> registry(c).listProjects(ListProjectsRequest.newBuilder().setPageSize(5).build()));
        grpc(p + "CreateProject", c -> () -> registry(c).createProject(projectRequest()));
        grpc(p + "UpdateProject", c -> {
            Project project = newProject();
            return () -> registry(c).updateProject(UpdateProjectRequest.newBuilder()
                    .setProject(Project.newBuilder().setName(project.getName()).setNotes("选址已定"))
                    .setUpdateMask(FieldMask.newBuilder().addPaths("notes")).build());
        });
        grpc(p + "DeleteProject", c -> {
            Project project = newProject();
            return () -> registry(c).deleteProject(DeleteProjectRequest.newBuilder().setName(project.getName())
                    .setEtag(project.getEtag()).build());
        });
        grpc(p + "TransitionProject", c -> {
            Project project = newProject();
            return () -> registry(c).transitionProject(TransitionProjectRequest.newBuilder().setName(project.getName())
                    .setEtag(project.getEtag()).setState(ProjectState.PROJECT_STATE_APPROVED).setEffectiveDate(today())
                    .setReason("立项批复").build());
        });
        grpc(p + "ImportProjects", c -> () -> {
            CreateProjectRequest one = projectRequest();
            ClientStreams.send(ProjectServiceGrpc.newStub(projectChannel).withCallCredentials(c.credentials())
                    ::importProjects, List.of(ImportProjectsRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                    .addEntries(ProjectImportEntry.newBuilder().setProject(one.getProject())
                            .setNewFacility(one.getNewFacility())).build()), Duration.ofSeconds(60));
        });
        grpc(p + "ListProjectHistory", c -> () -> registry(c).listProjectHistory(ListProjectHistoryRequest.newBuilder()
                .setName(anyuesProject.getName()).build()));
        grpc(p + "WatchChanges", c -> () -> {
            try (Context.CancellableContext read = Context.current().withCancellation()) {
                read.run(() -> registry(c).watchChanges(WatchChangesRequest.newBuilder().setMaxBatchSize(1).build()).next());
            }
        });

        String cap = "qingliu.capacity.v1.CapacityService/";
        grpc(cap + "GetPlan", c -> () -> capacity(c).getPlan(GetPlanRequest.newBuilder().setName(plan).build()));
        grpc(cap + "ListPlans", c -> () -> capacity(c).listPlans(ListPlansRequest.newBuilder().setPageSize(5).build()));
        grpc(cap + "CreatePlan", c -> () -> plansMade.add(capacity(c).createPlan(CreatePlanRequest.newBuilder()
                .setPlan(planOf(uniquePlanCode())).setRequestId(UUID.randomUUID().toString()).build()).getName()));
        grpc(cap + "UpdatePlan", c -> {
            Plan made = newPlan();
            return () -> capacity(c).updatePlan(UpdatePlanRequest.newBuilder()
                    .setPlan(Plan.newBuilder().setName(made.getName()).setDisplayName("安岳县测试计划（修订）"))
                    .setUpdateMask(FieldMask.newBuilder().addPaths("display_name")).build());
        });
        grpc(cap + "DeletePlan", c -> {
            Plan made = newPlan();
            return () -> capacity(c).deletePlan(DeletePlanRequest.newBuilder().setName(made.getName())
                    .setEtag(made.getEtag()).build());
        });
        grpc(cap + "SummarizeCapacity", c -> () -> capacity(c).summarizeCapacity(SummarizeCapacityRequest.newBuilder()
                .setFacilityType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT).setAreaCode(ANYUE).setPlan(plan).build()));
        grpc(cap + "SummarizeCoverage", c -> () -> capacity(c).summarizeCoverage(SummarizeCoverageRequest.newBuilder()
                .setGoal(goal).setAreaCode(ANYUE).build()));
        grpc(cap + "ListUncoveredUnits", c -> () -> capacity(c).listUncoveredUnits(ListUncoveredUnitsRequest.newBuilder()
                .setGoal(goal).setAreaCode(ANYUE).setPageSize(5).build()));
        grpc(cap + "ListGoalUnits", c -> () -> capacity(c).listGoalUnits(ListGoalUnitsRequest.newBuilder()
                .setGoal(goal).setAreaCode(ANYUE).setPageSize(5).build()));
        grpc(cap + "GetCoverageEvidence", c -> () -> capacity(c).getCoverageEvidence(GetCoverageEvidenceRequest.newBuilder()
                .setGoal(goal).setUnitCode(ANYUE_TOWN).build()));
        grpc(cap + "GetPlanProgress", c -> () -> capacity(c).getPlanProgress(GetPlanProgressRequest.newBuilder()
                .setName(plan).setAreaCode(ANYUE).build()));
    }

    private void http(String route, Function<Caller, Supplier<Response>> prepare) {
        probes.put("http " + route, caller -> {
            Supplier<Response> call = prepare.apply(caller);
            return () -> outcome(call.get());
        });
    }

    private void httpProbes() {
        http("GET /api/v1/divisions/{division}", c -> () -> c.http().get("/api/v1/divisions/" + ANYUE_TOWNSHIP));
        http("GET /api/v1/divisions", c -> () -> c.http().queryParam("pageSize", 5).get("/api/v1/divisions"));
        http("PATCH /api/v1/divisions/{division}", c -> () -> c.http().contentType(ContentType.JSON)
                .body("{\"basin\": \"" + currentBasin() + "\"}").queryParam("updateMask", "basin")
                .patch("/api/v1/divisions/" + ANYUE_VILLAGE));
        http("GET /api/v1/facilities/{facility}", c -> () -> c.http().get("/api/v1/" + anyuesPlant.getName()));
        http("GET /api/v1/facilities", c -> () -> c.http().queryParam("pageSize", 5).get("/api/v1/facilities"));
        // The streaming methods: an import as one NDJSON line; the feed read to its first line, then hung up.
        http("POST /api/v1/divisions:import", c -> () -> c.http().contentType("application/x-ndjson")
                .body(line(ImportDivisionsRequest.newBuilder().setRole(DivisionFileRole.DIVISION_FILE_ROLE_DIVISIONS)
                        .setValidateOnly(true).setContent(com.google.protobuf.ByteString.copyFrom(ziyangList())).build()))
                .post("/api/v1/divisions:import"));
        http("POST /api/v1/projects:import", c -> () -> {
            CreateProjectRequest one = projectRequest();
            return c.http().contentType("application/x-ndjson").body(line(ImportProjectsRequest.newBuilder()
                    .setRequestId(UUID.randomUUID().toString()).addEntries(ProjectImportEntry.newBuilder()
                            .setProject(one.getProject()).setNewFacility(one.getNewFacility())).build()))
                    .post("/api/v1/projects:import");
        });
        probes.put("http GET /api/v1/changes:watch", c -> () -> {
            var response = StreamingHttp.lines("/api/v1/changes:watch?maxBatchSize=1", c.token, Duration.ofSeconds(30));
            try (var lines = response.body()) {
                return switch (response.statusCode()) {
                    case 200 -> lines.findFirst().filter(l -> l.contains("\"changes\"")).map(l -> "A")
                            .orElse("HTTP 200 without a batch of changes");
                    case 401 -> "U";
                    case 403 -> "D";
                    default -> "HTTP " + response.statusCode() + " (" + String.join("\n", lines.toList()) + ")";
                };
            }
        });
        http("POST /api/v1/facilities", c -> () -> c.http().contentType(ContentType.JSON).body(json(point()))
                .post("/api/v1/facilities"));
        http("PATCH /api/v1/facilities/{facility}", c -> {
            Facility f = newPoint();
            return () -> c.http().contentType(ContentType.JSON).header("If-Match", f.getEtag())
                    .body("{\"displayName\": \"" + f.getDisplayName() + "（改）\"}").patch("/api/v1/" + f.getName());
        });
        http("DELETE /api/v1/facilities/{facility}", c -> {
            Facility f = newPoint();
            return () -> c.http().header("If-Match", f.getEtag()).delete("/api/v1/" + f.getName());
        });
        http("GET /api/v1/projects/{project}", c -> () -> c.http().get("/api/v1/" + anyuesProject.getName()));
        http("GET /api/v1/projects", c -> () -> c.http().queryParam("pageSize", 5).get("/api/v1/projects"));
        http("POST /api/v1/projects", c -> () -> c.http().contentType(ContentType.JSON).body(json(projectRequest()))
                .post("/api/v1/projects"));
        http("PATCH /api/v1/projects/{project}", c -> {
            Project project = newProject();
            return () -> c.http().contentType(ContentType.JSON).header("If-Match", project.getEtag())
                    .body("{\"notes\": \"选址已定\"}").patch("/api/v1/" + project.getName());
        });
        http("DELETE /api/v1/projects/{project}", c -> {
            Project project = newProject();
            return () -> c.http().header("If-Match", project.getEtag()).delete("/api/v1/" + project.getName());
        });
        http("POST /api/v1/projects/{project}:transition", c -> {
            Project project = newProject();
            Date d = today();
            return () -> c.http().contentType(ContentType.JSON).header("If-Match", project.getEtag())
                    .body("{\"state\": \"PROJECT_STATE_APPROVED\", \"effectiveDate\": {\"year\": %d, \"month\": %d, \"day\": %d}}"
                            .formatted(d.getYear(), d.getMonth(), d.getDay()))
                    .post("/api/v1/" + project.getName() + ":transition");
        });
        http("GET /api/v1/projects/{project}/history", c -> () -> c.http().get("/api/v1/" + anyuesProject.getName() + "/history"));
        http("GET /api/v1/plans/{plan}", c -> () -> c.http().get("/api/v1/" + plan));
        http("GET /api/v1/plans", c -> () -> c.http().queryParam("pageSize", 5).get("/api/v1/plans"));
        http("GET /api/v1/plans/{plan}/progress", c -> () -> c.http().queryParam("areaCode", ANYUE).get("/api/v1/" + plan + "/progress"));
        http("POST /api/v1/plans", c -> () -> {
            Response made = c.http().contentType(ContentType.JSON).body(json(planOf(uniquePlanCode()))).post("/api/v1/plans");
            if (made.statusCode() == 200) {
                plansMade.add(made.jsonPath().getString("name"));
            }
            return made;
        });
        http("PATCH /api/v1/plans/{plan}", c -> {
            Plan made = newPlan();
            return () -> c.http().contentType(ContentType.JSON).header("If-Match", made.getEtag())
                    .queryParam("updateMask", "displayName").body("{\"displayName\": \"安岳县测试计划（修订）\"}")
                    .patch("/api/v1/" + made.getName());
        });
        http("DELETE /api/v1/plans/{plan}", c -> {
            Plan made = newPlan();
            return () -> c.http().header("If-Match", made.getEtag()).delete("/api/v1/" + made.getName());
        });
        String goals = "/api/v1/" + goal;
        http("GET /api/v1/plans/{plan}/coverageGoals/{coverageGoal}:summarizeCoverage", c -> () -> c.http()
                .queryParam("areaCode", ANYUE).get(goals + ":summarizeCoverage"));
        http("GET /api/v1/plans/{plan}/coverageGoals/{coverageGoal}:listUncoveredUnits", c -> () -> c.http()
                .queryParam("areaCode", ANYUE).queryParam("pageSize", 5).get(goals + ":listUncoveredUnits"));
        http("GET /api/v1/plans/{plan}/coverageGoals/{coverageGoal}:listUnits", c -> () -> c.http()
                .queryParam("areaCode", ANYUE).queryParam("pageSize", 5).get(goals + ":listUnits"));
        http("GET /api/v1/plans/{plan}/coverageGoals/{coverageGoal}:getCoverageEvidence", c -> () -> c.http()
                .queryParam("unitCode", ANYUE_TOWN).get(goals + ":getCoverageEvidence"));
        http("GET /api/v1/plans/{plan}/coverageGoals/{coverageGoal}:exportUnits", c -> () -> c.http()
                .queryParam("areaCode", ANYUE).get(goals + ":exportUnits"));
        http("GET /api/v1/capacity:summarize", c -> () -> c.http().queryParam("areaCode", ANYUE)
                .queryParam("facilityType", "sewage_treatment_plant").get("/api/v1/capacity:summarize"));
        http("GET /api/v1/plans/{plan}/report", c -> () -> c.http().queryParam("areaCode", ANYUE).queryParam("format", "csv")
                .get("/api/v1/" + plan + "/report"));
        http("GET /q/health/ready", c -> () -> c.http().get("/q/health/ready"));
        http("GET /q/openapi", c -> () -> c.http().get("/q/openapi"));
    }

    // --- fixtures, made by the suite's admin ------------------------------------------------------

    private String unique() {
        return serial.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A planned garbage collection point at a village of Anyue: it serves nothing, so no coverage moves. */
    private Facility point() {
        return Facility.newBuilder().setDisplayName("权限表收集点 " + unique())
                .setType(FacilityType.FACILITY_TYPE_GARBAGE_COLLECTION_POINT).setLocationCode(ANYUE_VILLAGE)
                .setOperatingState(io.qingliu.api.common.v1.OperatingState.OPERATING_STATE_PLANNED).build();
    }

    private Facility newPoint() {
        return registry.createFacility(CreateFacilityRequest.newBuilder().setFacility(point()).build());
    }

    /** A planned garbage collection project of Anyue with the collection point it builds. */
    private CreateProjectRequest projectRequest() {
        String id = unique();
        return CreateProjectRequest.newBuilder()
                .setProject(Project.newBuilder().setDisplayName("权限表收集点建设 " + id)
                        .setKind(io.qingliu.api.project.v1.ProjectKind.PROJECT_KIND_GARBAGE_COLLECTION)
                        .setResponsibleUnit("安岳县住建局"))
                .setNewFacility(point().toBuilder().setDisplayName("权限表收集点 " + id)).build();
    }

    private Project newProject() {
        return registry.createProject(projectRequest());
    }

    private String uniquePlanCode() {
        return "AM-" + unique().toUpperCase();
    }

    private static Plan planOf(String code) {
        Plan.Builder plan = Plan.newBuilder();
        merge("""
                {"code": "%s", "displayName": "安岳县测试计划", "areaCode": "%s",
                 "startDate": {"year": 2021, "month": 1, "day": 1}, "endDate": {"year": 2023, "month": 12, "day": 31},
                 "capacityTargets": [{"facilityType": "FACILITY_TYPE_SEWAGE_TREATMENT_PLANT", "addedTonnesPerDay": 500}]}"""
                .formatted(code, ANYUE), plan);
        return plan.build();
    }

    private Plan newPlan() {
        Plan made = capacity.createPlan(CreatePlanRequest.newBuilder().setPlan(planOf(uniquePlanCode()))
                .setRequestId(UUID.randomUUID().toString()).build());
        plansMade.add(made.getName());
        return made;
    }

    /** The village's own basin as it stands: writing it again is a real update that moves no coverage. */
    private String currentBasin() {
        return registry.getDivision(GetDivisionRequest.newBuilder().setName("divisions/" + ANYUE_VILLAGE).build()).getBasin();
    }

    private static Date today() {
        LocalDate d = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        return Date.newBuilder().setYear(d.getYear()).setMonth(d.getMonthValue()).setDay(d.getDayOfMonth()).build();
    }

    private static byte[] ziyangList() {
        try {
            return Files.readAllBytes(ZIYANG_LIST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(Message message) {
        try {
            return JsonFormat.printer().print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A message as one NDJSON line, in UTF-8 (RestAssured sends a String only in types it knows). */
    private static byte[] line(Message message) {
        try {
            return (JsonFormat.printer().omittingInsignificantWhitespace().print(message) + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void merge(String json, Message.Builder builder) {
        try {
            JsonFormat.parser().merge(json, builder);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
