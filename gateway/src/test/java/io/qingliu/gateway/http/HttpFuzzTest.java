package io.qingliu.gateway.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.grpc.ManagedChannel;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc.CapacityServiceBlockingStub;
import io.qingliu.api.capacity.v1.DeletePlanRequest;
import io.qingliu.api.capacity.v1.GetPlanRequest;
import io.qingliu.api.capacity.v1.ListPlansRequest;
import io.qingliu.api.capacity.v1.Plan;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.common.v1.OperatingState;
import io.qingliu.api.project.v1.CreateFacilityRequest;
import io.qingliu.api.project.v1.CreateProjectRequest;
import io.qingliu.api.project.v1.Division;
import io.qingliu.api.project.v1.DivisionFileRole;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.GetDivisionRequest;
import io.qingliu.api.project.v1.ImportDivisionsRequest;
import io.qingliu.api.project.v1.ImportProjectsRequest;
import io.qingliu.api.project.v1.UpdateDivisionRequest;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectImportEntry;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectServiceGrpc.ProjectServiceBlockingStub;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.api.project.v1.TransitionProjectRequest;
import io.qingliu.gateway.testing.StreamingHttp;
import io.qingliu.gateway.testing.Suite;
import io.qingliu.gateway.testing.SuiteProfile;
import io.qingliu.gateway.testing.SuiteState;
import io.qingliu.kit.testing.AdminTokenByDefault;
import io.qingliu.kit.testing.RequestFuzzer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated HTTP requests at every route the gateway's OpenAPI document lists, seeded
 * and bounded, as an administrator (so that each gets past the token to the parsing and the
 * services' checks): hostile path variables and query parameters, bodies that are valid
 * requests with one to three fields changed, valid JSON cut or spliced, JSON of the wrong shape,
 * 2,000-deep nesting, raw bytes that are not UTF-8, an empty body, a wrong Content-Type, a random
 * If-Match. Every answer is below 500; every error is an AIP-193 body whose code is the status;
 * and a request that was refused changed nothing ({@link SuiteState}).
 *
 * <p>The seed is {@code -Dfuzz.seed} (default fixed) and printed with any failure; requests per
 * route {@code -Dfuzz.requests} (default 24).
 */
@QuarkusTest
@TestProfile(SuiteProfile.class)
class HttpFuzzTest {

    private static final String ANYUE_VILLAGE = "512021001002";
    /** The real divisions among the path variables: Anyue, a subdistrict of it and one of its villages. */
    private static final List<String> DIVISIONS = List.of(ANYUE_VILLAGE, "512021001000", "512021000000");
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z]+)\\}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final long seed = Long.getLong("fuzz.seed", 20181027L);
    private final int perRoute = Integer.getInteger("fuzz.requests", 24);

    @Test
    void noRequestAtAnyRouteGetsA5xxOrChangesAnythingWhenRefused() throws IOException {
        ManagedChannel projectChannel = Suite.projectChannel();
        ManagedChannel capacityChannel = Suite.capacityChannel();
        ProjectServiceBlockingStub registry = ProjectServiceGrpc.newBlockingStub(projectChannel)
                .withDeadlineAfter(5, TimeUnit.MINUTES);
        CapacityServiceBlockingStub capacity = CapacityServiceGrpc.newBlockingStub(capacityChannel)
                .withDeadlineAfter(5, TimeUnit.MINUTES);
        // The shipped plan first (capacity-service loads it once the divisions reach it): it is
        // among the plans that stay.
        String plan = Suite.ziyangPlanId();
        Set<String> plansBefore = plans(capacity);
        // The basins a valid PATCH may set on the real divisions are put back afterwards (they move coverage).
        Map<String, String> basins = new LinkedHashMap<>();
        for (String code : DIVISIONS) {
            basins.put(code, registry.getDivision(GetDivisionRequest.newBuilder().setName("divisions/" + code).build()).getBasin());
        }
        try {
            Plan ownPlan = capacity.createPlan(io.qingliu.api.capacity.v1.CreatePlanRequest.newBuilder()
                    .setPlan(seedPlan().toBuilder().setCode("FUZZ-OWN-PLAN")).build());
            Facility point = registry.createFacility(CreateFacilityRequest.newBuilder().setFacility(point("模糊测试收集点")).build());
            Project project = registry.createProject(projectRequest());
            // Real names among the hostile strings, so that some requests reach a record and its checks.
            Map<String, List<String>> real = Map.of(
                    "division", DIVISIONS,
                    "facility", List.of(id(point.getName())),
                    "project", List.of(id(project.getName())),
                    "plan", List.of(plan),
                    // Writes to a plan go to the test's own, never to the shipped plan other tests count on.
                    "plan-written", List.of(id(ownPlan.getName())),
                    "coverageGoal", List.of("town-sewage", "tuojiang-village-garbage"));
            RequestFuzzer fuzzer = new RequestFuzzer(seed, List.of(point.getName(), project.getName(), "plans/" + plan,
                    ANYUE_VILLAGE, point.getEtag(), project.getEtag(), "2019-06-30", "2020-02-30", "county", "city", "year"));
            Map<String, Message> bodies = bodies(project);

            List<Route> routes = routes();
            assertTrue(routes.size() >= 28, "every route of the OpenAPI document: " + routes);
            for (Route route : routes) {
                if (route.hasBody()) {
                    assertTrue(bodies.containsKey(route.key()), "a seed body for " + route.key());
                }
            }

            List<String> failures = new ArrayList<>();
            Map<String, Integer> statuses = new TreeMap<>();
            int sent = 0;
            for (Route route : routes) {
                for (int i = 0; i < perRoute; i++) {
                    FuzzedRequest request = fuzz(route, real, bodies.get(route.key()), fuzzer);
                    String before = SuiteState.of(registry, capacity);
                    Answer response = request.send(route.streamsAnswer());
                    sent++;
                    int status = response.status();
                    statuses.merge(route.key() + " " + status, 1, Integer::sum);
                    String problem = problem(response);
                    if (problem == null && (status < 200 || status >= 300) && !before.equals(SuiteState.of(registry, capacity))) {
                        problem = "refused with " + status + ", but something changed";
                    }
                    if (problem != null) {
                        failures.add(problem + ": " + request + " → " + shorten(response.text()));
                    }
                }
            }
            System.out.println("HttpFuzzTest seed " + seed + ": " + sent + " requests; answers per route and status " + statuses);
            failures.forEach(f -> System.out.println("FUZZ FAILURE " + f.replace('\n', ' ')));
            assertEquals(List.of(), failures, failures.size() + " of " + sent + " requests failed (-Dfuzz.seed=" + seed + ")");
        } finally {
            basins.forEach((code, basin) -> {
                String name = "divisions/" + code;
                if (!registry.getDivision(GetDivisionRequest.newBuilder().setName(name).build()).getBasin().equals(basin)) {
                    registry.updateDivision(UpdateDivisionRequest.newBuilder()
                            .setDivision(Division.newBuilder().setName(name).setBasin(basin))
                            .setUpdateMask(FieldMask.newBuilder().addPaths("basin")).build());
                }
            });
            // Mutated plans that were valid were created: they go, so that other tests see the suite's plans.
            for (String name : plans(capacity)) {
                if (!plansBefore.contains(name)) {
                    Plan p = capacity.getPlan(GetPlanRequest.newBuilder().setName(name).build());
                    capacity.deletePlan(DeletePlanRequest.newBuilder().setName(name).setEtag(p.getEtag()).build());
                }
            }
            projectChannel.shutdownNow();
            capacityChannel.shutdownNow();
        }
    }

    /** What is wrong with an answer, or null: a 5xx, or an error that is not an AIP-193 body of its status. */
    private static String problem(Answer response) {
        int status = response.status();
        if (status >= 500) {
            return "answered " + status;
        }
        if (status < 400 || status == 414 || status == 431) {
            // 414 and 431 (a URI or headers over Vert.x's limits) come from the HTTP codec before any
            // route or error mapper runs: a plain answer, the request never reached the gateway's code.
            return null;
        }
        try {
            JsonNode error = JSON.readTree(response.body()).path("error");
            if (error.path("code").asInt() != status || error.path("status").asText().isEmpty()
                    || error.path("message").asText().isEmpty()) {
                return status + " without an AIP-193 error of that code";
            }
        } catch (IOException e) {
            return status + " whose body is not JSON";
        }
        return null;
    }

    // --- the routes, as the OpenAPI document lists them --------------------------------------------

    /**
     * @param streamsAnswer its 200 is a stream of lines ({@code WatchChanges}): read up to the
     *                      status, then hung up, as the stream may never end
     */
    record Route(String verb, String path, Set<String> query, boolean hasBody, boolean streamsAnswer) {
        String key() {
            return verb + " " + path;
        }
    }

    private static List<Route> routes() throws IOException {
        JsonNode document = JSON.readTree(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString());
        List<Route> routes = new ArrayList<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            Set<String> query = new HashSet<>();
            op.getValue().path("parameters").forEach(p -> {
                if (p.path("in").asText().equals("query")) {
                    query.add(p.path("name").asText());
                }
            });
            routes.add(new Route(op.getKey().toUpperCase(), path.getKey(), query, op.getValue().has("requestBody"),
                    op.getValue().path("responses").path("200").path("content").has(StreamRoutes.NDJSON)));
        }));
        return routes;
    }

    /** A valid body for each route that takes one: the mutations start from it. */
    private static Map<String, Message> bodies(Project project) {
        Map<String, Message> bodies = new LinkedHashMap<>();
        bodies.put("POST /api/v1/facilities", point("模糊测试新收集点"));
        bodies.put("PATCH /api/v1/facilities/{facility}", Facility.newBuilder().setDisplayName("模糊测试收集点（改）").build());
        bodies.put("POST /api/v1/projects", projectRequest());
        bodies.put("PATCH /api/v1/projects/{project}", Project.newBuilder().setNotes("选址已定").setProgressPercent(10).build());
        bodies.put("POST /api/v1/projects/{project}:transition", TransitionProjectRequest.newBuilder()
                .setState(ProjectState.PROJECT_STATE_APPROVED).setEtag(project.getEtag())
                .setEffectiveDate(com.google.type.Date.newBuilder().setYear(2019).setMonth(6).setDay(30)).build());
        bodies.put("PATCH /api/v1/divisions/{division}", Division.newBuilder().setBasin("沱江").build());
        bodies.put("POST /api/v1/plans", seedPlan());
        // The imports, one message each (their bodies are NDJSON: one object is one line). The
        // division list is one township of Lezhi that is already there, and only validated.
        bodies.put("POST /api/v1/projects:import", ImportProjectsRequest.newBuilder().addEntries(ProjectImportEntry
                .newBuilder().setProject(projectRequest().getProject()).setNewFacility(projectRequest().getNewFacility()))
                .build());
        bodies.put("POST /api/v1/divisions:import", ImportDivisionsRequest.newBuilder()
                .setRole(DivisionFileRole.DIVISION_FILE_ROLE_DIVISIONS).setValidateOnly(true)
                .setContent(ByteString.copyFromUtf8(
                        "code,name,level,parent_code\n512022102000,回澜镇,township,512022000000\n")).build());
        bodies.put("PATCH /api/v1/plans/{plan}", Plan.newBuilder().setDisplayName("模糊测试计划（改）").build());
        return bodies;
    }

    /** A valid plan for Anyue (the seed of the plan bodies, and the test's own plan to write to). */
    private static Plan seedPlan() {
        Plan.Builder plan = Plan.newBuilder();
        try {
            JsonFormat.parser().merge("""
                    {"code": "FUZZ-PLAN", "displayName": "模糊测试计划", "areaCode": "512021000000",
                     "startDate": {"year": 2021, "month": 1, "day": 1}, "endDate": {"year": 2023, "month": 12, "day": 31},
                     "capacityTargets": [{"facilityType": "FACILITY_TYPE_SEWAGE_TREATMENT_PLANT", "addedTonnesPerDay": 500}]}""",
                    plan);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
        return plan.build();
    }

    private static Facility point(String name) {
        return Facility.newBuilder().setDisplayName(name).setType(FacilityType.FACILITY_TYPE_GARBAGE_COLLECTION_POINT)
                .setLocationCode(ANYUE_VILLAGE).setOperatingState(OperatingState.OPERATING_STATE_PLANNED).build();
    }

    private static CreateProjectRequest projectRequest() {
        return CreateProjectRequest.newBuilder()
                .setProject(Project.newBuilder().setDisplayName("模糊测试收集点建设")
                        .setKind(ProjectKind.PROJECT_KIND_GARBAGE_COLLECTION).setResponsibleUnit("安岳县住建局"))
                .setNewFacility(point("模糊测试建设的收集点")).build();
    }

    // --- one fuzzed request --------------------------------------------------------------------------

    /** An answer's status and body (none read of a stream that began). */
    record Answer(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    record FuzzedRequest(String verb, String url, Map<String, String> headers, byte[] body, String bodyKind) {
        Answer send(boolean streamsAnswer) {
            if (streamsAnswer) {
                return sendExpectingAStream();
            }
            RequestSpecification request = given().urlEncodingEnabled(false);
            headers.forEach(request::header);
            if (body != null) {
                request.body(body);
            }
            Response response = request.request(verb, url);
            return new Answer(response.statusCode(), response.asByteArray());
        }

        /** The status, and the body only of an error: a stream that began (200) is hung up at once. */
        private Answer sendExpectingAStream() {
            HttpRequest.Builder request;
            try {
                request = HttpRequest.newBuilder(StreamingHttp.uri(url))
                        .timeout(Duration.ofSeconds(30)).method(verb, body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
            } catch (IllegalArgumentException unsendable) {
                return new Answer(400, ("{\"error\": {\"code\": 400, \"status\": \"INVALID_ARGUMENT\", \"message\": "
                        + "\"the JDK's client refuses the URL\"}}").getBytes(StandardCharsets.UTF_8));
            }
            headers.forEach((name, value) -> {
                try {
                    request.header(name, value);
                } catch (IllegalArgumentException unsendable) {
                    // a header value the JDK's client will not send; RestAssured's would
                }
            });
            request.header("Authorization", "Bearer " + AdminTokenByDefault.adminToken());
            try {
                var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                try (var stream = response.body()) {
                    byte[] read = response.statusCode() == 200 ? new byte[0] : stream.readAllBytes();
                    return new Answer(response.statusCode(), read);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return verb + " " + shorten(url) + " " + headers + (body == null ? "" : " " + bodyKind + " body "
                    + shorten(new String(body, StandardCharsets.UTF_8)));
        }
    }

    private static FuzzedRequest fuzz(Route route, Map<String, List<String>> real, Message seedBody, RequestFuzzer fuzzer) {
        // Path variables: mostly real, else hostile (encoded as a client would, or raw).
        Matcher m = VARIABLE.matcher(route.path());
        StringBuilder path = new StringBuilder();
        while (m.find()) {
            String variable = m.group(1).equals("plan") && !route.verb().equals("GET") ? "plan-written" : m.group(1);
            List<String> known = real.getOrDefault(variable, List.of());
            String value = !known.isEmpty() && fuzzer.chance(60) ? known.get(fuzzer.nextInt(known.size())) : fuzzer.string();
            m.appendReplacement(path, Matcher.quoteReplacement(encode(value)));
        }
        m.appendTail(path);
        // Query parameters: some of the declared ones, and now and then one nobody declared.
        List<String> params = new ArrayList<>();
        for (String name : route.query().stream().sorted().toList()) {
            if (fuzzer.chance(40)) {
                params.add(name + "=" + encode(queryValue(fuzzer)));
            }
        }
        if (fuzzer.chance(10)) {
            params.add(encode(fuzzer.string()) + "=" + encode(fuzzer.string()));
        }
        String url = path + (params.isEmpty() ? "" : "?" + String.join("&", params));

        Map<String, String> headers = new LinkedHashMap<>();
        if (fuzzer.chance(30)) {
            headers.put("If-Match", fuzzer.chance(50) ? "\"" + fuzzer.string().replaceAll("[\\r\\n\\u0000]", "") + "\""
                    : fuzzer.string().replaceAll("[\\r\\n\\u0000]", ""));
        }
        if (fuzzer.chance(10)) {
            headers.put("Accept", List.of("text/csv", "application/xml", "*/*", "text/html", "bogus", "")
                    .get(fuzzer.nextInt(6)));
        }
        byte[] body = null;
        String kind = "";
        if (seedBody != null || fuzzer.chance(10)) {
            headers.put("Content-Type", fuzzer.chance(90) ? "application/json"
                    : List.of("text/plain", "application/xml", "application/json; charset=ISO-8859-1", "").get(fuzzer.nextInt(4)));
            int choice = fuzzer.nextInt(seedBody == null ? 4 : 7);
            String seedJson = seedBody == null ? "{}" : print(seedBody);
            switch (choice) {
                case 0 -> {
                    kind = "wrong-shape";
                    body = utf8(List.of("[]", "null", "\"x\"", "123", "true", "{\"\": {}}", "[{}]", "{\"a\":1,\"a\":2}")
                            .get(fuzzer.nextInt(8)));
                }
                case 1 -> {
                    kind = "deep";
                    body = utf8("{\"a\":".repeat(2000) + "1" + "}".repeat(2000));
                }
                case 2 -> {
                    kind = "bytes";
                    body = new byte[1 + fuzzer.nextInt(300)];
                    for (int k = 0; k < body.length; k++) {
                        body[k] = (byte) fuzzer.nextInt(256);
                    }
                }
                case 3 -> {
                    kind = "empty";
                    body = new byte[0];
                }
                case 4 -> {
                    kind = "spliced";
                    body = utf8(splice(seedJson, fuzzer));
                }
                default -> {
                    kind = "mutated";
                    body = utf8(print(fuzzer.mutate(seedBody)));
                }
            }
        }
        return new FuzzedRequest(route.verb(), url, headers, body, kind);
    }

    private static String queryValue(RequestFuzzer fuzzer) {
        return switch (fuzzer.nextInt(4)) {
            case 0 -> List.of("-1", "0", "1", "1001", "10001", "2147483648", "1e3", "NaN", "true").get(fuzzer.nextInt(9));
            case 1 -> List.of("2019-06-30", "2020-02-30", "1900-01-01", "9999-12-31", "2019-6-3", "today").get(fuzzer.nextInt(6));
            default -> fuzzer.string();
        };
    }

    /** Valid JSON cut short, or with a token spliced in or a span taken out. */
    private static String splice(String json, RequestFuzzer fuzzer) {
        int at = fuzzer.nextInt(json.length() + 1);
        return switch (fuzzer.nextInt(3)) {
            case 0 -> json.substring(0, at);
            case 1 -> json.substring(0, at) + List.of("{", "}", "[", "]", "\"", ",", ":", "null", "1e999", "-0",
                    "\"\\ud800\"", "\\u0000", "\"x\":", "NaN").get(fuzzer.nextInt(14)) + json.substring(at);
            default -> json.substring(0, at) + json.substring(Math.min(json.length(), at + 1 + fuzzer.nextInt(20)));
        };
    }

    private static String print(Message message) {
        try {
            return JsonFormat.printer().print(message);
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            // A mutation JSON cannot carry (e.g. an invalid date): send it as the mapper's text would be.
            return "{\"unprintable\": \"" + e.getMessage().replace("\"", "'") + "\"}";
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String id(String name) {
        return name.substring(name.indexOf('/') + 1);
    }

    private static String shorten(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…(" + text.length() + " chars)";
    }

    private static Set<String> plans(CapacityServiceBlockingStub capacity) {
        Set<String> names = new HashSet<>();
        capacity.listPlans(ListPlansRequest.newBuilder().setPageSize(1000).build()).getPlansList()
                .forEach(p -> names.add(p.getName()));
        return names;
    }
}
