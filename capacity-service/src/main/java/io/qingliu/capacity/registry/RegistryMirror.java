package io.qingliu.capacity.registry;

import com.google.type.Date;
import io.qingliu.api.common.v1.OperatingState;
import io.qingliu.api.project.v1.Division;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.StateTransition;
import io.qingliu.capacity.coverage.DirtyUnits;
import io.qingliu.kit.support.IdName;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Writes the latest snapshots of divisions, facilities and projects from the feed into the
 * mirror tables, many rows per statement, and reports what became dirty for the derived tables.
 */
public final class RegistryMirror {

    private final Connection c;
    private final ZoneId zone;

    public RegistryMirror(Connection c, ZoneId zone) {
        this.c = c;
        this.zone = zone;
    }

    /** Upserts divisions (the effective basin is the one that counts). */
    public void putDivisions(Collection<Division> divisions) throws SQLException {
        if (divisions.isEmpty()) {
            return;
        }
        int n = divisions.size();
        String[] code = new String[n], name = new String[n], parent = new String[n], county = new String[n],
                township = new String[n], basin = new String[n];
        Short[] level = new Short[n], kind = new Short[n];
        Boolean[] retired = new Boolean[n];
        int i = 0;
        for (Division d : divisions) {
            code[i] = d.getCode();
            name[i] = d.getDisplayName();
            level[i] = (short) d.getLevelValue();
            kind[i] = (short) d.getKindValue();
            parent[i] = d.getParent().startsWith("divisions/") ? d.getParent().substring(10) : d.getParent();
            county[i] = d.getCountyCode();
            township[i] = d.getTownshipCode();
            basin[i] = d.getEffectiveBasin();
            retired[i] = d.getRetired();
            i++;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO division (code, name, level, kind, parent_code, county_code, township_code, basin, retired)
                SELECT * FROM unnest(?::text[], ?::text[], ?::smallint[], ?::smallint[], ?::text[], ?::text[],
                                     ?::text[], ?::text[], ?::boolean[])
                ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, kind = EXCLUDED.kind,
                  parent_code = EXCLUDED.parent_code, county_code = EXCLUDED.county_code,
                  township_code = EXCLUDED.township_code, basin = EXCLUDED.basin, retired = EXCLUDED.retired""")) {
            s.setArray(1, c.createArrayOf("text", code));
            s.setArray(2, c.createArrayOf("text", name));
            s.setArray(3, c.createArrayOf("smallint", level));
            s.setArray(4, c.createArrayOf("smallint", kind));
            s.setArray(5, c.createArrayOf("text", parent));
            s.setArray(6, c.createArrayOf("text", county));
            s.setArray(7, c.createArrayOf("text", township));
            s.setArray(8, c.createArrayOf("text", basin));
            s.setArray(9, c.createArrayOf("boolean", retired));
            s.executeUpdate();
        }
    }

    /**
     * Upserts facilities and replaces their served units; returns the units they served before
     * and serve now (both may change coverage).
     */
    public void putFacilities(Collection<Facility> facilities, DirtyUnits units) throws SQLException {
        if (facilities.isEmpty()) {
            return;
        }
        int n = facilities.size();
        Long[] id = new Long[n], downstream = new Long[n];
        String[] name = new String[n], county = new String[n], township = new String[n];
        Short[] type = new Short[n], state = new Short[n];
        String[] capacity = new String[n];
        String[] operation = new String[n], outOfService = new String[n];
        List<Long> servedIds = new ArrayList<>();
        List<String> servedCodes = new ArrayList<>();
        int i = 0;
        for (Facility f : facilities) {
            id[i] = IdName.FACILITY.tryParse(f.getName());
            name[i] = f.getDisplayName();
            type[i] = (short) f.getTypeValue();
            county[i] = f.getCountyCode();
            township[i] = f.getTownshipCode();
            capacity[i] = BigDecimal.valueOf(f.getCapacityTonnesPerDay()).toPlainString();
            downstream[i] = f.getDownstreamFacility().isEmpty() ? null : IdName.FACILITY.tryParse(f.getDownstreamFacility());
            state[i] = (short) f.getOperatingStateValue();
            operation[i] = f.hasOperationDate() ? iso(f.getOperationDate()) : null;
            outOfService[i] = f.getOperatingState() == OperatingState.OPERATING_STATE_OUT_OF_SERVICE
                    && f.hasOutOfServiceDate() ? iso(f.getOutOfServiceDate()) : null;
            List<String> served = f.getServedDivisionCodesCount() > 0 ? f.getServedDivisionCodesList()
                    : List.of(f.getLocationCode());
            for (String code : served) {
                servedIds.add(id[i]);
                servedCodes.add(code);
                units.addServed(f.getTypeValue(), code);
            }
            i++;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO facility (id, name, type, county_code, township_code, capacity_tpd, downstream_id, state,
                                      operation_date, out_of_service_date)
                SELECT * FROM unnest(?::bigint[], ?::text[], ?::smallint[], ?::text[], ?::text[], ?::text[]::numeric[],
                                     ?::bigint[], ?::smallint[], ?::text[]::date[], ?::text[]::date[])
                ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type,
                  county_code = EXCLUDED.county_code, township_code = EXCLUDED.township_code,
                  capacity_tpd = EXCLUDED.capacity_tpd, downstream_id = EXCLUDED.downstream_id, state = EXCLUDED.state,
                  operation_date = EXCLUDED.operation_date, out_of_service_date = EXCLUDED.out_of_service_date""")) {
            s.setArray(1, c.createArrayOf("bigint", id));
            s.setArray(2, c.createArrayOf("text", name));
            s.setArray(3, c.createArrayOf("smallint", type));
            s.setArray(4, c.createArrayOf("text", county));
            s.setArray(5, c.createArrayOf("text", township));
            s.setArray(6, c.createArrayOf("text", capacity));
            s.setArray(7, c.createArrayOf("bigint", downstream));
            s.setArray(8, c.createArrayOf("smallint", state));
            s.setArray(9, c.createArrayOf("text", operation));
            s.setArray(10, c.createArrayOf("text", outOfService));
            s.executeUpdate();
        }
        removeServedUnits(List.of(id), units);
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO facility_served_unit (facility_id, division_code)
                SELECT DISTINCT * FROM unnest(?::bigint[], ?::text[])""")) {
            s.setArray(1, c.createArrayOf("bigint", servedIds.toArray()));
            s.setArray(2, c.createArrayOf("text", servedCodes.toArray()));
            s.executeUpdate();
        }
    }

    /** Removes deleted facilities and what was derived from them; the units they served become dirty. */
    public void removeFacilities(Collection<Long> ids, DirtyUnits units) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        removeServedUnits(ids, units);
        for (String table : List.of("facility", "facility_capacity", "facility_service")) {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table
                    + (table.equals("facility") ? " WHERE id" : " WHERE facility_id") + " = ANY(?)")) {
                s.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                s.executeUpdate();
            }
        }
    }

    /** Forgets the served units of facilities (still in the facility table), marking them dirty. */
    private void removeServedUnits(Collection<Long> ids, DirtyUnits units) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                DELETE FROM facility_served_unit s USING facility f
                 WHERE s.facility_id = ANY(?) AND f.id = s.facility_id
                RETURNING s.division_code, f.type""")) {
            s.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    units.addServed(rs.getShort(2), rs.getString(1));
                }
            }
        }
    }

    /** Upserts projects and replaces their lifecycle moves. */
    public void putProjects(Collection<Project> projects) throws SQLException {
        if (projects.isEmpty()) {
            return;
        }
        int n = projects.size();
        Long[] id = new Long[n], facility = new Long[n];
        String[] name = new String[n], county = new String[n], township = new String[n], plan = new String[n];
        Short[] kind = new Short[n], facilityType = new Short[n], state = new Short[n];
        String[] before = new String[n], after = new String[n];
        String[] plannedStart = new String[n], plannedCompletion = new String[n], plannedCommissioning = new String[n],
                commissioned = new String[n], entered = new String[n];
        List<Long> moveProject = new ArrayList<>();
        List<Integer> moveOrdinal = new ArrayList<>();
        List<Short> moveState = new ArrayList<>();
        List<String> moveDate = new ArrayList<>();
        int i = 0;
        for (Project p : projects) {
            id[i] = IdName.PROJECT.tryParse(p.getName());
            name[i] = p.getDisplayName();
            kind[i] = (short) p.getKindValue();
            facility[i] = IdName.FACILITY.tryParse(p.getFacility());
            facilityType[i] = (short) p.getFacilityTypeValue();
            county[i] = p.getCountyCode();
            township[i] = p.getTownshipCode();
            plan[i] = p.getPlanCode();
            before[i] = BigDecimal.valueOf(p.getCapacityBeforeTonnesPerDay()).toPlainString();
            after[i] = BigDecimal.valueOf(p.getCapacityAfterTonnesPerDay()).toPlainString();
            state[i] = (short) p.getStateValue();
            plannedStart[i] = p.hasPlannedStartDate() ? iso(p.getPlannedStartDate()) : null;
            plannedCompletion[i] = p.hasPlannedCompletionDate() ? iso(p.getPlannedCompletionDate()) : null;
            plannedCommissioning[i] = p.hasPlannedCommissioningDate() ? iso(p.getPlannedCommissioningDate()) : null;
            commissioned[i] = p.hasActualCommissioningDate() ? iso(p.getActualCommissioningDate()) : null;
            LocalDate enteredOn = java.time.Instant.ofEpochSecond(p.getCreateTime().getSeconds()).atZone(zone)
                    .toLocalDate();
            int ordinal = 0;
            for (StateTransition t : p.getTransitionsList()) {
                LocalDate date = toLocalDate(t.getEffectiveDate());
                if (date.isBefore(enteredOn)) {
                    enteredOn = date;
                }
                moveProject.add(id[i]);
                moveOrdinal.add(ordinal++);
                moveState.add((short) t.getToStateValue());
                moveDate.add(date.toString());
            }
            entered[i] = enteredOn.toString();
            i++;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO project (id, name, kind, facility_id, facility_type, county_code, township_code, plan_code,
                                     capacity_before_tpd, capacity_after_tpd, state, planned_start_date,
                                     planned_completion_date, planned_commissioning_date, actual_commissioning_date,
                                     entered_on)
                SELECT * FROM unnest(?::bigint[], ?::text[], ?::smallint[], ?::bigint[], ?::smallint[], ?::text[],
                                     ?::text[], ?::text[], ?::text[]::numeric[], ?::text[]::numeric[], ?::smallint[], ?::text[]::date[],
                                     ?::text[]::date[], ?::text[]::date[], ?::text[]::date[], ?::text[]::date[])
                ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,
                  facility_id = EXCLUDED.facility_id, facility_type = EXCLUDED.facility_type,
                  county_code = EXCLUDED.county_code, township_code = EXCLUDED.township_code,
                  plan_code = EXCLUDED.plan_code, capacity_before_tpd = EXCLUDED.capacity_before_tpd,
                  capacity_after_tpd = EXCLUDED.capacity_after_tpd, state = EXCLUDED.state,
                  planned_start_date = EXCLUDED.planned_start_date,
                  planned_completion_date = EXCLUDED.planned_completion_date,
                  planned_commissioning_date = EXCLUDED.planned_commissioning_date,
                  actual_commissioning_date = EXCLUDED.actual_commissioning_date, entered_on = EXCLUDED.entered_on""")) {
            s.setArray(1, c.createArrayOf("bigint", id));
            s.setArray(2, c.createArrayOf("text", name));
            s.setArray(3, c.createArrayOf("smallint", kind));
            s.setArray(4, c.createArrayOf("bigint", facility));
            s.setArray(5, c.createArrayOf("smallint", facilityType));
            s.setArray(6, c.createArrayOf("text", county));
            s.setArray(7, c.createArrayOf("text", township));
            s.setArray(8, c.createArrayOf("text", plan));
            s.setArray(9, c.createArrayOf("text", before));
            s.setArray(10, c.createArrayOf("text", after));
            s.setArray(11, c.createArrayOf("smallint", state));
            s.setArray(12, c.createArrayOf("text", plannedStart));
            s.setArray(13, c.createArrayOf("text", plannedCompletion));
            s.setArray(14, c.createArrayOf("text", plannedCommissioning));
            s.setArray(15, c.createArrayOf("text", commissioned));
            s.setArray(16, c.createArrayOf("text", entered));
            s.executeUpdate();
        }
        deleteTransitions(List.of(id));
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO project_transition (project_id, ordinal, to_state, effective_date)
                SELECT * FROM unnest(?::bigint[], ?::int[], ?::smallint[], ?::text[]::date[])""")) {
            s.setArray(1, c.createArrayOf("bigint", moveProject.toArray()));
            s.setArray(2, c.createArrayOf("int", moveOrdinal.toArray()));
            s.setArray(3, c.createArrayOf("smallint", moveState.toArray()));
            s.setArray(4, c.createArrayOf("text", moveDate.toArray()));
            s.executeUpdate();
        }
    }

    /** Removes deleted projects. */
    public void removeProjects(Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        deleteTransitions(ids);
        try (PreparedStatement s = c.prepareStatement("DELETE FROM project WHERE id = ANY(?)")) {
            s.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            s.executeUpdate();
        }
    }

    private void deleteTransitions(Collection<Long> ids) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM project_transition WHERE project_id = ANY(?)")) {
            s.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            s.executeUpdate();
        }
    }

    private static String iso(Date d) {
        return toLocalDate(d).toString();
    }

    public static LocalDate toLocalDate(Date d) {
        return LocalDate.of(d.getYear(), d.getMonth(), d.getDay());
    }
}
