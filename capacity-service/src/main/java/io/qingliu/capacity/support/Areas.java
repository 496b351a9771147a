package io.qingliu.capacity.support;

import io.qingliu.api.common.v1.DivisionLevel;
import io.qingliu.kit.grpc.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Areas that questions are asked about: a division of the read model, as the range of codes
 * inside it (official codes are hierarchical: 2 digits for a province, 4 for a city, 6 for a
 * county, 9 for a township).
 */
@ApplicationScoped
public class Areas {

    /** An area: its code (empty for everything), name, level and code prefix. */
    public record Area(String code, String name, DivisionLevel level, String prefix) {

        public static final Area EVERYWHERE = new Area("", "", DivisionLevel.DIVISION_LEVEL_UNSPECIFIED, "");

        /** Lowest code inside the area. */
        public String low() {
            return prefix;
        }

        /** A code above every code inside the area (codes are digits; '~' sorts after them in "C"). */
        public String high() {
            return prefix + "~";
        }

        /** Whether the other area lies inside this one. */
        public boolean contains(Area other) {
            return other.prefix.startsWith(prefix);
        }
    }

    /** A division's name and level (level null: not a known division). */
    private record Known(String name, DivisionLevel level) {
    }

    /** More than the cities, counties and townships of the country: past it, the cache starts afresh. */
    private static final int MAX_KNOWN = 100_000;

    private final DataSource dataSource;
    private final CatalogGeneration.Cache<String, Known> known;

    Areas(DataSource dataSource, CatalogGeneration catalog) {
        this.dataSource = dataSource;
        this.known = catalog.cache(MAX_KNOWN);
    }

    /**
     * The area named by {@code code} in {@code field}: empty means {@code whenEmpty}; otherwise a
     * division of one of the levels allowed, else INVALID_ARGUMENT naming the field.
     */
    public Area resolve(String code, String field, Area whenEmpty, Set<DivisionLevel> allowed) {
        if (code == null || code.isEmpty()) {
            return whenEmpty;
        }
        if (!code.matches("\\d{12}")) {
            throw ApiException.invalidArgument(field, "must be the 12-digit code of a " + wanted(allowed) + ", got \"" + code + "\"");
        }
        Known division = lookUp(code);
        if (division.level() == null) {
            throw ApiException.invalidArgument(field, code + " is not a known division");
        }
        if (!allowed.contains(division.level())) {
            throw ApiException.invalidArgument(field, code + " (" + division.name() + ") is a "
                    + division.level().name().substring("DIVISION_LEVEL_".length()).toLowerCase() + ", not a " + wanted(allowed));
        }
        return new Area(code, division.name(), division.level(), prefix(code, division.level()));
    }

    /**
     * A division's name and level, from memory while no division changed since it was read: each
     * answer names an area, and a query for it cost a round trip of each answer.
     */
    private Known lookUp(String code) {
        return known.get(code, this::read);
    }

    private Known read(String code) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT name, level FROM division WHERE code = ?")) {
            s.setString(1, code);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new Known(rs.getString(1), DivisionLevel.forNumber(rs.getShort(2))) : new Known("", null);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }


    /** The levels allowed, for messages: {@code city or county}. */
    private static String wanted(Set<DivisionLevel> allowed) {
        return allowed.stream().map(l -> l.name().substring("DIVISION_LEVEL_".length()).toLowerCase())
                .sorted().reduce((a, b) -> a + " or " + b).orElse("");
    }

    /** The code prefix shared by every unit inside a division of the given level. */
    public static String prefix(String code, DivisionLevel level) {
        return switch (level) {
            case DIVISION_LEVEL_PROVINCE -> code.substring(0, 2);
            case DIVISION_LEVEL_CITY -> code.substring(0, 4);
            case DIVISION_LEVEL_COUNTY -> code.substring(0, 6);
            case DIVISION_LEVEL_TOWNSHIP -> code.substring(0, 9);
            default -> code;
        };
    }
}
