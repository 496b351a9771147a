package io.qingliu.capacity.plan;

/**
 * The kind of the units a coverage goal counts: the township- and village-level values of
 * {@code qingliu.common.v1.DivisionKind}.
 */
public enum UnitKind implements Numbered {
    /** An established town (建制镇). */
    TOWN(4, UnitLevel.TOWNSHIP),
    /** A township (乡). */
    TOWNSHIP(5, UnitLevel.TOWNSHIP),
    /** An urban subdistrict (街道). */
    SUBDISTRICT(6, UnitLevel.TOWNSHIP),
    TOWNSHIP_OTHER(7, UnitLevel.TOWNSHIP),
    /** An administrative village (村民委员会). */
    VILLAGERS_COMMITTEE(8, UnitLevel.VILLAGE),
    /** An urban community (居民委员会). */
    COMMUNITY(9, UnitLevel.VILLAGE),
    VILLAGE_OTHER(10, UnitLevel.VILLAGE);

    private final int number;
    private final UnitLevel level;

    UnitKind(int number, UnitLevel level) {
        this.number = number;
        this.level = level;
    }

    @Override
    public int number() {
        return number;
    }

    /** The level every unit of this kind is at. */
    public UnitLevel level() {
        return level;
    }

    /** The {@code coverage_goal.unit_kind} column. */
    @jakarta.persistence.Converter
    public static class Column extends Numbered.Column<UnitKind> {
        public Column() {
            super(UnitKind.class);
        }
    }
}
