package io.qingliu.project.division;

import static io.qingliu.project.division.DivisionCalls.codes;
import static io.qingliu.project.division.DivisionCalls.exists;
import static io.qingliu.project.division.DivisionCalls.fourColumn;
import static io.qingliu.project.division.DivisionCalls.get;
import static io.qingliu.project.division.DivisionCalls.listAll;
import static io.qingliu.project.division.DivisionCalls.withOptions;
import static io.qingliu.project.testing.ChangeFeedReader.currentHead;
import static io.qingliu.project.testing.ChangeFeedReader.readRange;
import static io.qingliu.kit.testing.ClientStreams.send;
import static io.qingliu.kit.testing.StatusAssertions.assertFieldViolations;
import static io.qingliu.kit.testing.StatusAssertions.assertInvalid;
import static io.qingliu.kit.testing.StatusAssertions.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import com.google.type.Date;
import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.common.v1.DivisionKind;
import io.qingliu.api.common.v1.DivisionLevel;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.common.v1.OperatingState;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.ChangeType;
import io.qingliu.api.project.v1.CreateFacilityRequest;
import io.qingliu.api.project.v1.Division;
import io.qingliu.api.project.v1.DivisionFileRole;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.GetFacilityRequest;
import io.qingliu.api.project.v1.ImportDivisionsRequest;
import io.qingliu.api.project.v1.ImportDivisionsResponse;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.RetiredDivisionReference;
import io.qingliu.project.testing.OwnConnections;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * ImportDivisions through the real stream: re-importing Ziyang changes nothing; a synthetic area
 * (province 99, 测试省) is imported, then two of its townships merge, which retires units that a
 * facility still refers to; bad files are rejected naming {@code file:line.field} and change
 * nothing (province 97 never gets in). Uploads are cut into small chunks, some splitting a UTF-8
 * character, to show the chunks of a file are joined as bytes.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class DivisionImportTest {

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub projects;

    /** For imports and feed reads, which come many in a row here: each on a connection of its own. */
    @Inject
    @OwnConnections
    ProjectServiceGrpc.ProjectServiceStub async;

    // --- Ziyang ----------------------------------------------------------------------------------

    @Test
    void reimportingTheShippedZiyangListChangesNothing() {
        Division baoheBefore = get(projects, "512002104000");
        long head = currentHead(async);
        ImportDivisionsResponse r = send(async::importDivisions,
                DivisionCalls.chunks(DivisionFileRole.DIVISION_FILE_ROLE_DIVISIONS, ZiyangList.bytes(), 16 * 1024 + 1));
        assertEquals(1325, r.getRowsRead());
        assertEquals(0, r.getAddedCount());
        assertEquals(0, r.getUpdatedCount());
        assertEquals(1325, r.getUnchangedCount());
        assertEquals(0, r.getRetiredCount());
        assertEquals(0, r.getRetiredInUseCount());
        assertEquals(0, r.getLastSequence(), "no change was written");
        assertEquals(head, currentHead(async), "the feed did not move");
        assertEquals(baoheBefore, get(projects, "512002104000"));
    }

    // --- A synthetic area: import, merger, return --------------------------------------------------

    static final String EAST = "990101001000";   // 东镇, renamed 东西镇 by the merger
    static final String WEST = "990101002000";   // 西乡, merged away
    static final List<String> WEST_VILLAGES = List.of("990101002001", "990101002002");
    static final String NEW_VILLAGE = "990101001003";

    static final List<String> AREA_V1_ROWS = List.of(
            "990000000000,测试省,province,",
            "990100000000,测试市,city,990000000000",
            "990101000000,甲县,county,990100000000",
            "990101001000,东镇,township,990101000000",
            "990101001001,东村村民委员会,village,990101001000",
            "990101001002,东街社区居民委员会,village,990101001000",
            "990101002000,西乡,township,990101000000",
            "990101002001,西一村村民委员会,village,990101002000",
            "990101002002,西二村村民委员会,village,990101002000",
            "990101003000,南街道,township,990101000000",
            "990101003001,南苑社区居民委员会,village,990101003000",
            "990102000000,乙县,county,990100000000",
            "990102001000,北镇,township,990102000000",
            "990102001001,北村村民委员会,village,990102001000");

    /** 东镇 and 西乡 merge into 东西镇 (东镇's code); 西乡 and its villages go; 西合村 is new. */
    static final List<String> AREA_V2_ROWS = List.of(
            "990000000000,测试省,province,",
            "990100000000,测试市,city,990000000000",
            "990101000000,甲县,county,990100000000",
            "990101001000,东西镇,township,990101000000",
            "990101001001,东村村民委员会,village,990101001000",
            "990101001002,东街社区居民委员会,village,990101001000",
            "990101001003,西合村村民委员会,village,990101001000",
            "990101003000,南街道,township,990101000000",
            "990101003001,南苑社区居民委员会,village,990101003000",
            "990102000000,乙县,county,990100000000",
            "990102001000,北镇,township,990102000000",
            "990102001001,北村村民委员会,village,990102001000");

    static List<String> file(List<String> rows) {
        List<String> lines = new ArrayList<>();
        lines.add("code,name,level,parent_code");
        lines.addAll(rows);
        return lines;
    }

    @Test
    void aSyntheticAreaIsImportedThenTwoTownshipsMergeAndTheRetiredUnitsStayReadable() {
        // 1. First import: every unit is added, children listed before their parents in the file.
        List<String> shuffled = new ArrayList<>(AREA_V1_ROWS);
        java.util.Collections.reverse(shuffled);
        long head = currentHead(async);
        ImportDivisionsResponse first = send(async::importDivisions, fourColumn(file(shuffled), 97));
        assertEquals(14, first.getRowsRead());
        assertEquals(14, first.getAddedCount());
        assertEquals(0, first.getUpdatedCount());
        assertEquals(0, first.getUnchangedCount());
        assertEquals(0, first.getRetiredCount());
        assertEquals(head + 14, first.getLastSequence());
        assertEquals(first.getLastSequence(), currentHead(async));

        List<Change> created = readRange(async, head, first.getLastSequence());
        assertEquals(AREA_V1_ROWS.stream().map(r -> "divisions/" + r.substring(0, 12)).sorted().toList(),
                created.stream().map(Change::getResourceName).toList(), "one change per unit, in code order");
        created.forEach(c -> assertEquals(ChangeType.CHANGE_TYPE_CREATED, c.getType()));
        assertParentsFirst(created);
        for (Change c : created) {
            assertEquals(get(projects, c.getDivision().getCode()), c.getDivision(), "the snapshot is the stored unit");
        }

        Division westVillage = get(projects, "990101002001");
        assertEquals("西一村村民委员会", westVillage.getDisplayName());
        assertEquals(DivisionKind.DIVISION_KIND_VILLAGERS_COMMITTEE, westVillage.getKind());
        assertEquals("divisions/" + WEST, westVillage.getParent());
        assertEquals(WEST, westVillage.getTownshipCode());
        assertEquals("990101000000", westVillage.getCountyCode());
        assertEquals(DivisionKind.DIVISION_KIND_TOWNSHIP, get(projects, WEST).getKind());
        assertEquals(DivisionKind.DIVISION_KIND_SUBDISTRICT, get(projects, "990101003000").getKind());
        assertEquals(DivisionKind.DIVISION_KIND_COMMUNITY, get(projects, "990101003001").getKind());

        // 2. A plant is located at 西乡, serving 西一村 and 东村.
        Facility plant = projects.createFacility(CreateFacilityRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setFacility(Facility.newBuilder().setDisplayName("西乡污水处理站")
                        .setType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT).setLocationCode(WEST)
                        .addServedDivisionCodes("990101002001").addServedDivisionCodes("990101001001")
                        .setOperatingState(OperatingState.OPERATING_STATE_IN_OPERATION)
                        .setOperationDate(Date.newBuilder().setYear(2015).setMonth(1).setDay(1))
                        .setCapacityTonnesPerDay(500)
                        .setDischargeStandard(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B))
                .build());
        assertEquals(WEST, plant.getTownshipCode());

        // 3. The merger, validated only: the counts, and nothing changes.
        Division eastBefore = get(projects, EAST);
        long beforeMerger = currentHead(async);
        ImportDivisionsResponse dryRun = send(async::importDivisions,
                withOptions(fourColumn(file(AREA_V2_ROWS), 64), true));
        assertMergerCounts(dryRun, plant);
        assertEquals(0, dryRun.getLastSequence());
        assertEquals(beforeMerger, currentHead(async));
        assertEquals(eastBefore, get(projects, EAST));
        assertFalse(get(projects, WEST).getRetired());
        assertFalse(exists(projects, NEW_VILLAGE));

        // 4. The merger.
        ImportDivisionsResponse merger = send(async::importDivisions, fourColumn(file(AREA_V2_ROWS), 64));
        assertMergerCounts(merger, plant);
        assertEquals(beforeMerger + 5, merger.getLastSequence());

        Division east = get(projects, EAST);
        assertEquals("东西镇", east.getDisplayName());
        assertEquals(DivisionKind.DIVISION_KIND_TOWN, east.getKind());
        assertNotEquals(eastBefore.getEtag(), east.getEtag());
        assertFalse(east.getRetired());

        Division west = get(projects, WEST);
        assertTrue(west.getRetired(), "a retired unit stays readable");
        assertTrue(west.hasRetireTime());
        assertEquals("西乡", west.getDisplayName(), "with its last name");
        for (String code : WEST_VILLAGES) {
            assertTrue(get(projects, code).getRetired(), code + " retired with its township");
        }
        Division newVillage = get(projects, NEW_VILLAGE);
        assertEquals(EAST, newVillage.getTownshipCode());
        assertFalse(newVillage.getRetired());

        // The feed: one change per updated, added and retired unit, parents first.
        List<Change> mergerFeed = readRange(async, beforeMerger, merger.getLastSequence());
        assertEquals(List.of("divisions/" + EAST, "divisions/" + NEW_VILLAGE, "divisions/" + WEST,
                "divisions/990101002001", "divisions/990101002002"),
                mergerFeed.stream().map(Change::getResourceName).toList());
        assertEquals(List.of(ChangeType.CHANGE_TYPE_UPDATED, ChangeType.CHANGE_TYPE_CREATED, ChangeType.CHANGE_TYPE_UPDATED,
                ChangeType.CHANGE_TYPE_UPDATED, ChangeType.CHANGE_TYPE_UPDATED),
                mergerFeed.stream().map(Change::getType).toList());
        assertEquals("东西镇", mergerFeed.get(0).getDivision().getDisplayName());
        mergerFeed.subList(2, 5).forEach(c -> assertTrue(c.getDivision().getRetired(), c.getResourceName() + " retired"));
        assertParentsFirst(mergerFeed);
        for (Change c : mergerFeed) {
            assertEquals(get(projects, c.getDivision().getCode()), c.getDivision());
        }

        // Retired units are hidden from default listings, listed when asked for.
        assertEquals(List.of(EAST, "990101003000"),
                codes(listAll(projects, "parent = \"divisions/990101000000\"", "", 0)));
        assertEquals(List.of(WEST), codes(listAll(projects, "parent = \"divisions/990101000000\" AND retired = true", "", 0)));
        assertEquals(List.of(WEST, "990101002001", "990101002002"),
                codes(listAll(projects, "county = \"990101000000\" AND retired = true", "", 0)));
        assertEquals(List.of(), listAll(projects, "parent = \"divisions/" + WEST + "\"", "", 0));

        // The plant keeps its location; new records may not refer to the retired unit.
        Facility after = projects.getFacility(GetFacilityRequest.newBuilder().setName(plant.getName()).build());
        assertEquals(WEST, after.getLocationCode());
        assertEquals(WEST, after.getTownshipCode());
        assertEquals(List.of("990101002001", "990101001001"), after.getServedDivisionCodesList());
        assertInvalid(() -> projects.createFacility(CreateFacilityRequest.newBuilder()
                .setFacility(plant.toBuilder().clearName().clearEtag().setDisplayName("另一座西乡污水处理站")).build()),
                "facility.location_code");
        // Nor may a new unit be put under it.
        long beforeOrphan = currentHead(async);
        assertFieldViolations(() -> send(async::importDivisions, fourColumn(file(List.of(
                "990101002003,西三村村民委员会,village," + WEST)), 1024)), "divisions.csv:2.parent_code");
        assertEquals(beforeOrphan, currentHead(async));

        // 5. The same list again: nothing to do.
        ImportDivisionsResponse again = send(async::importDivisions, fourColumn(file(AREA_V2_ROWS), 1 << 16));
        assertEquals(12, again.getUnchangedCount());
        assertEquals(0, again.getAddedCount() + again.getUpdatedCount() + again.getRetiredCount());
        assertEquals(0, again.getLastSequence());

        // 6. The merger undone: the retired units come back (updated), 西合村 retires.
        ImportDivisionsResponse undone = send(async::importDivisions, fourColumn(file(AREA_V1_ROWS), 200));
        assertEquals(0, undone.getAddedCount());
        assertEquals(4, undone.getUpdatedCount(), "东镇 renamed back, 西乡 and its two villages restored");
        assertEquals(10, undone.getUnchangedCount());
        assertEquals(1, undone.getRetiredCount());
        assertEquals(0, undone.getRetiredInUseCount());
        Division back = get(projects, WEST);
        assertFalse(back.getRetired());
        assertFalse(back.hasRetireTime());
        assertEquals("东镇", get(projects, EAST).getDisplayName());
        assertTrue(get(projects, NEW_VILLAGE).getRetired());
    }

    private static void assertMergerCounts(ImportDivisionsResponse r, Facility plant) {
        assertEquals(12, r.getRowsRead());
        assertEquals(1, r.getAddedCount(), "西合村");
        assertEquals(1, r.getUpdatedCount(), "东镇 renamed");
        assertEquals(10, r.getUnchangedCount());
        assertEquals(3, r.getRetiredCount(), "西乡 and its two villages");
        assertEquals(List.of(
                RetiredDivisionReference.newBuilder().setDivisionCode(WEST).addFacilities(plant.getName()).build(),
                RetiredDivisionReference.newBuilder().setDivisionCode("990101002001").addFacilities(plant.getName()).build()),
                r.getRetiredInUseList(), "the plant's location and one of the units it serves retire");
    }

    /** Every change whose parent is in the same batch comes after its parent's. */
    private static void assertParentsFirst(List<Change> changes) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            Division d = changes.get(i).getDivision();
            position.put("divisions/" + d.getCode(), i);
            Integer parent = position.get(d.getParent());
            boolean parentLater = changes.subList(i, changes.size()).stream()
                    .anyMatch(c -> c.getResourceName().equals(d.getParent()));
            assertFalse(parentLater, d.getCode() + " comes before its parent");
            if (parent != null) {
                assertTrue(parent < i);
            }
        }
    }

    // --- validate_only ---------------------------------------------------------------------------

    static final List<String> BAD_AREA_ROWS = List.of(
            "970000000000,坏行测试省,province,",
            "970100000000,坏行测试市,city,970000000000",
            "970101000000,丙县,county,970100000000",
            "970101001000,丙镇,township,970101000000",
            "970101001001,丙村村民委员会,village,970101001000");

    @Test
    void validateOnlyReportsTheCountsAndChangesNothing() throws java.io.IOException {
        long head = currentHead(async);
        // A gzip-compressed four-column file, cut into 50-byte chunks.
        var gzipped = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gzipped)) {
            out.write((String.join("\n", file(BAD_AREA_ROWS)) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        ImportDivisionsResponse r = send(async::importDivisions, withOptions(
                DivisionCalls.chunks(DivisionFileRole.DIVISION_FILE_ROLE_DIVISIONS, gzipped.toByteArray(), 50), true));
        assertEquals(5, r.getRowsRead());
        assertEquals(5, r.getAddedCount());
        assertEquals(0, r.getUpdatedCount() + r.getUnchangedCount() + r.getRetiredCount());
        assertEquals(0, r.getLastSequence());
        assertEquals(head, currentHead(async));
        for (String row : BAD_AREA_ROWS) {
            assertFalse(exists(projects, row.substring(0, 12)));
        }
    }

    // --- Bad files: all or nothing ---------------------------------------------------------------

    /** The good rows plus one bad one at line 7 (the header is line 1). */
    private void assertRejected(String badRow, String... fields) {
        List<String> rows = new ArrayList<>(BAD_AREA_ROWS);
        rows.add(badRow);
        assertRejectedFile(file(rows), fields);
    }

    private void assertRejectedFile(List<String> lines, String... fields) {
        long head = currentHead(async);
        List<BadRequest.FieldViolation> violations = assertFieldViolations(
                () -> send(async::importDivisions, fourColumn(lines, 33)), fields);
        for (String field : fields) {
            assertTrue(violations.stream().anyMatch(v -> v.getField().equals(field)
                    && !v.getDescription().isBlank()), describe(violations));
        }
        assertEquals(head, currentHead(async), "nothing reached the feed");
        assertFalse(exists(projects, "970000000000"), "none of the good rows got in");
        assertFalse(exists(projects, "970101001001"), "none of the good rows got in");
    }

    @Test
    void aRowWhoseParentIsNowhereIsRejected() {
        assertRejected("970102001000,丁镇,township,970102000000", "divisions.csv:7.parent_code");
    }

    @Test
    void aParentCodeThatIsNotThePrefixOfTheCodeIsRejected() {
        assertRejected("970101002001,庚村村民委员会,village,970101001000", "divisions.csv:7.parent_code");
    }

    @Test
    void anUnknownLevelIsRejected() {
        assertRejected("970101002000,戊镇,town,970101000000", "divisions.csv:7.level");
    }

    @Test
    void aDuplicateCodeIsRejected() {
        assertRejected("970101001001,丙村村民委员会,village,970101001000", "divisions.csv:7.code");
    }

    @Test
    void anElevenDigitCodeIsRejected() {
        assertRejected("97010100200,己镇,township,970101000000", "divisions.csv:7.code");
    }

    @Test
    void aRowWithTooFewColumnsIsRejected() {
        assertRejected("970101002000,戊镇,township", "divisions.csv:7.row");
    }

    @Test
    void aWrongHeaderIsRejected() {
        List<String> lines = new ArrayList<>(file(BAD_AREA_ROWS));
        lines.set(0, "code,name,level,parent");
        assertRejectedFile(lines, "divisions.csv:1.header");
    }

    @Test
    void everyBadRowOfAFileIsNamedInOneAnswer() {
        List<String> rows = new ArrayList<>(BAD_AREA_ROWS);
        rows.add("970101002000,戊镇,town,970101000000");
        rows.add("97010100200,己镇,township,970101000000");
        rows.add("970101001003, 丙二村村民委员会,village,970101001000");
        assertRejectedFile(file(rows), "divisions.csv:7.level", "divisions.csv:8.code", "divisions.csv:9.name");
    }

    @Test
    void validateOnlyStillRejectsABadFile() {
        List<String> rows = new ArrayList<>(BAD_AREA_ROWS);
        rows.add("970102001000,丁镇,township,970102000000");
        long head = currentHead(async);
        assertFieldViolations(() -> send(async::importDivisions, withOptions(fourColumn(file(rows), 40), true)),
                "divisions.csv:7.parent_code");
        assertEquals(head, currentHead(async));
    }

    // --- Bad streams -----------------------------------------------------------------------------

    @Test
    void theFourColumnRoleCannotBeMixedWithANationalRole() {
        List<ImportDivisionsRequest> messages = new ArrayList<>(fourColumn(file(BAD_AREA_ROWS), 1 << 16));
        messages.add(ImportDivisionsRequest.newBuilder().setRole(DivisionFileRole.DIVISION_FILE_ROLE_PROVINCES)
                .setContent(ByteString.copyFrom("code,name\n97,坏行测试省\n", StandardCharsets.UTF_8)).build());
        long head = currentHead(async);
        assertFieldViolations(() -> send(async::importDivisions, messages), "role");
        assertEquals(head, currentHead(async));
        assertFalse(exists(projects, "970000000000"));
    }

    @Test
    void aChunkWithoutARoleIsRejected() {
        List<ImportDivisionsRequest> messages = new ArrayList<>(fourColumn(file(BAD_AREA_ROWS), 60));
        messages.set(1, messages.get(1).toBuilder().clearRole().build());
        assertFieldViolations(() -> send(async::importDivisions, messages), "role");
        List<ImportDivisionsRequest> unknown = new ArrayList<>(fourColumn(file(BAD_AREA_ROWS), 1 << 16));
        unknown.set(0, unknown.get(0).toBuilder().setRoleValue(42).build());
        assertFieldViolations(() -> send(async::importDivisions, unknown), "role");
        assertFalse(exists(projects, "970000000000"));
    }

    @Test
    void anEmptyImportIsRejected() {
        assertFieldViolations(() -> send(async::importDivisions, List.of()), "content");
    }

    @Test
    void completeUnderCodesMustBeCitiesOrCountiesOfTwelveDigits() {
        assertFieldViolations(() -> send(async::importDivisions,
                withOptions(fourColumn(file(BAD_AREA_ROWS), 1 << 16), false, "9701")), "complete_under_codes[0]");
        assertFieldViolations(() -> send(async::importDivisions,
                withOptions(fourColumn(file(BAD_AREA_ROWS), 1 << 16), false, "970100000000", "970101001000")),
                "complete_under_codes[1]");
        assertFieldViolations(() -> send(async::importDivisions,
                withOptions(fourColumn(file(BAD_AREA_ROWS), 1 << 16), false, "950100000000")),
                "complete_under_codes[0]");
        assertFalse(exists(projects, "970000000000"));
    }

    @Test
    void aCountyListedCompletelyRetiresOnlyUnitsUnderThatCounty() {
        List<String> rows = List.of(
                "960000000000,范围测试省,province,",
                "960100000000,范围测试市,city,960000000000",
                "960101000000,子县,county,960100000000",
                "960101001000,子镇,township,960101000000",
                "960101002000,丑乡,township,960101000000",
                "960102000000,寅县,county,960100000000",
                "960102001000,寅镇,township,960102000000");
        assertEquals(7, send(async::importDivisions, fourColumn(file(rows), 1 << 16)).getAddedCount());
        // Only 子县 is described completely: 丑乡 retires; 寅县, not listed, keeps its township.
        ImportDivisionsResponse r = send(async::importDivisions, withOptions(fourColumn(file(List.of(
                "960101000000,子县,county,960100000000",
                "960101001000,子镇,township,960101000000")), 1 << 16), false, "960101000000"));
        assertEquals(2, r.getUnchangedCount());
        assertEquals(1, r.getRetiredCount());
        assertTrue(get(projects, "960101002000").getRetired());
        assertFalse(get(projects, "960102001000").getRetired());
        assertFalse(get(projects, "960102000000").getRetired());
        assertEquals(DivisionLevel.DIVISION_LEVEL_COUNTY, get(projects, "960102000000").getLevel());
    }
}
