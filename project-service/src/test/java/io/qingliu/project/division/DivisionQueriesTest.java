package io.qingliu.project.division;

import static io.qingliu.project.division.DivisionCalls.codes;
import static io.qingliu.project.division.DivisionCalls.get;
import static io.qingliu.project.division.DivisionCalls.listAll;
import static io.qingliu.kit.testing.StatusAssertions.assertFails;
import static io.qingliu.kit.testing.StatusAssertions.assertFieldViolations;
import static io.qingliu.kit.testing.StatusAssertions.assertInvalid;
import static io.qingliu.kit.testing.StatusAssertions.errorInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.qingliu.api.common.v1.DivisionKind;
import io.qingliu.api.common.v1.DivisionLevel;
import io.qingliu.api.project.v1.Division;
import io.qingliu.api.project.v1.GetDivisionRequest;
import io.qingliu.api.project.v1.ListDivisionsRequest;
import io.qingliu.api.project.v1.ListDivisionsResponse;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Reading the registry: GetDivision and ListDivisions (filters, order, paging, bad input) over the
 * real Ziyang list the service imports at start. Every listing is bounded to a Ziyang county or
 * unit, so units other tests add (synthetic areas, the national list) never enter the counts.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class DivisionQueriesTest {

    static final String ZIYANG = "512000000000";
    static final String YANJIANG = "512002000000";
    static final String ANYUE = "512021000000";
    static final String LEZHI = "512022000000";
    static final List<String> COUNTIES = List.of(YANJIANG, ANYUE, LEZHI);
    /** 保和镇, a town of 雁江区. */
    static final String BAOHE = "512002104000";

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub divisions;

    // --- GetDivision -----------------------------------------------------------------------------

    @Test
    void aTownIsATownshipLevelUnitOfItsCounty() {
        Division town = get(divisions, BAOHE);
        assertEquals("divisions/512002104000", town.getName());
        assertEquals(BAOHE, town.getCode());
        assertEquals("保和镇", town.getDisplayName());
        assertEquals(DivisionLevel.DIVISION_LEVEL_TOWNSHIP, town.getLevel());
        assertEquals(DivisionKind.DIVISION_KIND_TOWN, town.getKind());
        assertEquals("divisions/" + YANJIANG, town.getParent());
        assertEquals(YANJIANG, town.getCountyCode());
        assertEquals(BAOHE, town.getTownshipCode(), "a township belongs to itself");
        assertFalse(town.getRetired());
        assertFalse(town.hasRetireTime());
        assertTrue(town.hasUpdateTime());
        assertFalse(town.getEtag().isEmpty());
    }

    @Test
    void aVillageIsAVillagersCommitteeUnderItsTownshipAndCounty() {
        Division village = get(divisions, "512002104200");
        assertEquals("清明村村民委员会", village.getDisplayName());
        assertEquals(DivisionLevel.DIVISION_LEVEL_VILLAGE, village.getLevel());
        assertEquals(DivisionKind.DIVISION_KIND_VILLAGERS_COMMITTEE, village.getKind());
        assertEquals("divisions/" + BAOHE, village.getParent());
        assertEquals(YANJIANG, village.getCountyCode());
        assertEquals(BAOHE, village.getTownshipCode());
        assertFalse(village.getRetired());
    }

    @Test
    void aResidentsCommitteeIsACommunityNotAnAdministrativeVillage() {
        Division community = get(divisions, "512002104001");
        assertEquals("保和场居民委员会", community.getDisplayName());
        assertEquals(DivisionKind.DIVISION_KIND_COMMUNITY, community.getKind());
        assertEquals(DivisionLevel.DIVISION_LEVEL_VILLAGE, community.getLevel());
    }

    @Test
    void unitsAboveTownshipLevelCarryOnlyTheCodesThatApply() {
        Division county = get(divisions, YANJIANG);
        assertEquals("雁江区", county.getDisplayName());
        assertEquals(DivisionKind.DIVISION_KIND_COUNTY, county.getKind());
        assertEquals("divisions/" + ZIYANG, county.getParent());
        assertEquals(YANJIANG, county.getCountyCode());
        assertEquals("", county.getTownshipCode());

        Division city = get(divisions, ZIYANG);
        assertEquals(DivisionKind.DIVISION_KIND_CITY, city.getKind());
        assertEquals("divisions/510000000000", city.getParent());
        assertEquals("", city.getCountyCode());

        Division province = get(divisions, "510000000000");
        assertEquals("四川省", province.getDisplayName());
        assertEquals(DivisionKind.DIVISION_KIND_PROVINCE, province.getKind());
        assertEquals("", province.getParent(), "a province has no parent");
    }

    @Test
    void anUnknownCodeIsNotFound() {
        var status = assertFails(Status.Code.NOT_FOUND, () -> get(divisions, "512002999000"));
        assertEquals("RESOURCE_NOT_FOUND", errorInfo(status).getReason());
        assertEquals("divisions/512002999000", errorInfo(status).getMetadataOrDefault("resource", ""));
    }

    @Test
    void aMalformedNameIsInvalidAndNamesTheNameField() {
        for (String name : List.of("", "512002104000", "division/512002104000", "divisions/5120021040",
                "divisions/51200210400x", "divisions/5120021040000", "divisions/")) {
            assertFieldViolations(() -> divisions.getDivision(GetDivisionRequest.newBuilder().setName(name).build()),
                    "name");
        }
    }

    // --- ListDivisions: filters ------------------------------------------------------------------

    @Test
    void ziyangHasSixtySevenTownsThirteenTownshipsAndNineSubdistricts() {
        Map<DivisionKind, Integer> counts = new EnumMap<>(DivisionKind.class);
        List<String> towns = new ArrayList<>();
        for (DivisionKind kind : List.of(DivisionKind.DIVISION_KIND_TOWN, DivisionKind.DIVISION_KIND_TOWNSHIP,
                DivisionKind.DIVISION_KIND_SUBDISTRICT, DivisionKind.DIVISION_KIND_TOWNSHIP_OTHER)) {
            for (String county : COUNTIES) {
                List<Division> found = listAll(divisions, "kind = " + kind.name() + " AND county = \"" + county + "\"", "", 0);
                for (Division d : found) {
                    assertEquals(kind, d.getKind());
                    assertEquals(county, d.getCountyCode());
                    assertEquals(DivisionLevel.DIVISION_LEVEL_TOWNSHIP, d.getLevel());
                    if (kind == DivisionKind.DIVISION_KIND_TOWN) {
                        towns.add(d.getCode());
                    }
                }
                counts.merge(kind, found.size(), Integer::sum);
            }
        }
        assertEquals(67, counts.get(DivisionKind.DIVISION_KIND_TOWN));
        assertEquals(13, counts.get(DivisionKind.DIVISION_KIND_TOWNSHIP));
        assertEquals(9, counts.get(DivisionKind.DIVISION_KIND_SUBDISTRICT));
        assertEquals(1, counts.get(DivisionKind.DIVISION_KIND_TOWNSHIP_OTHER));
        assertEquals(ZiyangList.codes(r -> r.level().equals("township") && r.name().endsWith("镇")),
                towns.stream().sorted().toList(), "the towns are exactly the township-level units named …镇");
    }

    @Test
    void ziyangHas963VillagersCommitteesAmongIts1230Villages() {
        int committees = 0;
        int villages = 0;
        for (String county : COUNTIES) {
            committees += listAll(divisions,
                    "county = \"" + county + "\" AND kind = DIVISION_KIND_VILLAGERS_COMMITTEE", "", 1000).size();
            villages += listAll(divisions, "county = \"" + county + "\" AND level = DIVISION_LEVEL_VILLAGE", "", 1000).size();
        }
        assertEquals(963, committees);
        assertEquals(1230, villages);
    }

    @Test
    void notEqualExcludesAKind() {
        List<Division> others = listAll(divisions, "county = \"" + LEZHI + "\" AND level = DIVISION_LEVEL_VILLAGE"
                + " AND kind != DIVISION_KIND_VILLAGERS_COMMITTEE", "", 0);
        assertFalse(others.isEmpty());
        others.forEach(d -> assertNotEquals(DivisionKind.DIVISION_KIND_VILLAGERS_COMMITTEE, d.getKind()));
        List<String> expected = ZiyangList.codes(r -> r.level().equals("village") && r.county().equals(LEZHI)
                && !r.name().endsWith("村民委员会"));
        assertEquals(expected, codes(others));
    }

    @Test
    void parentFilterListsTheVillagesOfOneTownInCodeOrder() {
        List<Division> villages = listAll(divisions, "parent = \"divisions/" + BAOHE + "\"", "", 0);
        assertEquals(ZiyangList.codes(r -> r.parentCode().equals(BAOHE)), codes(villages));
        villages.forEach(v -> assertEquals("divisions/" + BAOHE, v.getParent()));
    }

    @Test
    void townshipFilterListsTheTownshipItselfAndItsVillages() {
        List<Division> units = listAll(divisions, "township = \"" + BAOHE + "\"", "", 0);
        List<String> expected = ZiyangList.codes(r -> r.code().equals(BAOHE) || r.parentCode().equals(BAOHE));
        assertEquals(expected, codes(units));
    }

    @Test
    void levelAndParentFiltersListZiyangsThreeCounties() {
        List<Division> counties = listAll(divisions,
                "level = DIVISION_LEVEL_COUNTY AND parent = \"divisions/" + ZIYANG + "\"", "", 0);
        assertEquals(COUNTIES, codes(counties));
        assertEquals(List.of("雁江区", "安岳县", "乐至县"), counties.stream().map(Division::getDisplayName).toList());
    }

    @Test
    void retiredFilterShowsZiyangHasNothingRetired() {
        assertEquals(List.of(), listAll(divisions, "retired = true AND county = \"" + YANJIANG + "\"", "", 0));
        assertEquals(listAll(divisions, "county = \"" + YANJIANG + "\"", "", 1000),
                listAll(divisions, "retired = false AND county = \"" + YANJIANG + "\"", "", 1000),
                "active is the default");
    }

    // --- ListDivisions: order and paging ---------------------------------------------------------

    @Test
    void pagingThroughAll1230ZiyangVillagesByHundredsSeesEachOnceInCodeOrder() {
        List<String> seen = new ArrayList<>();
        int pages = 0;
        for (String county : COUNTIES) {
            String token = "";
            do {
                ListDivisionsResponse page = divisions.listDivisions(ListDivisionsRequest.newBuilder()
                        .setFilter("level = DIVISION_LEVEL_VILLAGE AND county = \"" + county + "\"").setPageSize(100)
                        .setPageToken(token).build());
                pages++;
                token = page.getNextPageToken();
                assertEquals(token.isEmpty() ? page.getDivisionsCount() : 100, page.getDivisionsCount());
                page.getDivisionsList().forEach(d -> seen.add(d.getCode()));
            } while (!token.isEmpty());
        }
        List<String> expected = ZiyangList.codes(r -> r.level().equals("village"));
        assertEquals(1230, expected.size());
        assertEquals(1230, new HashSet<>(seen).size(), "no village twice");
        assertEquals(expected, seen, "every village, once, in code order");
        assertEquals(4 + 6 + 4, pages, "362 + 553 + 315 villages in pages of 100");
    }

    @Test
    void orderByDisplayNameKeepsTheSameOrderOnEveryPageSizeAndDescReversesIt() {
        String filter = "level = DIVISION_LEVEL_VILLAGE AND county = \"" + YANJIANG + "\"";
        List<Division> onePage = listAll(divisions, filter, "display_name", 1000);
        assertEquals(362, onePage.size());
        List<Division> smallPages = listAll(divisions, filter, "display_name", 7);
        assertEquals(codes(onePage), codes(smallPages), "keyset paging by name with ties keeps the order");

        // Equal names (雁江区 has two 凉水井村村民委员会, two 高石村…) sit together, ordered by code among themselves.
        List<String> names = onePage.stream().map(Division::getDisplayName).toList();
        Set<String> closed = new HashSet<>();
        for (int i = 1; i < names.size(); i++) {
            if (!names.get(i).equals(names.get(i - 1))) {
                assertTrue(closed.add(names.get(i - 1)), "all units named " + names.get(i - 1) + " are adjacent");
                assertFalse(closed.contains(names.get(i)), "all units named " + names.get(i) + " are adjacent");
            } else {
                assertTrue(Long.parseLong(onePage.get(i - 1).getCode()) < Long.parseLong(onePage.get(i).getCode()),
                        "equal names are ordered by code");
            }
        }
        assertTrue(names.size() > new HashSet<>(names).size(), "the test sees names that repeat");
        assertEquals(ZiyangList.rows().stream().filter(r -> r.level().equals("village") && r.county().equals(YANJIANG))
                .map(ZiyangList.Row::name).sorted().toList(), names.stream().sorted().toList());

        List<Division> descending = listAll(divisions, filter, "display_name desc", 13);
        List<String> reversed = new ArrayList<>(codes(onePage));
        java.util.Collections.reverse(reversed);
        assertEquals(reversed, codes(descending));
    }

    @Test
    void orderByCodeDescListsNewestCodesFirst() {
        String filter = "parent = \"divisions/" + BAOHE + "\"";
        List<String> ascending = codes(listAll(divisions, filter, "code", 3));
        List<String> descending = codes(listAll(divisions, filter, "code desc", 3));
        List<String> reversed = new ArrayList<>(ascending);
        java.util.Collections.reverse(reversed);
        assertEquals(reversed, descending);
        assertEquals(ascending, codes(listAll(divisions, filter, "", 3)), "code is the default order");
    }

    @Test
    void pageSizeZeroMeansOneHundred() {
        ListDivisionsResponse page = divisions.listDivisions(ListDivisionsRequest.newBuilder()
                .setFilter("county = \"" + ANYUE + "\"").build());
        assertEquals(100, page.getDivisionsCount());
        assertFalse(page.getNextPageToken().isEmpty());
    }

    // --- ListDivisions: bad input ----------------------------------------------------------------

    @Test
    void aPageTokenReusedWithAnotherFilterOrOrderIsRejected() {
        ListDivisionsResponse first = divisions.listDivisions(ListDivisionsRequest.newBuilder()
                .setFilter("county = \"" + ANYUE + "\"").setPageSize(10).build());
        String token = first.getNextPageToken();
        assertFalse(token.isEmpty());
        assertFieldViolations(() -> divisions.listDivisions(ListDivisionsRequest.newBuilder()
                .setFilter("county = \"" + LEZHI + "\"").setPageSize(10).setPageToken(token).build()), "page_token");
        assertFieldViolations(() -> divisions.listDivisions(ListDivisionsRequest.newBuilder()
                .setFilter("county = \"" + ANYUE + "\"").setOrderBy("display_name").setPageSize(10).setPageToken(token)
                .build()), "page_token");
        assertFieldViolations(() -> divisions.listDivisions(ListDivisionsRequest.newBuilder()
                .setFilter("county = \"" + ANYUE + "\"").setPageSize(10).setPageToken(token.substring(1)).build()),
                "page_token");
        // The same filter with another page size continues where the token points.
        ListDivisionsResponse second = divisions.listDivisions(ListDivisionsRequest.newBuilder()
                .setFilter("county = \"" + ANYUE + "\"").setPageSize(20).setPageToken(token).build());
        assertEquals(20, second.getDivisionsCount());
        assertTrue(Long.parseLong(second.getDivisions(0).getCode())
                > Long.parseLong(first.getDivisions(9).getCode()));
    }

    @Test
    void aPageSizeOutsideOneToAThousandIsRejected() {
        assertFieldViolations(() -> divisions.listDivisions(ListDivisionsRequest.newBuilder()
                .setFilter("county = \"" + ANYUE + "\"").setPageSize(1001).build()), "page_size");
        assertFieldViolations(() -> divisions.listDivisions(ListDivisionsRequest.newBuilder()
                .setFilter("county = \"" + ANYUE + "\"").setPageSize(-1).build()), "page_size");
        // Ziyang alone has 1,230 villages: a page of the largest size is full.
        assertEquals(1000, divisions.listDivisions(ListDivisionsRequest.newBuilder()
                .setFilter("level = DIVISION_LEVEL_VILLAGE").setPageSize(1000).build()).getDivisionsCount());
    }

    @Test
    void aBadFilterIsRejectedOnTheFilterField() {
        for (String filter : List.of(
                "county =",
                "county = \"512002000000\" OR county = \"512021000000\"",
                "county \"512002000000\"",
                "(county = \"512002000000\")",
                "county = \"512002000000",
                "colour = \"red\"",
                "kind = DIVISION_KIND_BOGUS",
                "level = DIVISION_KIND_TOWN",
                "county = \"5120\"",
                "parent = \"512002000000\"",
                "retired = maybe")) {
            assertFieldViolations(() -> divisions.listDivisions(ListDivisionsRequest.newBuilder().setFilter(filter).build()),
                    "filter");
        }
    }

    @Test
    void aBadOrderByIsRejectedOnTheOrderByField() {
        for (String orderBy : List.of("name", "display_name sideways", "code, display_name", "update_time")) {
            assertInvalid(() -> divisions.listDivisions(ListDivisionsRequest.newBuilder().setOrderBy(orderBy).build()),
                    "order_by");
        }
    }

    @Test
    void listedUnitsCarryTheSameStateAsGet() {
        List<Division> listed = listAll(divisions, "parent = \"divisions/" + BAOHE + "\"", "", 0);
        Map<String, Division> byCode = listed.stream().collect(Collectors.toMap(Division::getCode, d -> d));
        for (String code : List.of("512002104001", "512002104200")) {
            assertEquals(get(divisions, code), byCode.get(code));
        }
    }
}
