package io.qingliu.capacity.capacity;

import io.qingliu.api.capacity.v1.CapacityFigures;
import io.qingliu.api.capacity.v1.CapacityGrouping;
import io.qingliu.api.capacity.v1.CapacityRow;
import io.qingliu.api.capacity.v1.SummarizeCapacityRequest;
import io.qingliu.api.capacity.v1.SummarizeCapacityResponse;
import io.qingliu.api.common.v1.DivisionLevel;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.capacity.support.Areas;
import io.qingliu.capacity.support.Areas.Area;
import io.qingliu.capacity.support.AsOfDates;
import io.qingliu.capacity.support.Snapshot;
import io.qingliu.capacity.support.NumberedSql;
import io.qingliu.kit.grpc.ApiException;
import io.qingliu.kit.support.IdName;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Capacity answers: in operation on a date (from the facilities' capacity periods), added by the
 * projects commissioned by then, and the pipeline by the state each project was in on that date.
 */
@ApplicationScoped
public class CapacityQueries {

    /**
     * What one project contributes: new builds their capacity, other works what they add (after −
     * before, when they change capacity at all); with its state on the date and its years.
     */
    public static final String PROJECTS_ON_DATE = """
            SELECT p.id, p.kind, p.county_code, p.plan_code, p.facility_type, p.planned_commissioning_date,
                   CASE WHEN p.kind = 1 THEN p.capacity_after_tpd
                        WHEN p.capacity_after_tpd > 0 THEN p.capacity_after_tpd - p.capacity_before_tpd
                        ELSE 0 END AS added,
                   COALESCE((SELECT t.to_state FROM project_transition t
                              WHERE t.project_id = p.id AND t.effective_date <= ?1
                              ORDER BY t.ordinal DESC LIMIT 1), 1) AS state_on,
                   (SELECT max(t.effective_date) FROM project_transition t
                     WHERE t.project_id = p.id AND t.to_state = 5 AND t.effective_date <= ?1) AS commissioned_on
              FROM project p
             WHERE p.entered_on <= ?1""";

    private final DataSource dataSource;
    private final Areas areas;
    private final AsOfDates dates;

    CapacityQueries(DataSource dataSource, Areas areas, AsOfDates dates) {
        this.dataSource = dataSource;
        this.areas = areas;
        this.dates = dates;
    }

    public SummarizeCapacityResponse summarize(SummarizeCapacityRequest request) {
        FacilityType type = request.getFacilityType() == FacilityType.FACILITY_TYPE_UNSPECIFIED
                ? FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT : request.getFacilityType();
        if (type == FacilityType.FACILITY_TYPE_PIPE_NETWORK || type == FacilityType.UNRECOGNIZED) {
            throw ApiException.invalidArgument("facility_type", "must be a type with a treatment capacity, not "
                    + request.getFacilityTypeValue());
        }
        Area area = areas.resolve(request.getAreaCode(), "area_code", Area.EVERYWHERE, Set.of(
                DivisionLevel.DIVISION_LEVEL_PROVINCE, DivisionLevel.DIVISION_LEVEL_CITY, DivisionLevel.DIVISION_LEVEL_COUNTY));
        LocalDate date = dates.resolve(request.hasAsOfDate(), request.getAsOfDate(), "as_of_date");
        CapacityGrouping grouping = request.getGrouping();
        if (grouping == CapacityGrouping.UNRECOGNIZED) {
            throw ApiException.invalidArgument("grouping", "is not a known grouping");
        }
        return Snapshot.read(dataSource, c -> {
            String planCode = request.getPlan().isEmpty() ? null : planCode(c, request.getPlan());
            Function<Contribution, String> key = switch (grouping) {
                case CAPACITY_GROUPING_COUNTY -> Contribution::county;
                case CAPACITY_GROUPING_PROJECT_KIND -> k -> ProjectKind.forNumber(k.kind()).name();
                case CAPACITY_GROUPING_YEAR -> Contribution::year;
                default -> k -> "";
            };
            Map<String, Figures> rows = new TreeMap<>();
            Figures totals = new Figures();
            for (Contribution k : contributions(c, type, area, date, planCode)) {
                totals.add(k);
                if (grouping != CapacityGrouping.CAPACITY_GROUPING_UNSPECIFIED) {
                    rows.computeIfAbsent(key.apply(k), x -> new Figures()).add(k);
                }
            }
            totals.inOperation = inOperation(c, type, area, date, false).getOrDefault("", BigDecimal.ZERO);
            if (grouping == CapacityGrouping.CAPACITY_GROUPING_COUNTY) {
                inOperation(c, type, area, date, true).forEach(
                        (county, tpd) -> rows.computeIfAbsent(county, x -> new Figures()).inOperation = tpd);
            } else if (grouping == CapacityGrouping.CAPACITY_GROUPING_YEAR) {
                int first = rows.keySet().stream().filter(y -> !y.isEmpty()).mapToInt(Integer::parseInt).min()
                        .orElse(date.getYear());
                for (int year = first; year <= date.getYear(); year++) {
                    LocalDate end = year == date.getYear() ? date : LocalDate.of(year, 12, 31);
                    rows.computeIfAbsent(Integer.toString(year), x -> new Figures()).inOperation =
                            inOperation(c, type, area, end, false).getOrDefault("", BigDecimal.ZERO);
                }
            }
            SummarizeCapacityResponse.Builder out = SummarizeCapacityResponse.newBuilder()
                    .setAsOfDate(AsOfDates.toProto(date)).setTotals(totals.toProto())
                    .setFeedSequence(io.qingliu.capacity.coverage.CoverageQueries.feedSequenceOf(c));
            Map<String, String> names = grouping == CapacityGrouping.CAPACITY_GROUPING_COUNTY ? names(c, rows.keySet())
                    : Map.of();
            rows.forEach((k, f) -> out.addRows(CapacityRow.newBuilder().setKey(k)
                    .setDisplayName(names.getOrDefault(k, "")).setFigures(f.toProto())));
            return out.build();
        });
    }

    /** The code of the plan named {@code plans/{id}}; NOT_FOUND when there is none. */
    static String planCode(Connection c, String planName) throws SQLException {
        long id = IdName.PLAN.parse(planName, "plan");
        try (PreparedStatement s = c.prepareStatement("SELECT code FROM plan WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound(planName);
                }
                return rs.getString(1);
            }
        }
    }

    /** What one group of projects contributes on the date. */
    record Contribution(String county, int kind, String year, int state, BigDecimal added, int projects) {
    }

    private static java.util.List<Contribution> contributions(Connection c, FacilityType type, Area area, LocalDate date,
            String planCode) throws SQLException {
        String sql = """
                WITH p AS (%s AND p.facility_type = ?2 AND p.county_code >= ?3 AND p.county_code < ?4 %s)
                SELECT county_code, kind,
                       COALESCE(CASE WHEN state_on = 5 THEN extract(year FROM commissioned_on)
                                     ELSE extract(year FROM planned_commissioning_date) END::text, ''),
                       state_on, sum(added), count(*)
                  FROM p GROUP BY 1, 2, 3, 4""".formatted(PROJECTS_ON_DATE,
                planCode == null ? "" : "AND p.plan_code = ?5");
        java.util.List<Contribution> out = new java.util.ArrayList<>();
        try (PreparedStatement s = NumberedSql.prepare(c, sql, date, (short) type.getNumber(), area.low(), area.high(),
                planCode)) {
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Contribution(rs.getString(1), rs.getShort(2), rs.getString(3), rs.getShort(4),
                            rs.getBigDecimal(5), rs.getInt(6)));
                }
            }
        }
        return out;
    }

    /** Capacity in operation on the date, per county, or as a single total under "" (county false). */
    private static Map<String, BigDecimal> inOperation(Connection c, FacilityType type, Area area, LocalDate date,
            boolean byCounty) throws SQLException {
        Map<String, BigDecimal> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT %s, sum(capacity_tpd) FROM facility_capacity
                 WHERE type = ? AND period @> ?::date AND county_code >= ? AND county_code < ?
                 %s""".formatted(byCounty ? "county_code" : "''", byCounty ? "GROUP BY county_code" : ""))) {
            s.setShort(1, (short) type.getNumber());
            s.setObject(2, date);
            s.setString(3, area.low());
            s.setString(4, area.high());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBigDecimal(2) != null) {
                        out.put(rs.getString(1), rs.getBigDecimal(2));
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, String> names(Connection c, Set<String> codes) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT code, name FROM division WHERE code = ANY(?)")) {
            s.setArray(1, c.createArrayOf("text", codes.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** Sums of contributions, in tonnes a day. */
    static final class Figures {
        BigDecimal inOperation = BigDecimal.ZERO;
        final Map<Integer, BigDecimal> byState = new HashMap<>();
        int commissioned;
        int pipeline;

        void add(Contribution k) {
            byState.merge(k.state(), k.added(), BigDecimal::add);
            if (k.state() == ProjectState.PROJECT_STATE_COMMISSIONED_VALUE) {
                commissioned += k.projects();
            } else if (k.state() != ProjectState.PROJECT_STATE_CANCELLED_VALUE) {
                pipeline += k.projects();
            }
        }

        private double state(ProjectState state) {
            return byState.getOrDefault(state.getNumber(), BigDecimal.ZERO).doubleValue();
        }

        CapacityFigures toProto() {
            return CapacityFigures.newBuilder().setInOperationTonnesPerDay(inOperation.doubleValue())
                    .setAddedTonnesPerDay(state(ProjectState.PROJECT_STATE_COMMISSIONED))
                    .setCompletedTonnesPerDay(state(ProjectState.PROJECT_STATE_COMPLETED))
                    .setUnderConstructionTonnesPerDay(state(ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION))
                    .setApprovedTonnesPerDay(state(ProjectState.PROJECT_STATE_APPROVED))
                    .setPlannedTonnesPerDay(state(ProjectState.PROJECT_STATE_PLANNED))
                    .setSuspendedTonnesPerDay(state(ProjectState.PROJECT_STATE_SUSPENDED))
                    .setCommissionedProjects(commissioned).setPipelineProjects(pipeline).build();
        }
    }
}
