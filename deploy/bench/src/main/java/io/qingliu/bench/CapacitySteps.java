package io.qingliu.bench;

import com.google.type.Date;
import com.google.protobuf.FieldMask;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.api.capacity.v1.CoverageBreakdown;
import io.qingliu.api.capacity.v1.CoverageEvidence;
import io.qingliu.api.capacity.v1.CoverageFigures;
import io.qingliu.api.capacity.v1.CoverageGoal;
import io.qingliu.api.capacity.v1.CreatePlanRequest;
import io.qingliu.api.capacity.v1.GetCoverageEvidenceRequest;
import io.qingliu.api.capacity.v1.Plan;
import io.qingliu.api.capacity.v1.ServiceType;
import io.qingliu.api.capacity.v1.SummarizeCoverageRequest;
import io.qingliu.api.capacity.v1.SummarizeCoverageResponse;
import io.qingliu.api.common.v1.DivisionKind;
import io.qingliu.api.common.v1.DivisionLevel;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.common.v1.OperatingState;
import io.qingliu.api.project.v1.CreateFacilityRequest;
import io.qingliu.api.project.v1.Division;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.ListDivisionsRequest;
import io.qingliu.api.project.v1.ListDivisionsResponse;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.api.project.v1.TransitionProjectRequest;
import io.qingliu.api.project.v1.UpdateProjectRequest;
import io.qingliu.api.project.v1.WatchChangesRequest;
import io.qingliu.api.project.v1.WatchChangesResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steps 7 to 10 of the bench: capacity-service at national scale, beside project-service.
 *
 * <ul>
 *   <li>7: operating facilities (sewage plants at towns, garbage chains down to the villages)
 *       created through project-service, and some of step 2's projects commissioned back-dated;
 *   <li>8: capacity-service catching up on the whole feed, first with no goal, then, after the
 *       goals of every city and of the country are defined, again from 0 with all of them;
 *   <li>9: SummarizeCoverage of the national goals against one SQL query over the read model;
 *   <li>10: freshness, from a commissioning in project-service to the coverage answer with it.
 * </ul>
 *
 * capacity-service runs as a child process of this client ({@link ServiceProcess}).
 */
final class CapacitySteps implements AutoCloseable {

    static final String HEAP = "-Xmx512m";
    static final String NATIONAL_PLAN = "BENCH-CN";
    static final String CITY_PLAN_PREFIX = "BENCH-";
    static final String TOWN_SEWAGE = "town-sewage";
    static final String VILLAGE_GARBAGE = "village-garbage";
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final LocalDate PLAN_START = LocalDate.of(2018, 1, 1);
    private static final LocalDate PLAN_END = LocalDate.of(2020, 12, 31);
    /** The feed batch capacity-service asks for (min(10,000, qingliu.feed.max-batch = 5,000)). */
    private static final int FEED_BATCH = 5_000;

    private final Bench b;
    private final Report report;
    /** Null when the run script passed no capacity-service jar. */
    private final ServiceProcess capacity;
    private final String capacityDb;
    private final ManagedChannel channel;
    final CapacityServiceGrpc.CapacityServiceBlockingStub cap;

    private final int plants;
    private final int transferStations;
    private final int collectionPoints;
    private final int commissions;
    private final int callers;
    private final int coverageWarmups;
    private final int coverageCalls;
    private final LocalDate pastDate;
    private final int freshSamples;
    private final int freshRate;
    private final int freshPollMillis;
    private final int catchUpTimeoutSeconds;

    CapacitySteps(Bench b) {
        this.b = b;
        this.report = b.report;
        capacityDb = b.str("capacity-db", "qingliu_bench_capacity");
        int capacityPort = b.intOpt("capacity-port", 18182);
        String jar = b.str("capacity-jar", "");
        if (jar.isEmpty()) {
            capacity = null;
            channel = null;
            cap = null;
        } else {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://" + b.pgHost + ":" + b.pgPort + "/" + capacityDb);
            env.put("QUARKUS_DATASOURCE_USERNAME", b.pgUser);
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            env.put("QUARKUS_HTTP_PORT", String.valueOf(capacityPort));
            env.put("QUARKUS_GRPC_SERVER_USE_SEPARATE_SERVER", "false");
            env.put("QUARKUS_GRPC_CLIENTS_PROJECT_HOST", "127.0.0.1");
            env.put("QUARKUS_GRPC_CLIENTS_PROJECT_PORT", String.valueOf(b.port));
            // the bench defines its own plans (step 8); the shipped Ziyang plan would only add goals
            env.put("QINGLIU_PLANS_INITIAL_LOAD", "none");
            env.put("QINGLIU_AUTH_PUBLIC_KEY_LOCATION", b.auth.publicKeyLocation());
            env.put("QINGLIU_FEED_TOKEN", b.auth.feedToken());
            capacity = new ServiceProcess("capacity-service", List.of(HEAP), Path.of(jar), capacityPort, env,
                    Path.of(b.str("capacity-log", "deploy/bench/.run/capacity.log")),
                    Path.of(b.str("capacity-pid-file", "deploy/bench/.run/capacity.pid")));
            channel = NettyChannelBuilder.forAddress("127.0.0.1", capacityPort).usePlaintext().directExecutor()
                    .maxInboundMessageSize(64 << 20).intercept(b.auth.interceptor()).build();
            cap = CapacityServiceGrpc.newBlockingStub(channel);
        }
        plants = b.intOpt("plants", 20_000);
        transferStations = b.intOpt("transfer-stations", 10_000);
        collectionPoints = b.intOpt("collection-points", 40_000);
        commissions = b.intOpt("commissions", 3_000);
        callers = b.intOpt("create-callers", 8);
        coverageWarmups = b.intOpt("coverage-warmups", 10);
        coverageCalls = b.intOpt("coverage-calls", 50);
        pastDate = LocalDate.parse(b.str("past-date", "2019-06-30"));
        freshSamples = b.intOpt("fresh-samples", 50);
        freshRate = b.intOpt("fresh-rate", 100);
        freshPollMillis = b.intOpt("fresh-poll-ms", 5);
        catchUpTimeoutSeconds = b.intOpt("catch-up-timeout", 1800);
    }

    /** For the table's header. */
    String describe() {
        return capacity == null ? "capacity-service: not configured (no --capacity-jar)"
                : Report.f("capacity-service java %s on 127.0.0.1:%d; database %s; log %s", HEAP,
                        capacity.port(), capacityDb, capacity.log());
    }

    /** The RSS tracker of the capacity-service now running. */
    Rss rss() {
        requireCapacity();
        return capacity.rss();
    }

    /** capacity-service's port, for the gateway's capacity client. */
    int port() {
        requireCapacity();
        return capacity.port();
    }

    @Override
    public void close() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (capacity != null) {
            capacity.stop();
        }
    }

    // ---------------------------------------------------------------- step 7: data for coverage

    /** A facility to create; downstream is an index into the names of the previous phase, or -1. */
    private record Spec(Facility facility, int downstream) {
    }

    /** The moves of one project, each with its effective date. */
    private record Walk(String name, List<ProjectState> states, List<LocalDate> dates) {
    }

    /**
     * Operating facilities through CreateFacility, and back-dated commissionings of step 2's
     * projects, so that coverage and capacity have dated steps. Deterministic in the seed (given
     * the same data in project-service).
     */
    void coverageData() throws Exception {
        LocalDate today = today();
        Set<String> activeTownships = new HashSet<>();
        Set<String> activeVillages = new HashSet<>();
        try (Connection c = b.jdbc(b.db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT code, level FROM division WHERE level IN ('TOWNSHIP', 'VILLAGE') AND retired_at IS NULL")) {
            while (rs.next()) {
                ("TOWNSHIP".equals(rs.getString(2)) ? activeTownships : activeVillages).add(rs.getString(1));
            }
        }
        Workload w = b.workload;
        if (w == null) {
            w = Workload.load(b.divisionsDir);
            w.retain(activeTownships);
        }
        Map<String, List<String>> villages = Workload.villagesByTownship(b.divisionsDir, activeVillages);
        List<Workload.Township> townships = w.townships;
        List<Workload.Township> towns = townships.stream().filter(t -> t.name().endsWith("镇")).toList();
        Map<String, Workload.Township> seatOf = new TreeMap<>(); // county -> its first township
        for (Workload.Township t : townships) {
            seatOf.putIfAbsent(t.countyCode(), t);
        }
        if (towns.isEmpty()) {
            throw new IllegalStateException("no active township whose name ends in 镇");
        }
        SplittableRandom r = new SplittableRandom(b.seed * 7_919L + 7);

        // one disposal site per county, in operation
        List<String> counties = new ArrayList<>(seatOf.keySet());
        Map<String, Integer> disposalOf = new HashMap<>();
        List<Spec> disposal = new ArrayList<>();
        for (String county : counties) {
            Workload.Township seat = seatOf.get(county);
            disposalOf.put(county, disposal.size());
            String label = seat.countyName().isEmpty() ? seat.name() : seat.countyName();
            disposal.add(new Spec(facility(FacilityType.FACILITY_TYPE_GARBAGE_DISPOSAL_SITE, label + "生活垃圾处理场",
                    seat.code(), 200 + r.nextInt(2_801), between(r, LocalDate.of(2003, 1, 1), LocalDate.of(2016, 12, 31)))
                    .build(), -1));
        }
        // transfer stations at random townships, 9 in 10 in operation; downstream: their county's site
        List<Spec> stations = new ArrayList<>();
        Map<String, List<Integer>> stationsOf = new HashMap<>();
        int stationsInOperation = 0;
        for (int i = 0; i < transferStations; i++) {
            Workload.Township t = townships.get(r.nextInt(townships.size()));
            boolean operating = r.nextInt(10) < 9;
            stationsInOperation += operating ? 1 : 0;
            LocalDate date = operating ? between(r, LocalDate.of(2008, 1, 1), today) : null;
            stationsOf.computeIfAbsent(t.countyCode(), k -> new ArrayList<>()).add(stations.size());
            stations.add(new Spec(facility(FacilityType.FACILITY_TYPE_GARBAGE_TRANSFER_STATION,
                    t.name() + "垃圾转运站" + (i + 1) + "号", t.code(), 50 + r.nextInt(451), date).build(),
                    disposalOf.get(t.countyCode())));
        }
        // collection points serving 1-5 villages of one township; downstream: a station of its county
        List<Workload.Township> withVillages = townships.stream()
                .filter(t -> villages.containsKey(t.code()) && stationsOf.containsKey(t.countyCode())).toList();
        if (withVillages.isEmpty()) {
            throw new IllegalStateException("no active township with active villages and a transfer station");
        }
        List<Spec> points = new ArrayList<>();
        long servedVillages = 0;
        for (int i = 0; i < collectionPoints; i++) {
            Workload.Township t = withVillages.get(r.nextInt(withVillages.size()));
            List<String> vs = new ArrayList<>(villages.get(t.code()));
            int k = Math.min(vs.size(), 1 + r.nextInt(5));
            for (int j = 0; j < k; j++) { // partial Fisher-Yates: the first k are a random choice
                Collections.swap(vs, j, j + r.nextInt(vs.size() - j));
            }
            List<String> served = vs.subList(0, k);
            servedVillages += k;
            List<Integer> countyStations = stationsOf.get(t.countyCode());
            points.add(new Spec(facility(FacilityType.FACILITY_TYPE_GARBAGE_COLLECTION_POINT,
                    t.name() + "垃圾收集点" + (i + 1) + "号", served.get(0), 1 + r.nextInt(20),
                    between(r, LocalDate.of(2010, 1, 1), today)).addAllServedDivisionCodes(served).build(),
                    countyStations.get(r.nextInt(countyStations.size()))));
        }
        // sewage plants in operation at towns, each serving its town
        List<Spec> sewage = new ArrayList<>();
        LocalDate lastPlant = LocalDate.of(2024, 12, 31).isAfter(today) ? today : LocalDate.of(2024, 12, 31);
        for (int i = 0; i < plants; i++) {
            Workload.Township t = towns.get(r.nextInt(towns.size()));
            sewage.add(new Spec(facility(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT, t.name() + "污水处理厂（既有）"
                    + (i + 1) + "号", t.code(), 500 + r.nextInt(19_501), between(r, LocalDate.of(2005, 1, 1), lastPlant))
                    .setDischargeStandard(io.qingliu.api.common.v1.DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B)
                    .addServedDivisionCodes(t.code()).build(), -1));
        }

        AtomicLong errors = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        CpuWindow cpu = CpuWindow.start(b.rss);
        long t0 = System.nanoTime();
        Lat lat = new Lat();
        String[] disposalNames = create(disposal, null, "disposal site", errors, skipped, lat);
        String[] stationNames = create(stations, disposalNames, "transfer station", errors, skipped, lat);
        create(points, stationNames, "collection point", errors, skipped, lat);
        create(sewage, null, "sewage plant", errors, skipped, lat);
        double secs = (System.nanoTime() - t0) / 1e9;
        int total = disposal.size() + stations.size() + points.size() + sewage.size();
        report.add(new Report.Row("7", Report.f("CreateFacility in operation, %d callers: %,d sewage plants at towns, %,d disposal sites, %,d transfer stations (%,d in operation), %,d collection points (%,d villages)",
                callers, sewage.size(), disposal.size(), stations.size(), stationsInOperation, points.size(), servedVillages),
                Report.f("%.1f s, %s calls/s, p50 %s, p99 %s%s", secs, Report.n0(lat.count() / secs), Report.ms(lat.pctMs(50)),
                        Report.ms(lat.pctMs(99)), errors.get() + skipped.get() > 0
                                ? Report.f(", %d failed, %d skipped (downstream missing)", errors.get(), skipped.get()) : ""),
                "", "", "", errors.get() + skipped.get() == 0 ? null : Boolean.FALSE));
        report.note(Report.f("step 7 facilities: %,d calls in %.1f s; %s", total, secs, cpu.summary()));

        commissionBackDated(today);
    }

    /** Walks some of step 2's projects to commissioned, back-dated: half of them approved by step 4, half planned. */
    private void commissionBackDated(LocalDate today) throws Exception {
        List<Long> approved = new ArrayList<>();
        List<Long> planned = new ArrayList<>();
        Map<Long, LocalDate> lastMove = new HashMap<>();
        try (Connection c = b.jdbc(b.db); PreparedStatement s = c.prepareStatement("""
                SELECT id, state, transitions -> -1 ->> 'effectiveDate' FROM project
                 WHERE plan_code = ? AND kind = 'NEW_BUILD' AND state IN ('PLANNED', 'APPROVED') ORDER BY id""")) {
            s.setString(1, Workload.PLAN_CODE);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    if ("APPROVED".equals(rs.getString(2))) {
                        approved.add(id);
                        String last = rs.getString(3);
                        lastMove.put(id, last == null ? today : LocalDate.parse(last));
                    } else {
                        planned.add(id);
                    }
                }
            }
        }
        Random shuffle = new Random(b.seed);
        Collections.shuffle(approved, shuffle);
        Collections.shuffle(planned, shuffle);
        int fromApproved = Math.min(approved.size(), commissions / 2);
        int fromPlanned = Math.min(planned.size(), commissions - fromApproved);
        SplittableRandom r = new SplittableRandom(b.seed * 13L + 5);
        List<Walk> walks = new ArrayList<>();
        LocalDate first = null;
        LocalDate last = null;
        for (int i = 0; i < fromApproved + fromPlanned; i++) {
            boolean wasApproved = i < fromApproved;
            long id = wasApproved ? approved.get(i) : planned.get(i - fromApproved);
            LocalDate d1 = wasApproved ? lastMove.get(id) : between(r, LocalDate.of(2018, 1, 1), LocalDate.of(2022, 6, 30));
            d1 = min(d1, today);
            LocalDate d2 = min(today, d1.plusDays(30 + r.nextInt(151)));
            LocalDate d3 = min(today, d2.plusDays(180 + r.nextInt(361)));
            LocalDate d4 = min(today, d3.plusDays(r.nextInt(91)));
            first = first == null || d4.isBefore(first) ? d4 : first;
            last = last == null || d4.isAfter(last) ? d4 : last;
            List<ProjectState> states = new ArrayList<>();
            List<LocalDate> dates = new ArrayList<>();
            if (!wasApproved) {
                states.add(ProjectState.PROJECT_STATE_APPROVED);
                dates.add(d1);
            }
            states.addAll(List.of(ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION, ProjectState.PROJECT_STATE_COMPLETED,
                    ProjectState.PROJECT_STATE_COMMISSIONED));
            dates.addAll(List.of(d2, d3, d4));
            walks.add(new Walk("projects/" + id, states, dates));
        }
        if (walks.isEmpty()) {
            throw new IllegalStateException("no planned or approved project of " + Workload.PLAN_CODE + " to commission");
        }
        AtomicLong errors = new AtomicLong();
        AtomicLong moves = new AtomicLong();
        long t0 = System.nanoTime();
        parallel(walks.size(), "TransitionProject (back-dated commissioning)", i -> {
            Walk walk = walks.get(i);
            for (int m = 0; m < walk.states().size(); m++) {
                transition(stub(i), walk.name(), walk.states().get(m), walk.dates().get(m), "bench: back-dated commissioning");
                moves.incrementAndGet();
            }
        }, errors);
        double secs = (System.nanoTime() - t0) / 1e9;
        report.add(new Report.Row("7", Report.f("TransitionProject to COMMISSIONED, back-dated: %,d of step 2's projects (%,d approved in step 4, %,d planned), commissioned %s..%s",
                walks.size(), fromApproved, fromPlanned, first, last),
                Report.f("%.1f s, %,d moves, %s moves/s%s", secs, moves.get(), Report.n0(moves.get() / secs),
                        errors.get() > 0 ? ", " + errors.get() + " projects failed" : ""),
                "", "", "", errors.get() == 0 ? null : Boolean.FALSE));
    }

    private String[] create(List<Spec> specs, String[] downstreamNames, String what, AtomicLong errors,
            AtomicLong skipped, Lat lat) throws Exception {
        String[] names = new String[specs.size()];
        lat.addAll(parallel(specs.size(), "CreateFacility (" + what + ")", i -> {
            Spec s = specs.get(i);
            Facility f = s.facility();
            if (s.downstream() >= 0) {
                String d = downstreamNames[s.downstream()];
                if (d == null) {
                    skipped.incrementAndGet();
                    return;
                }
                f = f.toBuilder().setDownstreamFacility(d).build();
            }
            names[i] = stub(i).withDeadlineAfter(30, TimeUnit.SECONDS).createFacility(CreateFacilityRequest.newBuilder()
                    .setFacility(f).setRequestId(UUID.randomUUID().toString()).build()).getName();
        }, errors));
        return names;
    }

    private static Facility.Builder facility(FacilityType type, String name, String location, double capacityTpd,
            LocalDate operation) {
        Facility.Builder f = Facility.newBuilder().setDisplayName(name).setType(type).setLocationCode(location)
                .setCapacityTonnesPerDay(capacityTpd);
        return operation == null ? f.setOperatingState(OperatingState.OPERATING_STATE_UNDER_CONSTRUCTION)
                : f.setOperatingState(OperatingState.OPERATING_STATE_IN_OPERATION).setOperationDate(proto(operation));
    }

    // ---------------------------------------------------------------- step 8: catch-up

    /** How long a start of capacity-service took to reach the head. */
    private record CatchUp(long from, double seconds, double readySeconds) {
    }

    /**
     * capacity-service from an empty database to project-service's head (no goals), then the
     * goals of every city and of the country, then a restart that forgets the read model and
     * replays the feed from 0 maintaining all of them: that replay is the figure.
     */
    void catchUp() throws Exception {
        requireCapacity();
        long head = projectHead();
        if (!capacity.running()) {
            long from = capacityPosition();
            capacity.start(Map.of());
            CpuWindow cpu = CpuWindow.start(List.of("capacity-service", "project-service"), List.of(capacity.rss(), b.rss));
            CatchUp cu = awaitCaughtUp(head, null);
            report.add(new Report.Row("8", Report.f("capacity-service first start, default settings, no goal yet: seq %,d to head %,d",
                    from, head), Report.f("%s changes/s (%.1f s from process start, ready after %.1f s)",
                            Report.n0((head - from) / cu.seconds()), cu.seconds(), cu.readySeconds()), "", "", "", null));
            report.note("capacity-service first catch-up: " + cpu.summary());
        } else {
            report.note("step 8: capacity-service was already running; its first catch-up is not timed");
            awaitCaughtUp(head, null);
        }
        capacity.awaitReady(120);
        createGoals();
        long goals;
        try (Connection c = b.jdbc(capacityDb)) {
            goals = Bench.scalar(c, "SELECT count(*) FROM coverage_goal");
        }
        capacity.stop();
        Timestamp since = dbNow();
        capacity.start(Map.of("QINGLIU_FEED_REBUILD_AT_START", "true"));
        CpuWindow cpu = CpuWindow.start(List.of("capacity-service", "project-service"), List.of(capacity.rss(), b.rss));
        CatchUp cu = awaitCaughtUp(head, since);
        String cpuNote = cpu.summary();
        capacity.awaitReady(120);
        double rate = head / cu.seconds();
        double[] raw = rawFeedRead(head);
        long units;
        try (Connection c = b.jdbc(capacityDb)) {
            units = Bench.scalar(c, "SELECT count(*) FROM goal_unit");
        }
        report.add(new Report.Row("8", Report.f("capacity-service catch-up from 0 (restart with rebuild-at-start), %,d changes, %,d goals (%,d goal units)",
                head, goals, units),
                Report.f("%s changes/s (%.1f s from process start, ready after %.1f s)", Report.n0(rate), cu.seconds(),
                        cu.readySeconds()),
                Report.f("raw WatchChanges read, batch %,d: %s changes/s (%.1f s)", FEED_BATCH, Report.n0(raw[0]), raw[1]),
                Report.ratio(rate / raw[0]), ">= 20,000/s", rate >= 20_000));
        report.note("capacity-service catch-up with goals: " + cpuNote);
    }

    /**
     * For every city-level division, a plan with the two goals over the city; then one national
     * plan (empty area) with the same two goals, the one the coverage steps ask about. The
     * national plan comes first, so that a failure to define it is known at once. A failure is
     * recorded as a row and does not stop the step: the catch-up is measured with the goals
     * there are.
     */
    private void createGoals() {
        try {
            List<Division> cities = listDivisions("level = DIVISION_LEVEL_CITY");
            long t0 = System.nanoTime();
            String national = "created";
            try {
                createPlan(plan(NATIONAL_PLAN, "全国污水垃圾处理 bench 计划", ""), 900);
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                    throw e;
                }
                national = "already there";
            }
            double nationalSecs = (System.nanoTime() - t0) / 1e9;
            int created = 0;
            int existing = 0;
            int rejected = 0;
            int failed = 0;
            List<String> reasons = new ArrayList<>();
            Lat lat = new Lat();
            long t1 = System.nanoTime();
            for (Division city : cities) {
                long s = System.nanoTime();
                try {
                    createPlan(plan(CITY_PLAN_PREFIX + city.getCode(), city.getDisplayName() + "污水垃圾处理 bench 计划",
                            city.getCode()), 300);
                    lat.add(System.nanoTime() - s);
                    created++;
                } catch (StatusRuntimeException e) {
                    switch (e.getStatus().getCode()) {
                        case ALREADY_EXISTS -> existing++;
                        case INVALID_ARGUMENT, FAILED_PRECONDITION -> {
                            rejected++;
                            if (reasons.size() < 3) {
                                reasons.add(city.getCode() + " " + city.getDisplayName() + ": " + Bench.describe(e));
                            }
                        }
                        default -> {
                            failed++;
                            if (failed == 1) {
                                System.out.println("first CreatePlan error: " + Bench.describe(e));
                            }
                        }
                    }
                }
            }
            double citySecs = (System.nanoTime() - t1) / 1e9;
            report.add(new Report.Row("8", Report.f("CreatePlan, 2 goals each: %s (national) and one per city (%d city-level divisions)",
                    NATIONAL_PLAN, cities.size()),
                    Report.f("national %s in %.1f s; cities: %d created in %.1f s (p50 %s, p99 %s), %d rejected, %d already there%s",
                            national, nationalSecs, created, citySecs, Report.ms(lat.pctMs(50)), Report.ms(lat.pctMs(99)),
                            rejected, existing, failed > 0 ? ", " + failed + " failed" : ""),
                    "", "", "", failed == 0 ? null : Boolean.FALSE));
            if (!reasons.isEmpty()) {
                report.note("CreatePlan rejected " + rejected + " city plans, e.g. " + String.join("; ", reasons));
            }
        } catch (Exception e) {
            report.failed("8", "CreatePlan (goals of the catch-up)", Bench.describe(e));
            e.printStackTrace(System.out);
        }
    }

    private static Plan plan(String code, String displayName, String area) {
        Date deadline = proto(PLAN_END);
        return Plan.newBuilder().setCode(code).setDisplayName(displayName).setAreaCode(area)
                .setStartDate(proto(PLAN_START)).setEndDate(proto(PLAN_END))
                .addCoverageGoals(CoverageGoal.newBuilder().setGoalId(TOWN_SEWAGE).setDisplayName("建制镇生活污水处理设施全覆盖")
                        .setUnitLevel(DivisionLevel.DIVISION_LEVEL_TOWNSHIP).setUnitKind(DivisionKind.DIVISION_KIND_TOWN)
                        .setAreaCode(area).setServiceType(ServiceType.SERVICE_TYPE_SEWAGE_TREATMENT).setDeadline(deadline))
                .addCoverageGoals(CoverageGoal.newBuilder().setGoalId(VILLAGE_GARBAGE)
                        .setDisplayName("行政村生活垃圾收运处置体系全覆盖")
                        .setUnitLevel(DivisionLevel.DIVISION_LEVEL_VILLAGE)
                        .setUnitKind(DivisionKind.DIVISION_KIND_VILLAGERS_COMMITTEE).setAreaCode(area)
                        .setServiceType(ServiceType.SERVICE_TYPE_GARBAGE_COLLECTION_AND_TREATMENT).setDeadline(deadline))
                .build();
    }

    private Plan createPlan(Plan plan, long deadlineSeconds) {
        return cap.withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS).createPlan(CreatePlanRequest.newBuilder()
                .setPlan(plan).setRequestId(UUID.randomUUID().toString()).build());
    }

    private List<Division> listDivisions(String filter) {
        List<Division> out = new ArrayList<>();
        String token = "";
        do {
            ListDivisionsResponse page = stub(0).withDeadlineAfter(60, TimeUnit.SECONDS).listDivisions(
                    ListDivisionsRequest.newBuilder().setFilter(filter).setPageSize(1000).setPageToken(token).build());
            out.addAll(page.getDivisionsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return out;
    }

    /**
     * Polls capacity-service's feed position (every 100 ms) until it reaches head; with since,
     * only a position written after that moment counts (a rebuild starts from an old position that
     * may equal the head). Times from the start of the process.
     */
    private CatchUp awaitCaughtUp(long head, Timestamp since) throws Exception {
        long start = capacity.startedNanos();
        long deadline = System.nanoTime() + catchUpTimeoutSeconds * 1_000_000_000L;
        double readySecs = Double.NaN;
        long lastPrint = System.nanoTime();
        long from = -1;
        long seq = -1;
        try (Connection c = b.jdbc(capacityDb)) {
            while (true) {
                capacity.checkAlive();
                long now = System.nanoTime();
                if (Double.isNaN(readySecs) && capacity.ready()) {
                    readySecs = (System.nanoTime() - start) / 1e9;
                }
                try (PreparedStatement s = c.prepareStatement(
                        // Caught up means derived too: a catch-up may write the mirror first and derive at the end.
                        "SELECT least(sequence, derived_sequence), applied_at IS NOT NULL AND applied_at >= ? FROM feed_position WHERE id = 1")) {
                    s.setTimestamp(1, since == null ? new Timestamp(0) : since);
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next()) {
                            seq = rs.getLong(1);
                            boolean fresh = since == null || rs.getBoolean(2);
                            if (fresh && from < 0) {
                                from = seq;
                            }
                            if (fresh && seq >= head) {
                                double secs = (System.nanoTime() - start) / 1e9;
                                if (Double.isNaN(readySecs)) {
                                    capacity.awaitReady(120);
                                    readySecs = (System.nanoTime() - start) / 1e9;
                                }
                                return new CatchUp(from, secs, readySecs);
                            }
                        }
                    }
                } catch (SQLException e) {
                    // the schema is not there yet (Flyway runs at start)
                }
                if (now - lastPrint > 15_000_000_000L) {
                    System.out.println(Report.f("  capacity-service at sequence %,d of %,d after %.0f s", seq, head,
                            (now - start) / 1e9));
                    lastPrint = now;
                }
                if (now > deadline) {
                    throw new IllegalStateException(Report.f("capacity-service reached sequence %,d of %,d in %d s", seq,
                            head, catchUpTimeoutSeconds));
                }
                Thread.sleep(100);
            }
        }
    }

    /** The baseline of the catch-up: the whole feed read over WatchChanges and thrown away; {changes/s, seconds}. */
    private double[] rawFeedRead(long head) {
        long[] r = new long[2]; // count, last sequence
        long t0 = System.nanoTime();
        Context.CancellableContext ctx = Context.current().withCancellation();
        try {
            ctx.run(() -> {
                var it = stub(0).withDeadlineAfter(600, TimeUnit.SECONDS).watchChanges(
                        WatchChangesRequest.newBuilder().setAfterSequence(0).setMaxBatchSize(FEED_BATCH).build());
                while (it.hasNext()) {
                    WatchChangesResponse resp = it.next();
                    int n = resp.getChangesCount();
                    if (n > 0) {
                        r[0] += n;
                        r[1] = resp.getChanges(n - 1).getSequence();
                    }
                    if (r[1] >= head) {
                        break;
                    }
                }
            });
        } finally {
            ctx.cancel(null);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (r[1] < head) {
            throw new IllegalStateException(Report.f("the raw read ended at sequence %,d before the head %,d", r[1], head));
        }
        return new double[] {r[0] / secs, secs};
    }

    // ---------------------------------------------------------------- step 9: coverage latency

    /** A goal of the national plan: its resource name and row id, and its largest county. */
    private record GoalRef(String goalId, String name, long rowId, long units, String largestCounty, long countyUnits) {
    }

    /** SummarizeCoverage by county for the whole country and for one large county, today and on a past date. */
    void coverageLatency() throws Exception {
        ensureCapacity();
        List<GoalRef> goals = List.of(nationalGoal(TOWN_SEWAGE), nationalGoal(VILLAGE_GARBAGE));
        LocalDate today = today();
        try (Connection c = b.jdbc(capacityDb)) {
            for (boolean county : new boolean[] {false, true}) {
                for (GoalRef g : goals) {
                    for (LocalDate date : List.of(today, pastDate)) {
                        String label = Report.f("SummarizeCoverage %s (national goal), %s, as of %s", g.goalId(),
                                county ? Report.f("county %s (%,d units)", g.largestCounty(), g.countyUnits())
                                        : Report.f("whole country by county (%,d units)", g.units()),
                                date.equals(today) ? "today" : date);
                        try {
                            coverageRow(c, g, county ? g.largestCounty() : "", date, label);
                        } catch (Exception e) {
                            report.failed("9", label, Bench.describe(e));
                            e.printStackTrace(System.out);
                        }
                    }
                }
            }
        }
    }

    private void coverageRow(Connection c, GoalRef g, String area, LocalDate date, String label) throws SQLException {
        SummarizeCoverageRequest req = SummarizeCoverageRequest.newBuilder().setGoal(g.name()).setAreaCode(area)
                .setAsOfDate(proto(date)).setBreakdown(CoverageBreakdown.COVERAGE_BREAKDOWN_COUNTY).build();
        // The hand-written baseline: per county, the units covered on the date and all units,
        // straight from goal_unit. For one county the primary key's code range picks its units
        // (codes are hierarchical), so the baseline is not handicapped by a scan of the country.
        String sql = "SELECT county_code, count(*) FILTER (WHERE covered @> ?::date), count(*) FROM goal_unit WHERE goal_id = ?"
                + (area.isEmpty() ? "" : " AND code >= ? AND code < ? AND county_code = ?")
                + " GROUP BY county_code ORDER BY county_code";
        SummarizeCoverageResponse answer = null;
        for (int i = 0; i < coverageWarmups; i++) {
            answer = summarize(req);
        }
        Lat svc = new Lat();
        for (int i = 0; i < coverageCalls; i++) {
            long t0 = System.nanoTime();
            answer = summarize(req);
            svc.add(System.nanoTime() - t0);
        }
        Map<String, long[]> expected = null;
        Lat base = new Lat();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, date);
            s.setLong(2, g.rowId());
            if (!area.isEmpty()) {
                String prefix = area.substring(0, 6);
                s.setString(3, prefix);
                s.setString(4, prefix + "~");
                s.setString(5, area);
            }
            for (int i = 0; i < coverageWarmups + coverageCalls; i++) {
                long t0 = System.nanoTime();
                Map<String, long[]> rows = new TreeMap<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                    }
                }
                if (i >= coverageWarmups) {
                    base.add(System.nanoTime() - t0);
                }
                expected = rows;
            }
        }
        String mismatch = compare(answer, expected);
        long covered = expected.values().stream().mapToLong(v -> v[0]).sum();
        long total = expected.values().stream().mapToLong(v -> v[1]).sum();
        double p50 = svc.pctMs(50);
        double ratio = p50 / base.pctMs(50);
        boolean county = !area.isEmpty();
        boolean pass = mismatch == null && (county ? p50 <= 5.0 : ratio <= 1.0);
        report.add(new Report.Row("9", label,
                Report.f("%sp50 %s, p99 %s (%,d counties; %,d of %,d covered)", mismatch == null ? "" : "NUMBERS DIFFER: ",
                        Report.ms(p50), Report.ms(svc.pctMs(99)), answer.getCountiesCount(), answer.getTotals().getCovered(),
                        answer.getTotals().getTotal()),
                Report.f("one SQL query over goal_unit: p50 %s, p99 %s (%,d of %,d)", Report.ms(base.pctMs(50)),
                        Report.ms(base.pctMs(99)), covered, total),
                Report.ratio(ratio), county ? "p50 <= 5 ms" : "<= 1.00", pass));
        if (mismatch != null) {
            report.note(label + ": service and SQL differ: " + mismatch);
        }
    }

    private SummarizeCoverageResponse summarize(SummarizeCoverageRequest req) {
        return cap.withDeadlineAfter(60, TimeUnit.SECONDS).summarizeCoverage(req);
    }

    /** Null when the service's per-county figures equal the SQL's, else the first difference. */
    private static String compare(SummarizeCoverageResponse answer, Map<String, long[]> sql) {
        Map<String, long[]> svc = new TreeMap<>();
        for (CoverageFigures f : answer.getCountiesList()) {
            svc.put(f.getCode(), new long[] {f.getCovered(), f.getTotal()});
        }
        Set<String> codes = new java.util.TreeSet<>(svc.keySet());
        codes.addAll(sql.keySet());
        int differ = 0;
        String first = null;
        for (String code : codes) {
            long[] a = svc.get(code);
            long[] e = sql.get(code);
            if (a == null || e == null || a[0] != e[0] || a[1] != e[1]) {
                differ++;
                if (first == null) {
                    first = Report.f("county %s: service %s, SQL %s", code, a == null ? "absent" : a[0] + " of " + a[1],
                            e == null ? "absent" : e[0] + " of " + e[1]);
                }
            }
        }
        return differ == 0 ? null : differ + " counties differ, e.g. " + first;
    }

    private GoalRef nationalGoal(String goalId) throws SQLException {
        try (Connection c = b.jdbc(capacityDb)) {
            long rowId;
            long planId;
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT g.id, g.plan_id FROM coverage_goal g JOIN plan p ON p.id = g.plan_id
                     WHERE p.code = ? AND g.goal_id = ?""")) {
                s.setString(1, NATIONAL_PLAN);
                s.setString(2, goalId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no goal " + goalId + " of plan " + NATIONAL_PLAN
                                + " in " + capacityDb + ": step 8 defines it");
                    }
                    rowId = rs.getLong(1);
                    planId = rs.getLong(2);
                }
            }
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT county_code, sum(total), sum(sum(total)) OVER () FROM goal_township_total WHERE goal_id = ?
                     GROUP BY county_code ORDER BY 2 DESC, 1 LIMIT 1""")) {
                s.setLong(1, rowId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("goal " + goalId + " of " + NATIONAL_PLAN + " counts no unit");
                    }
                    return new GoalRef(goalId, "plans/" + planId + "/coverageGoals/" + goalId, rowId, rs.getLong(3),
                            rs.getString(1), rs.getLong(2));
                }
            }
        }
    }

    // ---------------------------------------------------------------- step 10: freshness

    /** One planned project at a town that the national town-sewage goal does not yet cover. */
    private record Candidate(long projectId, String township) {
    }

    /**
     * From a commissioning committed in project-service to the first GetCoverageEvidence answer
     * that shows its town covered, while freshRate other changes per second flow into
     * project-service (UpdateProject of progress_percent on other projects).
     */
    void freshness() throws Exception {
        ensureCapacity();
        GoalRef goal = nationalGoal(TOWN_SEWAGE);
        LocalDate today = today();
        List<Candidate> all = new ArrayList<>();
        List<Long> others = new ArrayList<>();
        try (Connection c = b.jdbc(b.db)) {
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT p.id, p.township_code FROM project p JOIN division d ON d.code = p.township_code
                     WHERE p.plan_code = ? AND p.state = 'PLANNED' AND d.kind = 'TOWN' AND d.retired_at IS NULL
                     ORDER BY p.id""")) {
                s.setString(1, Workload.PLAN_CODE);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        all.add(new Candidate(rs.getLong(1), rs.getString(2)));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id FROM project WHERE plan_code = ? AND state IN ('PLANNED', 'APPROVED') ORDER BY id")) {
                s.setString(1, Workload.PLAN_CODE);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        others.add(rs.getLong(1));
                    }
                }
            }
        }
        Collections.shuffle(all, new Random(b.seed + 10));
        List<Candidate> samples = new ArrayList<>();
        Set<String> towns = new HashSet<>();
        int checked = 0;
        for (Candidate cand : all) {
            if (samples.size() == freshSamples) {
                break;
            }
            if (!towns.add(cand.township())) {
                continue;
            }
            checked++;
            if (!evidence(goal, cand.township()).getCovered()) {
                samples.add(cand);
            }
        }
        if (samples.size() < freshSamples) {
            throw new IllegalStateException(Report.f("only %d planned projects at uncovered towns (wanted %d)", samples.size(),
                    freshSamples));
        }
        Set<Long> sampleIds = new HashSet<>();
        samples.forEach(s -> sampleIds.add(s.projectId()));
        others.removeIf(sampleIds::contains);
        if (others.isEmpty()) {
            throw new IllegalStateException("no other project for the background changes");
        }

        Load load = new Load(others);
        load.start();
        try {
            Thread.sleep(2_000); // let the load settle before the first sample
            CpuWindow cpu = CpuWindow.start(List.of("capacity-service", "project-service"), List.of(capacity.rss(), b.rss));
            long loadOk0 = load.ok.get();
            long loadT0 = System.nanoTime();
            Lat delays = new Lat();
            Lat polls = new Lat();
            int missing = 0;
            int failed = 0;
            ProjectServiceGrpc.ProjectServiceBlockingStub writer = stub(0);
            for (Candidate cand : samples) {
                String name = "projects/" + cand.projectId();
                long t0;
                try {
                    for (ProjectState state : List.of(ProjectState.PROJECT_STATE_APPROVED,
                            ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION, ProjectState.PROJECT_STATE_COMPLETED,
                            ProjectState.PROJECT_STATE_COMMISSIONED)) {
                        transition(writer, name, state, today, "bench: freshness");
                    }
                    t0 = System.nanoTime();
                } catch (StatusRuntimeException e) {
                    if (++failed == 1) {
                        System.out.println("first freshness TransitionProject error: " + Bench.describe(e));
                    }
                    continue;
                }
                long giveUp = t0 + 10_000_000_000L;
                while (true) {
                    long s = System.nanoTime();
                    CoverageEvidence ev = evidence(goal, cand.township());
                    long now = System.nanoTime();
                    polls.add(now - s);
                    if (ev.getCovered()) {
                        delays.add(now - t0);
                        break;
                    }
                    if (now > giveUp) {
                        missing++;
                        break;
                    }
                    long wait = s + freshPollMillis * 1_000_000L - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                // a pause of random length, so that samples do not fall into step with the feed's batches
                Thread.sleep(20 + ThreadLocalRandom.current().nextInt(80));
            }
            double loadSecs = (System.nanoTime() - loadT0) / 1e9;
            double loadRate = (load.ok.get() - loadOk0) / loadSecs;
            String cpuNote = cpu.summary();
            double p99 = delays.pctMs(99);
            report.add(new Report.Row("10", Report.f("freshness: COMMISSIONED in project-service to GetCoverageEvidence covered (national %s), %d samples, %s other changes/s",
                    TOWN_SEWAGE, samples.size(), Report.n0(loadRate)),
                    Report.f("p50 %s, p99 %s, max %s; %d missing, %d failed", Report.ms(delays.pctMs(50)), Report.ms(p99),
                            Report.ms(delays.pctMs(100)), missing, failed),
                    Report.f("GetCoverageEvidence call alone: p50 %s, p99 %s (%,d polls)", Report.ms(polls.pctMs(50)),
                            Report.ms(polls.pctMs(99)), polls.count()),
                    "", "p99 <= 1 s", missing == 0 && failed == 0 && delays.count() > 0 && p99 <= 1000));
            report.note(Report.f("freshness: %d towns checked to find %d uncovered; background UpdateProject %s/s (target %d/s, %d failed); polls every %d ms; %s",
                    checked, samples.size(), Report.n0(loadRate), freshRate, load.errors.get(), freshPollMillis, cpuNote));
        } finally {
            load.stop();
        }
    }

    private CoverageEvidence evidence(GoalRef goal, String unit) {
        return cap.withDeadlineAfter(30, TimeUnit.SECONDS).getCoverageEvidence(GetCoverageEvidenceRequest.newBuilder()
                .setGoal(goal.name()).setUnitCode(unit).build());
    }

    /** UpdateProject of progress_percent on random projects, freshRate a second, asynchronously. */
    private final class Load {
        private final List<Long> projects;
        private final AtomicLong ok = new AtomicLong();
        private final AtomicLong errors = new AtomicLong();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final ProjectServiceGrpc.ProjectServiceStub async;
        private ScheduledExecutorService timer;

        Load(List<Long> projects) {
            this.projects = projects;
            this.async = ProjectServiceGrpc.newStub(b.pool.get(b.pool.size() > 1 ? 1 : 0));
        }

        void start() {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "background-changes");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::send, 0, 1_000_000_000L / Math.max(1, freshRate), TimeUnit.NANOSECONDS);
        }

        private void send() {
            if (inFlight.get() > 200) { // the service is not keeping up: do not pile up calls
                errors.incrementAndGet();
                return;
            }
            ThreadLocalRandom r = ThreadLocalRandom.current();
            long id = projects.get(r.nextInt(projects.size()));
            inFlight.incrementAndGet();
            async.withDeadlineAfter(30, TimeUnit.SECONDS).updateProject(UpdateProjectRequest.newBuilder()
                    .setProject(Project.newBuilder().setName("projects/" + id).setProgressPercent(r.nextInt(101)))
                    .setUpdateMask(FieldMask.newBuilder().addPaths("progress_percent")).build(),
                    new StreamObserver<Project>() {
                        @Override
                        public void onNext(Project p) {
                        }

                        @Override
                        public void onError(Throwable t) {
                            inFlight.decrementAndGet();
                            if (errors.incrementAndGet() == 1) {
                                System.out.println("first background UpdateProject error: " + Bench.describe(t));
                            }
                        }

                        @Override
                        public void onCompleted() {
                            inFlight.decrementAndGet();
                            ok.incrementAndGet();
                        }
                    });
        }

        void stop() throws InterruptedException {
            if (timer != null) {
                timer.shutdownNow();
                timer.awaitTermination(5, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
    }

    // ---------------------------------------------------------------- step 6: capacity-service RSS

    /** A row for capacity-service's peak RSS, when it ran. */
    void peakRss() {
        if (capacity == null || capacity.starts().isEmpty()) {
            return;
        }
        long hwm = -1;
        long sampled = -1;
        List<String> each = new ArrayList<>();
        for (Rss rss : capacity.starts()) {
            long h = rss.hwmKb();
            hwm = Math.max(hwm, h);
            sampled = Math.max(sampled, rss.maxSampledKb());
            each.add(h < 0 ? "n/a" : Report.f("%,d", h / 1024));
        }
        report.row("6", Report.f("capacity-service peak RSS (java %s), %d starts", HEAP, each.size()),
                Report.f("VmHWM %,d MiB (per start: %s MiB; max sampled VmRSS %,d MiB)", hwm / 1024, String.join(", ", each),
                        sampled / 1024));
    }

    // ---------------------------------------------------------------- helpers

    private void requireCapacity() {
        if (capacity == null) {
            throw new IllegalStateException("no capacity-service jar (--capacity-jar); the run script passes it");
        }
    }

    /** Starts capacity-service with default settings when it is not running (steps 9 and 10 without 8), and waits until it has the head. */
    void ensureCapacity() throws Exception {
        requireCapacity();
        if (!capacity.running()) {
            capacity.start(Map.of());
            report.note("capacity-service started with default settings for the steps after 8 (step 8 did not run)");
        }
        awaitCaughtUp(projectHead(), null);
        capacity.awaitReady(120);
    }

    private long projectHead() throws SQLException {
        try (Connection c = b.jdbc(b.db)) {
            return Bench.scalar(c, "SELECT last_seq FROM feed_head");
        }
    }

    /** capacity-service's stored feed position; 0 when its schema does not exist yet. */
    private long capacityPosition() throws SQLException {
        try (Connection c = b.jdbc(capacityDb)) {
            try {
                return Bench.scalar(c, "SELECT sequence FROM feed_position WHERE id = 1");
            } catch (SQLException e) {
                return 0;
            }
        }
    }

    private Timestamp dbNow() throws SQLException {
        try (Connection c = b.jdbc(capacityDb); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    private ProjectServiceGrpc.ProjectServiceBlockingStub stub(int i) {
        return ProjectServiceGrpc.newBlockingStub(b.pool.get(i % b.pool.size()));
    }

    private static Project transition(ProjectServiceGrpc.ProjectServiceBlockingStub stub, String name, ProjectState to,
            LocalDate date, String reason) {
        return stub.withDeadlineAfter(30, TimeUnit.SECONDS).transitionProject(TransitionProjectRequest.newBuilder()
                .setName(name).setState(to).setEffectiveDate(proto(date)).setReason(reason)
                .setRequestId(UUID.randomUUID().toString()).build());
    }

    interface Call {
        void run(int i) throws Exception;
    }

    /**
     * Runs call(0) .. call(n - 1) on `callers` threads; returns the latencies of the calls that
     * succeeded. A failed call is counted in errors (the first is printed) and does not stop the others.
     */
    private Lat parallel(int n, String what, Call call, AtomicLong errors) throws Exception {
        ExecutorService exec = Executors.newFixedThreadPool(callers);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<Lat>> futures = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                futures.add(exec.submit(() -> {
                    Lat lat = new Lat();
                    int i;
                    while ((i = next.getAndIncrement()) < n) {
                        long s = System.nanoTime();
                        try {
                            call.run(i);
                            lat.add(System.nanoTime() - s);
                        } catch (RuntimeException e) {
                            if (errors.incrementAndGet() == 1) {
                                System.out.println("first " + what + " error: " + Bench.describe(e));
                            }
                        }
                    }
                    return lat;
                }));
            }
            Lat all = new Lat();
            for (Future<Lat> f : futures) {
                all.addAll(f.get(3600, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            exec.shutdownNow();
        }
    }

    static LocalDate today() {
        return LocalDate.now(CHINA);
    }

    private static LocalDate between(SplittableRandom r, LocalDate from, LocalDate to) {
        if (!to.isAfter(from)) {
            return to;
        }
        return from.plusDays(r.nextLong(to.toEpochDay() - from.toEpochDay() + 1));
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    static Date proto(LocalDate d) {
        return Date.newBuilder().setYear(d.getYear()).setMonth(d.getMonthValue()).setDay(d.getDayOfMonth()).build();
    }
}
