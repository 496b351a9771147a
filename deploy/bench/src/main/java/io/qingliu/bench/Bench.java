package io.qingliu.bench;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.type.Date;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.DivisionFileRole;
import io.qingliu.api.project.v1.GetProjectRequest;
import io.qingliu.api.project.v1.ImportDivisionsRequest;
import io.qingliu.api.project.v1.ImportDivisionsResponse;
import io.qingliu.api.project.v1.ImportProjectsRequest;
import io.qingliu.api.project.v1.ImportProjectsResponse;
import io.qingliu.api.project.v1.ListProjectsRequest;
import io.qingliu.api.project.v1.ListProjectsResponse;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectImportEntry;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.api.project.v1.RejectedEntry;
import io.qingliu.api.project.v1.TransitionProjectRequest;
import io.qingliu.api.project.v1.UpdateProjectRequest;
import io.qingliu.api.project.v1.WatchChangesRequest;
import io.qingliu.api.project.v1.WatchChangesResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The bench client of deploy/bench/run: drives a running project-service over gRPC on
 * 127.0.0.1 (steps 1 to 6) and, in steps 7 to 10 ({@link CapacitySteps}), a capacity-service it
 * starts itself, and in steps 11 to 13 ({@link GatewaySteps}) a gateway it starts itself over both,
 * and measures each figure beside a baseline taken in the same run, on the same
 * PostgreSQL. Every step is one method; every loop is bounded by a count or a time limit.
 */
public final class Bench {

    // ---------------------------------------------------------------- configuration

    private final Map<String, String> opt;
    private final String host = "127.0.0.1";
    final int port;
    final String db;
    private final String copyDb;
    final String pgHost;
    final int pgPort;
    final String pgUser;
    final Path divisionsDir;
    private final Path resultsFile;
    private final int projects;
    private final int importRehearsal;
    private final int batch;
    final long seed;
    final int concurrency;
    private final int channels;
    private final int warmupSeconds;
    private final int getSeconds;
    private final int transitions;
    private final int pageSize;
    private final int pageDepth;
    private final int pageRepeats;
    private final int watchBatch;
    private final int liveOps;
    private final int liveRate;
    private final String pgbench;
    /**
     * The steps to run, e.g. "1,2,3,4,5,6,7,8,9,10,11,12,13" (all); without 1 and 2 the data already in
     * the database is used. 7 to 10 are capacity-service's (CapacitySteps), 11 to 13 the gateway's
     * (GatewaySteps); 6 runs last.
     */
    private final Set<String> steps;

    // ---------------------------------------------------------------- state carried between steps

    final Report report = new Report();
    final Rss rss;
    /** The admin's token every call and request carries, the feed token and the public key the services get. */
    final Auth auth;
    final List<ManagedChannel> pool = new ArrayList<>();
    private ProjectServiceGrpc.ProjectServiceBlockingStub blocking;
    private ProjectServiceGrpc.ProjectServiceStub async;
    Workload workload;
    /** Resource names of the imported projects, in import order. */
    private List<String> names = List.of();
    /** Resource names of the projects, {@code projects/{id}}, in import order. */
    List<String> names() {
        return names;
    }

    /** Indexes into names already moved by the transitions of step 4. */
    private final Set<Integer> touched = new HashSet<>();
    /** The effective date the service accepts for a move to approved. */
    private Date approvalDate;
    /** The feed head as last seen. */
    private long head;

    private Bench(Map<String, String> opt) {
        this.opt = opt;
        port = intOpt("port", 18181);
        db = str("db", "qingliu_bench");
        copyDb = str("copy-db", "qingliu_bench_copy");
        pgHost = str("pg-host", "127.0.0.1");
        pgPort = intOpt("pg-port", 5432);
        pgUser = str("pg-user", "postgres");
        divisionsDir = Path.of(str("divisions-dir", "/work/shared/data/divisions/china"));
        resultsFile = Path.of(str("results", "deploy/bench/results/latest.txt"));
        projects = intOpt("projects", 100_000);
        // 60,000: after a rehearsal of 20,000 the service's JIT still compiled for 4.6 s of CPU
        // during the measured 9 s import (JFR's CompilerStatistics), on 2 cores shared with
        // PostgreSQL; 60,000 leaves most of that behind, as it is in a service that has run a while.
        importRehearsal = intOpt("import-rehearsal", 60_000);
        batch = intOpt("batch", 1_000);
        seed = intOpt("seed", 2018);
        concurrency = intOpt("concurrency", 16);
        channels = intOpt("channels", 4);
        warmupSeconds = intOpt("warmup-seconds", 20);
        getSeconds = intOpt("get-seconds", 15);
        transitions = intOpt("transitions", 3_000);
        pageSize = intOpt("page-size", 100);
        pageDepth = intOpt("page-depth", 900);
        pageRepeats = intOpt("page-repeats", 50);
        watchBatch = intOpt("watch-batch", 0);
        liveOps = intOpt("live-ops", 500);
        liveRate = intOpt("live-rate", 50);
        pgbench = str("pgbench", "pgbench");
        steps = Set.of(str("steps", "1,2,3,4,5,6,7,8,9,10,11,12,13").split("\\s*,\\s*"));
        rss = new Rss(Long.parseLong(str("service-pid", "0")));
        auth = new Auth(this);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String a = args[i].substring(2);
            int eq = a.indexOf('=');
            if (eq >= 0) {
                opt.put(a.substring(0, eq), a.substring(eq + 1));
            } else {
                opt.put(a, args[++i]);
            }
        }
        Bench b = new Bench(opt);
        int rc = b.run();
        System.exit(rc);
    }

    // ---------------------------------------------------------------- the run

    private int run() throws Exception {
        CapacitySteps capacity = new CapacitySteps(this);
        GatewaySteps gateway = new GatewaySteps(this, capacity);
        report.header("Qingliu bench (project-service, capacity-service), " + ZonedDateTime.now().withNano(0));
        report.header(Report.f("machine: %d cores (shared by client, services and PostgreSQL); project-service java -Xmx256m on 127.0.0.1:%d; database %s",
                Runtime.getRuntime().availableProcessors(), port, db));
        report.header("auth: every gRPC call and HTTP request carries an admin's bearer token (RS256 JWT; each service "
                + "verifies a token once and remembers it until it expires); capacity-service reads the feed with a viewer's");
        report.header(capacity.describe());
        report.header(gateway.describe());
        report.header(Report.f("workload: %,d new-build sewage plants over the national townships, seed %d; %d callers; page size %d",
                projects, seed, concurrency, pageSize));
        rss.start();
        String loadAtStart = Rss.loadAverage();
        for (int i = 0; i < Math.max(1, channels); i++) {
            pool.add(NettyChannelBuilder.forAddress(host, port).usePlaintext().directExecutor()
                    .maxInboundMessageSize(256 << 20).intercept(auth.interceptor()).build());
        }
        blocking = ProjectServiceGrpc.newBlockingStub(pool.get(0));
        async = ProjectServiceGrpc.newStub(pool.get(0));
        try {
            boolean loaded = (!steps.contains("1") || step("1", "ImportDivisions", this::importDivisions))
                    && (steps.contains("2") ? step("2", "ImportProjects", this::importProjects)
                            : step("2", "projects already in " + db, this::loadNames));
            if (loaded) {
                if (steps.contains("2")) {
                    step("2", "COPY baseline", this::copyBaseline);
                }
                if (steps.contains("3")) {
                    step("3", "GetProject", this::getProject);
                }
                if (steps.contains("4")) {
                    step("4", "TransitionProject", this::transitions);
                    step("4", "ListProjects", this::listProjects);
                }
                if (steps.contains("5")) {
                    step("5", "WatchChanges catch-up", this::watchCatchUp);
                    step("5", "WatchChanges live", this::watchLive);
                }
                if (steps.contains("7")) {
                    step("7", "facilities and commissionings for coverage", capacity::coverageData);
                }
                if (steps.contains("8")) {
                    step("8", "capacity-service catch-up", capacity::catchUp);
                }
                if (steps.contains("9")) {
                    step("9", "SummarizeCoverage vs SQL", capacity::coverageLatency);
                }
                if (steps.contains("10")) {
                    step("10", "freshness", capacity::freshness);
                }
                if (steps.contains("11")) {
                    step("11", "GET project via gateway vs gRPC", gateway::getProject);
                }
                if (steps.contains("12")) {
                    step("12", "Ziyang report via gateway", gateway::report);
                }
                if (steps.contains("13")) {
                    step("13", "national villages CSV via gateway", gateway::nationalCsv);
                }
            } else {
                report.note("steps 2-5 and 7-13 skipped: the data could not be loaded");
            }
            // last, so that the peaks cover the whole run
            if (steps.contains("6")) {
                step("6", "peak RSS", this::peakRss);
                step("6", "capacity-service peak RSS", capacity::peakRss);
                step("6", "gateway peak RSS", gateway::peakRss);
            }
        } finally {
            gateway.close(); // first: it calls both services
            capacity.close();
            for (ManagedChannel ch : pool) {
                ch.shutdownNow();
            }
        }
        report.header("load average (1 min): " + loadAtStart + " at start, " + Rss.loadAverage()
                + " at end; other work on this machine skews every figure");
        String table = report.render();
        System.out.println();
        System.out.print(table);
        report.write(resultsFile);
        System.out.println("written to " + resultsFile);
        return report.allPassed() ? 0 : 3;
    }

    interface Step {
        void run() throws Exception;
    }

    /** Runs one step; a failure is recorded in the table and does not stop the run. */
    boolean step(String no, String what, Step s) {
        System.out.println("[" + java.time.LocalTime.now().withNano(0) + "] step " + no + ": " + what);
        System.out.flush();
        try {
            s.run();
            return true;
        } catch (Exception e) {
            report.failed(no, what, describe(e));
            e.printStackTrace(System.out);
            return false;
        }
    }

    // ---------------------------------------------------------------- step 1: ImportDivisions

    /** Streams the five national files, raw gzip, in chunks of at most 1 MiB. */
    private void importDivisions() throws Exception {
        Object[][] files = {
            {DivisionFileRole.DIVISION_FILE_ROLE_PROVINCES, "provinces.csv.gz"},
            {DivisionFileRole.DIVISION_FILE_ROLE_CITIES, "cities.csv.gz"},
            {DivisionFileRole.DIVISION_FILE_ROLE_AREAS, "areas.csv.gz"},
            {DivisionFileRole.DIVISION_FILE_ROLE_STREETS, "streets.csv.gz"},
            {DivisionFileRole.DIVISION_FILE_ROLE_VILLAGES, "villages.csv.gz"},
        };
        List<ImportDivisionsRequest> reqs = new ArrayList<>();
        long bytes = 0;
        for (Object[] f : files) {
            byte[] content = Files.readAllBytes(divisionsDir.resolve((String) f[1]));
            bytes += content.length;
            for (int off = 0; off < content.length; off += 1 << 20) {
                int len = Math.min(1 << 20, content.length - off);
                reqs.add(ImportDivisionsRequest.newBuilder().setRole((DivisionFileRole) f[0])
                        .setContent(ByteString.copyFrom(content, off, len)).build());
            }
        }
        long t0 = System.nanoTime();
        ImportDivisionsResponse resp = Streams.send(
                o -> async.withDeadlineAfter(600, TimeUnit.SECONDS).importDivisions(o), reqs, 610);
        double secs = (System.nanoTime() - t0) / 1e9;
        head = Math.max(head, resp.getLastSequence());
        report.row("1", Report.f("ImportDivisions, 5 national files (%.1f MiB gzip)", bytes / 1048576.0),
                Report.f("%.1f s, %s rows/s (%,d rows)", secs, Report.n0(resp.getRowsRead() / secs), resp.getRowsRead()));
        report.note(Report.f("ImportDivisions: %d messages; added %,d, updated %,d, unchanged %,d, retired %,d; last seq %,d",
                reqs.size(), resp.getAddedCount(), resp.getUpdatedCount(), resp.getUnchangedCount(), resp.getRetiredCount(),
                resp.getLastSequence()));
    }

    // ---------------------------------------------------------------- step 2: ImportProjects vs COPY

    private double importRowsPerSecond = Double.NaN;

    /** Imports the synthetic programme in messages of `batch` entries, timing the whole stream. */
    private void importProjects() throws Exception {
        workload = Workload.load(divisionsDir);
        // Only townships the service itself holds as active, so that no entry names a unit it
        // dropped or retired.
        Set<String> active = new HashSet<>();
        try (Connection c = jdbc(db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT code FROM division WHERE level = 'TOWNSHIP' AND retired_at IS NULL")) {
            while (rs.next()) {
                active.add(rs.getString(1));
            }
        }
        int dropped = workload.retain(active);
        if (dropped > 0) {
            report.note(dropped + " townships of streets.csv are not active divisions of the service; not used");
        }
        // Dry run on a sample first, so that a contract mismatch names the field instead of
        // failing the whole 100,000 at once.
        List<ProjectImportEntry> sample = new ArrayList<>();
        for (int i = 0; i < Math.min(100, projects); i++) {
            sample.add(workload.entry(seed, i));
        }
        ImportProjectsResponse dry = Streams.send(o -> async.withDeadlineAfter(60, TimeUnit.SECONDS).importProjects(o),
                List.of(ImportProjectsRequest.newBuilder().addAllEntries(sample).setValidateOnly(true)
                        .setRequestId(UUID.randomUUID().toString()).build()), 70);
        if (dry.getRejectedCount() > 0) {
            throw new IllegalStateException("validate_only rejected " + dry.getRejectedCount() + " of " + sample.size()
                    + " sample entries, e.g. " + rejected(dry.getRejected(0)));
        }
        rehearseImport();
        List<ImportProjectsRequest> reqs = new ArrayList<>();
        String requestId = UUID.randomUUID().toString();
        for (int from = 0; from < projects; from += batch) {
            ImportProjectsRequest.Builder b = ImportProjectsRequest.newBuilder();
            if (from == 0) {
                b.setRequestId(requestId);
            }
            for (int i = from; i < Math.min(projects, from + batch); i++) {
                b.addEntries(workload.entry(seed, i));
            }
            reqs.add(b.build());
        }
        CpuWindow cpu = CpuWindow.start(rss);
        long t0 = System.nanoTime();
        ImportProjectsResponse resp = Streams.send(
                o -> async.withDeadlineAfter(900, TimeUnit.SECONDS).importProjects(o), reqs, 910);
        double secs = (System.nanoTime() - t0) / 1e9;
        if (resp.getCreatedCount() != projects || resp.getProjectsCount() != projects) {
            throw new IllegalStateException(Report.f("created %d of %d (names returned: %d, rejected: %d%s)",
                    resp.getCreatedCount(), projects, resp.getProjectsCount(), resp.getRejectedCount(),
                    resp.getRejectedCount() > 0 ? ", e.g. " + rejected(resp.getRejected(0)) : ""));
        }
        names = List.copyOf(resp.getProjectsList());
        head = Math.max(head, resp.getLastSequence());
        importRowsPerSecond = projects / secs;
        report.note(Report.f("ImportProjects: %,d entries in %d messages took %.1f s (last seq %,d); %s",
                projects, reqs.size(), secs, resp.getLastSequence(), cpu.summary()));
    }

    /**
     * Warms the service's import path as a long-running service is warm: an import of other
     * entries, as many as {@code --import-rehearsal}, whose last entry is invalid, so that the
     * service checks and writes all the others and then refuses the whole import, leaving nothing
     * (every import is all or nothing). Untimed.
     */
    private void rehearseImport() throws Exception {
        if (importRehearsal <= 0) {
            return;
        }
        List<ImportProjectsRequest> reqs = new ArrayList<>();
        for (int from = 0; from < importRehearsal; from += batch) {
            ImportProjectsRequest.Builder b = ImportProjectsRequest.newBuilder();
            for (int i = from; i < Math.min(importRehearsal, from + batch); i++) {
                // Entries after the timed ones: other names, same shape.
                b.addEntries(workload.entry(seed, projects + i));
            }
            reqs.add(b.build());
        }
        ProjectImportEntry.Builder invalid = workload.entry(seed, projects + importRehearsal).toBuilder();
        invalid.getProjectBuilder().setDisplayName("");
        reqs.set(reqs.size() - 1, reqs.get(reqs.size() - 1).toBuilder().addEntries(invalid).build());
        long t0 = System.nanoTime();
        try {
            Streams.<ImportProjectsRequest, ImportProjectsResponse>send(
                    o -> async.withDeadlineAfter(600, TimeUnit.SECONDS).importProjects(o), reqs, 610);
            throw new IllegalStateException("the rehearsal import was accepted; it must be refused whole");
        } catch (io.grpc.StatusRuntimeException refused) {
            if (refused.getStatus().getCode() != io.grpc.Status.Code.INVALID_ARGUMENT) {
                throw refused;
            }
        }
        report.note(Report.f("ImportProjects rehearsal (warm-up, untimed): %,d entries and an invalid last one, refused whole "
                + "as it must be, in %.1f s", importRehearsal, (System.nanoTime() - t0) / 1e9));
    }

    /** Without step 2: the projects already in the database (a rerun of some steps on kept data). */
    private void loadNames() throws SQLException {
        List<String> list = new ArrayList<>();
        try (Connection c = jdbc(db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, state FROM project ORDER BY created_at, id")) {
            while (rs.next()) {
                if (!"PLANNED".equals(rs.getString(2))) {
                    touched.add(list.size());
                }
                list.add("projects/" + rs.getLong(1));
            }
            try (ResultSet h = st.executeQuery("SELECT last_seq FROM feed_head")) {
                if (h.next()) {
                    head = h.getLong(1);
                }
            }
        }
        if (list.isEmpty()) {
            throw new IllegalStateException("no project in " + db + ": run step 2");
        }
        names = List.copyOf(list);
        report.note(Report.f("reused the %,d projects already in %s (%,d not planned)", names.size(), db, touched.size()));
    }

    /**
     * Baseline of step 2: PostgreSQL COPY (CSV) of the very rows the service wrote, into the same
     * tables of a scratch copy of the schema (copied by the run script with pg_dump
     * --schema-only). Facilities first so that the foreign key holds; only the project COPY is
     * the baseline.
     */
    private void copyBaseline() throws Exception {
        byte[] divisions;
        byte[] facilities;
        byte[] projectRows;
        long projectCount;
        try (Connection src = jdbc(db)) {
            CopyManager cm = src.unwrap(PGConnection.class).getCopyAPI();
            divisions = copyOut(cm, "COPY (SELECT d.* FROM division d WHERE d.code IN (SELECT location_code FROM facility)) TO STDOUT (FORMAT csv)");
            facilities = copyOut(cm, "COPY (SELECT * FROM facility ORDER BY id) TO STDOUT (FORMAT csv)");
            projectRows = copyOut(cm, "COPY (SELECT * FROM project ORDER BY id) TO STDOUT (FORMAT csv)");
            projectCount = scalar(src, "SELECT count(*) FROM project");
        }
        // Three times, and the median: a COPY of ~2 s swings more from run to run on this machine
        // than the import does.
        double[] facilitySecs = new double[COPY_BASELINE_RUNS];
        double[] projectSecs = new double[COPY_BASELINE_RUNS];
        try (Connection dst = jdbc(copyDb)) {
            if (scalar(dst, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'project'") == 0) {
                throw new IllegalStateException("database " + copyDb + " has no project table: the run script copies the schema");
            }
            CopyManager cm = dst.unwrap(PGConnection.class).getCopyAPI();
            for (int run = 0; run < COPY_BASELINE_RUNS; run++) {
                try (Statement st = dst.createStatement()) {
                    st.execute("TRUNCATE project, facility, division CASCADE");
                }
                cm.copyIn("COPY division FROM STDIN (FORMAT csv)", new ByteArrayInputStream(divisions));
                long t0 = System.nanoTime();
                cm.copyIn("COPY facility FROM STDIN (FORMAT csv)", new ByteArrayInputStream(facilities));
                facilitySecs[run] = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                long copied = cm.copyIn("COPY project FROM STDIN (FORMAT csv)", new ByteArrayInputStream(projectRows));
                projectSecs[run] = (System.nanoTime() - t0) / 1e9;
                if (copied != projectCount) {
                    throw new IllegalStateException("COPY wrote " + copied + " of " + projectCount + " project rows");
                }
            }
        }
        double copyFacilitySecs = median(facilitySecs);
        double copySecs = median(projectSecs);
        double copyRate = projectCount / copySecs;
        double ratio = importRowsPerSecond / copyRate;
        report.add(new Report.Row("2", Report.f("ImportProjects, %,d new builds (facility + project each)", projects),
                Report.f("%s rows/s", Report.n0(importRowsPerSecond)),
                Report.f("COPY project: %s rows/s (%.2f s)", Report.n0(copyRate), copySecs),
                Report.ratio(ratio), ">= 0.30", ratio >= 0.3));
        report.note(Report.f("COPY baseline copies the service's own rows (CSV) into %s, %d times (median; project COPY %s s); "
                + "facility COPY first, untimed in the ratio: %.2f s, %s rows/s", copyDb, COPY_BASELINE_RUNS,
                Arrays.toString(Arrays.stream(projectSecs).map(x -> Math.round(x * 100) / 100.0).toArray()),
                copyFacilitySecs, Report.n0(projectCount / copyFacilitySecs)));
    }

    private static final int COPY_BASELINE_RUNS = 3;

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    // ---------------------------------------------------------------- step 3: GetProject vs pgbench

    /** What {@link #getProjectLoad} measured. */
    record GetLoad(Lat lat, long errors, String cpuNote, double serviceCpuMicrosPerCall, int seconds) {
        double callsPerSecond() {
            return lat.count() / (double) seconds;
        }
    }

    private void getProject() throws Exception {
        GetLoad load = getProjectLoad(concurrency, warmupSeconds, getSeconds);
        Lat all = load.lat();
        double callsPerSec = load.callsPerSecond();
        report.note(Report.f("GetProject window: %s; service CPU per call %.0f µs", load.cpuNote(), load.serviceCpuMicrosPerCall()));
        if (load.errors() > 0) {
            report.note(load.errors() + " GetProject calls failed");
        }
        AtomicLong errors = new AtomicLong(load.errors());
        // baseline: pgbench, same concurrency and duration, primary-key SELECT on the same table
        long minId;
        long maxId;
        try (Connection c = jdbc(db)) {
            minId = scalar(c, "SELECT min(id) FROM project");
            maxId = scalar(c, "SELECT max(id) FROM project");
        }
        Path script = Files.createTempFile("qingliu-bench-", ".sql");
        Files.writeString(script, "\\set id random(" + minId + ", " + maxId + ")\nSELECT * FROM project WHERE id = :id;\n");
        String out;
        try {
            out = exec(List.of(pgbench, "-h", pgHost, "-p", String.valueOf(pgPort), "-U", pgUser,
                    "-c", String.valueOf(concurrency), "-j", "2", "-T", String.valueOf(getSeconds), "-n",
                    "-f", script.toString(), db), getSeconds + 60);
        } finally {
            Files.deleteIfExists(script);
        }
        double tps = number(out, "tps = ([0-9.]+)");
        double pgAvg = number(out, "latency average = ([0-9.]+) ms");
        double ratio = callsPerSec / tps;
        report.add(new Report.Row("3", Report.f("GetProject, %d callers over %d channels, %d s", concurrency, pool.size(), getSeconds),
                Report.f("%s calls/s, p50 %s, p99 %s", Report.n0(callsPerSec), Report.ms(all.pctMs(50)), Report.ms(all.pctMs(99))),
                Report.f("pgbench -c %d -j 2: %s tps, avg %s", concurrency, Report.n0(tps), Report.ms(pgAvg)),
                Report.ratio(ratio), ">= 0.40", errors.get() == 0 && ratio >= 0.4));
    }

    /**
     * GetProject of random imported projects by {@code concurrency} callers over the channel pool:
     * {@code warmupSeconds} unmeasured, then {@code getSeconds} measured (also step 11's baseline).
     */
    GetLoad getProjectLoad(int callers, int warmupSeconds, int getSeconds) throws Exception {
        if (names.isEmpty()) {
            throw new IllegalStateException("no imported project names");
        }
        // Each caller is a chain of calls, the next sent when the last returns, so that exactly
        // `callers` calls are in flight; callbacks run on the transport's threads (direct
        // executor), which keeps the client's own CPU use low on a machine it shares with the
        // service and PostgreSQL.
        long start = System.nanoTime();
        long measureFrom = start + warmupSeconds * 1_000_000_000L;
        long end = measureFrom + getSeconds * 1_000_000_000L;
        AtomicLong errors = new AtomicLong();
        CpuWindow cpu = CpuWindow.start(rss);
        Thread cpuMark = new Thread(() -> {
            try {
                TimeUnit.NANOSECONDS.sleep(Math.max(0, measureFrom - System.nanoTime()));
                cpu.mark();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        cpuMark.setDaemon(true);
        cpuMark.start();
        List<Lat> lats = new ArrayList<>();
        CountDownLatch finished = new CountDownLatch(callers);
        for (int t = 0; t < callers; t++) {
            Lat lat = new Lat();
            lats.add(lat);
            ProjectServiceGrpc.ProjectServiceStub stub = ProjectServiceGrpc.newStub(pool.get(t % pool.size()));
            new Object() {
                long t0;

                void next() {
                    if (System.nanoTime() >= end) {
                        finished.countDown();
                        return;
                    }
                    String name = names.get(ThreadLocalRandom.current().nextInt(names.size()));
                    t0 = System.nanoTime();
                    stub.withDeadlineAfter(30, TimeUnit.SECONDS).getProject(GetProjectRequest.newBuilder().setName(name).build(),
                            new io.grpc.stub.StreamObserver<Project>() {
                                @Override
                                public void onNext(Project p) {
                                }

                                @Override
                                public void onError(Throwable e) {
                                    long n = errors.incrementAndGet();
                                    if (n == 1) {
                                        System.out.println("first GetProject error: " + describe(e));
                                    }
                                    if (n > 1000) {
                                        finished.countDown(); // give up this caller
                                    } else {
                                        done();
                                    }
                                }

                                @Override
                                public void onCompleted() {
                                    done();
                                }
                            });
                }

                void done() {
                    long now = System.nanoTime();
                    if (t0 >= measureFrom && now <= end) {
                        synchronized (lat) {
                            lat.add(now - t0);
                        }
                    }
                    next();
                }
            }.next();
        }
        if (!finished.await(warmupSeconds + getSeconds + 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("GetProject callers did not finish");
        }
        String cpuNote = cpu.summary();
        double serviceCpuPerCall = cpu.serviceSeconds() * 1e6;
        Lat all = new Lat();
        for (Lat l : lats) {
            synchronized (l) {
                all.addAll(l);
            }
        }
        return new GetLoad(all, errors.get(), cpuNote, serviceCpuPerCall / Math.max(1, all.count()), getSeconds);
    }

    // ---------------------------------------------------------------- step 4: transitions, ListProjects

    /** Moves every k-th project to approved, so that the list has a mix of states and the feed more changes. */
    private void transitions() throws Exception {
        int n = Math.min(transitions, names.size() / 2);
        int step = Math.max(1, names.size() / Math.max(1, n));
        List<Integer> targets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            targets.add(i * step);
        }
        approve(names.get(targets.get(0)));
        touched.add(targets.get(0));
        ExecutorService exec = Executors.newFixedThreadPool(8);
        AtomicInteger next = new AtomicInteger(1);
        AtomicLong errors = new AtomicLong();
        long t0 = System.nanoTime();
        List<Future<Lat>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(exec.submit(() -> {
                Lat lat = new Lat();
                int i;
                while ((i = next.getAndIncrement()) < targets.size()) {
                    long s = System.nanoTime();
                    try {
                        transition(names.get(targets.get(i)), approvalDate);
                        lat.add(System.nanoTime() - s);
                    } catch (StatusRuntimeException e) {
                        if (errors.incrementAndGet() == 1) {
                            System.out.println("first TransitionProject error: " + describe(e));
                        }
                    }
                }
                return lat;
            }));
        }
        Lat all = new Lat();
        for (Future<Lat> f : futures) {
            all.addAll(f.get(300, TimeUnit.SECONDS));
        }
        exec.shutdown();
        double secs = (System.nanoTime() - t0) / 1e9;
        touched.addAll(targets);
        report.add(new Report.Row("4", Report.f("TransitionProject -> APPROVED, %,d projects, 8 callers", targets.size()),
                Report.f("%s calls/s, p50 %s, p99 %s%s", Report.n0((targets.size() - 1) / secs), Report.ms(all.pctMs(50)),
                        Report.ms(all.pctMs(99)), errors.get() > 0 ? ", " + errors.get() + " failed" : ""),
                "", "", "", errors.get() == 0 ? null : Boolean.FALSE));
    }

    /**
     * Moves one project to approved; the first call finds which effective date the service
     * takes: 2019-03-01, or, if the service refuses a date before the project's creation,
     * today in China.
     */
    private Project approve(String name) {
        if (approvalDate != null) {
            return transition(name, approvalDate);
        }
        Date early = Date.newBuilder().setYear(2019).setMonth(3).setDay(1).build();
        try {
            Project p = transition(name, early);
            approvalDate = early;
            return p;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.INVALID_ARGUMENT
                    && e.getStatus().getCode() != Status.Code.FAILED_PRECONDITION) {
                throw e;
            }
            LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
            approvalDate = Date.newBuilder().setYear(today.getYear()).setMonth(today.getMonthValue()).setDay(today.getDayOfMonth()).build();
            report.note("TransitionProject refused effective date 2019-03-01 (" + describe(e) + "); used " + today);
            return transition(name, approvalDate);
        }
    }

    private Project transition(String name, Date date) {
        return blocking.withDeadlineAfter(30, TimeUnit.SECONDS).transitionProject(TransitionProjectRequest.newBuilder()
                .setName(name).setState(ProjectState.PROJECT_STATE_APPROVED).setEffectiveDate(date)
                .setReason("bench").setRequestId(UUID.randomUUID().toString()).build());
    }

    /** Page 1 against page `pageDepth` of ListProjects, unfiltered and filtered on state. */
    private void listProjects() throws Exception {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("unfiltered", "");
        filters.put("state = PLANNED", "state = PROJECT_STATE_PLANNED");
        for (Map.Entry<String, String> f : filters.entrySet()) {
            try {
                listSeries(f.getKey(), f.getValue());
            } catch (Exception e) {
                report.failed("4", "ListProjects " + f.getKey(), describe(e));
            }
        }
    }

    private void listSeries(String label, String filter) {
        // a smaller run (--projects) has fewer pages: stay within them
        int depth = Math.min(pageDepth, (names.size() - touched.size()) / pageSize - 1);
        if (depth < 2) {
            throw new IllegalStateException("too few projects for paging");
        }
        ListProjectsRequest first = ListProjectsRequest.newBuilder().setPageSize(pageSize).setFilter(filter).build();
        listProjects(first); // warm
        Lat p1 = new Lat();
        for (int i = 0; i < pageRepeats; i++) {
            long t0 = System.nanoTime();
            ListProjectsResponse r = listProjects(first);
            p1.add(System.nanoTime() - t0);
            if (r.getProjectsCount() != pageSize) {
                throw new IllegalStateException("page 1 has " + r.getProjectsCount() + " projects");
            }
        }
        // walk to page `depth` once, at most 240 s
        String token = "";
        long walkStart = System.nanoTime();
        long deadline = walkStart + 240_000_000_000L;
        int page = 1;
        for (; page < depth; page++) {
            ListProjectsResponse r = listProjects(first.toBuilder().setPageToken(token).build());
            token = r.getNextPageToken();
            if (token.isEmpty()) {
                throw new IllegalStateException("the list ends at page " + page);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("walking to page " + depth + " took over 240 s (reached page " + page + ")");
            }
        }
        double walkSecs = (System.nanoTime() - walkStart) / 1e9;
        ListProjectsRequest deep = first.toBuilder().setPageToken(token).build();
        listProjects(deep); // warm
        Lat pDeep = new Lat();
        for (int i = 0; i < pageRepeats; i++) {
            long t0 = System.nanoTime();
            ListProjectsResponse r = listProjects(deep);
            pDeep.add(System.nanoTime() - t0);
            if (r.getProjectsCount() == 0) {
                throw new IllegalStateException("page " + depth + " is empty");
            }
        }
        double ratio = pDeep.pctMs(50) / p1.pctMs(50);
        report.add(new Report.Row("4", Report.f("ListProjects %s, size %d, page %d vs page 1 (p50 of %d)", label, pageSize, depth, pageRepeats),
                Report.f("page %d: p50 %s, p99 %s", depth, Report.ms(pDeep.pctMs(50)), Report.ms(pDeep.pctMs(99))),
                Report.f("page 1: p50 %s, p99 %s", Report.ms(p1.pctMs(50)), Report.ms(p1.pctMs(99))),
                Report.ratio(ratio), "<= 1.50", ratio <= 1.5));
        report.note(Report.f("ListProjects %s: walking pages 1..%d took %.1f s", label, depth - 1, walkSecs));
    }

    private ListProjectsResponse listProjects(ListProjectsRequest r) {
        return blocking.withDeadlineAfter(30, TimeUnit.SECONDS).listProjects(r);
    }

    // ---------------------------------------------------------------- step 5: WatchChanges

    /** Reads the whole feed from sequence 0 up to the head seen in the first response. */
    private void watchCatchUp() throws Exception {
        long[] r = new long[5]; // count, lastSeq, headAtStart, t100k (nanos), gaps
        CpuWindow cpu = CpuWindow.start(rss);
        long t0 = System.nanoTime();
        Context.CancellableContext ctx = Context.current().withCancellation();
        try {
            ctx.run(() -> {
                var it = blocking.withDeadlineAfter(300, TimeUnit.SECONDS)
                        .watchChanges(WatchChangesRequest.newBuilder().setAfterSequence(0).setMaxBatchSize(watchBatch).build());
                while (it.hasNext()) {
                    WatchChangesResponse resp = it.next();
                    if (r[2] == 0) {
                        r[2] = resp.getHeadSequence();
                    }
                    for (Change c : resp.getChangesList()) {
                        if (c.getSequence() != r[1] + 1) {
                            r[4]++;
                        }
                        r[1] = c.getSequence();
                        if (++r[0] == 100_000) {
                            r[3] = System.nanoTime();
                        }
                    }
                    if (r[2] > 0 && r[1] >= r[2]) {
                        break;
                    }
                }
            });
        } finally {
            ctx.cancel(null);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        String cpuNote = cpu.summary();
        long count = r[0];
        if (r[2] == 0 || r[1] < r[2]) {
            throw new IllegalStateException(Report.f("the stream ended at sequence %d before the head %d", r[1], r[2]));
        }
        head = Math.max(head, r[2]);
        // baseline: plain JDBC read of the same rows, streamed with a cursor
        long t1 = System.nanoTime();
        long rows = 0;
        try (Connection c = jdbc(db)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, payload FROM change_log WHERE seq <= ? ORDER BY seq")) {
                ps.setFetchSize(1000);
                ps.setLong(1, r[2]);
                try (ResultSet rs = ps.executeQuery()) {
                    long sink = 0;
                    while (rs.next()) {
                        sink += rs.getLong(1) + rs.getBytes(2).length;
                        rows++;
                    }
                    if (sink == 42) {
                        System.out.print("");
                    }
                }
            }
        }
        double jdbcSecs = (System.nanoTime() - t1) / 1e9;
        double jdbcRate = rows / jdbcSecs;
        double first = r[3] > 0 ? 100_000 / ((r[3] - t0) / 1e9) : Double.NaN;
        double total = count / secs;
        String batchNote = watchBatch == 0 ? "default batch" : "batch " + watchBatch;
        report.add(new Report.Row("5", Report.f("WatchChanges(after 0) catch-up, first 100,000 changes (%s)", batchNote),
                Report.f("%s changes/s", Report.n0(first)),
                Report.f("JDBC SELECT seq, payload: %s rows/s", Report.n0(jdbcRate)),
                Report.ratio(first / jdbcRate), ">= 50,000/s", first >= 50_000 && r[4] == 0));
        report.note("WatchChanges catch-up: " + cpuNote);
        report.add(new Report.Row("5", Report.f("WatchChanges catch-up, all %,d changes to head %,d", count, r[2]),
                Report.f("%s changes/s (%.1f s), gaps %d", Report.n0(total), secs, r[4]),
                Report.f("JDBC: %,d rows in %.1f s", rows, jdbcSecs),
                Report.ratio(total / jdbcRate), "", null));
    }

    /**
     * Live delay: a stream open at the head while another thread makes liveOps writes at
     * liveRate/s, alternating TransitionProject (planned → approved) and UpdateProject
     * (progress_percent). Delay = arrival of the change on the stream − return of the unary call.
     */
    private void watchLive() throws Exception {
        // projects the transitions of step 4 left planned, spread evenly over the list
        List<Integer> untouched = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (!touched.contains(i)) {
                untouched.add(i);
            }
        }
        if (untouched.size() < liveOps + 1) {
            throw new IllegalStateException("not enough untouched projects");
        }
        List<String> targets = new ArrayList<>();
        for (int k = 0; k <= liveOps; k++) {
            targets.add(names.get(untouched.get((int) ((long) k * untouched.size() / (liveOps + 1)))));
        }
        Set<String> wanted = ConcurrentHashMap.newKeySet();
        wanted.addAll(targets);
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong streamErrorCode = new AtomicLong(-1);
        final ClientCallStreamObserver<?>[] call = new ClientCallStreamObserver<?>[1];
        async.watchChanges(WatchChangesRequest.newBuilder().setAfterSequence(head).build(),
                new ClientResponseObserver<WatchChangesRequest, WatchChangesResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<WatchChangesRequest> s) {
                        call[0] = s;
                    }

                    @Override
                    public void onNext(WatchChangesResponse resp) {
                        long now = System.nanoTime();
                        for (Change c : resp.getChangesList()) {
                            if (wanted.contains(c.getResourceName())) {
                                arrivals.putIfAbsent(c.getResourceName(), now);
                            }
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        if (Status.fromThrowable(t).getCode() != Status.Code.CANCELLED) {
                            streamErrorCode.set(Status.fromThrowable(t).getCode().value());
                            System.out.println("live WatchChanges stream failed: " + describe(t));
                        }
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        try {
            // one write not measured, to know that the stream is live before the clock starts
            String probe = targets.get(0);
            approve(probe);
            long probeDeadline = System.nanoTime() + 15_000_000_000L;
            while (!arrivals.containsKey(probe) && System.nanoTime() < probeDeadline && done.getCount() > 0) {
                Thread.sleep(5);
            }
            if (!arrivals.containsKey(probe)) {
                throw new IllegalStateException("the change of a write did not arrive on a live stream within 15 s");
            }
            Map<String, Long> okAt = new HashMap<>();
            long errors = 0;
            long intervalNanos = 1_000_000_000L / Math.max(1, liveRate);
            long start = System.nanoTime();
            for (int i = 0; i < liveOps; i++) {
                String name = targets.get(i + 1);
                boolean update = i % 2 == 1;
                Project current = update ? blocking.withDeadlineAfter(30, TimeUnit.SECONDS)
                        .getProject(GetProjectRequest.newBuilder().setName(name).build()) : null;
                long due = start + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                try {
                    if (update) {
                        blocking.withDeadlineAfter(30, TimeUnit.SECONDS).updateProject(UpdateProjectRequest.newBuilder()
                                .setProject(Project.newBuilder().setName(name).setEtag(current.getEtag())
                                        .setProgressPercent(1 + i % 99))
                                .setUpdateMask(FieldMask.newBuilder().addPaths("progress_percent")).build());
                    } else {
                        transition(name, approvalDate);
                    }
                    okAt.put(name, System.nanoTime());
                } catch (StatusRuntimeException e) {
                    if (++errors == 1) {
                        System.out.println("first live write error: " + describe(e));
                    }
                }
            }
            double sendSecs = (System.nanoTime() - start) / 1e9;
            long waitDeadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < waitDeadline && !arrivals.keySet().containsAll(okAt.keySet()) && done.getCount() > 0) {
                Thread.sleep(10);
            }
            Lat delay = new Lat();
            long early = 0;
            long missing = 0;
            for (Map.Entry<String, Long> e : okAt.entrySet()) {
                Long arrived = arrivals.get(e.getKey());
                if (arrived == null) {
                    missing++;
                } else {
                    long d = arrived - e.getValue();
                    if (d < 0) {
                        early++;
                        d = 0;
                    }
                    delay.add(d);
                }
            }
            double p99 = delay.pctMs(99);
            report.add(new Report.Row("5", Report.f("WatchChanges live delay, %d writes at %d/s (Transition/Update)", liveOps, liveRate),
                    Report.f("p50 %s, p99 %s, max %s", Report.ms(delay.pctMs(50)), Report.ms(p99), Report.ms(delay.pctMs(100))),
                    Report.f("%d received, %d missing, %d failed writes", delay.count(), missing, errors),
                    "", "p99 <= 200 ms", missing == 0 && errors == 0 && p99 <= 200));
            report.note(Report.f("live: %d writes took %.1f s; %d changes arrived before the unary call returned (counted as 0 ms)",
                    liveOps, sendSecs, early));
        } finally {
            if (call[0] != null) {
                call[0].cancel("bench done", null);
            }
            done.await(5, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- step 6: RSS

    private void peakRss() {
        long hwm = rss.hwmKb();
        long sampled = rss.maxSampledKb();
        if (hwm < 0 && sampled < 0) {
            throw new IllegalStateException("cannot read /proc/<service pid>/status (pass --service-pid)");
        }
        report.row("6", "project-service peak RSS (java -Xmx256m), whole run",
                Report.f("VmHWM %,d MiB (max sampled VmRSS %,d MiB)", hwm / 1024, sampled / 1024));
    }

    // ---------------------------------------------------------------- helpers

    Connection jdbc(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", pgUser);
        return DriverManager.getConnection("jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database, p);
    }

    static long scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static byte[] copyOut(CopyManager cm, String sql) throws SQLException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        cm.copyOut(sql, out);
        return out.toByteArray();
    }

    private static String exec(List<String> cmd, long timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // process gone
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd.get(0) + " did not finish in " + timeoutSeconds + " s");
        }
        reader.join(5000);
        String s = out.toString(StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(cmd.get(0) + " exited " + p.exitValue() + ": " + s.strip());
        }
        return s;
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no /" + regex + "/ in: " + text.strip());
        }
        return Double.parseDouble(m.group(1));
    }

    private static String rejected(RejectedEntry e) {
        StringBuilder sb = new StringBuilder("entry " + e.getPosition() + ":");
        e.getViolationsList().forEach(v -> sb.append(' ').append(v.getField()).append(" (").append(v.getDescription()).append(')'));
        return sb.toString();
    }

    /** A gRPC error with its google.rpc details, or any other exception's message. */
    static String describe(Throwable t) {
        Status s = Status.fromThrowable(t);
        if (s.getCode() == Status.Code.UNKNOWN && !(t instanceof StatusRuntimeException)
                && !(t instanceof io.grpc.StatusException)) {
            return t.getClass().getSimpleName() + ": " + t.getMessage();
        }
        StringBuilder sb = new StringBuilder(s.getCode().name());
        if (s.getDescription() != null) {
            sb.append(": ").append(s.getDescription());
        }
        com.google.rpc.Status details = StatusProto.fromThrowable(t);
        if (details != null) {
            for (Any a : details.getDetailsList()) {
                try {
                    if (a.is(ErrorInfo.class)) {
                        ErrorInfo ei = a.unpack(ErrorInfo.class);
                        sb.append(" [").append(ei.getReason()).append(' ').append(ei.getMetadataMap()).append(']');
                    } else if (a.is(BadRequest.class)) {
                        a.unpack(BadRequest.class).getFieldViolationsList().forEach(v ->
                                sb.append(" [").append(v.getField()).append(": ").append(v.getDescription()).append(']'));
                    }
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    sb.append(" [undecodable ").append(a.getTypeUrl()).append(']');
                }
            }
        }
        return sb.toString();
    }

    String str(String key, String dflt) {
        return opt.getOrDefault(key, dflt);
    }

    int intOpt(String key, int dflt) {
        return Integer.parseInt(opt.getOrDefault(key, String.valueOf(dflt)));
    }
}
