import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Loads a demonstration programme into a running Qingliu through the gateway's HTTP/JSON API, as
 * a planner would: shaped like Ziyang's 2018 release (12 upgrades of existing plants, 54 new
 * township plants, 76,200 t/d added, spread over the three counties, most commissioned, some
 * late) plus the garbage chain and the basins the Tuojiang goal needs. Plain JDK, run from source:
 *
 * <pre>
 *   java deploy/local/Demo.java [--gateway http://127.0.0.1:8080] [--token TOKEN]
 *   java deploy/local/Demo.java [--gateway ...] [--token TOKEN] --await-plan SECONDS   (only waits for the shipped plan and prints its name)
 * </pre>
 *
 * Every request carries {@code Authorization: Bearer TOKEN} (default: $QINGLIU_TOKEN), a planner's
 * token to load the programme ({@code deploy/local/token mint --role planner}).
 *
 * Every unit is chosen from the registry's own divisions in code order, so the programme is the
 * same on every machine. Every write carries a request id derived from what it writes, and basins
 * are set only where they differ: a second run (or a run after an interrupted one) replays the
 * same answers and changes nothing. 503, 504 and refused connections are retried.
 *
 * The basins are illustrative planning data (the official list carries none): every township of
 * 雁江区 and 乐至县 in the 沱江 basin, two in three of 安岳县's, the others 涪江.
 */
public final class Demo {

    static final String PLAN_CODE = "ZY-2018-2020";
    static final String TUOJIANG = "沱江";
    static final String FUJIANG = "涪江";
    /** The three counties of the release, in code order, with their seat plant's capacity before and after the upgrade. */
    static final List<County> COUNTIES = List.of(
            new County("512002000000", 30_000, 50_000, 13),
            new County("512021000000", 20_000, 30_000, 27),
            new County("512022000000", 10_000, 15_000, 14));
    /** What each of the nine town plants adds in its upgrade (three per county, in code order): 5,200 t/d. */
    static final int[] TOWN_UPGRADE_ADDS = {500, 500, 600, 600, 500, 700, 600, 600, 600};
    /** Capacities of the new township plants, in turn: 54 plants, 36,000 t/d. */
    static final int[] NEW_PLANT_CAPACITIES = {500, 800, 700};

    record County(String code, int seatBefore, int seatAfter, int newPlants) {
    }

    private final Gateway gateway;
    private int writes;
    private int late;

    Demo(Gateway gateway) {
        this.gateway = gateway;
    }

    public static void main(String[] args) throws Exception {
        String url = "http://127.0.0.1:8080";
        int awaitPlanSeconds = 0;
        String token = System.getenv("QINGLIU_TOKEN");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--gateway" -> url = args[++i];
                case "--await-plan" -> awaitPlanSeconds = Integer.parseInt(args[++i]);
                case "--token" -> token = args[++i];
                default -> {
                    System.err.println("usage: java Demo.java [--gateway URL] [--token TOKEN] [--await-plan SECONDS]");
                    System.exit(2);
                }
            }
        }
        Gateway gateway = new Gateway(url, token);
        if (awaitPlanSeconds > 0) {
            String plan = gateway.awaitPlan(PLAN_CODE, Duration.ofSeconds(awaitPlanSeconds));
            System.out.println("plan " + PLAN_CODE + " is " + plan);
            return;
        }
        new Demo(gateway).run();
    }

    void run() throws Exception {
        int upgrades = 0;
        int newBuilds = 0;
        double added = 0;
        int townUpgrade = 0;
        int newPlant = 0;
        for (int ci = 0; ci < COUNTIES.size(); ci++) {
            County county = COUNTIES.get(ci);
            List<Map<String, Object>> townships = gateway.listAll("/api/v1/divisions", "divisions",
                    "county = \"" + county.code() + "\" AND level = DIVISION_LEVEL_TOWNSHIP");
            Map<String, Object> countyDivision = gateway.get("/api/v1/divisions/" + county.code());
            String countyName = (String) countyDivision.get("displayName");
            String bureau = countyName + "住房和城乡建设局";
            List<Map<String, Object>> towns = townships.stream().filter(t -> "DIVISION_KIND_TOWN".equals(t.get("kind"))).toList();
            Map<String, Object> seat = townships.stream().filter(t -> "DIVISION_KIND_SUBDISTRICT".equals(t.get("kind")))
                    .findFirst().orElse(towns.get(0));

            // Basins: planning data set on townships; their villages inherit them.
            for (int ti = 0; ti < townships.size(); ti++) {
                Map<String, Object> township = townships.get(ti);
                String basin = basinOf(ci, ti);
                if (!basin.equals(township.get("basin"))) {
                    gateway.send("PATCH", "/api/v1/divisions/" + township.get("code"), Json.object("basin", basin));
                    writes++;
                }
            }

            // Before the plan: the county seat's urban plant and three town plants, class 1B.
            List<Map<String, Object>> existing = new ArrayList<>();
            existing.add(facility("seat-plant:" + county.code(), Json.object(
                    "displayName", seat.get("displayName") + "城市生活污水处理厂",
                    "type", "FACILITY_TYPE_SEWAGE_TREATMENT_PLANT", "locationCode", seat.get("code"),
                    "capacityTonnesPerDay", county.seatBefore(), "dischargeStandard", "DISCHARGE_STANDARD_GB18918_CLASS_1B",
                    "operatingState", "OPERATING_STATE_IN_OPERATION", "operationDate", date(2008 + ci, 6, 30))));
            for (int k = 0; k < 3; k++) {
                Map<String, Object> town = towns.get(k);
                existing.add(facility("town-plant:" + town.get("code"), Json.object(
                        "displayName", town.get("displayName") + "污水处理厂",
                        "type", "FACILITY_TYPE_SEWAGE_TREATMENT_PLANT", "locationCode", town.get("code"),
                        "capacityTonnesPerDay", 1000 + 500 * k, "dischargeStandard", "DISCHARGE_STANDARD_GB18918_CLASS_1B",
                        "operatingState", "OPERATING_STATE_IN_OPERATION", "operationDate", date(2012 + k, 9, 1))));
            }

            // 提标改造: four upgrades per county, 1B -> 1A; the third town plant's is late (still under construction).
            for (int k = 0; k < existing.size(); k++) {
                Map<String, Object> plant = existing.get(k);
                double before = number(plant.get("capacityTonnesPerDay"));
                double after = k == 0 ? county.seatAfter() : before + TOWN_UPGRADE_ADDS[townUpgrade++];
                LocalDate start = LocalDate.of(2018, 3 + 2 * k, 1).plusDays(10L * ci);
                Map<String, Object> project = Json.object(
                        "displayName", plant.get("displayName") + "提标改造工程", "kind", "PROJECT_KIND_UPGRADE",
                        "facility", plant.get("name"), "planCode", PLAN_CODE,
                        "capacityBeforeTonnesPerDay", before, "capacityAfterTonnesPerDay", after,
                        "standardBefore", "DISCHARGE_STANDARD_GB18918_CLASS_1B",
                        "standardAfter", "DISCHARGE_STANDARD_GB18918_CLASS_1A");
                String progress = k == 3 && ci > 0 ? "late-construction" : "commissioned";
                walk("upgrade:" + plant.get("name"), project, null, start, bureau, progress);
                upgrades++;
                if (progress.equals("commissioned")) {
                    added += after - before;
                }
            }

            // 新建: new township plants at the towns that have none, in code order; the last three of
            // each county are late: two still under construction, one approved and never started.
            for (int k = 0; k < county.newPlants(); k++) {
                Map<String, Object> town = towns.get(3 + k);
                int capacity = NEW_PLANT_CAPACITIES[newPlant++ % NEW_PLANT_CAPACITIES.length];
                LocalDate start = LocalDate.of(2018, 4, 1).plusDays(9L * k + 5L * ci);
                String standard = TUOJIANG.equals(basinOf(ci, townships.indexOf(town))) ? "DISCHARGE_STANDARD_DB51_2311_2016"
                        : "DISCHARGE_STANDARD_GB18918_CLASS_1A";
                Map<String, Object> project = Json.object(
                        "displayName", town.get("displayName") + "污水处理厂新建工程", "kind", "PROJECT_KIND_NEW_BUILD",
                        "planCode", PLAN_CODE, "capacityAfterTonnesPerDay", capacity, "standardAfter", standard);
                Map<String, Object> plant = Json.object(
                        "displayName", town.get("displayName") + "污水处理厂", "type", "FACILITY_TYPE_SEWAGE_TREATMENT_PLANT",
                        "locationCode", town.get("code"), "capacityTonnesPerDay", capacity, "dischargeStandard", standard);
                int fromEnd = county.newPlants() - k;
                String progress = fromEnd == 1 ? "late-start" : fromEnd <= 3 ? "late-construction" : "commissioned";
                walk("new-build:" + town.get("code"), project, plant, start, bureau, progress);
                newBuilds++;
                if (progress.equals("commissioned")) {
                    added += capacity;
                }
            }

            garbageChain(county, ci, townships);
        }
        System.out.printf("demo programme: %d upgrades and %d new township plants of %s (%d late); %.0f t/d added by the "
                + "commissioned ones; %d writes sent, each idempotent (a second run changes nothing)%n", upgrades, newBuilds,
                PLAN_CODE, late, added, writes);
    }

    /**
     * The garbage chain of a county: a disposal site, and for each township of the 沱江 basin a
     * transfer station and a collection point serving the township's villages. One station in five
     * is still planned, so its villages stay uncovered though their point operates.
     */
    private void garbageChain(County county, int ci, List<Map<String, Object>> townships) throws Exception {
        Map<String, Object> seatTown = townships.get(0);
        Map<String, Object> site = facility("disposal-site:" + county.code(), Json.object(
                "displayName", seatTown.get("displayName") + "生活垃圾填埋场", "type", "FACILITY_TYPE_GARBAGE_DISPOSAL_SITE",
                "locationCode", seatTown.get("code"), "capacityTonnesPerDay", 300 + 100 * ci,
                "operatingState", "OPERATING_STATE_IN_OPERATION", "operationDate", date(2015, 5, 1)));
        int station = 0;
        for (int ti = 0; ti < townships.size(); ti++) {
            Map<String, Object> township = townships.get(ti);
            if (!TUOJIANG.equals(basinOf(ci, ti))) {
                continue;
            }
            boolean planned = station++ % 5 == 4;
            Map<String, Object> stationFields = Json.object(
                    "displayName", township.get("displayName") + "垃圾压缩中转站", "type", "FACILITY_TYPE_GARBAGE_TRANSFER_STATION",
                    "locationCode", township.get("code"), "capacityTonnesPerDay", 30,
                    "downstreamFacility", site.get("name"));
            if (planned) {
                stationFields.put("operatingState", "OPERATING_STATE_PLANNED");
            } else {
                stationFields.put("operatingState", "OPERATING_STATE_IN_OPERATION");
                stationFields.put("operationDate", date(2018 + ti % 2, 1 + ti % 12, 15));
            }
            Map<String, Object> transfer = facility("transfer-station:" + township.get("code"), stationFields);
            facility("collection-point:" + township.get("code"), Json.object(
                    "displayName", township.get("displayName") + "生活垃圾收集点", "type", "FACILITY_TYPE_GARBAGE_COLLECTION_POINT",
                    "locationCode", township.get("code"), "servedDivisionCodes", List.of(township.get("code")),
                    "capacityTonnesPerDay", 5, "downstreamFacility", transfer.get("name"),
                    "operatingState", "OPERATING_STATE_IN_OPERATION", "operationDate", date(2018 + ti % 2, 1 + ti % 12, 20)));
        }
    }

    /** The basin the demo gives the ti-th township (code order) of the ci-th county. */
    private static String basinOf(int ci, int ti) {
        return ci == 1 && ti % 3 == 2 ? FUJIANG : TUOJIANG;
    }

    /** Creates a facility (or replays its creation) and returns it. */
    private Map<String, Object> facility(String key, Map<String, Object> fields) throws Exception {
        return create("/api/v1/facilities?requestId=" + requestId(key), fields);
    }

    /**
     * Creates a plan project and moves it through its lifecycle with back-dated effective dates:
     * commissioned a year after the start; late-construction: started, never completed (its planned
     * dates are long past); late-start: approved, never started.
     */
    private void walk(String key, Map<String, Object> project, Map<String, Object> newFacility, LocalDate start,
            String bureau, String progress) throws Exception {
        LocalDate completion = start.plusMonths(10);
        LocalDate commissioning = start.plusMonths(12);
        long investment = Math.round(number(project.get("capacityAfterTonnesPerDay")) * 300_000); // ~3,000 yuan per t/d
        project.putAll(Json.object(
                "plannedStartDate", date(start), "plannedCompletionDate", date(completion),
                "plannedCommissioningDate", date(commissioning), "investmentFen", investment,
                "fundingSources", List.of(Json.object("source", "中央农村环境整治资金", "amountFen", investment / 2),
                        Json.object("source", "市县财政", "amountFen", investment - investment / 2)),
                "responsibleUnit", bureau,
                "progressPercent", progress.equals("commissioned") ? 100 : progress.equals("late-start") ? 0 : 60));
        Map<String, Object> body = Json.object("project", project, "requestId", requestId(key));
        if (newFacility != null) {
            body.put("newFacility", newFacility);
        }
        Map<String, Object> created = create("/api/v1/projects", body);
        String name = (String) created.get("name");
        List<Object[]> moves = new ArrayList<>();
        moves.add(new Object[] {"PROJECT_STATE_APPROVED", start.minusMonths(2), "立项批复"});
        if (!progress.equals("late-start")) {
            moves.add(new Object[] {"PROJECT_STATE_UNDER_CONSTRUCTION", start, "开工"});
        }
        if (progress.equals("commissioned")) {
            moves.add(new Object[] {"PROJECT_STATE_COMPLETED", completion, "完工"});
            moves.add(new Object[] {"PROJECT_STATE_COMMISSIONED", commissioning, "通水运行"});
        } else {
            late++;
        }
        for (Object[] move : moves) {
            create("/api/v1/" + name + ":transition", Json.object("state", move[0], "effectiveDate", date((LocalDate) move[1]),
                    "reason", move[2], "requestId", requestId(key + ":" + move[0])));
        }
    }

    /** A POST that carries a request id: a replay returns the first answer and changes nothing. */
    private Map<String, Object> create(String path, Map<String, Object> body) throws Exception {
        writes++;
        return gateway.send("POST", path, body);
    }

    private static String requestId(String key) {
        return UUID.nameUUIDFromBytes(("qingliu-demo/" + PLAN_CODE + "/" + key).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Map<String, Object> date(int year, int month, int day) {
        return Json.object("year", year, "month", month, "day", day);
    }

    private static Map<String, Object> date(LocalDate d) {
        return date(d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(value));
    }

    /** The gateway over HTTP/1.1, with retries on what a restarting service answers. */
    static final class Gateway {

        private final String base;
        /** The bearer token every request carries; null or blank: none. */
        private final String token;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        Gateway(String base, String token) {
            this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            this.token = token;
        }

        Map<String, Object> get(String path) throws Exception {
            return send("GET", path, null);
        }

        /** Every item of a list, page by page. */
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listAll(String path, String items, String filter) throws Exception {
            List<Map<String, Object>> out = new ArrayList<>();
            String token = "";
            do {
                Map<String, Object> page = get(path + "?pageSize=1000&filter=" + encode(filter)
                        + (token.isEmpty() ? "" : "&pageToken=" + encode(token)));
                out.addAll((List<Map<String, Object>>) page.getOrDefault(items, List.of()));
                token = (String) page.getOrDefault("nextPageToken", "");
            } while (!token.isEmpty());
            return out;
        }

        /** The plan's resource name once capacity-service has loaded it (it waits for Ziyang's divisions). */
        @SuppressWarnings("unchecked")
        String awaitPlan(String code, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                try {
                    for (Map<String, Object> plan : (List<Map<String, Object>>) get("/api/v1/plans?pageSize=1000")
                            .getOrDefault("plans", List.of())) {
                        if (code.equals(plan.get("code"))) {
                            return (String) plan.get("name");
                        }
                    }
                } catch (IOException e) {
                    // not up yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("plan " + code + " did not appear within " + timeout);
                }
                Thread.sleep(500);
            }
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> send(String method, String path, Map<String, Object> body) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/json");
            if (token != null && !token.isBlank()) {
                request.header("Authorization", "Bearer " + token.trim());
            }
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
            }
            for (int attempt = 1;; attempt++) {
                int status;
                String text;
                try {
                    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    status = response.statusCode();
                    text = response.body();
                } catch (ConnectException | java.net.http.HttpTimeoutException e) {
                    status = -1;
                    text = e.toString();
                }
                if (status == 200) {
                    return (Map<String, Object>) Json.parse(text);
                }
                boolean transient_ = status == -1 || status == 503 || status == 504;
                if (!transient_ || attempt >= 30) {
                    throw new IOException(method + " " + path + " answered " + status + ": " + text);
                }
                Thread.sleep(Math.min(2000, 100L * attempt));
            }
        }

        private static String encode(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }

    /** Just enough JSON for the gateway's answers: objects, arrays, strings, numbers, booleans, null. */
    static final class Json {

        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        /** An ordered object of alternating keys and values (null values are left out). */
        static Map<String, Object> object(Object... keyValues) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int k = 0; k < keyValues.length; k += 2) {
                if (keyValues[k + 1] != null) {
                    m.put((String) keyValues[k], keyValues[k + 1]);
                }
            }
            return m;
        }

        static Object parse(String text) {
            Json p = new Json(text);
            Object value = p.value();
            p.space();
            if (p.i != text.length()) {
                throw new IllegalArgumentException("trailing characters at " + p.i);
            }
            return value;
        }

        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        private static void write(Object value, StringBuilder out) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof Map<?, ?> m) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(String.valueOf(e.getKey()), out);
                    out.append(':');
                    write(e.getValue(), out);
                }
                out.append('}');
            } else if (value instanceof List<?> l) {
                out.append('[');
                for (int k = 0; k < l.size(); k++) {
                    if (k > 0) {
                        out.append(',');
                    }
                    write(l.get(k), out);
                }
                out.append(']');
            } else if (value instanceof String str) {
                out.append('"');
                for (char c : str.toCharArray()) {
                    switch (c) {
                        case '"' -> out.append("\\\"");
                        case '\\' -> out.append("\\\\");
                        case '\n' -> out.append("\\n");
                        case '\r' -> out.append("\\r");
                        case '\t' -> out.append("\\t");
                        default -> {
                            if (c < 0x20) {
                                out.append(String.format("\\u%04x", (int) c));
                            } else {
                                out.append(c);
                            }
                        }
                    }
                }
                out.append('"');
            } else if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
                out.append(d.longValue());
            } else {
                out.append(value);
            }
        }

        private Object value() {
            space();
            char c = s.charAt(i);
            switch (c) {
                case '{' -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    i++;
                    space();
                    if (s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        space();
                        String key = string();
                        space();
                        expect(':');
                        m.put(key, value());
                        space();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect('}');
                            return m;
                        }
                    }
                }
                case '[' -> {
                    List<Object> l = new ArrayList<>();
                    i++;
                    space();
                    if (s.charAt(i) == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        space();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect(']');
                            return l;
                        }
                    }
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    if (s.startsWith("true", i)) {
                        i += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", i)) {
                        i += 5;
                        return Boolean.FALSE;
                    }
                    if (s.startsWith("null", i)) {
                        i += 4;
                        return null;
                    }
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    if (start == i) {
                        throw new IllegalArgumentException("unexpected '" + c + "' at " + i);
                    }
                    return Double.parseDouble(s.substring(start, i));
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> out.append(e);
                }
            }
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + i + ", found '" + s.charAt(i) + "'");
            }
            i++;
        }

        private void space() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
