package io.qingliu.project.project;

import static io.qingliu.project.testing.RegistryFixtures.SHENGCHI;
import static io.qingliu.project.testing.RegistryFixtures.createFacility;
import static io.qingliu.project.testing.RegistryFixtures.date;
import static io.qingliu.project.testing.RegistryFixtures.listProjects;
import static io.qingliu.project.testing.RegistryFixtures.operatingPlant;
import static io.qingliu.project.testing.RegistryFixtures.plan;
import static io.qingliu.project.testing.RegistryFixtures.projectsOfPlan;
import static io.qingliu.project.testing.RegistryFixtures.unique;
import static io.qingliu.kit.testing.StatusAssertions.assertStatus;
import static io.qingliu.kit.testing.StatusAssertions.assertViolations;
import static io.qingliu.kit.testing.StatusAssertions.errorInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.common.v1.OperatingState;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.ChangeType;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.GetFacilityRequest;
import io.qingliu.api.project.v1.FundingSource;
import io.qingliu.api.project.v1.ImportProjectsRequest;
import io.qingliu.api.project.v1.ImportProjectsResponse;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectImportEntry;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.api.project.v1.RejectedEntry;
import io.qingliu.api.project.v1.RejectedField;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.kit.testing.ClientStreams;
import io.qingliu.kit.testing.TableLocks;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ImportProjects: a client stream of entries, all or nothing unless told otherwise, idempotent by request_id. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ProjectImportTest {

    /** Ziyang's township-level units, from the shipped division list: code → name. */
    private static Map<String, String> townships;

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub stub;

    /** The async stub, for client streams. */
    @Inject
    ProjectServiceGrpc.ProjectServiceStub async;

    /** The service's database, to read the change log's columns beside its payloads. */
    @Inject
    javax.sql.DataSource dataSource;

    @BeforeAll
    static void readTownships() throws IOException {
        try (var in = ProjectImportTest.class.getResourceAsStream("/divisions/ziyang-5120.csv");
                var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            townships = reader.lines().skip(1).map(l -> l.split(",")).filter(f -> f[2].equals("township"))
                    .collect(Collectors.toMap(f -> f[0], f -> f[1], (a, b) -> a, java.util.LinkedHashMap::new));
        }
        assertEquals(90, townships.size());
    }

    /**
     * A new township sewage plant: the entry for position {@code i}, at the i-th township (cycling).
     * Every fifth has every optional field too (a fractional capacity, funding, a responsible unit,
     * notes with a tab and a line break), so that each column's form is written and read back.
     */
    private static ProjectImportEntry entry(String plan, int i) {
        List<String> codes = new ArrayList<>(townships.keySet());
        String code = codes.get(i % codes.size());
        String town = townships.get(code);
        Project.Builder project = Project.newBuilder().setDisplayName(String.format("%s污水处理厂新建工程 #%04d", town, i))
                .setKind(ProjectKind.PROJECT_KIND_NEW_BUILD).setPlanCode(plan)
                .setCapacityAfterTonnesPerDay(200 + i % 7 * 100)
                .setStandardAfter(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)
                .setPlannedStartDate(date(2018, 10, 1)).setPlannedCompletionDate(date(2019, 12, 31))
                .setInvestmentFen(3_000_000_00L);
        if (i % 5 == 0) {
            project.setCapacityAfterTonnesPerDay(1234.5 + i % 7).setPlannedCommissioningDate(date(2020, 3, 31))
                    .addFundingSources(FundingSource.newBuilder().setSource("中央预算内投资").setAmountFen(1_000_000_00L))
                    .addFundingSources(FundingSource.newBuilder().setSource("地方政府专项债券").setAmountFen(1_999_999_99L))
                    .setResponsibleUnit(town + "人民政府").setNotes("第" + i + "项\t含污水管网\n二期另计");
        }
        return ProjectImportEntry.newBuilder()
                .setProject(project)
                .setNewFacility(Facility.newBuilder().setDisplayName(town + "污水处理厂 #" + i)
                        .setType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT).setLocationCode(code)
                        .addServedDivisionCodes(code))
                .build();
    }

    private static List<ProjectImportEntry> entries(String plan, int count) {
        List<ProjectImportEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(entry(plan, i));
        }
        return entries;
    }

    /** The entries in messages of {@code perMessage}; the first carries the options. */
    private static List<ImportProjectsRequest> messages(List<ProjectImportEntry> entries, int perMessage,
            Function<ImportProjectsRequest.Builder, ImportProjectsRequest.Builder> options) {
        List<ImportProjectsRequest> messages = new ArrayList<>();
        for (int from = 0; from < entries.size(); from += perMessage) {
            ImportProjectsRequest.Builder m = ImportProjectsRequest.newBuilder()
                    .addAllEntries(entries.subList(from, Math.min(entries.size(), from + perMessage)));
            messages.add((from == 0 ? options.apply(m) : m).build());
        }
        return messages;
    }

    private ImportProjectsResponse importProjects(List<ImportProjectsRequest> messages) {
        return ClientStreams.send(async::importProjects, messages);
    }

    private static ProjectImportEntry withProject(ProjectImportEntry e, Function<Project.Builder, Project.Builder> change) {
        return e.toBuilder().setProject(change.apply(e.getProject().toBuilder())).build();
    }

    @Test
    void thousandNewBuildsOverZiyangTownshipsAreCreatedInOrderWithTheirFacilities() {
        String plan = plan();
        List<ProjectImportEntry> entries = entries(plan, 1000);
        long head = ChangeFeedReader.currentHead(stub);

        ImportProjectsResponse response = importProjects(messages(entries, 300, m -> m));

        assertEquals(1000, response.getReceivedCount());
        assertEquals(1000, response.getCreatedCount());
        assertEquals(1000, response.getProjectsCount());
        assertEquals(0, response.getRejectedCount());
        assertEquals(head + 2000, response.getLastSequence());

        List<Project> listed = listProjects(stub, "plan = \"" + plan + "\"", "", 1000);
        assertEquals(response.getProjectsList(), listed.stream().map(Project::getName).toList(),
                "the projects, in stream order");
        for (int i = 0; i < 1000; i++) {
            Project p = listed.get(i);
            ProjectImportEntry e = entries.get(i);
            assertEquals(e.getProject().getDisplayName(), p.getDisplayName());
            assertEquals(ProjectState.PROJECT_STATE_PLANNED, p.getState());
            assertEquals(e.getNewFacility().getLocationCode(), p.getTownshipCode());
            assertEquals(e.getNewFacility().getLocationCode().substring(0, 6) + "000000", p.getCountyCode());
            assertEquals(e.getProject().getCapacityAfterTonnesPerDay(), p.getCapacityAfterTonnesPerDay());
            assertEquals(e.getProject().getPlannedCommissioningDate(), p.getPlannedCommissioningDate());
            assertEquals(e.getProject().getFundingSourcesList(), p.getFundingSourcesList());
            assertEquals(e.getProject().getResponsibleUnit(), p.getResponsibleUnit());
            assertEquals(e.getProject().getNotes(), p.getNotes());
        }

        List<Change> changes = ChangeFeedReader.readRange(stub, head, response.getLastSequence());
        assertEquals(2000, changes.size());
        for (int i = 0; i < 1000; i++) {
            Change facility = changes.get(2 * i);
            Change project = changes.get(2 * i + 1);
            assertEquals(ChangeType.CHANGE_TYPE_CREATED, facility.getType());
            assertEquals(ChangeType.CHANGE_TYPE_CREATED, project.getType());
            assertTrue(facility.hasFacility(), "facility first, at " + i);
            assertTrue(project.hasProject(), "then its project, at " + i);
            assertEquals(listed.get(i), project.getProject());
            assertEquals(project.getProject().getFacility(), facility.getFacility().getName());
            assertEquals(OperatingState.OPERATING_STATE_PLANNED, facility.getFacility().getOperatingState());
            assertEquals(entries.get(i).getNewFacility().getDisplayName(), facility.getFacility().getDisplayName());
            if (i % 100 == 0) {
                assertEquals(facility.getFacility(), stub.getFacility(
                        GetFacilityRequest.newBuilder().setName(facility.getFacility().getName()).build()),
                        "the facility as stored is the facility the change log recorded, at " + i);
            }
            assertEquals("test-admin", project.getActor());
        }
        // The columns beside each payload (written by binary COPY) say what the payload says.
        Change lastChange = changes.get(1999);
        try (var c = dataSource.getConnection(); var q = c.prepareStatement(
                "SELECT recorded_at, resource_name, change_type, action, actor, actor_role FROM change_log WHERE seq = ?")) {
            q.setLong(1, lastChange.getSequence());
            try (var rs = q.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(io.qingliu.kit.support.Timestamps.toInstant(lastChange.getRecordTime()),
                        rs.getObject(1, java.time.OffsetDateTime.class).toInstant());
                assertEquals(lastChange.getResourceName(), rs.getString(2));
                assertEquals("CHANGE_TYPE_CREATED", rs.getString(3));
                assertEquals("AUDIT_ACTION_CREATED", rs.getString(4));
                assertEquals("test-admin", rs.getString(5));
                assertEquals("admin", rs.getString(6));
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        // The facilities are readable like any other.
        Facility last = stub.getFacility(GetFacilityRequest.newBuilder()
                .setName(listed.get(999).getFacility()).build());
        assertEquals(changes.get(1998).getFacility(), last);
    }

    @Test
    void oneBadEntryAmongFiveHundredRejectsTheWholeImport() {
        String plan = plan();
        List<ProjectImportEntry> entries = entries(plan, 500);
        entries.set(337, withProject(entries.get(337), p -> p.setProgressPercent(101)));
        long head = ChangeFeedReader.currentHead(stub);

        StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT, () -> importProjects(messages(entries, 100, m -> m)));
        assertViolations(e, "entries[337].project.progress_percent");
        assertEquals("INVALID_ENTRIES", errorInfo(e).getReason());
        assertEquals("1", errorInfo(e).getMetadataOrThrow("rejected_count"));

        assertEquals(0, projectsOfPlan(stub, plan).size(), "nothing created");
        assertEquals(head, ChangeFeedReader.currentHead(stub), "nothing in the feed");
    }

    @Test
    void badEntriesInDifferentChunksAreAllNamed() {
        // The importer checks entries a chunk at a time; problems in every chunk are reported.
        String plan = plan();
        List<ProjectImportEntry> entries = entries(plan, 4500);
        entries.set(5, withProject(entries.get(5), p -> p.setKindValue(99)));
        entries.set(2500, entries.get(2500).toBuilder()
                .setNewFacility(entries.get(2500).getNewFacility().toBuilder().setLocationCode("512002000000")).build());
        entries.set(4499, withProject(entries.get(4499), p -> p.setDisplayName("")));
        long head = ChangeFeedReader.currentHead(stub);
        StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT, () -> importProjects(messages(entries, 1000, m -> m)));
        assertViolations(e, "entries[5].project.kind", "entries[2500].new_facility.location_code",
                "entries[4499].project.display_name");
        assertEquals(0, projectsOfPlan(stub, plan).size());
        assertEquals(head, ChangeFeedReader.currentHead(stub));
    }

    /** The divisions an import reads are read as they are now: a township retired from the list is refused. */
    @Test
    void anEntryAtARetiredTownshipIsRefused() throws Exception {
        String plan = plan();
        List<ProjectImportEntry> entries = entries(plan, 3);
        String township = entries.get(1).getNewFacility().getLocationCode();
        long head = ChangeFeedReader.currentHead(stub);
        try (var c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("UPDATE division SET retired_at = now() WHERE code = '" + township + "'");
        }
        try {
            StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT,
                    () -> importProjects(messages(entries, 3, m -> m)));
            // The plant lies in the township and serves it.
            assertViolations(e, "entries[1].new_facility.location_code", "entries[1].new_facility.served_division_codes[0]");
            assertTrue(e.getStatus().getDescription().contains("retired"), e.getStatus().getDescription());
        } finally {
            try (var c = dataSource.getConnection(); var st = c.createStatement()) {
                st.execute("UPDATE division SET retired_at = NULL WHERE code = '" + township + "'");
            }
        }
        assertEquals(0, projectsOfPlan(stub, plan).size());
        assertEquals(head, ChangeFeedReader.currentHead(stub));
    }

    /**
     * A chunk's rows are written while the next chunk is checked: an import of three chunks, with
     * an entry skipped in the second, is all there, in stream order, every project on its facility.
     */
    @Test
    void anImportOfSeveralChunksIsWrittenWhole() {
        String plan = plan();
        List<ProjectImportEntry> entries = entries(plan, 5000);
        entries.set(3001, withProject(entries.get(3001), p -> p.setProgressPercent(101)));
        long head = ChangeFeedReader.currentHead(stub);

        ImportProjectsResponse response = importProjects(messages(entries, 700, m -> m.setSkipInvalid(true)));

        assertEquals(4999, response.getCreatedCount());
        assertEquals(List.of(3001), response.getRejectedList().stream().map(RejectedEntry::getPosition).toList());
        assertEquals(head + 2 * 4999, response.getLastSequence());
        List<Project> created = projectsOfPlan(stub, plan);
        assertEquals(response.getProjectsList(), created.stream().map(Project::getName).toList());
        for (int i = 0, e = 0; i < created.size(); i++, e++) {
            if (e == 3001) {
                e++;
            }
            assertEquals(entries.get(e).getProject().getDisplayName(), created.get(i).getDisplayName(), "entry " + e);
        }
        List<Change> changes = ChangeFeedReader.readRange(stub, head, response.getLastSequence());
        assertEquals(2 * 4999, changes.size());
        for (int i = 0; i < 4999; i++) {
            assertEquals(changes.get(2 * i).getFacility().getName(), changes.get(2 * i + 1).getProject().getFacility(),
                    "project " + i + " on the facility created just before it");
            assertEquals(created.get(i), changes.get(2 * i + 1).getProject());
        }
    }

    /**
     * PostgreSQL refuses a chunk's COPY on the writer's thread (here a constraint the service does
     * not know, added for the test and then dropped): the import fails, leaves nothing, and the
     * next import, on the same pool, goes through.
     */
    @Test
    void aCopyRefusedByPostgreSQLFailsTheImportAndLeavesNothing() throws Exception {
        String plan = plan();
        List<ProjectImportEntry> entries = entries(plan, 4500);
        entries.set(2500, withProject(entries.get(2500), p -> p.setDisplayName("refused by the database #2500")));
        long head = ChangeFeedReader.currentHead(stub);
        long facilitiesBefore = countFacilities();
        try (var c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("ALTER TABLE project ADD CONSTRAINT test_refused_name "
                    + "CHECK (display_name NOT LIKE 'refused by the database%') NOT VALID");
        }
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> importProjects(messages(entries, 1000, m -> m)));
            assertEquals(Status.Code.INTERNAL, e.getStatus().getCode(), e.getStatus().toString());
        } finally {
            try (var c = dataSource.getConnection(); var st = c.createStatement()) {
                st.execute("ALTER TABLE project DROP CONSTRAINT test_refused_name");
            }
        }
        assertEquals(0, projectsOfPlan(stub, plan).size());
        assertEquals(head, ChangeFeedReader.currentHead(stub));
        assertEquals(facilitiesBefore, countFacilities(), "no facility of the failed import stays");

        String again = plan();
        ImportProjectsResponse response = importProjects(messages(entries(again, 2500), 1000, m -> m));
        assertEquals(2500, response.getCreatedCount());
        assertEquals(2500, projectsOfPlan(stub, again).size());
    }

    /**
     * An invalid entry in the last chunk refuses the import after the earlier chunks' rows were
     * written: the transaction takes them back, and nothing is left.
     */
    @Test
    void aRefusalAfterEarlierChunksWereWrittenLeavesNothing() {
        String plan = plan();
        List<ProjectImportEntry> entries = entries(plan, 4500);
        entries.set(4499, withProject(entries.get(4499), p -> p.setDisplayName("")));
        long head = ChangeFeedReader.currentHead(stub);
        long facilitiesBefore = countFacilities();

        StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT, () -> importProjects(messages(entries, 1000, m -> m)));
        assertViolations(e, "entries[4499].project.display_name");
        assertEquals(0, projectsOfPlan(stub, plan).size());
        assertEquals(head, ChangeFeedReader.currentHead(stub));
        assertEquals(facilitiesBefore, countFacilities(), "no facility of the refused import stays");
    }

    private long countFacilities() {
        long n = 0;
        String token = "";
        do {
            var page = stub.listFacilities(io.qingliu.api.project.v1.ListFacilitiesRequest.newBuilder().setPageSize(1000)
                    .setPageToken(token).build());
            n += page.getFacilitiesCount();
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return n;
    }

    @Test
    void skipInvalidCreatesTheGoodEntriesAndListsTheBadOnes() {
        String plan = plan();
        Facility plant = createFacility(stub, operatingPlant("乐至县污水处理厂 " + unique(), SHENGCHI, 20000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, date(2008, 1, 1)));
        List<ProjectImportEntry> entries = entries(plan, 20);
        entries.set(3, withProject(entries.get(3), p -> p.setPlannedCompletionDate(date(2018, 1, 1))));
        entries.set(10, ProjectImportEntry.newBuilder().setProject(Project.newBuilder().setDisplayName("乐至县污水处理厂提标 " + unique())
                .setKind(ProjectKind.PROJECT_KIND_UPGRADE).setPlanCode(plan).setFacility(plant.getName())
                .setStandardAfter(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)).build());
        entries.set(17, withProject(entries.get(17), p -> p.setProgressPercent(-3).setDisplayName(" ")));

        ImportProjectsResponse response = importProjects(messages(entries, 6, m -> m.setSkipInvalid(true)));
        assertEquals(20, response.getReceivedCount());
        assertEquals(18, response.getCreatedCount());
        assertEquals(List.of(3, 17), response.getRejectedList().stream().map(RejectedEntry::getPosition).toList());
        assertEquals(List.of("project.planned_completion_date"),
                response.getRejected(0).getViolationsList().stream().map(RejectedField::getField).toList());
        assertEquals(List.of("project.display_name", "project.progress_percent"),
                response.getRejected(1).getViolationsList().stream().map(RejectedField::getField).sorted().toList());

        List<Project> created = projectsOfPlan(stub, plan);
        assertEquals(response.getProjectsList(), created.stream().map(Project::getName).toList());
        List<String> expectedNames = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            if (i != 3 && i != 17) {
                expectedNames.add(entries.get(i).getProject().getDisplayName());
            }
        }
        assertEquals(expectedNames, created.stream().map(Project::getDisplayName).toList());
        Project upgrade = created.get(9);
        assertEquals(plant.getName(), upgrade.getFacility(), "an entry may act on an existing facility");
        assertEquals(20000, upgrade.getCapacityBeforeTonnesPerDay());
        assertEquals(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, upgrade.getStandardBefore());
    }

    @Test
    void validateOnlyReportsAndCreatesNothing() {
        String plan = plan();
        List<ProjectImportEntry> entries = entries(plan, 30);
        entries.set(29, withProject(entries.get(29), p -> p.setInvestmentFen(-1)));
        long head = ChangeFeedReader.currentHead(stub);
        ImportProjectsResponse response = importProjects(messages(entries, 10, m -> m.setValidateOnly(true)));
        assertEquals(30, response.getReceivedCount());
        assertEquals(0, response.getCreatedCount());
        assertEquals(0, response.getProjectsCount());
        assertEquals(0, response.getLastSequence());
        assertEquals(1, response.getRejectedCount());
        assertEquals(29, response.getRejected(0).getPosition());
        assertEquals("project.investment_fen", response.getRejected(0).getViolations(0).getField());
        assertEquals(0, projectsOfPlan(stub, plan).size());
        assertEquals(head, ChangeFeedReader.currentHead(stub));
    }

    @Test
    void retryOfTheSameStreamReturnsTheFirstResponseAndCreatesNothingMore() {
        String plan = plan();
        String requestId = UUID.randomUUID().toString();
        List<ImportProjectsRequest> messages = messages(entries(plan, 50), 20, m -> m.setRequestId(requestId));
        ImportProjectsResponse first = importProjects(messages);
        assertEquals(50, first.getCreatedCount());
        long head = ChangeFeedReader.currentHead(stub);

        ImportProjectsResponse retry = importProjects(messages);
        assertEquals(first, retry);
        assertEquals(50, projectsOfPlan(stub, plan).size());
        assertEquals(head, ChangeFeedReader.currentHead(stub));

        // The same id for a different stream is refused.
        List<ImportProjectsRequest> other = messages(entries(plan, 51), 20, m -> m.setRequestId(requestId));
        StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT, () -> importProjects(other));
        assertViolations(e, "request_id");
        assertEquals(50, projectsOfPlan(stub, plan).size());
    }

    /**
     * A retry sent while the first attempt's client is still sending: both are imported as they
     * arrive; the one completed first commits, and the other, coming to claim the request id at its
     * end, answers as that one did and keeps nothing of its own.
     */
    @Test
    void aRetryWhileTheFirstAttemptIsStillSendingGetsTheSameAnswerAndCreatesNothingMore() throws Exception {
        String plan = plan();
        String requestId = UUID.randomUUID().toString();
        List<ImportProjectsRequest> messages = messages(entries(plan, 2500), 500, m -> m.setRequestId(requestId));
        long head = ChangeFeedReader.currentHead(stub);
        var firstAttempt = ClientStreams.open(async::importProjects).sendAll(messages);

        ImportProjectsResponse retry = importProjects(messages);
        assertFalse(firstAttempt.answer().isDone(), "the first attempt waits for its client");
        firstAttempt.complete();
        ImportProjectsResponse first = firstAttempt.answer().get(ClientStreams.DEFAULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertEquals(retry, first);
        assertEquals(2500, retry.getCreatedCount());
        assertEquals(2500, projectsOfPlan(stub, plan).size());
        assertEquals(head + 5000, ChangeFeedReader.currentHead(stub), "one facility and one project change per entry, once");
    }

    /**
     * A client that goes away in the middle of its stream, after rows of the first chunks were
     * written: the import's transaction is rolled back at once, not left open, and nothing stays.
     */
    @Test
    void aStreamCancelledMidwayLeavesNothingAndNoTransactionOpen() throws Exception {
        String plan = plan();
        List<ImportProjectsRequest> messages = messages(entries(plan, 5000), 500, m -> m);
        long head = ChangeFeedReader.currentHead(stub);
        long facilitiesBefore = countFacilities();
        var stream = ClientStreams.open(async::importProjects).sendAll(messages.subList(0, 9));
        // Chunks of 2,000: by the time the import holds a row lock of the project table, it has written rows.
        TableLocks.awaitWriters(dataSource::getConnection, "project", 1, Duration.ofSeconds(60));

        stream.cancel();
        TableLocks.awaitWriters(dataSource::getConnection, "project", 0, Duration.ofSeconds(60));
        assertEquals(0, projectsOfPlan(stub, plan).size());
        assertEquals(head, ChangeFeedReader.currentHead(stub));
        assertEquals(facilitiesBefore, countFacilities(), "no facility of the cancelled import stays");
    }

    @Test
    void emptyImportIsRejected() {
        StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT, () -> importProjects(List.of()));
        assertViolations(e, "entries");
        e = assertStatus(Status.Code.INVALID_ARGUMENT,
                () -> importProjects(List.of(ImportProjectsRequest.newBuilder().setSkipInvalid(true).build())));
        assertViolations(e, "entries");
        assertFalse(e.getStatus().getDescription().isEmpty());
    }
}
