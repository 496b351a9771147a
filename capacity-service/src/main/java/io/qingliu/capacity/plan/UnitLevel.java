package io.qingliu.capacity.plan;

/**
 * The level of the units a coverage goal counts: the two lowest of
 * {@code qingliu.common.v1.DivisionLevel}.
 */
public enum UnitLevel implements Numbered {
    TOWNSHIP(4),
    VILLAGE(5);

    private final int number;

    UnitLevel(int number) {
        this.number = number;
    }

    @Override
    public int number() {
        return number;
    }

    /** The {@code coverage_goal.unit_level} column. */
    @jakarta.persistence.Converter
    public static class Column extends Numbered.Column<UnitLevel> {
        public Column() {
            super(UnitLevel.class);
        }
    }
}
