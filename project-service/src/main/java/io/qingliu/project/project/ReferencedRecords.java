package io.qingliu.project.project;

import io.qingliu.project.division.Division;
import io.qingliu.project.division.DivisionLevel;
import io.qingliu.project.facility.DischargeStandard;
import io.qingliu.project.facility.Facility;
import io.qingliu.project.facility.FacilityType;
import io.qingliu.project.facility.RegistryLookup;
import io.qingliu.project.support.Entities;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The divisions and facilities an import's entries refer to, read a chunk at a time with one
 * plain JDBC query each: far cheaper than loading entities through Hibernate, and possible on a
 * connection outside the import's transaction. What earlier chunks read is kept (entries often
 * share townships), as the committed state seen at that moment. The records are detached
 * entities holding only the columns the rules of {@link ProjectDrafts} read: fit for checking,
 * not for saving.
 */
final class ReferencedRecords implements RegistryLookup {

    /** The most divisions kept for later chunks (a bound on memory). */
    private static final int MAX_KEPT_DIVISIONS = 100_000;

    /**
     * A join with the codes rather than {@code code = ANY (?)}: for a few thousand codes the
     * planner chose to scan the whole table (in parallel) over looking each one up.
     */
    private static final String DIVISIONS = "SELECT d.code, d.name, d.level, d.county_code, d.township_code, d.retired_at"
            + " FROM unnest(?::varchar[]) AS c (code) JOIN division d ON d.code = c.code";
    private static final String FACILITIES = "SELECT id, type, location_code, county_code, township_code, capacity_tpd,"
            + " discharge_standard FROM facility WHERE id = ANY (?)";

    /** Records read for some chunk: added to those known by {@link #add}. */
    record Found(Map<String, Division> divisions, Map<Long, Facility> facilities) {
    }

    private final Map<String, Division> divisions = new HashMap<>();
    private final Map<Long, Facility> facilities = new HashMap<>();
    private Found current = new Found(Map.of(), Map.of());

    /** Those of the codes whose divisions are not known yet. */
    Set<String> unknownCodes(Set<String> codes) {
        codes.removeIf(divisions::containsKey);
        return codes;
    }

    /** Those of the ids whose facilities are not known yet. */
    Set<Long> unknownFacilities(Set<Long> ids) {
        ids.removeIf(facilities::containsKey);
        return ids;
    }

    /**
     * Looks up in the records found for the chunk about to be checked, besides those known.
     * They are kept for later chunks while there is room; none is ever forgotten, since a chunk
     * read ahead may rely on one being known.
     */
    void add(Found found) {
        current = found;
        if (divisions.size() + found.divisions().size() <= MAX_KEPT_DIVISIONS) {
            divisions.putAll(found.divisions());
        }
        facilities.putAll(found.facilities());
    }

    /** Reads the divisions of {@code codes} and the facilities of {@code facilityIds}, on any connection. */
    static Found read(Connection c, Set<String> codes, Set<Long> facilityIds) throws SQLException {
        Map<String, Division> divisions = new HashMap<>(codes.size() * 2);
        if (!codes.isEmpty()) {
            try (PreparedStatement st = c.prepareStatement(DIVISIONS)) {
                // in index order, so that the lookups go through the index once
                st.setArray(1, c.createArrayOf("varchar", codes.stream().sorted().toArray()));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        Division d = Entities.untracked(new Division());
                        d.code = rs.getString(1);
                        d.name = rs.getString(2);
                        d.level = DivisionLevel.valueOf(rs.getString(3));
                        d.countyCode = rs.getString(4);
                        d.townshipCode = rs.getString(5);
                        Timestamp retired = rs.getTimestamp(6);
                        d.retiredAt = retired == null ? null : retired.toInstant();
                        divisions.put(d.code, d);
                    }
                }
            }
        }
        Map<Long, Facility> facilities = new HashMap<>();
        if (!facilityIds.isEmpty()) {
            try (PreparedStatement st = c.prepareStatement(FACILITIES)) {
                st.setArray(1, c.createArrayOf("bigint", facilityIds.toArray()));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        Facility f = Entities.untracked(new Facility());
                        f.id = rs.getLong(1);
                        f.type = FacilityType.valueOf(rs.getString(2));
                        f.locationCode = rs.getString(3);
                        f.countyCode = rs.getString(4);
                        f.townshipCode = rs.getString(5);
                        f.capacityTpd = rs.getBigDecimal(6);
                        String standard = rs.getString(7);
                        f.dischargeStandard = standard == null ? null : DischargeStandard.valueOf(standard);
                        facilities.put(f.id, f);
                    }
                }
            }
        }
        return new Found(divisions, facilities);
    }

    @Override
    public Division division(String code) {
        Division d = current.divisions().get(code);
        return d != null ? d : divisions.get(code);
    }

    @Override
    public Facility facility(long id) {
        return facilities.get(id);
    }
}
