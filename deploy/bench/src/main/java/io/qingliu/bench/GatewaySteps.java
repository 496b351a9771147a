package io.qingliu.bench;

import com.google.protobuf.util.JsonFormat;
import com.google.type.Date;
import io.qingliu.api.capacity.v1.CoverageBreakdown;
import io.qingliu.api.capacity.v1.CoverageGoal;
import io.qingliu.api.capacity.v1.CreatePlanRequest;
import io.qingliu.api.capacity.v1.GetPlanProgressRequest;
import io.qingliu.api.capacity.v1.GetPlanRequest;
import io.qingliu.api.capacity.v1.ListGoalUnitsRequest;
import io.qingliu.api.capacity.v1.ListGoalUnitsResponse;
import io.qingliu.api.capacity.v1.ListPlansRequest;
import io.qingliu.api.capacity.v1.ListPlansResponse;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsRequest;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsResponse;
import io.qingliu.api.capacity.v1.Plan;
import io.qingliu.api.capacity.v1.PlanProgress;
import io.qingliu.api.capacity.v1.SummarizeCoverageRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Steps 11 to 13 of the bench: the gateway (HTTP/JSON over both services) beside the gRPC it calls.
 *
 * <ul>
 *   <li>11: {@code GET /api/v1/projects/{id}} at 16 connections (wrk when installed, else a Java
 *       HTTP/1.1 keep-alive client) against direct gRPC GetProject at 16 callers, in windows taken in turn;
 *   <li>12: the Ziyang progress report (plan ZY-2018-2020, created from the shipped JSON when the
 *       bench's capacity-service lacks it) as HTML and as Excel: time to last byte, against the
 *       capacity-service calls the report is made of, asked directly;
 *   <li>13: the CSV of every national village's coverage status ({@code BENCH-CN}'s
 *       village-garbage goal of step 8, {@code :exportUnits}): rows/s against ListGoalUnits read
 *       directly in the gateway's pages (5,000), with the gateway's heap (GC log) and RSS sampled meanwhile.
 * </ul>
 *
 * The gateway runs as a child process of this client ({@link ServiceProcess}) with a small heap,
 * its GC log written to a file beside its log, so that an export that buffered would show (or fail).
 */
final class GatewaySteps implements AutoCloseable {

    static final String HEAP = "-Xmx64m";
    static final String ZIYANG_PLAN = "ZY-2018-2020";
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private final Bench b;
    private final Report report;
    private final CapacitySteps capacity;
    /** Null when the run script passed no gateway jar. */
    private final ServiceProcess gateway;
    private final int port;
    private final Path gcLog;
    private final Path ziyangPlanFile;
    private final String wrk;
    private final int warmupSeconds;
    private final int getSeconds;
    private final int rounds;
    private final int reportWarmups;
    private final int reportRuns;
    private final int exportPageSize;
    private final int exportWarmups;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    GatewaySteps(Bench b, CapacitySteps capacity) {
        this.b = b;
        this.report = b.report;
        this.capacity = capacity;
        port = b.intOpt("gateway-port", 18183);
        exportPageSize = b.intOpt("export-page-size", 5_000);
        exportWarmups = b.intOpt("export-warmups", 2);
        String jar = b.str("gateway-jar", "");
        Path log = Path.of(b.str("gateway-log", "deploy/bench/.run/gateway.log"));
        gcLog = log.resolveSibling("gateway-gc.log");
        if (jar.isEmpty()) {
            gateway = null;
        } else {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
            env.put("QUARKUS_GRPC_CLIENTS_PROJECT_HOST", "127.0.0.1");
            env.put("QUARKUS_GRPC_CLIENTS_PROJECT_PORT", String.valueOf(b.port));
            env.put("QUARKUS_GRPC_CLIENTS_CAPACITY_HOST", "127.0.0.1");
            env.put("QUARKUS_GRPC_CLIENTS_CAPACITY_PORT", String.valueOf(b.intOpt("capacity-port", 18182)));
            // the gateway's own default, named so that the baseline surely reads the same pages
            env.put("QINGLIU_GATEWAY_EXPORT_PAGE_SIZE", String.valueOf(exportPageSize));
            env.put("QINGLIU_AUTH_PUBLIC_KEY_LOCATION", b.auth.publicKeyLocation());
            List<String> jvm = new ArrayList<>(List.of(HEAP, "-Xlog:gc:file=" + gcLog.toAbsolutePath() + ":uptime"));
            // Extra JVM options (a profile, a setting as -D...): BENCH_GATEWAY_JAVA_OPTS, like run's BENCH_SERVICE_JAVA_OPTS.
            String extra = System.getenv().getOrDefault("BENCH_GATEWAY_JAVA_OPTS", "").strip();
            if (!extra.isEmpty()) {
                jvm.addAll(List.of(extra.split("\\s+")));
            }
            gateway = new ServiceProcess("gateway", jvm,
                    Path.of(jar), port, env, log, Path.of(b.str("gateway-pid-file", "deploy/bench/.run/gateway.pid")));
        }
        ziyangPlanFile = Path.of(b.str("ziyang-plan", "capacity-service/src/main/resources/plans/ziyang-2018-2020.json"));
        wrk = b.str("wrk", "wrk");
        warmupSeconds = b.intOpt("gateway-warmup-seconds", 60);
        getSeconds = b.intOpt("gateway-get-seconds", 15);
        rounds = Math.max(1, b.intOpt("gateway-rounds", 3));
        reportWarmups = b.intOpt("report-warmups", 3);
        reportRuns = b.intOpt("report-runs", 10);
    }

    /** For the table's header. */
    String describe() {
        return gateway == null ? "gateway: not configured (no --gateway-jar)"
                : Report.f("gateway java %s on 127.0.0.1:%d; GC log %s; load client %s", gateway.jvm(), port, gcLog,
                        wrkAvailable() ? "wrk" : "Java HTTP/1.1 keep-alive (wrk not found)");
    }

    @Override
    public void close() throws InterruptedException {
        if (gateway != null) {
            gateway.stop();
        }
    }

    // ---------------------------------------------------------------- step 11: GET project

    /**
     * The same GetProject load at the same concurrency, straight over gRPC (as step 3 does) and
     * through the gateway over HTTP/1.1 keep-alive connections: both warmed first, then measured in
     * short windows taken in turn ({@code --gateway-rounds}, default 3, of a third of
     * {@code --gateway-get-seconds} each), so that whatever else the machine does meanwhile (its
     * neighbours, PostgreSQL's background work) weighs on both alike (this machine's speed moved by
     * ±30% within an hour: one long window of each, one after the other, could land a slow spell on
     * one side only). Rates and percentiles are the means
     * of the windows'. The gateway's figure includes the gRPC call it makes; the difference is what
     * HTTP/JSON adds.
     */
    void getProject() throws Exception {
        ensureGateway();
        List<String> names = b.names();
        if (names.isEmpty()) {
            throw new IllegalStateException("no imported project names");
        }
        int callers = b.concurrency;
        int window = Math.max(1, getSeconds / rounds);
        b.getProjectLoad(callers, warmupSeconds, 1);
        httpLoad(names, callers, CpuWindow.start(List.of("gateway"), List.of(gateway.rss())), warmupSeconds, 1);
        List<Bench.GetLoad> direct = new ArrayList<>();
        List<HttpLoad> http = new ArrayList<>();
        CpuWindow cpu = null;
        for (int r = 0; r < rounds; r++) {
            direct.add(b.getProjectLoad(callers, 1, window));
            cpu = CpuWindow.start(List.of("gateway", "project-service"), List.of(gateway.rss(), b.rss));
            http.add(httpLoad(names, callers, cpu, 1, window));
        }
        report.note(Report.f("GET via gateway, last window: %s; load client %s; windows, gRPC then gateway: %s",
                cpu.summary(), http.get(0).client(), windows(direct, http)));
        long errors = http.stream().mapToLong(HttpLoad::errors).sum();
        if (errors > 0) {
            report.note(errors + " gateway GETs were not 200 (or failed)");
        }
        double directRate = mean(direct.stream().mapToDouble(Bench.GetLoad::callsPerSecond));
        double directP50 = mean(direct.stream().mapToDouble(d -> d.lat().pctMs(50)));
        double httpRate = mean(http.stream().mapToDouble(HttpLoad::requestsPerSecond));
        double httpP50 = mean(http.stream().mapToDouble(HttpLoad::p50Ms));
        double ratio = httpRate / directRate;
        double added = httpP50 - directP50;
        String baseline = Report.f("gRPC GetProject, %d callers: %s calls/s, p50 %s, p99 %s", callers,
                Report.n0(directRate), Report.ms(directP50), Report.ms(mean(direct.stream().mapToDouble(d -> d.lat().pctMs(99)))));
        report.add(new Report.Row("11", Report.f("GET /api/v1/projects/{id} via gateway, %d connections (%s), %d × %d s",
                callers, http.get(0).client(), rounds, window),
                Report.f("%s req/s, p50 %s, p99 %s", Report.n0(httpRate), Report.ms(httpP50),
                        Report.ms(mean(http.stream().mapToDouble(HttpLoad::p99Ms)))),
                baseline, Report.ratio(ratio), ">= 0.60", errors == 0 && ratio >= 0.6));
        report.add(new Report.Row("11", "added p50 of the gateway (its p50 - gRPC p50)", Report.f("%+.2f ms", added),
                "", "", "<= 0.5 ms", errors == 0 && added <= 0.5));

        // At 16 callers on 2 shared cores both sides queue for the CPU, so a p50 there is mostly
        // 16 / throughput. One caller shows what the HTTP/JSON hop itself adds to one request.
        Bench.GetLoad alone = b.getProjectLoad(1, 5, getSeconds);
        HttpLoad one = httpLoad(names, 1, CpuWindow.start(List.of("gateway"), List.of(gateway.rss())), 5, getSeconds);
        report.add(new Report.Row("11", "same, 1 caller: added p50 (no queueing: the hop's own cost)",
                Report.f("%+.2f ms (gateway p50 %s, %s req/s)", one.p50Ms() - alone.lat().pctMs(50), Report.ms(one.p50Ms()),
                        Report.n0(one.requestsPerSecond())),
                Report.f("gRPC GetProject, 1 caller: p50 %s, %s calls/s", Report.ms(alone.lat().pctMs(50)),
                        Report.n0(alone.callsPerSecond())), "", "", null));
    }

    /** Each window's calls/s and p50, gRPC then gateway, for the notes. */
    private static String windows(List<Bench.GetLoad> direct, List<HttpLoad> http) {
        List<String> each = new ArrayList<>();
        for (int i = 0; i < direct.size(); i++) {
            each.add(Report.f("%s/%s (p50 %s/%s)", Report.n0(direct.get(i).callsPerSecond()),
                    Report.n0(http.get(i).requestsPerSecond()), Report.ms(direct.get(i).lat().pctMs(50)),
                    Report.ms(http.get(i).p50Ms())));
        }
        return String.join(", ", each);
    }

    private static double mean(java.util.stream.DoubleStream values) {
        return values.average().orElseThrow();
    }

    /** GETs at {@code connections}: wrk when installed, else the Java client; {@code warmup} s unmeasured, then {@code seconds} measured. */
    private HttpLoad httpLoad(List<String> names, int connections, CpuWindow cpu, int warmup, int seconds) throws Exception {
        return wrkAvailable() ? wrk(names, connections, cpu, warmup, seconds) : javaLoad(names, connections, cpu, warmup, seconds);
    }

    /** Requests/s and latency of an HTTP load. */
    private record HttpLoad(String client, double requestsPerSecond, double p50Ms, double p99Ms, long errors) {
    }

    private boolean wrkAvailable() {
        try {
            Process p = new ProcessBuilder(wrk, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
            return true; // wrk --version exits 1 but prints its version
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** wrk -t2 (the machine's cores) with a script that asks for random projects: warm-up run, then the measured one. */
    private HttpLoad wrk(List<String> names, int connections, CpuWindow cpu, int warmup, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("qingliu-bench-wrk");
        try {
            Path ids = dir.resolve("ids.txt");
            Files.write(ids, names.stream().map(n -> "/api/v1/" + n).toList(), StandardCharsets.UTF_8);
            Path script = dir.resolve("get-project.lua");
            Files.writeString(script, """
                    local paths = {}
                    for line in io.lines("%s") do paths[#paths + 1] = line end
                    init = function(args) math.randomseed(os.time() + math.floor(os.clock() * 1000000)) end
                    request = function() return wrk.format("GET", paths[math.random(#paths)]) end
                    """.formatted(ids.toAbsolutePath()), StandardCharsets.UTF_8);
            // wrk wants at least one connection per thread.
            List<String> common = List.of(wrk, "-t" + Math.min(2, connections), "-c" + connections, "--latency",
                    "-H", "Authorization: " + b.auth.header(), "-s", script.toString());
            run(concat(common, "-d" + warmup + "s", "http://127.0.0.1:" + port), warmup + 60);
            cpu.mark();
            String out = run(concat(common, "-d" + seconds + "s", "http://127.0.0.1:" + port), seconds + 60);
            long errors = (long) optional(out, "Non-2xx or 3xx responses: (\\d+)")
                    + sumOf(out, "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
            return new HttpLoad("wrk -t2", number(out, "Requests/sec:\\s+([0-9.]+)"), wrkMs(out, "50%"), wrkMs(out, "99%"),
                    errors);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Without wrk: one thread per connection, each a blocking HTTP/1.1 client on its own kept-alive connection. */
    private HttpLoad javaLoad(List<String> names, int connections, CpuWindow cpu, int warmup, int seconds) throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + warmup * 1_000_000_000L;
        long end = measureFrom + seconds * 1_000_000_000L;
        AtomicLong errors = new AtomicLong();
        AtomicBoolean marked = new AtomicBoolean();
        ExecutorService exec = Executors.newFixedThreadPool(connections);
        List<Future<Lat>> futures = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            futures.add(exec.submit(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                Lat lat = new Lat();
                long now;
                while ((now = System.nanoTime()) < end) {
                    if (now >= measureFrom && marked.compareAndSet(false, true)) {
                        cpu.mark();
                    }
                    String name = names.get(ThreadLocalRandom.current().nextInt(names.size()));
                    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/" + name))
                            .header("Authorization", b.auth.header()).timeout(Duration.ofSeconds(30)).build();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200 && t0 >= measureFrom) {
                            errors.incrementAndGet();
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    }
                    long t1 = System.nanoTime();
                    if (t0 >= measureFrom && t1 <= end) {
                        lat.add(t1 - t0);
                    }
                }
                return lat;
            }));
        }
        Lat all = new Lat();
        for (Future<Lat> f : futures) {
            all.addAll(f.get(warmup + seconds + 120L, TimeUnit.SECONDS));
        }
        exec.shutdown();
        return new HttpLoad("Java HTTP/1.1 client", all.count() / (double) seconds, all.pctMs(50), all.pctMs(99),
                errors.get());
    }

    // ---------------------------------------------------------------- step 12: the Ziyang report

    /**
     * The Ziyang progress report as HTML and as Excel, as of today: time to last byte over
     * {@code reportRuns} fetches after {@code reportWarmups}, beside the capacity-service calls the
     * gateway makes for it (GetPlan, GetPlanProgress, and per goal SummarizeCoverage by township and
     * ListUncoveredUnits in pages of 1,000), made directly from here.
     */
    void report() throws Exception {
        ensureGateway();
        Plan plan = ziyangPlan();
        String id = plan.getName().substring("plans/".length());
        Lat direct = new Lat();
        for (int i = 0; i < reportWarmups + reportRuns; i++) {
            long t0 = System.nanoTime();
            reportCalls(plan.getName());
            if (i >= reportWarmups) {
                direct.add(System.nanoTime() - t0);
            }
        }
        String baseline = Report.f("its capacity-service calls, direct: p50 %s", Report.ms(direct.pctMs(50)));
        for (String format : List.of("html", "xlsx")) {
            Lat lat = new Lat();
            long bytes = 0;
            for (int i = 0; i < reportWarmups + reportRuns; i++) {
                long t0 = System.nanoTime();
                Download d = download("/api/v1/plans/" + id + "/report?format=" + format);
                if (d.status() != 200) {
                    throw new IllegalStateException("report " + format + ": HTTP " + d.status());
                }
                if (i >= reportWarmups) {
                    lat.add(d.lastByteNanos() - t0);
                }
                bytes = d.bytes();
            }
            report.add(new Report.Row("12", Report.f("Ziyang report %s (%s), %s, time to last byte, %d fetches", ZIYANG_PLAN,
                    format.toUpperCase(java.util.Locale.ROOT), Report.f("%,d bytes", bytes), reportRuns),
                    Report.f("p50 %s, max %s", Report.ms(lat.pctMs(50)), Report.ms(lat.pctMs(100))), baseline,
                    Report.ratio(lat.pctMs(50) / direct.pctMs(50)), "<= 1 s", lat.pctMs(100) <= 1000));
        }
    }

    /** What the gateway's ReportAssembler asks capacity-service for, in the same order. */
    private void reportCalls(String planName) {
        Plan plan = capacity.cap.getPlan(GetPlanRequest.newBuilder().setName(planName).build());
        PlanProgress progress = capacity.cap.getPlanProgress(GetPlanProgressRequest.newBuilder().setName(planName).build());
        Date date = progress.getAsOfDate();
        for (CoverageGoal goal : plan.getCoverageGoalsList()) {
            capacity.cap.summarizeCoverage(SummarizeCoverageRequest.newBuilder().setGoal(goal.getName()).setAsOfDate(date)
                    .setBreakdown(CoverageBreakdown.COVERAGE_BREAKDOWN_TOWNSHIP).build());
            String token = "";
            do {
                ListUncoveredUnitsResponse page = capacity.cap.listUncoveredUnits(ListUncoveredUnitsRequest.newBuilder()
                        .setGoal(goal.getName()).setAsOfDate(date).setPageSize(1000).setPageToken(token).build());
                token = page.getNextPageToken();
            } while (!token.isEmpty());
        }
    }

    /** The plan ZY-2018-2020: the one capacity-service holds, else created from the shipped JSON. */
    private Plan ziyangPlan() throws IOException {
        Optional<Plan> held = planByCode(ZIYANG_PLAN);
        if (held.isPresent()) {
            return held.get();
        }
        // The shipped file is a JSON array of plans: read it as a ListPlansResponse's list.
        ListPlansResponse.Builder shipped = ListPlansResponse.newBuilder();
        JsonFormat.parser().merge("{\"plans\": " + Files.readString(ziyangPlanFile, StandardCharsets.UTF_8) + "}", shipped);
        Plan plan = shipped.getPlansList().stream().filter(p -> p.getCode().equals(ZIYANG_PLAN)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no plan " + ZIYANG_PLAN + " in " + ziyangPlanFile));
        Plan created = capacity.cap.withDeadlineAfter(120, TimeUnit.SECONDS).createPlan(CreatePlanRequest.newBuilder()
                .setPlan(plan).setRequestId(UUID.randomUUID().toString()).build());
        report.note("step 12: plan " + ZIYANG_PLAN + " created from " + ziyangPlanFile.getFileName() + " as " + created.getName());
        return created;
    }

    private Optional<Plan> planByCode(String code) {
        String token = "";
        do {
            ListPlansResponse page = capacity.cap.listPlans(ListPlansRequest.newBuilder().setPageSize(1000)
                    .setPageToken(token).build());
            for (Plan p : page.getPlansList()) {
                if (p.getCode().equals(code)) {
                    return Optional.of(p);
                }
            }
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return Optional.empty();
    }

    // ---------------------------------------------------------------- step 13: the national CSV

    /**
     * Every unit of BENCH-CN's village goal as CSV through the gateway, read to the last byte here
     * (rows counted, nothing kept), beside the same listing read directly from capacity-service in
     * the gateway's pages (what the gateway itself must fetch); each once unmeasured first. Meanwhile the gateway's RSS is sampled
     * every 100 ms and its GC log gives the heap before and after each collection.
     */
    void nationalCsv() throws Exception {
        ensureGateway();
        Plan plan = planByCode(CapacitySteps.NATIONAL_PLAN).orElseThrow(() -> new IllegalStateException(
                "no plan " + CapacitySteps.NATIONAL_PLAN + ": step 8 defines it"));
        String goal = plan.getName() + "/coverageGoals/" + CapacitySteps.VILLAGE_GARBAGE;

        // Both sides warm first (the JIT: a cold gateway takes twice as long), then one measured export each.
        double[] directRun = null;
        for (int i = 0; i <= 1; i++) {
            directRun = directListing(goal);
        }
        long directRows = (long) directRun[0];
        double directSeconds = directRun[1];
        String path = "/api/v1/plans/" + plan.getName().substring("plans/".length()) + "/coverageGoals/"
                + CapacitySteps.VILLAGE_GARBAGE + ":exportUnits";
        for (int i = 0; i < exportWarmups; i++) {
            download(path);
        }

        long gcLinesBefore = gcLines().size();
        long rssBefore = gateway.rss().currentKb();
        RssWindow rss = new RssWindow(gateway.pid());
        rss.start();
        CpuWindow cpu = CpuWindow.start(List.of("gateway", "capacity-service"), List.of(gateway.rss(), capacity.rss()));
        long start = System.nanoTime();
        Download d = download(path);
        rss.stop();
        if (d.status() != 200) {
            throw new IllegalStateException("export: HTTP " + d.status());
        }
        long rows = d.lines() - 1; // the header
        double seconds = (d.lastByteNanos() - start) / 1e9;
        double rate = rows / seconds;
        double directRate = directRows / directSeconds;
        report.note("national CSV window: " + cpu.summary());
        if (rows != directRows) {
            report.note(Report.f("the CSV has %,d rows, ListGoalUnits listed %,d", rows, directRows));
        }
        report.add(new Report.Row("13", Report.f("national villages CSV via gateway :exportUnits, %,d rows, %.1f MiB",
                rows, d.bytes() / 1048576.0),
                Report.f("%s rows/s (%.2f s, first byte after %s)", Report.n0(rate), seconds,
                        Report.ms((d.firstByteNanos() - start) / 1e6)),
                Report.f("ListGoalUnits direct, pages of %,d: %s rows/s (%.2f s)", exportPageSize, Report.n0(directRate),
                        directSeconds),
                Report.ratio(rate / directRate), ">= 100,000/s", rows == directRows && rate >= 100_000));

        Heap heap = heapDuring(gcLinesBefore);
        report.add(new Report.Row("13", Report.f("gateway heap during the export (java %s), beside the CSV's %.1f MiB", HEAP,
                d.bytes() / 1048576.0),
                heap.collections() < 4 ? Report.f("%d collections during the export: too few to tell", heap.collections())
                        : Report.f("after young GCs: %d MiB before; peak %d MiB in the first half of the export, %d MiB in the "
                                + "second (%d GCs; peak in use %d MiB); VmRSS %,d MiB before, peak %,d MiB", heap.before(),
                                heap.firstHalf(), heap.secondHalf(), heap.collections(), heap.peakInUse(),
                                rssBefore / 1024, rss.maxKb() / 1024),
                "", "", "2nd half <= 1st + 8 MiB", heap.collections() >= 4 && heap.secondHalf() <= heap.firstHalf() + 8));
    }

    /**
     * The heap after young collections (the live set, and old garbage not yet mixed in) just before
     * the export, and its peaks over the first and the second half of the export's collections, and
     * the peak in use before a collection. Flat means the second half holds no more than the first:
     * a body kept in memory would add ~22 MiB (half the CSV) between them, and with -Xmx64m not fit.
     */
    private record Heap(long before, long firstHalf, long secondHalf, long peakInUse, int collections) {
    }

    /** The goal's whole listing read from capacity-service in the gateway's pages: {rows, seconds}. */
    private double[] directListing(String goal) {
        long t0 = System.nanoTime();
        long rows = 0;
        String token = "";
        Date date = null;
        do {
            var ask = ListGoalUnitsRequest.newBuilder().setGoal(goal).setPageSize(exportPageSize).setPageToken(token);
            if (date != null) {
                ask.setAsOfDate(date);
            }
            ListGoalUnitsResponse page = capacity.cap.withDeadlineAfter(60, TimeUnit.SECONDS).listGoalUnits(ask.build());
            date = page.getAsOfDate();
            rows += page.getUnitsCount();
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return new double[] {rows, (System.nanoTime() - t0) / 1e9};
    }

    private Heap heapDuring(long skip) throws IOException {
        List<String> lines = gcLines();
        long before = -1;
        List<long[]> during = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = GC_LINE.matcher(lines.get(i));
            if (!lines.get(i).contains("Pause Young") || !m.find()) {
                continue;
            }
            long[] inUseAfter = {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
            if (i < skip) {
                before = inUseAfter[1];
            } else {
                during.add(inUseAfter);
            }
        }
        int half = during.size() / 2;
        long first = during.subList(0, half).stream().mapToLong(g -> g[1]).max().orElse(-1);
        long second = during.subList(half, during.size()).stream().mapToLong(g -> g[1]).max().orElse(-1);
        long inUse = during.stream().mapToLong(g -> g[0]).max().orElse(-1);
        return new Heap(before, first, second, inUse, during.size());
    }

    // ---------------------------------------------------------------- step 6: gateway RSS

    /** A row for the gateway's peak RSS, when it ran. */
    void peakRss() {
        if (gateway == null || gateway.starts().isEmpty()) {
            return;
        }
        Rss rss = gateway.rss();
        report.row("6", Report.f("gateway peak RSS (java %s)", HEAP), Report.f("VmHWM %,d MiB (max sampled VmRSS %,d MiB)",
                rss.hwmKb() / 1024, rss.maxSampledKb() / 1024));
    }

    private List<String> gcLines() throws IOException {
        return Files.exists(gcLog) ? Files.readAllLines(gcLog, StandardCharsets.UTF_8) : List.of();
    }

    // ---------------------------------------------------------------- helpers

    private void ensureGateway() throws Exception {
        if (gateway == null) {
            throw new IllegalStateException("no gateway jar (--gateway-jar); the run script passes it");
        }
        capacity.ensureCapacity();
        if (!gateway.running()) {
            Files.deleteIfExists(gcLog);
            gateway.start(Map.of());
            gateway.awaitReady(120);
        }
    }

    /** A body read to its end here, nothing kept: its size, its lines, when its first and last bytes came. */
    private record Download(int status, long bytes, long lines, long firstByteNanos, long lastByteNanos) {
    }

    private Download download(String path) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", b.auth.header()).timeout(Duration.ofSeconds(600)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long first = 0;
        long bytes = 0;
        long lines = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = r.body()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (first == 0) {
                    first = System.nanoTime();
                }
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        long last = System.nanoTime();
        return new Download(r.statusCode(), bytes, lines, first == 0 ? last : first, last);
    }

    /** VmRSS of a process sampled every 100 ms over a window: the peak within it. */
    private static final class RssWindow {
        private final Rss rss;
        private volatile boolean stopped;
        private volatile long maxKb;
        private Thread thread;

        RssWindow(long pid) {
            rss = new Rss(pid);
        }

        void start() {
            thread = new Thread(() -> {
                while (!stopped) {
                    maxKb = Math.max(maxKb, rss.currentKb());
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-window");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join(1000);
            maxKb = Math.max(maxKb, rss.currentKb());
        }

        long maxKb() {
            return maxKb;
        }
    }

    private static String run(List<String> cmd, long timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd.get(0) + " did not finish in " + timeoutSeconds + " s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " exited " + p.exitValue() + ": " + text);
        }
        return text;
    }

    private static List<String> concat(List<String> a, String... more) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(more));
        return out;
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no /" + regex + "/ in: " + text);
        }
        return Double.parseDouble(m.group(1));
    }

    private static double optional(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static long sumOf(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        long sum = 0;
        if (m.find()) {
            for (int i = 1; i <= m.groupCount(); i++) {
                sum += Long.parseLong(m.group(i));
            }
        }
        return sum;
    }

    /** A percentile line of wrk's --latency distribution, e.g. {@code 50%  612.00us}, in ms. */
    private static double wrkMs(String out, String percentile) {
        Matcher m = Pattern.compile(Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)\\b").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no " + percentile + " latency in wrk's output: " + out);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "ms" -> v;
            default -> v * 1000;
        };
    }
}
