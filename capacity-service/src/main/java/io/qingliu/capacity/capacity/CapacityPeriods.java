package io.qingliu.capacity.capacity;

import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.api.project.v1.ProjectState;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives each facility's design capacity over effective time, so that "capacity in operation on
 * D" is a sum over one table. Outside its operation a facility has none; inside, it has what its
 * last project commissioned by then left it with, and before any such project what the first
 * one found (its capacity before), or, with no project at all, its registered capacity.
 */
public final class CapacityPeriods {

    record Step(LocalDate date, long projectId, ProjectKind kind, BigDecimal before, BigDecimal after) {
    }

    private record Operation(long id, short type, String county, BigDecimal capacity, LocalDate from, LocalDate until) {
    }

    /** One period of constant capacity, {@code [from, until)}; {@code until} null while it lasts. */
    record Period(LocalDate from, LocalDate until, BigDecimal capacity) {
    }

    private CapacityPeriods() {
    }

    /** Recomputes the capacity periods of the facilities given (deleted ones just lose theirs). */
    public static void recompute(Connection c, Collection<Long> facilityIds) throws SQLException {
        if (facilityIds.isEmpty()) {
            return;
        }
        java.sql.Array ids = c.createArrayOf("bigint", facilityIds.toArray());
        try (PreparedStatement s = c.prepareStatement("DELETE FROM facility_capacity WHERE facility_id = ANY(?)")) {
            s.setArray(1, ids);
            s.executeUpdate();
        }
        List<Operation> operations = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT id, type, county_code, capacity_tpd, operation_date,
                       CASE WHEN state = ? THEN out_of_service_date END
                  FROM facility
                 WHERE id = ANY(?) AND operation_date IS NOT NULL AND state IN (?, ?) AND type <> ?""")) {
            s.setShort(1, (short) io.qingliu.api.common.v1.OperatingState.OPERATING_STATE_OUT_OF_SERVICE_VALUE);
            s.setArray(2, ids);
            s.setShort(3, (short) io.qingliu.api.common.v1.OperatingState.OPERATING_STATE_IN_OPERATION_VALUE);
            s.setShort(4, (short) io.qingliu.api.common.v1.OperatingState.OPERATING_STATE_OUT_OF_SERVICE_VALUE);
            s.setShort(5, (short) FacilityType.FACILITY_TYPE_PIPE_NETWORK_VALUE);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Date until = rs.getDate(6);
                    operations.add(new Operation(rs.getLong(1), rs.getShort(2), rs.getString(3), rs.getBigDecimal(4),
                            rs.getDate(5).toLocalDate(), until == null ? null : until.toLocalDate()));
                }
            }
        }
        if (operations.isEmpty()) {
            return;
        }
        Map<Long, List<Step>> steps = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT facility_id, actual_commissioning_date, id, kind, capacity_before_tpd, capacity_after_tpd
                  FROM project
                 WHERE facility_id = ANY(?) AND state = ? AND actual_commissioning_date IS NOT NULL
                   AND kind <> ? AND capacity_after_tpd > 0
                 ORDER BY facility_id, actual_commissioning_date, id""")) {
            s.setArray(1, ids);
            s.setShort(2, (short) ProjectState.PROJECT_STATE_COMMISSIONED_VALUE);
            s.setShort(3, (short) ProjectKind.PROJECT_KIND_PIPE_NETWORK_VALUE);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    steps.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Step(rs.getDate(2).toLocalDate(),
                            rs.getLong(3), ProjectKind.forNumber(rs.getShort(4)), rs.getBigDecimal(5), rs.getBigDecimal(6)));
                }
            }
        }
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO facility_capacity (facility_id, period, capacity_tpd, type, county_code)
                VALUES (?, daterange(?, ?), ?, ?, ?)""")) {
            for (Operation op : operations) {
                for (Period p : periods(op.from(), op.until(), op.capacity(), steps.getOrDefault(op.id(), List.of()))) {
                    insert.setLong(1, op.id());
                    insert.setDate(2, Date.valueOf(p.from()));
                    insert.setDate(3, p.until() == null ? null : Date.valueOf(p.until()));
                    insert.setBigDecimal(4, p.capacity());
                    insert.setShort(5, op.type());
                    insert.setString(6, op.county());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    /** The periods of constant capacity within {@code [from, until)}, given the commissioned steps in date order. */
    static List<Period> periods(LocalDate from, LocalDate until, BigDecimal registered, List<Step> steps) {
        BigDecimal capacity = steps.isEmpty() ? registered
                : steps.get(0).kind() == ProjectKind.PROJECT_KIND_NEW_BUILD ? steps.get(0).after() : steps.get(0).before();
        List<Period> out = new ArrayList<>();
        LocalDate start = from;
        for (Step step : steps) {
            if (until != null && !step.date().isBefore(until)) {
                break;
            }
            if (step.date().isAfter(start)) {
                out.add(new Period(start, step.date(), capacity));
                start = step.date();
            }
            capacity = step.after();
        }
        out.add(new Period(start, until, capacity));
        out.removeIf(p -> p.until() != null && !p.until().isAfter(p.from()));
        return out;
    }
}
