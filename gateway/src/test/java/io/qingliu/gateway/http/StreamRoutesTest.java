package io.qingliu.gateway.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qingliu.gateway.testing.Suite;
import io.qingliu.gateway.testing.SuiteProfile;
import io.qingliu.gateway.testing.StreamingHttp;
import io.qingliu.gateway.testing.SuiteResource;
import io.qingliu.kit.testing.AdminTokenByDefault;
import io.qingliu.kit.testing.TableLocks;
import io.qingliu.kit.auth.Role;
import io.qingliu.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The streaming methods over HTTP: a county system's script imports projects as NDJSON lines, an
 * administrator validates a division list, and a consumer follows the change feed as lines.
 */
@QuarkusTest
@TestProfile(SuiteProfile.class)
class StreamRoutesTest {

    private static final String NDJSON = "application/x-ndjson";
    /** 乐至县回澜镇 and one of its communities: this test's projects lie there, and only this test's. */
    private static final String TOWNSHIP = "512022102000";
    private static final String VILLAGE = "512022102002";
    private static final Path ZIYANG_LIST = Path.of("..", "project-service", "src", "main", "resources", "divisions",
            "ziyang-5120.csv");

    /** One import entry on a line: a planned collection point at the community and the project that builds it. */
    private static String entry(String name) {
        return """
                {"project": {"displayName": "%s建设", "kind": "PROJECT_KIND_GARBAGE_COLLECTION"}, \
                "newFacility": {"displayName": "%s", "type": "FACILITY_TYPE_GARBAGE_COLLECTION_POINT", \
                "locationCode": "%s"}}""".formatted(name, name, VILLAGE);
    }

    /** The projects of the township, every page counted. */
    private static int projectsOfTheTownship() {
        int count = 0;
        String pageToken = "";
        do {
            JsonPath page = given().queryParam("pageSize", 1000).queryParam("pageToken", pageToken)
                    .queryParam("filter", "township = \"" + TOWNSHIP + "\"").get("/api/v1/projects").then()
                    .statusCode(200).extract().jsonPath();
            count += page.getList("projects").size();
            pageToken = page.getString("nextPageToken");
        } while (pageToken != null && !pageToken.isEmpty());
        return count;
    }

    private static HttpResponse<String> importProjects(String body) {
        return StreamingHttp.post("/api/v1/projects:import", StreamingHttp.ADMIN, NDJSON,
                HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void projectsImportFromLinesAndPrettyObjectsAndARetryWithTheSameIdImportsNothingMore() {
        int before = projectsOfTheTownship();
        String requestId = UUID.randomUUID().toString();
        String unique = requestId.substring(0, 8);
        // Two messages: the first a line of its own, the second pretty-printed over several lines.
        String body = "{\"requestId\": \"" + requestId + "\", \"entries\": [" + entry("回澜收集点甲" + unique) + ", "
                + entry("回澜收集点乙" + unique) + "]}\n"
                + "{\n  \"entries\": [\n    " + entry("回澜收集点丙" + unique) + "\n  ]\n}\n";

        HttpResponse<String> imported = importProjects(body);
        assertEquals(200, imported.statusCode(), imported.body());
        JsonPath answer = JsonPath.from(imported.body());
        assertEquals(3, answer.getInt("receivedCount"));
        assertEquals(3, answer.getInt("createdCount"));
        List<String> projects = answer.getList("projects");
        assertEquals(3, projects.size());
        assertEquals("回澜收集点丙" + unique + "建设", given().get("/api/v1/" + projects.get(2)).then().statusCode(200)
                .extract().jsonPath().getString("displayName"), "in stream order, across messages");
        assertEquals(before + 3, projectsOfTheTownship());

        HttpResponse<String> retried = importProjects(body);
        assertEquals(200, retried.statusCode(), retried.body());
        assertEquals(projects, JsonPath.from(retried.body()).getList("projects"), "the first import's answer");
        assertEquals(before + 3, projectsOfTheTownship(), "and nothing imported twice");
    }

    @Test
    void aMalformedMessageIsA400NamingItAndNothingOfTheImportRemains() {
        int before = projectsOfTheTownship();
        String unique = UUID.randomUUID().toString().substring(0, 8);
        String good = "{\"entries\": [" + entry("回澜收集点丁" + unique) + "]}\n";
        String unknownField = "{\"entries\": [" + entry("回澜收集点戊" + unique).replace("\"kind\"", "\"colour\": \"green\", \"kind\"") + "]}\n";

        HttpResponse<String> refused = importProjects(good + good + unknownField + good);
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals(List.of("messages[2].entries[0].project.colour"), Suite.violatedFields(JsonPath.from(refused.body())));

        HttpResponse<String> notAnObject = importProjects(good + "[" + good + "]\n");
        assertEquals(400, notAnObject.statusCode(), notAnObject.body());
        assertEquals(List.of("messages[1]"), Suite.violatedFields(JsonPath.from(notAnObject.body())));

        HttpResponse<String> cutOff = importProjects(good + good.substring(0, good.length() / 2));
        assertEquals(400, cutOff.statusCode(), cutOff.body());
        JsonPath cut = JsonPath.from(cutOff.body());
        assertEquals(List.of("messages[1]"), Suite.violatedFields(cut));
        assertTrue(cutOff.body().contains("cut off"), cutOff.body());

        HttpResponse<String> empty = importProjects("\n");
        assertEquals(400, empty.statusCode(), empty.body());
        assertEquals(List.of("body"), Suite.violatedFields(JsonPath.from(empty.body())));

        assertEquals(before, projectsOfTheTownship(), "the good messages sent before each refusal were not imported");
    }

    @Test
    void aLongImportIsStreamedThroughAndAnotherCountysSystemIsRefusedWithNothingImported() {
        int before = projectsOfTheTownship();
        String unique = UUID.randomUUID().toString().substring(0, 8);
        // 200 messages of 10 entries, sent as a stream of lines the client produces as it goes.
        List<String> lines = new ArrayList<>();
        for (int m = 0; m < 200; m++) {
            StringBuilder line = new StringBuilder("{\"entries\": [");
            for (int e = 0; e < 10; e++) {
                line.append(e == 0 ? "" : ", ").append(entry("回澜批量收集点" + unique + "-" + m + "-" + e));
            }
            lines.add(line.append("]}\n").toString());
        }
        String lezhi = TestTokens.token("lezhi-system", Role.COUNTY, "512022000000", Duration.ofHours(1));
        String anyue = TestTokens.token("anyue-system", Role.COUNTY, "512021000000", Duration.ofHours(1));

        HttpResponse<String> foreign = StreamingHttp.post("/api/v1/projects:import", anyue, NDJSON, linesOf(lines));
        assertEquals(403, foreign.statusCode(), foreign.body());
        assertEquals(before, projectsOfTheTownship());

        HttpResponse<String> own = StreamingHttp.post("/api/v1/projects:import", lezhi, NDJSON, linesOf(lines));
        assertEquals(200, own.statusCode(), own.body());
        assertEquals(2000, JsonPath.from(own.body()).getInt("createdCount"));
        assertEquals(before + 2000, projectsOfTheTownship());
    }

    /**
     * A client that hangs up in the middle of its upload: the gateway cancels the call, and
     * project-service, which imports a stream as it comes and has already written rows of it,
     * rolls them back at once instead of holding its transaction open.
     */
    @Test
    void aClientThatHangsUpMidUploadLeavesNothingImportedAndNoTransactionOpen() throws Exception {
        int before = projectsOfTheTownship();
        String unique = UUID.randomUUID().toString().substring(0, 8);
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/projects:import HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + AdminTokenByDefault.adminToken() + "\r\nContent-Type: " + NDJSON
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // 4,500 entries: the service checks them in chunks of 2,000 and writes a chunk's rows while
            // it checks the next, so the first chunk's rows are written by now.
            for (int m = 0; m < 450; m++) {
                StringBuilder line = new StringBuilder("{\"entries\": [");
                for (int e = 0; e < 10; e++) {
                    line.append(e == 0 ? "" : ", ").append(entry("回澜中断收集点" + unique + "-" + m + "-" + e));
                }
                byte[] chunk = line.append("]}\n").toString().getBytes(StandardCharsets.UTF_8);
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            TableLocks.awaitWriters(SuiteResource::projectDatabase, "project", 1, Duration.ofSeconds(60));
        } // hung up: no last chunk
        TableLocks.awaitWriters(SuiteResource::projectDatabase, "project", 0, Duration.ofSeconds(60));
        assertEquals(before, projectsOfTheTownship());
    }

    @Test
    void anImportWithoutATokenIs401AndCallsNoService() {
        HttpResponse<String> refused = StreamingHttp.post("/api/v1/projects:import", null, NDJSON,
                HttpRequest.BodyPublishers.ofString("{\"entries\": [" + entry("无证收集点") + "]}\n"));
        assertEquals(401, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    }

    @Test
    void aDivisionListIsValidatedFromBase64Chunks() throws Exception {
        byte[] list = Files.readAllBytes(ZIYANG_LIST);
        int half = list.length / 2;
        long rows = new String(list, StandardCharsets.UTF_8).lines().count() - 1;
        String body = "{\"role\": \"DIVISION_FILE_ROLE_DIVISIONS\", \"validateOnly\": true, \"content\": \""
                + Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(list, 0, half)) + "\"}\n"
                + "{\"role\": \"DIVISION_FILE_ROLE_DIVISIONS\", \"content\": \""
                + Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(list, half, list.length)) + "\"}\n";

        HttpResponse<String> validated = StreamingHttp.post("/api/v1/divisions:import", StreamingHttp.ADMIN, NDJSON,
                HttpRequest.BodyPublishers.ofString(body));
        assertEquals(200, validated.statusCode(), validated.body());
        JsonPath answer = JsonPath.from(validated.body());
        assertEquals(rows, answer.getLong("rowsRead"));
        assertEquals(0, answer.getLong("addedCount"));
        assertEquals(0, answer.getLong("lastSequence"), "validated, not written");
    }

    @Test
    void aDivisionFileIsSentAsItIsWithTheOtherFieldsInTheQuery() throws Exception {
        byte[] list = Files.readAllBytes(ZIYANG_LIST);
        long rows = new String(list, StandardCharsets.UTF_8).lines().count() - 1;
        HttpResponse<String> validated = StreamingHttp.post(
                "/api/v1/divisions:import?role=DIVISION_FILE_ROLE_DIVISIONS&validateOnly=true"
                        + "&completeUnderCodes=512021000000&completeUnderCodes=512022000000",
                StreamingHttp.ADMIN, "text/csv", HttpRequest.BodyPublishers.ofByteArray(list));
        assertEquals(200, validated.statusCode(), validated.body());
        assertEquals(rows, JsonPath.from(validated.body()).getLong("rowsRead"));
        assertEquals(0, JsonPath.from(validated.body()).getLong("lastSequence"), "validated, not written");

        HttpResponse<String> badRole = StreamingHttp.post("/api/v1/divisions:import?role=villages&validateOnly=true",
                StreamingHttp.ADMIN, "text/csv", HttpRequest.BodyPublishers.ofByteArray(list));
        assertEquals(400, badRole.statusCode(), badRole.body());
        assertEquals(List.of("role"), Suite.violatedFields(JsonPath.from(badRole.body())));

        HttpResponse<String> noRole = StreamingHttp.post("/api/v1/divisions:import?validateOnly=true",
                StreamingHttp.ADMIN, "text/csv", HttpRequest.BodyPublishers.ofByteArray(list));
        assertEquals(400, noRole.statusCode(), noRole.body());
    }

    @Test
    void theFeedStreamsLinesInSequenceAndBeginsAtOnceWhenCaughtUp() {
        long head;
        HttpResponse<Stream<String>> fromStart = StreamingHttp.lines("/api/v1/changes:watch?afterSequence=0&maxBatchSize=5",
                StreamingHttp.ADMIN, Duration.ofSeconds(10));
        assertEquals(200, fromStart.statusCode());
        assertEquals(NDJSON, fromStart.headers().firstValue("Content-Type").orElse(""));
        try (Stream<String> lines = fromStart.body()) {
            Iterator<String> line = lines.iterator();
            long expected = 1;
            for (int i = 0; i < 3; i++) {
                JsonPath batch = JsonPath.from(line.next());
                List<Object> sequences = batch.getList("changes.sequence");
                assertEquals(5, sequences.size(), "maxBatchSize reached the service");
                for (Object sequence : sequences) {
                    assertEquals(expected++, Long.parseLong(sequence.toString()), "gap-free, in order");
                }
                head = batch.getLong("headSequence");
                assertTrue(head >= expected - 1);
            }
        }

        // Caught up: the service says nothing until its heartbeat, 30 s on; the 200 comes at once.
        String unique = UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> imported = importProjects("{\"entries\": [" + entry("回澜收集点己" + unique) + "]}\n");
        assertEquals(200, imported.statusCode(), imported.body());
        long last = JsonPath.from(imported.body()).getLong("lastSequence");
        HttpResponse<Stream<String>> caughtUp = StreamingHttp.lines("/api/v1/changes:watch?afterSequence=" + last,
                StreamingHttp.ADMIN, Duration.ofSeconds(10));
        assertEquals(200, caughtUp.statusCode());
        caughtUp.body().close();

        // Live: the feed from just before the import shows the project it created.
        HttpResponse<Stream<String>> live = StreamingHttp.lines("/api/v1/changes:watch?afterSequence=" + (last - 1),
                StreamingHttp.ADMIN, Duration.ofSeconds(10));
        try (Stream<String> lines = live.body()) {
            JsonPath batch = JsonPath.from(lines.iterator().next());
            assertEquals(last, batch.getLong("changes[0].sequence"));
            assertEquals(JsonPath.from(imported.body()).getString("projects[0]"), batch.getString("changes[0].resourceName"));
            assertEquals("回澜收集点己" + unique + "建设", batch.getString("changes[0].project.displayName"));
        }
    }

    @Test
    void aFeedRefusedBeforeItBeginsIsAnOrdinaryError() {
        HttpResponse<Stream<String>> badNumber = StreamingHttp.lines("/api/v1/changes:watch?afterSequence=soon",
                StreamingHttp.ADMIN, Duration.ofSeconds(10));
        assertEquals(400, badNumber.statusCode());
        assertEquals(List.of("afterSequence"), Suite.violatedFields(JsonPath.from(String.join("\n", badNumber.body().toList()))));

        HttpResponse<Stream<String>> tooLarge = StreamingHttp.lines("/api/v1/changes:watch?maxBatchSize=1000000",
                StreamingHttp.ADMIN, Duration.ofSeconds(10));
        assertEquals(400, tooLarge.statusCode());
        assertEquals(List.of("max_batch_size"), Suite.violatedFields(JsonPath.from(String.join("\n", tooLarge.body().toList()))));

        HttpResponse<Stream<String>> nobody = StreamingHttp.lines("/api/v1/changes:watch", null, Duration.ofSeconds(10));
        assertEquals(401, nobody.statusCode());
        nobody.body().close();
    }

    /** The lines as a body the client produces one at a time (sent chunked, without a length). */
    private static HttpRequest.BodyPublisher linesOf(List<String> lines) {
        return HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.SequenceInputStream(
                java.util.Collections.enumeration(lines.stream()
                        .map(l -> (java.io.InputStream) new java.io.ByteArrayInputStream(l.getBytes(StandardCharsets.UTF_8)))
                        .toList())));
    }
}
