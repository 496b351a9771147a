package io.qingliu.kit.auth;

import java.util.Locale;

/**
 * What a token lets its bearer do. One role per token, named in its {@code groups} claim (the
 * MicroProfile JWT claim for roles).
 */
public enum Role {
    /** Reads everything. */
    VIEWER,
    /** Writes anything in the city: divisions' basins, facilities, projects, plans. */
    PLANNER,
    /** Reads everything; writes facilities and projects of the county its token names, nothing else. */
    COUNTY,
    /** Everything a planner may do, and the imports of division lists. */
    ADMIN;

    /** The name as tokens carry it: {@code viewer}, {@code planner}, {@code county}, {@code admin}. */
    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role a claim value names, or null. */
    public static Role ofClaim(String value) {
        for (Role r : values()) {
            if (r.claim().equals(value)) {
                return r;
            }
        }
        return null;
    }

    /** Whether this role may make a call of that kind at all (a county's writes are then checked record by record). */
    public boolean may(Access access) {
        return switch (access) {
            case READ -> true;
            case WRITE_RECORDS -> this != VIEWER;
            case WRITE_CITY -> this == PLANNER || this == ADMIN;
            case ADMINISTER -> this == ADMIN;
        };
    }
}
