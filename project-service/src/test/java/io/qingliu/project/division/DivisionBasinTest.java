package io.qingliu.project.division;

import static io.qingliu.project.division.DivisionCalls.codes;
import static io.qingliu.project.division.DivisionCalls.get;
import static io.qingliu.project.division.DivisionCalls.listAll;
import static io.qingliu.project.testing.ChangeFeedReader.currentHead;
import static io.qingliu.project.testing.ChangeFeedReader.readRange;
import static io.qingliu.kit.testing.StatusAssertions.assertFails;
import static io.qingliu.kit.testing.StatusAssertions.assertFieldViolations;
import static io.qingliu.kit.testing.StatusAssertions.assertInvalid;
import static io.qingliu.kit.testing.StatusAssertions.errorInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.FieldMask;
import io.grpc.Status;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.ChangeType;
import io.qingliu.api.project.v1.Division;
import io.qingliu.api.project.v1.ImportDivisionsResponse;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.UpdateDivisionRequest;
import io.qingliu.kit.testing.ClientStreams;
import io.qingliu.project.testing.OwnConnections;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The river basin planning staff set with UpdateDivision: a township's basin is inherited by its
 * villages unless a village overrides it, each inheriting village is a change of the feed, and bad
 * or stale updates change nothing. Runs on its own synthetic area (province 98, 流域测试省), so
 * that basins set here never meet other tests' Ziyang data.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class DivisionBasinTest {

    static final String COUNTY = "980101000000";
    /** 河东镇: three villagers' committees and one community. */
    static final String HEDONG = "980101001000";
    static final List<String> HEDONG_VILLAGES = List.of("980101001001", "980101001002", "980101001003", "980101001004");
    /** 河西镇. */
    static final String HEXI = "980101002000";
    /** 河北乡; 河南镇 (980101004000) is left without a basin by every test. */
    static final String HEBEI = "980101003000";

    static final List<String> AREA = List.of(
            "code,name,level,parent_code",
            "980000000000,流域测试省,province,",
            "980100000000,流域测试市,city,980000000000",
            COUNTY + ",清流县,county,980100000000",
            HEDONG + ",河东镇,township," + COUNTY,
            "980101001001,河东一村村民委员会,village," + HEDONG,
            "980101001002,河东二村村民委员会,village," + HEDONG,
            "980101001003,河东三村村民委员会,village," + HEDONG,
            "980101001004,河东社区居民委员会,village," + HEDONG,
            HEXI + ",河西镇,township," + COUNTY,
            "980101002001,河西一村村民委员会,village," + HEXI,
            "980101002002,河西二村村民委员会,village," + HEXI,
            HEBEI + ",河北乡,township," + COUNTY,
            "980101003001,河北村村民委员会,village," + HEBEI,
            "980101004000,河南镇,township," + COUNTY,
            "980101004001,河南村村民委员会,village,980101004000",
            "980101005000,河中镇,township," + COUNTY,
            "980101005001,河中一村村民委员会,village,980101005000",
            "980101005002,河中二村村民委员会,village,980101005000",
            "980101005003,河中三村村民委员会,village,980101005000");

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub divisions;

    /** For imports and feed reads, which come many in a row here: each on a connection of its own. */
    @Inject
    @OwnConnections
    ProjectServiceGrpc.ProjectServiceStub async;

    @BeforeEach
    void theAreaIsImported() {
        ImportDivisionsResponse r = ClientStreams.send(async::importDivisions, DivisionCalls.fourColumn(AREA, 1 << 16));
        assertEquals(AREA.size() - 1, r.getAddedCount() + r.getUnchangedCount(), "the area is in the registry: " + r);
    }

    private Division update(String code, String basin, String etag, String... mask) {
        Division.Builder d = Division.newBuilder().setName("divisions/" + code).setBasin(basin).setEtag(etag);
        return divisions.updateDivision(UpdateDivisionRequest.newBuilder().setDivision(d)
                .setUpdateMask(FieldMask.newBuilder().addAllPaths(List.of(mask))).build());
    }

    @Test
    void aTownshipsBasinIsInheritedByItsVillagesAndAVillageOverrideWins() {
        // A village overrides first: 岷江 for the community.
        long start = currentHead(async);
        Division community = update("980101001004", "岷江", get(divisions, "980101001004").getEtag(), "basin");
        assertEquals("岷江", community.getBasin());
        assertEquals("岷江", community.getEffectiveBasin());
        List<Change> overrideChanges = readRange(async, start, currentHead(async));
        assertEquals(List.of("divisions/980101001004"), overrideChanges.stream().map(Change::getResourceName).toList());

        // The township gets 沱江.
        Division before = get(divisions, HEDONG);
        long head = currentHead(async);
        Division town = update(HEDONG, "沱江", before.getEtag(), "basin");
        assertEquals("沱江", town.getBasin());
        assertEquals("沱江", town.getEffectiveBasin());
        assertNotEquals(before.getEtag(), town.getEtag(), "the etag moves with the change");
        assertEquals(town, get(divisions, HEDONG), "the answer is the stored state");

        for (String code : HEDONG_VILLAGES.subList(0, 3)) {
            Division village = get(divisions, code);
            assertEquals("", village.getBasin(), "the village has no basin of its own");
            assertEquals("沱江", village.getEffectiveBasin(), code + " inherits its township's basin");
        }
        Division overridden = get(divisions, "980101001004");
        assertEquals("岷江", overridden.getBasin());
        assertEquals("岷江", overridden.getEffectiveBasin(), "the village's own basin wins");
        assertEquals("", get(divisions, COUNTY).getEffectiveBasin(), "nothing is inherited upwards");
        assertEquals("", get(divisions, "980101004001").getEffectiveBasin(), "nor sideways (河南镇 is left alone)");

        // The feed: the township, then one change per inheriting village; none for the override.
        long after = currentHead(async);
        List<Change> feed = readRange(async, head, after);
        assertEquals(List.of("divisions/" + HEDONG, "divisions/980101001001", "divisions/980101001002",
                "divisions/980101001003"), feed.stream().map(Change::getResourceName).toList());
        for (Change c : feed) {
            assertEquals(ChangeType.CHANGE_TYPE_UPDATED, c.getType());
            assertEquals("test-admin", c.getActor());
            assertTrue(c.hasDivision());
            assertEquals("沱江", c.getDivision().getEffectiveBasin());
            assertTrue(c.hasRecordTime());
        }
        assertEquals(town, feed.get(0).getDivision(), "the township's snapshot is its new state");
        for (Change c : feed.subList(1, feed.size())) {
            assertEquals("", c.getDivision().getBasin());
            assertEquals(get(divisions, c.getDivision().getCode()), c.getDivision(), "a village's snapshot is its state");
        }

        // Listing by (effective) basin.
        assertEquals(List.of(HEDONG, "980101001001", "980101001002", "980101001003"),
                codes(listAll(divisions, "basin = \"沱江\" AND township = \"" + HEDONG + "\"", "", 0)));
        assertEquals(List.of("980101001004"),
                codes(listAll(divisions, "basin = \"岷江\" AND township = \"" + HEDONG + "\"", "", 0)));
        assertEquals(List.of("980101001004"),
                codes(listAll(divisions, "basin != \"沱江\" AND township = \"" + HEDONG + "\"", "", 0)));

        // Setting the same basin again changes nothing, not even the etag or the feed.
        Division again = update(HEDONG, "沱江", town.getEtag(), "basin");
        assertEquals(town.getEtag(), again.getEtag());
        assertEquals(after, currentHead(async));

        // Clearing the override: the community inherits 沱江 now.
        Division cleared = update("980101001004", "", overridden.getEtag(), "basin");
        assertEquals("", cleared.getBasin());
        assertEquals("沱江", cleared.getEffectiveBasin());
        List<Change> clearFeed = readRange(async, after, currentHead(async));
        assertEquals(1, clearFeed.size());
        assertEquals("沱江", clearFeed.get(0).getDivision().getEffectiveBasin());

        // Clearing the township's basin: every village, the community included, loses it.
        long beforeClear = currentHead(async);
        Division unset = update(HEDONG, "", "", "basin");
        assertEquals("", unset.getEffectiveBasin());
        List<Change> unsetFeed = readRange(async, beforeClear, currentHead(async));
        assertEquals(5, unsetFeed.size(), "the township and its four inheriting villages");
        unsetFeed.forEach(c -> assertEquals("", c.getDivision().getEffectiveBasin()));
        for (String code : HEDONG_VILLAGES) {
            assertEquals("", get(divisions, code).getEffectiveBasin());
        }
    }

    /**
     * A township's basin and its villages' overrides change at the same moment, from several
     * callers, round after round. After each round the last change the feed carries for each unit
     * must show the effective basin the unit really has: a consumer that builds its read model from
     * the feed must end up right.
     */
    @Test
    void concurrentTownshipAndVillageUpdatesLeaveTheFeedsLastWordRight() throws Exception {
        String township = "980101005000";
        List<String> villages = List.of("980101005001", "980101005002", "980101005003");
        List<String> basins = List.of("沱江", "岷江", "");
        int rounds = Integer.getInteger("basinRounds", 40);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(1 + villages.size());
        java.util.Map<String, Division> last = new java.util.HashMap<>();
        long seen = currentHead(async);
        try {
            for (int round = 0; round < rounds; round++) {
                var go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
                String townshipBasin = basins.get(round % 3);
                work.add(pool.submit(() -> {
                    go.await();
                    return update(township, townshipBasin, "", "basin");
                }));
                String villageBasin = round % 2 == 0 ? "涪江" : "";
                for (String village : villages) {
                    work.add(pool.submit(() -> {
                        go.await();
                        return update(village, villageBasin, "", "basin");
                    }));
                }
                go.countDown();
                for (var w : work) {
                    w.get(60, java.util.concurrent.TimeUnit.SECONDS);
                }
                long head = currentHead(async);
                for (Change c : readRange(async, seen, head)) {
                    last.put(c.getDivision().getCode(), c.getDivision());
                }
                seen = head;
                for (String code : villages) {
                    Division now = get(divisions, code);
                    Division fed = last.get(code);
                    assertEquals(now.getBasin() + "|" + now.getEffectiveBasin(), fed.getBasin() + "|" + fed.getEffectiveBasin(),
                            "round " + round + ", " + code + ": the feed's last change shows the basin and effective "
                                    + "basin the village has");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStaleEtagIsAbortedAndChangesNothing() {
        Division read = get(divisions, HEXI);
        Division first = update(HEXI, "  沱江 ", read.getEtag(), "basin");
        assertEquals("沱江", first.getBasin(), "the basin is trimmed");
        long head = currentHead(async);

        var status = assertFails(Status.Code.ABORTED, () -> update(HEXI, "长江", read.getEtag(), "basin"));
        assertEquals("ETAG_MISMATCH", errorInfo(status).getReason());
        assertEquals(first.getEtag(), errorInfo(status).getMetadataOrDefault("current_etag", ""));

        assertEquals(first, get(divisions, HEXI), "nothing changed");
        assertEquals("沱江", get(divisions, "980101002001").getEffectiveBasin());
        assertEquals(head, currentHead(async), "nothing reached the feed");
    }

    @Test
    void onlyTheBasinMayBeUpdated() {
        Division read = get(divisions, HEBEI);
        long head = currentHead(async);
        Division.Builder renamed = read.toBuilder().setDisplayName("改名乡").setBasin("沱江");
        assertInvalid(() -> divisions.updateDivision(UpdateDivisionRequest.newBuilder().setDivision(renamed)
                .setUpdateMask(FieldMask.newBuilder().addPaths("display_name")).build()), "update_mask");
        assertInvalid(() -> divisions.updateDivision(UpdateDivisionRequest.newBuilder().setDivision(renamed)
                .setUpdateMask(FieldMask.newBuilder().addPaths("basin").addPaths("parent")).build()), "update_mask");
        // An empty mask with no basin names nothing to update.
        assertFieldViolations(() -> update(HEBEI, "", read.getEtag()), "update_mask");
        assertEquals(read, get(divisions, HEBEI));
        assertEquals(head, currentHead(async));
    }

    @Test
    void aBasinIsSetOnTownshipsAndVillagesOnly() {
        long head = currentHead(async);
        for (String code : List.of(COUNTY, "980100000000", "980000000000")) {
            Division read = get(divisions, code);
            assertFieldViolations(() -> update(code, "沱江", read.getEtag(), "basin"), "division.basin");
            assertEquals(read, get(divisions, code));
        }
        assertEquals(head, currentHead(async));
    }

    @Test
    void aBasinLongerThanFiftyCharactersOrWithControlCharactersIsInvalid() {
        Division read = get(divisions, HEBEI);
        long head = currentHead(async);
        assertFieldViolations(() -> update(HEBEI, "沱".repeat(51), read.getEtag(), "basin"), "division.basin");
        assertFieldViolations(() -> update(HEBEI, "沱\u0007江", read.getEtag(), "basin"), "division.basin");
        assertEquals(read, get(divisions, HEBEI));
        assertEquals(head, currentHead(async));

        Division fifty = update("980101003001", "沱".repeat(50), "", "basin");
        assertEquals(50, fifty.getBasin().length(), "fifty characters are allowed");
        update("980101003001", "", fifty.getEtag(), "basin");
    }

    @Test
    void updatingAnUnknownOrMalformedDivisionFails() {
        assertFails(Status.Code.NOT_FOUND, () -> update("980101009000", "沱江", "", "basin"));
        assertInvalid(() -> divisions.updateDivision(UpdateDivisionRequest.newBuilder()
                .setDivision(Division.newBuilder().setName("980101003000").setBasin("沱江"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("basin")).build()), "division.name");
    }
}
