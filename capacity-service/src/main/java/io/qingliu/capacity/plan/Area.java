package io.qingliu.capacity.plan;

/**
 * A division of the read model ({@code division} table) that a plan or a coverage goal names as
 * its area. {@code level} is the proto {@code DivisionLevel} number.
 */
public record Area(String code, String name, int level, boolean retired) {

    public static final int PROVINCE = 1;
    public static final int CITY = 2;
    public static final int COUNTY = 3;

    /** The code prefix of every unit inside the area: 2 digits for a province, 4 for a city, 6 for a county. */
    public String prefix() {
        if (level < PROVINCE || level > COUNTY) {
            throw new IllegalStateException(code + " is not a province, city or county");
        }
        return io.qingliu.capacity.support.Areas.prefix(code, io.qingliu.api.common.v1.DivisionLevel.forNumber(level));
    }

    /** Whether every unit of {@code inner} lies inside this area. */
    public boolean contains(Area inner) {
        return inner.prefix().startsWith(prefix());
    }

    /** {@code 512000000000 (资阳市)}. */
    public String label() {
        return code + " (" + name + ")";
    }

    /** The level's name in messages: {@code province}, …, {@code village}. */
    public static String levelWord(int level) {
        return switch (level) {
            case PROVINCE -> "province";
            case CITY -> "city";
            case COUNTY -> "county";
            case 4 -> "township";
            case 5 -> "village";
            default -> "division of level " + level;
        };
    }
}
