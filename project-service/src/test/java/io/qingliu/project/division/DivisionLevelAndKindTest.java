package io.qingliu.project.division;

import static io.qingliu.project.division.DivisionKind.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class DivisionLevelAndKindTest {

    @Test
    void levelWordsDigitsAndParents() {
        assertEquals(DivisionLevel.PROVINCE, DivisionLevel.fromCsv("province"));
        assertEquals(DivisionLevel.CITY, DivisionLevel.fromCsv("city"));
        assertEquals(DivisionLevel.COUNTY, DivisionLevel.fromCsv("county"));
        assertEquals(DivisionLevel.TOWNSHIP, DivisionLevel.fromCsv("township"));
        assertEquals(DivisionLevel.VILLAGE, DivisionLevel.fromCsv("village"));
        assertThrows(IllegalArgumentException.class, () -> DivisionLevel.fromCsv("Province"));
        assertThrows(IllegalArgumentException.class, () -> DivisionLevel.fromCsv("town"));
        assertThrows(IllegalArgumentException.class, () -> DivisionLevel.fromCsv(null));
        assertTrue(DivisionLevel.tryFromCsv("").isEmpty());

        assertNull(DivisionLevel.PROVINCE.parent());
        assertEquals(DivisionLevel.PROVINCE, DivisionLevel.CITY.parent());
        assertEquals(DivisionLevel.CITY, DivisionLevel.COUNTY.parent());
        assertEquals(DivisionLevel.COUNTY, DivisionLevel.TOWNSHIP.parent());
        assertEquals(DivisionLevel.TOWNSHIP, DivisionLevel.VILLAGE.parent());
        assertEquals(DivisionLevel.VILLAGE, DivisionLevel.TOWNSHIP.child());
        assertNull(DivisionLevel.VILLAGE.child());

        assertEquals("110000000000", DivisionLevel.pad("11"));
        assertEquals("110101001000", DivisionLevel.pad("110101001"));
        assertEquals("110101001001", DivisionLevel.pad("110101001001"));
        assertEquals("110000000000", DivisionLevel.PROVINCE.ancestorCode("110101001001"));
        assertEquals("110100000000", DivisionLevel.CITY.ancestorCode("110101001001"));
        assertEquals("110101000000", DivisionLevel.COUNTY.ancestorCode("110101001001"));
        assertEquals("110101001000", DivisionLevel.TOWNSHIP.ancestorCode("110101001001"));
    }

    @Test
    void upperLevelsIgnoreTheName() {
        assertEquals(PROVINCE, derive(DivisionLevel.PROVINCE, "四川省"));
        assertEquals(CITY, derive(DivisionLevel.CITY, "市辖区"));
        assertEquals(COUNTY, derive(DivisionLevel.COUNTY, "雁江区"));
        assertEquals(COUNTY, derive(DivisionLevel.COUNTY, "某某镇"));
        for (DivisionKind k : DivisionKind.values()) {
            assertEquals(k.level(), derive(k.level(), k == TOWN ? "某镇" : k == TOWNSHIP ? "某乡"
                    : k == SUBDISTRICT ? "某街道" : k == VILLAGERS_COMMITTEE ? "某村民委员会"
                    : k == COMMUNITY ? "某居委会" : "某地").level());
        }
    }

    @Test
    void townshipLevelKinds() {
        DivisionLevel t = DivisionLevel.TOWNSHIP;
        assertEquals(TOWN, derive(t, "临江镇"));
        assertEquals(TOWNSHIP, derive(t, "丰裕乡"));
        assertEquals(TOWNSHIP, derive(t, "于家务回族乡"));
        assertEquals(SUBDISTRICT, derive(t, "东华门街道"));
        assertEquals(SUBDISTRICT, derive(t, "保康街道办事处"));
        assertEquals(TOWNSHIP_OTHER, derive(t, "东乌珠尔苏木"));
        assertEquals(TOWNSHIP_OTHER, derive(t, "四川大堰劳动教养管理所"));
        assertEquals(TOWNSHIP_OTHER, derive(t, "三女河办事处"));
        assertEquals(TOWNSHIP_OTHER, derive(t, "经济开发区管委会"));
        assertEquals(TOWN, derive(t, "镇"));
    }

    @Test
    void villageLevelKinds() {
        DivisionLevel v = DivisionLevel.VILLAGE;
        assertEquals(VILLAGERS_COMMITTEE, derive(v, "石岭村民委员会"));
        assertEquals(VILLAGERS_COMMITTEE, derive(v, "楼梓庄村委会"));
        assertEquals(VILLAGERS_COMMITTEE, derive(v, "巴音温都尔嘎查村民委员会"));
        assertEquals(COMMUNITY, derive(v, "多福巷社区居委会"));
        assertEquals(COMMUNITY, derive(v, "城东社区居民委员会"));
        assertEquals(VILLAGE_OTHER, derive(v, "卜尔汉图嘎查"));
        assertEquals(VILLAGE_OTHER, derive(v, "翠林一里社区"));
        assertEquals(VILLAGE_OTHER, derive(v, "西铁营村"));
        assertEquals(VILLAGE_OTHER, derive(v, "沟口子村村民委会"));
        assertEquals(VILLAGE_OTHER, derive(v, "四川大堰劳动教养管理所虚拟社区"));
        assertEquals(VILLAGE_OTHER, derive(v, "庙港村委会（新）"));
        assertThrows(NullPointerException.class, () -> derive(v, null));
    }
}
