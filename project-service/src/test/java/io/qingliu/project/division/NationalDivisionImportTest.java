package io.qingliu.project.division;

import static io.qingliu.project.division.DivisionCalls.get;
import static io.qingliu.project.division.DivisionCalls.listAll;
import static io.qingliu.project.testing.ChangeFeedReader.currentHead;
import static io.qingliu.project.testing.ChangeFeedReader.readRange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qingliu.api.common.v1.DivisionKind;
import io.qingliu.api.common.v1.DivisionLevel;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.ChangeType;
import io.qingliu.api.project.v1.Division;
import io.qingliu.api.project.v1.DivisionFileRole;
import io.qingliu.api.project.v1.ImportDivisionsRequest;
import io.qingliu.api.project.v1.ImportDivisionsResponse;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.kit.testing.ClientStreams;
import io.qingliu.project.testing.OwnConnections;
import io.qingliu.project.testing.PostgresResource;
import io.qingliu.project.testing.SharedData;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The real national list (2023 edition, five gzip files, 665,276 rows) imported through the
 * stream in ~1 MiB chunks, next to the Ziyang units already there. Slow (minutes on a small
 * machine). Skipped when the data directory ({@code qingliu.divisions.dir}, env
 * {@code QINGLIU_DIVISIONS_DIR}, default shared/data/divisions beside the checkout) lacks the files.
 * It only adds units: every other test's data stays as it was (Ziyang is listed identically;
 * synthetic areas lie under provinces the list does not have).
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class NationalDivisionImportTest {

    private static final Path DIR = SharedData.divisionsDir().resolve("china");

    private static final Map<DivisionFileRole, String> FILES = new LinkedHashMap<>();

    static {
        FILES.put(DivisionFileRole.DIVISION_FILE_ROLE_PROVINCES, "provinces.csv.gz");
        FILES.put(DivisionFileRole.DIVISION_FILE_ROLE_CITIES, "cities.csv.gz");
        FILES.put(DivisionFileRole.DIVISION_FILE_ROLE_AREAS, "areas.csv.gz");
        FILES.put(DivisionFileRole.DIVISION_FILE_ROLE_STREETS, "streets.csv.gz");
        FILES.put(DivisionFileRole.DIVISION_FILE_ROLE_VILLAGES, "villages.csv.gz");
    }

    /** Rows of the five files: 31 provinces, 342 cities, 2,978 counties, 41,352 townships, 620,573 villages. */
    static final long ROWS = 31 + 342 + 2_978 + 41_352 + 620_573;
    /**
     * Rows that repeat their parent's code and are skipped as the same unit: the county
     * placeholders of 东莞市, 中山市 and 儋州市, and 金门县's placeholder township and village.
     */
    static final long PLACEHOLDERS = 5;

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub divisions;

    /** For imports and feed reads, which come many in a row here: each on a connection of its own. */
    @Inject
    @OwnConnections
    ProjectServiceGrpc.ProjectServiceStub async;

    @Test
    void theNationalListImportsBesideZiyangAndLeavesZiyangAsItWas() throws IOException {
        for (String name : FILES.values()) {
            assumeTrue(Files.isRegularFile(DIR.resolve(name)), "national division list not available: " + DIR.resolve(name));
        }
        List<Division> ziyangBefore = ziyang();
        assertEquals(1325, ziyangBefore.size());
        long head = currentHead(async);

        List<ImportDivisionsRequest> messages = new ArrayList<>();
        long bytes = 0;
        for (Map.Entry<DivisionFileRole, String> file : FILES.entrySet()) {
            byte[] gzip = Files.readAllBytes(DIR.resolve(file.getValue()));
            bytes += gzip.length;
            messages.addAll(DivisionCalls.chunks(file.getKey(), gzip, 1 << 20));
        }
        long started = System.nanoTime();
        ImportDivisionsResponse r = ClientStreams.send(async::importDivisions, messages, Duration.ofMinutes(20));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("NationalDivisionImportTest: imported %,d rows (%,d bytes gzip in %d messages) in %.1f s: "
                + "added %,d, updated %,d, unchanged %,d, retired %,d, last sequence %,d%n", r.getRowsRead(), bytes,
                messages.size(), seconds, r.getAddedCount(), r.getUpdatedCount(), r.getUnchangedCount(),
                r.getRetiredCount(), r.getLastSequence());

        assertEquals(ROWS, r.getRowsRead());
        assertEquals(ROWS - PLACEHOLDERS, r.getAddedCount() + r.getUpdatedCount() + r.getUnchangedCount(),
                "every unit is added, updated or unchanged");
        assertTrue(r.getUnchangedCount() >= 1325, "Ziyang's units are there already: " + r.getUnchangedCount());
        assertEquals(0, r.getUpdatedCount(), "Ziyang's units are listed as they are");
        assertEquals(0, r.getRetiredCount(), "the national list lists every real unit");
        assertEquals(head + r.getAddedCount(), r.getLastSequence(), "one change per added unit");
        assertEquals(r.getLastSequence(), currentHead(async));
        assertEquals(ziyangBefore, ziyang(), "Ziyang's units are untouched: same state, etags and update times");

        // Spot checks.
        Division duofuxiang = get(divisions, "110101001001");
        assertEquals("多福巷社区居委会", duofuxiang.getDisplayName());
        assertEquals(DivisionKind.DIVISION_KIND_COMMUNITY, duofuxiang.getKind());
        assertEquals(DivisionLevel.DIVISION_LEVEL_VILLAGE, duofuxiang.getLevel());
        assertEquals("divisions/110101001000", duofuxiang.getParent());
        assertEquals("110101001000", duofuxiang.getTownshipCode());
        assertEquals("110101000000", duofuxiang.getCountyCode());
        assertEquals("东华门街道", get(divisions, "110101001000").getDisplayName());
        assertEquals(DivisionKind.DIVISION_KIND_PROVINCE, get(divisions, "110000000000").getKind());

        List<Division> changpingTowns = listAll(divisions,
                "kind = DIVISION_KIND_TOWN AND county = \"110114000000\"", "", 0);
        assertEquals(Set.of("阳坊镇", "小汤山镇", "南邵镇", "崔村镇", "百善镇", "北七家镇", "兴寿镇", "流村镇", "十三陵镇", "延寿镇"),
                changpingTowns.stream().map(Division::getDisplayName).collect(Collectors.toSet()));
        assertEquals(10, changpingTowns.size());

        // 东莞市 has no counties: its county placeholder is the city itself, under which its townships hang.
        Division dongguan = get(divisions, "441900000000");
        assertEquals(DivisionLevel.DIVISION_LEVEL_CITY, dongguan.getLevel());
        assertTrue(listAll(divisions, "parent = \"divisions/441900000000\" AND level = DIVISION_LEVEL_TOWNSHIP", "", 0)
                .size() > 20);

        // The feed starts the import with the first province, parents before children.
        List<Change> first = readRange(async, head, Math.min(head + 500, r.getLastSequence()));
        assertEquals("divisions/110000000000", first.get(0).getResourceName());
        assertEquals("divisions/110100000000", first.get(1).getResourceName());
        assertEquals("divisions/110101000000", first.get(2).getResourceName());
        assertEquals("divisions/110101001000", first.get(3).getResourceName());
        assertEquals("divisions/110101001001", first.get(4).getResourceName());
        first.forEach(c -> assertEquals(ChangeType.CHANGE_TYPE_CREATED, c.getType()));

        // What a consumer rebuilding its read model now reads: the whole feed, from the start.
        long readStarted = System.nanoTime();
        long whole = ChangeFeedReader.countChanges(async, 0, r.getLastSequence(), Duration.ofMinutes(10));
        System.out.printf("NationalDivisionImportTest: read the whole feed (%,d changes) in %.1f s%n", whole,
                (System.nanoTime() - readStarted) / 1e9);
        assertEquals(r.getLastSequence(), whole);
    }

    /** Ziyang's 1,325 units as the API shows them. */
    private List<Division> ziyang() {
        List<Division> all = new ArrayList<>();
        all.add(get(divisions, "510000000000"));
        all.add(get(divisions, "512000000000"));
        for (String county : DivisionQueriesTest.COUNTIES) {
            all.addAll(listAll(divisions, "county = \"" + county + "\"", "", 1000));
        }
        return all;
    }
}
