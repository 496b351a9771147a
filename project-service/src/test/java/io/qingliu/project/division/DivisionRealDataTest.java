package io.qingliu.project.division;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import io.qingliu.project.testing.SharedData;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Parses the real division lists from the shared data directory (system property
 * {@code qingliu.divisions.dir}, env {@code QINGLIU_DIVISIONS_DIR}, default: shared/data/divisions beside the checkout); skipped when the files are not there.
 */
class DivisionRealDataTest {

    private static final Path DIR = SharedData.divisionsDir();

    private static Path file(String relative) {
        Path p = DIR.resolve(relative);
        assumeTrue(Files.isRegularFile(p), "division data not available: " + p);
        return p;
    }

    /** Codes of rows worth pinning, with "name|kind|parentCode". */
    private static final Map<String, String> KNOWN = Map.ofEntries(
            Map.entry("110000000000", "北京市|PROVINCE|null"),
            Map.entry("510000000000", "四川省|PROVINCE|null"),
            Map.entry("110100000000", "市辖区|CITY|110000000000"),
            Map.entry("512000000000", "资阳市|CITY|510000000000"),
            Map.entry("110101000000", "东城区|COUNTY|110100000000"),
            Map.entry("110101001000", "东华门街道|SUBDISTRICT|110101000000"),
            Map.entry("110112209000", "于家务回族乡|TOWNSHIP|110112000000"),
            Map.entry("150725202000", "东乌珠尔苏木|TOWNSHIP_OTHER|150725000000"),
            Map.entry("150521403000", "保康街道办事处|SUBDISTRICT|150521000000"),
            Map.entry("110101001001", "多福巷社区居委会|COMMUNITY|110101001000"),
            Map.entry("110105021200", "楼梓庄村委会|VILLAGERS_COMMITTEE|110105021000"),
            Map.entry("150626100206", "巴音温都尔嘎查村民委员会|VILLAGERS_COMMITTEE|150626100000"),
            Map.entry("150203102211", "卜尔汉图嘎查|VILLAGE_OTHER|150203102000"));

    private static final class Tally {
        final Map<DivisionKind, Long> kinds = new EnumMap<>(DivisionKind.class);
        final Map<String, String> known = new HashMap<>();
        long rows;
        long selfParented;

        void add(DivisionRow r) {
            rows++;
            kinds.merge(r.kind(), 1L, Long::sum);
            if (r.code().equals(r.parentCode())) {
                selfParented++;
                System.out.println("  code equals parent code: " + r);
            }
            if (KNOWN.containsKey(r.code())) {
                known.put(r.code(), r.name() + "|" + r.kind() + "|" + r.parentCode());
            }
        }
    }

    private static Map<String, DivisionRow> ziyang() throws IOException {
        Map<String, DivisionRow> rows = new HashMap<>();
        ParseResult result = new DivisionFileParser(DivisionFileFormat.FOUR_COLUMN)
                .parse(file("ziyang-5120.csv"), r -> rows.put(r.code(), r));
        assertTrue(result.ok(), result.problems().toString());
        return rows;
    }

    @Test
    void ziyangFourColumnFile() throws IOException {
        Tally t = new Tally();
        Map<DivisionLevel, Long> levels = new EnumMap<>(DivisionLevel.class);
        long[] lastLine = {1};
        ParseResult result = new DivisionFileParser(DivisionFileFormat.FOUR_COLUMN)
                .parse(file("ziyang-5120.csv"), r -> {
                    t.add(r);
                    levels.merge(r.level(), 1L, Long::sum);
                    assertEquals(lastLine[0] + 1, r.line());
                    lastLine[0] = r.line();
                    assertEquals("ziyang-5120.csv", r.file());
                });
        System.out.println("ziyang-5120.csv: " + result.rows() + " rows, levels " + levels + ", kinds " + t.kinds);
        assertTrue(result.ok(), result.problems().toString());
        assertEquals(1325, result.rows());
        assertEquals(1325, result.accepted());
        assertEquals(Map.of(DivisionLevel.PROVINCE, 1L, DivisionLevel.CITY, 1L, DivisionLevel.COUNTY, 3L,
                DivisionLevel.TOWNSHIP, 90L, DivisionLevel.VILLAGE, 1230L), levels);
        Map<DivisionKind, Long> expected = new EnumMap<>(DivisionKind.class);
        expected.put(DivisionKind.PROVINCE, 1L);
        expected.put(DivisionKind.CITY, 1L);
        expected.put(DivisionKind.COUNTY, 3L);
        expected.put(DivisionKind.TOWN, 67L);
        expected.put(DivisionKind.TOWNSHIP, 13L);
        expected.put(DivisionKind.SUBDISTRICT, 9L);
        expected.put(DivisionKind.TOWNSHIP_OTHER, 1L);      // 四川大堰劳动教养管理所
        expected.put(DivisionKind.VILLAGERS_COMMITTEE, 963L);
        expected.put(DivisionKind.COMMUNITY, 266L);
        expected.put(DivisionKind.VILLAGE_OTHER, 1L);       // 四川大堰劳动教养管理所虚拟社区
        assertEquals(expected, t.kinds);
        assertEquals(0, t.selfParented);
        assertEquals("512000000000", ziyang().get("512002000000").parentCode());
    }

    @Test
    void nationalUpperFiles() throws IOException {
        Tally t = new Tally();
        Map<String, DivisionRow> ziyang = ziyang();
        long[] ziyangMatched = {0};
        long[] expectedCounts = {31, 342, 2978, 41352};
        String[] names = {"provinces", "cities", "areas", "streets"};
        DivisionFileFormat[] formats = {DivisionFileFormat.PROVINCES, DivisionFileFormat.CITIES,
                DivisionFileFormat.AREAS, DivisionFileFormat.STREETS};
        for (int i = 0; i < names.length; i++) {
            Path path = file("china/" + names[i] + ".csv.gz");
            assertEquals(formats[i], DivisionFileFormat.forNationalFileName(path.toString()).orElseThrow());
            long start = System.nanoTime();
            DivisionFileFormat format = formats[i];
            ParseResult result = new DivisionFileParser(format).parse(path, r -> {
                assertEquals(format.level(), r.level());
                t.add(r);
                DivisionRow z = ziyang.get(r.code());
                if (z != null && r.level() == DivisionLevel.TOWNSHIP) {
                    assertEquals(z.name(), r.name());
                    assertEquals(z.parentCode(), r.parentCode());
                    ziyangMatched[0]++;
                }
            });
            System.out.printf("%s: %d rows, %d problems, %.0f ms%n", path.getFileName(), result.rows(),
                    result.problemCount(), (System.nanoTime() - start) / 1e6);
            assertTrue(result.ok(), result.problems().toString());
            assertEquals(expectedCounts[i], result.rows());
            assertEquals(expectedCounts[i], result.accepted());
        }
        System.out.println("national provinces..streets kinds: " + t.kinds);
        assertEquals(31L, t.kinds.get(DivisionKind.PROVINCE));
        assertEquals(342L, t.kinds.get(DivisionKind.CITY));
        assertEquals(2978L, t.kinds.get(DivisionKind.COUNTY));
        assertEquals(21379L, t.kinds.get(DivisionKind.TOWN));
        assertEquals(8049L, t.kinds.get(DivisionKind.TOWNSHIP));
        assertEquals(9121L, t.kinds.get(DivisionKind.SUBDISTRICT));
        assertEquals(2803L, t.kinds.get(DivisionKind.TOWNSHIP_OTHER));
        assertEquals(90, ziyangMatched[0], "Ziyang townships also in the national list, same name and parent");
        // Prefectures without counties (东莞 441900, 中山 442000, 儋州 460400) have a county-level placeholder
        // with the city's own padded code, and 金门县 (350527) has a placeholder street 350527000.
        assertEquals(4, t.selfParented);
        for (Map.Entry<String, String> e : KNOWN.entrySet()) {
            if (!e.getValue().contains("VILLAGE") && !e.getValue().contains("COMMUNITY")) {
                assertEquals(e.getValue(), t.known.get(e.getKey()), e.getKey());
            }
        }
    }

    @Test
    void nationalVillages() throws IOException {
        Path path = file("china/villages.csv.gz");
        Map<String, DivisionRow> ziyang = ziyang();
        Tally t = new Tally();
        long[] ziyangMatched = {0};
        long start = System.nanoTime();
        ParseResult result = new DivisionFileParser(DivisionFileFormat.VILLAGES).parse(path, r -> {
            t.add(r);
            DivisionRow z = ziyang.get(r.code());
            if (z != null) {
                assertEquals(z.name(), r.name());
                assertEquals(z.parentCode(), r.parentCode());
                ziyangMatched[0]++;
            }
        });
        double ms = (System.nanoTime() - start) / 1e6;
        System.out.printf("villages.csv.gz: %d rows, %d problems, parsed in %.0f ms (%.0f rows/s)%n",
                result.rows(), result.problemCount(), ms, result.rows() / (ms / 1000));
        System.out.println("national village kinds: " + t.kinds);
        assertTrue(result.ok(), result.problems().toString());
        assertEquals(620573, result.rows());
        assertEquals(620573, result.accepted());
        assertEquals(Set.of(DivisionKind.VILLAGERS_COMMITTEE, DivisionKind.COMMUNITY, DivisionKind.VILLAGE_OTHER),
                t.kinds.keySet());
        assertEquals(456459L, t.kinds.get(DivisionKind.VILLAGERS_COMMITTEE));
        assertEquals(105540L, t.kinds.get(DivisionKind.COMMUNITY));
        assertEquals(58574L, t.kinds.get(DivisionKind.VILLAGE_OTHER));
        assertEquals(1230, ziyangMatched[0], "Ziyang villages also in the national list, same name and parent");
        // 金门县 placeholder village 350527000000 under placeholder street 350527000(000)
        assertEquals(1, t.selfParented);
        for (Map.Entry<String, String> e : KNOWN.entrySet()) {
            if (e.getKey().length() == 12 && !e.getKey().endsWith("000")) {
                assertEquals(e.getValue(), t.known.get(e.getKey()), e.getKey());
            }
        }
    }
}
