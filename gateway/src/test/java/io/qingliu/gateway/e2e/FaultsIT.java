package io.qingliu.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.TextFormat;
import com.google.type.Date;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qingliu.api.capacity.v1.CapacityGrouping;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc.CapacityServiceBlockingStub;
import io.qingliu.api.capacity.v1.CoverageBreakdown;
import io.qingliu.api.capacity.v1.CoverageGoal;
import io.qingliu.api.capacity.v1.GetPlanProgressRequest;
import io.qingliu.api.capacity.v1.ListGoalUnitsRequest;
import io.qingliu.api.capacity.v1.ListGoalUnitsResponse;
import io.qingliu.api.capacity.v1.ListPlansRequest;
import io.qingliu.api.capacity.v1.Plan;
import io.qingliu.api.capacity.v1.SummarizeCapacityRequest;
import io.qingliu.api.capacity.v1.SummarizeCoverageRequest;
import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.common.v1.OperatingState;
import io.qingliu.api.project.v1.CreateFacilityRequest;
import io.qingliu.api.project.v1.Division;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.ImportProjectsRequest;
import io.qingliu.api.project.v1.ImportProjectsResponse;
import io.qingliu.api.project.v1.ListDivisionsRequest;
import io.qingliu.api.project.v1.ListDivisionsResponse;
import io.qingliu.api.project.v1.ListFacilitiesRequest;
import io.qingliu.api.project.v1.ListFacilitiesResponse;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectImportEntry;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectServiceGrpc.ProjectServiceBlockingStub;
import io.qingliu.gateway.testing.Await;
import io.qingliu.gateway.testing.PostgresServer;
import io.qingliu.gateway.testing.ServiceProcess;
import io.qingliu.kit.testing.AdminTokenByDefault;
import io.qingliu.kit.testing.ClientStreams;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The suite keeps its data under faults: packaged services as separate processes on real
 * PostgreSQL, crashed with SIGKILL (no shutdown hook runs, as with the OOM killer or a power cut)
 * or left without their database for seconds. Each fault is followed by the same checks: nothing
 * lost, nothing duplicated, nothing half-applied, and the read model agrees with the registry.
 *
 * The first step's import is also the sizeable registry the second step's catch-ups read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

    private static final String PLAN_CODE = "ZY-2018-2020";
    /** Entries of the large import: 2 changes each (facility, project) in the feed. */
    private static final int IMPORT_ENTRIES = 20_000;
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private PostgresServer postgres;
    private String projectDbUrl;
    private ServiceProcess projectService;
    private ManagedChannel projectChannel;
    private ProjectServiceBlockingStub registry;
    /** Every service process a step started, for the logs of a failed step and the clean-up. */
    private final List<ServiceProcess> started = new CopyOnWriteArrayList<>();
    private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
    private final List<PostgresServer> ownServers = new CopyOnWriteArrayList<>();

    /** A failed step prints what the services logged as warnings and errors: CI keeps no log files. */
    @RegisterExtension
    final TestWatcher serviceLogsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (ServiceProcess p : started) {
                System.out.println("---- " + p.name() + " on port " + p.port() + ": its last warnings and errors, after "
                        + context.getDisplayName() + " failed ----");
                p.problems(30).forEach(System.out::println);
            }
        }
    };

    @BeforeAll
    void startProjectService() {
        postgres = PostgresServer.configuredOrEmbedded();
        projectDbUrl = postgres.freshDatabase("qingliu_faults_project");
        projectService = ServiceProcess.projectService(ServiceProcess.freePort(), postgres, projectDbUrl)
                .with("faults-project-service", ServiceProcess.freePort(), Map.of());
        started.add(projectService);
        projectService.start();
        projectChannel = channel(projectService.port());
        registry = ProjectServiceGrpc.newBlockingStub(projectChannel);
    }

    @AfterAll
    void stopEverything() {
        channels.forEach(ManagedChannel::shutdownNow);
        started.forEach(ServiceProcess::stop);
        ownServers.forEach(PostgresServer::close);
        if (postgres != null) {
            postgres.close();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 1. project-service killed while it writes a large import
    // ---------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void projectServiceKilledMidImportKeepsAllOrNothingAndTheRetryWritesItOnce() throws Exception {
        List<ProjectImportEntry> entries = importEntries(registry, IMPORT_ENTRIES, 1);
        long projectsBefore = count(projectDbUrl, "SELECT count(*) FROM project");
        long headBefore = count(projectDbUrl, "SELECT last_seq FROM feed_head");
        String requestId = UUID.randomUUID().toString();

        // The whole stream reaches project-service, which spools it and then writes it in one
        // transaction; it is killed the moment that transaction is seen open.
        CompletableFuture<ImportProjectsResponse> answer = sendImport(entries, requestId);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!answer.isDone() && openTransactions(projectDbUrl) == 0) {
            assertTrue(System.nanoTime() < deadline, "project-service never began writing the import");
            Thread.sleep(10);
        }
        boolean answeredBeforeKill = answer.isDone();
        projectService.kill();
        Throwable failure = answer.handle((ok, error) -> error).get(30, TimeUnit.SECONDS);
        assertFalse(answeredBeforeKill, "the import must still be in flight when project-service is killed");

        projectService.start();
        long projectsAfterCrash = count(projectDbUrl, "SELECT count(*) FROM project");
        long headAfterCrash = count(projectDbUrl, "SELECT last_seq FROM feed_head");
        // All or nothing: killed before its commit, nothing of it is there (not in the registry,
        // not in the feed, no claim of its request_id); killed after, all of it.
        boolean committed = projectsAfterCrash != projectsBefore;
        System.out.println("import killed mid-call: " + (committed ? "it had committed (all there)" : "nothing of it there")
                + "; the client heard " + (failure == null ? "its answer" : Status.fromThrowable(failure)));
        assertEquals(projectsBefore + (committed ? IMPORT_ENTRIES : 0), projectsAfterCrash,
                "an import killed mid-call is all there or not at all");
        assertEquals(headBefore + (committed ? 2L * IMPORT_ENTRIES : 0), headAfterCrash,
                "and so is its part of the change feed");
        assertEquals(committed ? 1 : 0,
                count(projectDbUrl, "SELECT count(*) FROM request_log WHERE request_id = '" + requestId + "'"),
                "and the claim of its request_id goes with it");
        if (failure != null) {
            assertEquals(Status.Code.UNAVAILABLE, Status.fromThrowable(failure).getCode(),
                    "a client whose server died mid-call hears UNAVAILABLE: " + failure);
        }

        // The client retries the same stream with the same request_id: written once, whole.
        ImportProjectsResponse retried = sendImport(entries, requestId).get(4, TimeUnit.MINUTES);
        assertEquals(IMPORT_ENTRIES, retried.getCreatedCount(), "the retry writes every entry");
        assertEquals(IMPORT_ENTRIES, new HashSet<>(retried.getProjectsList()).size(), "as distinct projects");
        assertEquals(projectsBefore + IMPORT_ENTRIES, count(projectDbUrl, "SELECT count(*) FROM project"),
                "the registry holds the import exactly once");
        assertEquals(headBefore + 2L * IMPORT_ENTRIES, count(projectDbUrl, "SELECT last_seq FROM feed_head"),
                "the feed carries each of its facilities and projects once");
        assertEquals(retried.getLastSequence(), count(projectDbUrl, "SELECT last_seq FROM feed_head"));

        // A second retry (its answer lost, say) changes nothing and answers the same.
        ImportProjectsResponse again = sendImport(entries, requestId).get(4, TimeUnit.MINUTES);
        assertEquals(retried, again, "a retry with the same request_id answers the first result");
        assertEquals(projectsBefore + IMPORT_ENTRIES, count(projectDbUrl, "SELECT count(*) FROM project"),
                "and writes nothing more");
        assertEquals(retried.getLastSequence(), count(projectDbUrl, "SELECT last_seq FROM feed_head"),
                "nor anything to the feed");
    }

    // ---------------------------------------------------------------------------------------------
    // 2. capacity-service killed ten times while it catches up on the feed
    // ---------------------------------------------------------------------------------------------

    @Test
    @Order(2)
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void capacityServiceKilledTenTimesMidCatchUpAnswersAsOneThatReadTheFeedUninterrupted() throws Exception {
        // A sizeable registry: the import of the first step (imported here when run alone), and
        // plants in operation since various years, so that capacity and coverage have something to count.
        if (count(projectDbUrl, "SELECT count(*) FROM project") < IMPORT_ENTRIES) {
            ImportProjectsResponse r = sendImport(importEntries(registry, IMPORT_ENTRIES, 2), UUID.randomUUID().toString())
                    .get(4, TimeUnit.MINUTES);
            assertEquals(IMPORT_ENTRIES, r.getCreatedCount());
        }
        List<Division> townships = townships(registry);
        for (int i = 0; i < 120; i++) {
            registry.createFacility(CreateFacilityRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                    .setFacility(plantInOperation(townships.get(i * 7 % townships.size()), "运行厂 " + i,
                            500 + i * 37 % 4000, LocalDate.of(2015 + i % 7, 1 + i % 12, 1 + i % 28)))
                    .build());
        }
        long head = count(projectDbUrl, "SELECT last_seq FROM feed_head");

        // Small batches, and a catch-up that defers derivation while far behind: many commits to be
        // killed between and in, both while the mirror alone is written and while all is derived.
        Map<String, String> feedConfig = Map.of("QINGLIU_FEED_MAX_BATCH", "1000",
                "QINGLIU_FEED_DEFER_DERIVED_BEYOND", "15000");
        ServiceProcess capacityTemplate = ServiceProcess.capacityService(0, postgres, "", projectService.port());
        ServiceProcess reference = capacityTemplate.with("faults-capacity-reference", ServiceProcess.freePort(),
                withDb(feedConfig, postgres.freshDatabase("qingliu_faults_capacity_reference")));
        String crashedDb = postgres.freshDatabase("qingliu_faults_capacity_killed");
        ServiceProcess crashed = capacityTemplate.with("faults-capacity-killed", ServiceProcess.freePort(),
                withDb(feedConfig, crashedDb));
        started.add(reference);
        started.add(crashed);
        // The reference reads the same feed from 0 without interruption, meanwhile.
        reference.start();

        // Each life is killed once its stored feed position has moved on by a varied number of
        // changes (2,000 to 3,500: 26,500 in all, well short of what the feed holds), wherever in a batch's
        // transaction that moment falls; the position stored after each kill shows where it was.
        List<String> kills = new ArrayList<>();
        int killedMidCatchUp = 0;
        long[] stored = storedFeedPosition(crashedDb);
        for (int i = 0; i < 10; i++) {
            long step = 2_000 + (i % 4) * 500L;
            long[] atStart = stored;
            crashed.launch();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (storedFeedPosition(crashedDb)[0] < atStart[0] + step) {
                assertTrue(System.nanoTime() < deadline, "capacity-service made no progress on the feed in life "
                        + (i + 1) + " (stored position " + atStart[0] + ")");
                assertTrue(crashed.running(), "capacity-service exited by itself in life " + (i + 1));
                Thread.sleep(20);
            }
            crashed.kill();
            stored = storedFeedPosition(crashedDb);
            boolean mid = stored[0] < head || stored[1] < head;
            if (mid) {
                killedMidCatchUp++;
            }
            assertTrue(stored[0] >= atStart[0], "a kill never takes the stored position back");
            kills.add("kill " + (i + 1) + ": life began at sequence " + atStart[0] + " (derived " + atStart[1]
                    + "), killed at stored " + stored[0] + " (derived " + stored[1] + ") of head " + head);
        }
        kills.forEach(System.out::println);
        assertTrue(killedMidCatchUp >= 8, "at least 8 of the 10 kills must land before the catch-up of the " + head
                + " changes ended, so that they test it: " + kills);

        crashed.start();
        Await.until("both capacity-services to catch up to feed sequence " + head, Duration.ofMinutes(4),
                () -> FeedPosition.of(crashed).caughtUpTo(head) && FeedPosition.of(reference).caughtUpTo(head));

        List<String> expected = answers(capacity(reference.port()));
        List<String> actual = answers(capacity(crashed.port()));
        System.out.println("comparing " + expected.size() + " answers (" + expected.stream().mapToInt(String::length).sum()
                + " characters) of the two capacity-services");
        assertTrue(expected.stream().anyMatch(a -> a.contains("in_operation_tonnes_per_day")),
                "the answers count capacity in operation (the plants created above), not only empty figures");
        assertEquals(expected.size(), actual.size(), "as many answers");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "answer " + i + " of the service killed ten times mid-catch-up "
                    + "equals that of the one that read the feed uninterrupted");
        }
        reference.stop();
        crashed.stop();
    }

    // ---------------------------------------------------------------------------------------------
    // 3. PostgreSQL restarted while writes and the feed flow
    // ---------------------------------------------------------------------------------------------

    @Test
    @Order(3)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void postgresRestartedWhileWritersRetryAndTheFeedFlowsLosesAndDuplicatesNothing() throws Exception {
        PostgresServer pg = PostgresServer.restartableEmbedded(Path.of("target", "faults-postgres").toAbsolutePath());
        ownServers.add(pg);
        String projectUrl = pg.freshDatabase("qingliu_faults_pg_project");
        ServiceProcess project = ServiceProcess.projectService(0, pg, projectUrl)
                .with("faults-pg-project-service", ServiceProcess.freePort(), Map.of());
        started.add(project);
        project.start();
        ServiceProcess capacity = ServiceProcess.capacityService(0, pg, "", project.port()).with(
                "faults-pg-capacity-service", ServiceProcess.freePort(),
                Map.of("QUARKUS_DATASOURCE_JDBC_URL", pg.freshDatabase("qingliu_faults_pg_capacity")));
        started.add(capacity);
        capacity.start();
        ManagedChannel channel = channel(project.port());
        List<Division> townships = townships(ProjectServiceGrpc.newBlockingStub(channel));
        LocalDate today = LocalDate.now(CHINA);

        // Writers: each creates plants in operation, each write with its own request_id, retried
        // with that id until acknowledged, as a careful county system does.
        int writers = 4;
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, Facility> acknowledged = new ConcurrentHashMap<>();
        Map<String, Double> capacityOf = new ConcurrentHashMap<>();
        List<String> unexpected = new CopyOnWriteArrayList<>();
        Set<Status.Code> retriedOn = ConcurrentHashMap.newKeySet();
        int[][] ackedAfterRestart = new int[writers][1];
        AtomicBoolean restarted = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                ProjectServiceBlockingStub stub = ProjectServiceGrpc.newBlockingStub(channel);
                for (int k = 0; !stop.get(); k++) {
                    String requestId = UUID.randomUUID().toString();
                    double tonnes = 100 + (writer * 1000 + k) % 900;
                    Facility plant = plantInOperation(townships.get((writer * 31 + k) % townships.size()),
                            "写入者" + writer + "-" + k, tonnes, today.minusDays(1 + k % 300));
                    while (true) {
                        try {
                            Facility created = stub.withDeadlineAfter(20, TimeUnit.SECONDS).createFacility(
                                    CreateFacilityRequest.newBuilder().setFacility(plant).setRequestId(requestId).build());
                            acknowledged.put(requestId, created);
                            capacityOf.put(requestId, tonnes);
                            if (restarted.get()) {
                                ackedAfterRestart[writer][0]++;
                            }
                            break;
                        } catch (StatusRuntimeException e) {
                            Status.Code code = e.getStatus().getCode();
                            if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
                                unexpected.add("writer " + writer + ", write " + k + ": " + e.getStatus());
                                if (unexpected.size() > 50) {
                                    return;
                                }
                            }
                            retriedOn.add(code);
                            sleep(300);
                        }
                    }
                }
            }, "faults-writer-" + w);
            threads.add(t);
            t.start();
        }
        Await.until("the writers to have 40 writes acknowledged", Duration.ofSeconds(120), () -> acknowledged.size() >= 40);

        // PostgreSQL goes away for 6 seconds, mid-run, under both services.
        int ackedBefore = acknowledged.size();
        pg.restart(Duration.ofSeconds(6));
        restarted.set(true);
        Await.until("every writer to have 10 writes acknowledged after the restart", Duration.ofSeconds(180), () -> {
            for (int[] n : ackedAfterRestart) {
                if (n[0] < 10) {
                    return false;
                }
            }
            return true;
        });
        stop.set(true);
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertEquals(List.of(), unexpected, "while the database is down a write is answered UNAVAILABLE (retry), nothing else");
        System.out.println("writes acknowledged: " + ackedBefore + " before the restart, " + acknowledged.size()
                + " in all; retried on " + retriedOn);
        assertTrue(retriedOn.contains(Status.Code.UNAVAILABLE),
                "the outage must have met writes in flight (answered UNAVAILABLE and retried), else it tested nothing");

        // Every acknowledged write is there exactly once: one facility per request_id, no other.
        Map<String, Integer> byDisplayName = new HashMap<>();
        for (Facility f : allFacilities(ProjectServiceGrpc.newBlockingStub(channel))) {
            byDisplayName.merge(f.getDisplayName(), 1, Integer::sum);
        }
        for (Facility f : acknowledged.values()) {
            assertEquals(1, byDisplayName.getOrDefault(f.getDisplayName(), 0),
                    "the acknowledged write " + f.getDisplayName() + " exists exactly once");
        }
        long ours = byDisplayName.keySet().stream().filter(n -> n.contains("写入者")).count();
        assertEquals(acknowledged.size(), ours, "and no write exists that was not acknowledged");
        assertEquals(acknowledged.size(), new HashSet<>(acknowledged.values().stream().map(Facility::getName).toList()).size(),
                "each request_id acknowledged its own facility");

        // capacity-service's feed consumer came through the outage: it catches up to the head,
        // and its capacity in operation is the sum of what the registry holds.
        long head = count(projectUrl, pg, "SELECT last_seq FROM feed_head");
        Await.until("capacity-service to catch up to feed sequence " + head + " after the restart",
                Duration.ofSeconds(120), () -> FeedPosition.of(capacity).caughtUpTo(head));
        double expectedTonnes = capacityOf.values().stream().mapToDouble(Double::doubleValue).sum();
        double inOperation = capacity(capacity.port()).summarizeCapacity(SummarizeCapacityRequest.newBuilder()
                .setFacilityType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT).setAsOfDate(date(today)).build())
                .getTotals().getInOperationTonnesPerDay();
        assertEquals(expectedTonnes, inOperation, 0.001,
                "capacity in operation counts every acknowledged plant once, no more, no less");
        capacity.stop();
        project.stop();
    }

    // ---------------------------------------------------------------------------------------------

    /** Where a capacity-service's feed consumer stands, as its readiness check reports it. */
    private record FeedPosition(long applied, long derived, long head) {
        private static final Pattern APPLIED = Pattern.compile("\"applied_sequence\"\\s*:\\s*(\\d+)");
        private static final Pattern DERIVED = Pattern.compile("\"derived_sequence\"\\s*:\\s*(\\d+)");
        private static final Pattern HEAD = Pattern.compile("\"head_sequence\"\\s*:\\s*(\\d+)");

        static FeedPosition of(ServiceProcess capacity) {
            String body = capacity.readiness();
            if (body == null) {
                return new FeedPosition(-1, -1, -1);
            }
            return new FeedPosition(number(APPLIED, body), number(DERIVED, body), number(HEAD, body));
        }

        private static long number(Pattern p, String body) {
            Matcher m = p.matcher(body);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }

        /** Its answers reflect every change up to the head: the mirror and what derives from it. */
        boolean caughtUpTo(long feedHead) {
            return applied >= feedHead && derived >= feedHead;
        }

        @Override
        public String toString() {
            return "applied " + applied + ", derived " + derived + " (head " + head + ")";
        }
    }

    /**
     * What the capacity API answers about the shipped plan, its coverage goals and capacity, as of
     * several dates, as text with the plan's and goals' generated ids replaced by their codes and
     * names (two services create the shipped plan each with its own ids).
     */
    private static List<String> answers(CapacityServiceBlockingStub capacity) {
        Plan plan = capacity.listPlans(ListPlansRequest.newBuilder().setPageSize(100).build()).getPlansList().stream()
                .filter(p -> PLAN_CODE.equals(p.getCode())).findFirst()
                .orElseThrow(() -> new AssertionError("no plan " + PLAN_CODE));
        Map<String, String> ids = new HashMap<>();
        for (CoverageGoal g : plan.getCoverageGoalsList()) {
            ids.put(g.getName(), "goal[" + g.getDisplayName() + "]");
        }
        ids.put(plan.getName(), "plan[" + PLAN_CODE + "]");
        List<String> out = new ArrayList<>();
        List<LocalDate> dates = List.of(LocalDate.of(2017, 12, 31), LocalDate.of(2019, 6, 30), LocalDate.of(2020, 12, 31),
                LocalDate.of(2021, 12, 31), LocalDate.of(2025, 1, 1));
        for (LocalDate d : dates) {
            out.add(text(capacity.getPlanProgress(GetPlanProgressRequest.newBuilder().setName(plan.getName())
                    .setAsOfDate(date(d)).build()), ids));
            for (CapacityGrouping grouping : List.of(CapacityGrouping.CAPACITY_GROUPING_COUNTY,
                    CapacityGrouping.CAPACITY_GROUPING_YEAR, CapacityGrouping.CAPACITY_GROUPING_PROJECT_KIND)) {
                out.add(text(capacity.summarizeCapacity(SummarizeCapacityRequest.newBuilder().setAsOfDate(date(d))
                        .setGrouping(grouping).build()), ids));
            }
            for (CoverageGoal g : plan.getCoverageGoalsList()) {
                out.add(text(capacity.summarizeCoverage(SummarizeCoverageRequest.newBuilder().setGoal(g.getName())
                        .setAsOfDate(date(d)).setBreakdown(CoverageBreakdown.COVERAGE_BREAKDOWN_TOWNSHIP).build()), ids));
                String token = "";
                do {
                    ListGoalUnitsResponse page = capacity.listGoalUnits(ListGoalUnitsRequest.newBuilder()
                            .setGoal(g.getName()).setAsOfDate(date(d)).setPageSize(1000).setPageToken(token).build());
                    out.add(text(page.toBuilder().clearNextPageToken().build(), ids));
                    token = page.getNextPageToken();
                } while (!token.isEmpty());
            }
        }
        return out;
    }

    private static String text(com.google.protobuf.Message answer, Map<String, String> ids) {
        String s = TextFormat.printer().printToString(answer);
        // Longest first: a goal's name begins with its plan's.
        List<String> names = new ArrayList<>(ids.keySet());
        names.sort((a, b) -> b.length() - a.length());
        for (String name : names) {
            s = s.replace(name, ids.get(name));
        }
        return s;
    }

    /**
     * New sewage plants and the projects that build them, spread over Ziyang's townships,
     * deterministic in {@code seed} (the bench's workload, at a county's scale).
     */
    private static List<ProjectImportEntry> importEntries(ProjectServiceBlockingStub registry, int n, long seed) {
        List<Division> townships = townships(registry);
        List<ProjectImportEntry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
            Division t = townships.get(r.nextInt(townships.size()));
            double capacity = 500 + r.nextInt(19_501);
            String plant = t.getDisplayName() + "污水处理厂 " + seed + "-" + (i + 1) + "号";
            Facility facility = Facility.newBuilder().setDisplayName(plant)
                    .setType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT).setLocationCode(t.getCode())
                    .addServedDivisionCodes(t.getCode()).setCapacityTonnesPerDay(capacity)
                    .setDischargeStandard(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B).build();
            Project project = Project.newBuilder().setDisplayName(plant + "新建工程").setKind(ProjectKind.PROJECT_KIND_NEW_BUILD)
                    .setPlanCode(PLAN_CODE).setCapacityAfterTonnesPerDay(capacity)
                    .setStandardAfter(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B)
                    .setPlannedStartDate(randomDate(2019, r)).setPlannedCompletionDate(randomDate(2020, r))
                    .setPlannedCommissioningDate(randomDate(2021, r))
                    .setInvestmentFen((long) capacity * (2_500 + r.nextInt(1_000)) * 100)
                    .setResponsibleUnit("住房和城乡建设局").build();
            out.add(ProjectImportEntry.newBuilder().setProject(project).setNewFacility(facility).build());
        }
        return out;
    }

    /** Sends the entries as one ImportProjects stream of 500-entry messages, request_id on the first. */
    private CompletableFuture<ImportProjectsResponse> sendImport(List<ProjectImportEntry> entries, String requestId) {
        List<ImportProjectsRequest> messages = new ArrayList<>();
        for (int from = 0; from < entries.size(); from += 500) {
            ImportProjectsRequest.Builder message = ImportProjectsRequest.newBuilder()
                    .addAllEntries(entries.subList(from, Math.min(entries.size(), from + 500)));
            if (from == 0) {
                message.setRequestId(requestId);
            }
            messages.add(message.build());
        }
        return ClientStreams.start(ProjectServiceGrpc.newStub(projectChannel)::importProjects, messages).answer();
    }

    private static Facility plantInOperation(Division township, String name, double tonnes, LocalDate since) {
        return Facility.newBuilder().setDisplayName(township.getDisplayName() + "污水处理厂 " + name)
                .setType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT).setLocationCode(township.getCode())
                .addServedDivisionCodes(township.getCode()).setCapacityTonnesPerDay(tonnes)
                .setDischargeStandard(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)
                .setOperatingState(OperatingState.OPERATING_STATE_IN_OPERATION).setOperationDate(date(since)).build();
    }

    private static List<Division> townships(ProjectServiceBlockingStub registry) {
        List<Division> out = new ArrayList<>();
        String token = "";
        do {
            ListDivisionsResponse page = registry.listDivisions(ListDivisionsRequest.newBuilder().setPageSize(1000)
                    .setFilter("level = DIVISION_LEVEL_TOWNSHIP").setPageToken(token).build());
            out.addAll(page.getDivisionsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        assertFalse(out.isEmpty(), "project-service holds Ziyang's townships");
        return out;
    }

    private static List<Facility> allFacilities(ProjectServiceBlockingStub registry) {
        List<Facility> out = new ArrayList<>();
        String token = "";
        do {
            ListFacilitiesResponse page = registry.listFacilities(ListFacilitiesRequest.newBuilder().setPageSize(1000)
                    .setPageToken(token).build());
            out.addAll(page.getFacilitiesList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return out;
    }

    private CapacityServiceBlockingStub capacity(int port) {
        return CapacityServiceGrpc.newBlockingStub(channel(port));
    }

    /** A plain channel carrying an admin's token, with room for large answers (a plan's late projects). */
    private ManagedChannel channel(int port) {
        ManagedChannel c = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .maxInboundMessageSize(64 << 20).intercept(new AdminTokenByDefault()).build();
        channels.add(c);
        return c;
    }

    private Map<String, String> withDb(Map<String, String> env, String jdbcUrl) {
        Map<String, String> out = new HashMap<>(env);
        out.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        return out;
    }

    private long count(String jdbcUrl, String sql) throws SQLException {
        return count(jdbcUrl, postgres, sql);
    }

    private static long count(String jdbcUrl, PostgresServer server, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, server.user(), server.password());
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** capacity-service's committed feed position {sequence, derived_sequence}; {-1, -1} before its schema exists. */
    private long[] storedFeedPosition(String capacityDbUrl) {
        try (Connection c = DriverManager.getConnection(capacityDbUrl, postgres.user(), postgres.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT sequence, derived_sequence FROM feed_position WHERE id = 1")) {
            return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[] {-1, -1};
        } catch (SQLException e) {
            return new long[] {-1, -1}; // not migrated yet
        }
    }

    /** Transactions open in that database other than this query's own (a write in progress). */
    private long openTransactions(String jdbcUrl) {
        try {
            String db = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
            return count(jdbcUrl, "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db
                    + "' AND xact_start IS NOT NULL AND state <> 'idle' AND pid <> pg_backend_pid()");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Date date(LocalDate d) {
        return Date.newBuilder().setYear(d.getYear()).setMonth(d.getMonthValue()).setDay(d.getDayOfMonth()).build();
    }

    private static Date randomDate(int year, SplittableRandom r) {
        return Date.newBuilder().setYear(year).setMonth(1 + r.nextInt(12)).setDay(1 + r.nextInt(28)).build();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
