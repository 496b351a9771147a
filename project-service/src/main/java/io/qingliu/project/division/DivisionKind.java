package io.qingliu.project.division;

import java.util.Objects;

/**
 * Finer classification of a division, derived from its level and the ending of its official name.
 *
 * <p>The rules are deliberately purely suffix-based (see {@link #derive}); they do not try to
 * repair the irregular names that occur in the national lists. Observed in the 2023 national
 * edition: township-level "other" (2,803) holds development zones, farms and forestry centres,
 * 苏木 (Inner Mongolia, 154), and a few 办事处 / 管委会 / 社区 that are not 街道(办事处);
 * village-level "other" (58,574) holds bare "…村" (~27.6k), "…社区" without 居委会 (~21k),
 * 生活区, 管理区, 嘎查 (~2.4k; 嘎查村民委员会 counts as a villagers' committee), 生产队, and
 * misspelt or annotated committee names such as "…村民委会", "…居委", "…村委会（新）".
 */
public enum DivisionKind {
    PROVINCE,
    CITY,
    COUNTY,
    /** 镇. */
    TOWN,
    /** 乡, including ethnic townships (民族乡, e.g. 回族乡). */
    TOWNSHIP,
    /** 街道 / 街道办事处. */
    SUBDISTRICT,
    /** Any other township-level unit (苏木, farms, development zones, ...). */
    TOWNSHIP_OTHER,
    /** 村民委员会 / 村委会. */
    VILLAGERS_COMMITTEE,
    /** 居民委员会 / 居委会 (urban community). */
    COMMUNITY,
    /** Any other village-level unit (嘎查, bare 社区, 生活区, ...). */
    VILLAGE_OTHER;

    /**
     * Derives the kind of a division.
     *
     * <ul>
     *   <li>province / city / county level: {@link #PROVINCE} / {@link #CITY} / {@link #COUNTY};
     *   <li>township level: ends with 镇 → {@link #TOWN}; ends with 乡 → {@link #TOWNSHIP}; ends
     *       with 街道 or 街道办事处 → {@link #SUBDISTRICT}; otherwise {@link #TOWNSHIP_OTHER};
     *   <li>village level: ends with 村民委员会 or 村委会 → {@link #VILLAGERS_COMMITTEE}; ends with
     *       居民委员会 or 居委会 → {@link #COMMUNITY}; otherwise {@link #VILLAGE_OTHER}.
     * </ul>
     */
    public static DivisionKind derive(DivisionLevel level, String name) {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(name, "name");
        switch (level) {
            case PROVINCE:
                return PROVINCE;
            case CITY:
                return CITY;
            case COUNTY:
                return COUNTY;
            case TOWNSHIP:
                if (name.endsWith("镇")) {
                    return TOWN;
                }
                if (name.endsWith("乡")) {
                    return TOWNSHIP;
                }
                if (name.endsWith("街道") || name.endsWith("街道办事处")) {
                    return SUBDISTRICT;
                }
                return TOWNSHIP_OTHER;
            case VILLAGE:
                if (name.endsWith("村民委员会") || name.endsWith("村委会")) {
                    return VILLAGERS_COMMITTEE;
                }
                if (name.endsWith("居民委员会") || name.endsWith("居委会")) {
                    return COMMUNITY;
                }
                return VILLAGE_OTHER;
            default:
                throw new AssertionError(level);
        }
    }

    /** The level every division of this kind is at. */
    public DivisionLevel level() {
        switch (this) {
            case PROVINCE:
                return DivisionLevel.PROVINCE;
            case CITY:
                return DivisionLevel.CITY;
            case COUNTY:
                return DivisionLevel.COUNTY;
            case TOWN:
            case TOWNSHIP:
            case SUBDISTRICT:
            case TOWNSHIP_OTHER:
                return DivisionLevel.TOWNSHIP;
            default:
                return DivisionLevel.VILLAGE;
        }
    }
}
