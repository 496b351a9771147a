package io.qingliu.capacity.coverage;

import io.qingliu.api.capacity.v1.CoverageBreakdown;
import io.qingliu.api.capacity.v1.CoverageEvidence;
import io.qingliu.api.capacity.v1.CoverageFigures;
import io.qingliu.api.capacity.v1.CoveringFacility;
import io.qingliu.api.capacity.v1.GetCoverageEvidenceRequest;
import io.qingliu.api.capacity.v1.GoalUnit;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsRequest;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsResponse;
import io.qingliu.api.capacity.v1.ServicePeriod;
import io.qingliu.api.capacity.v1.SummarizeCoverageRequest;
import io.qingliu.api.capacity.v1.SummarizeCoverageResponse;
import io.qingliu.api.common.v1.DivisionKind;
import io.qingliu.api.common.v1.DivisionLevel;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.capacity.coverage.Goals.Goal;
import io.qingliu.capacity.support.Areas;
import io.qingliu.capacity.support.Areas.Area;
import io.qingliu.capacity.support.AsOfDates;
import io.qingliu.capacity.support.Snapshot;
import io.qingliu.kit.grpc.ApiException;
import io.qingliu.kit.query.Keyset;
import io.qingliu.kit.query.PageSize;
import io.qingliu.kit.query.PageToken;
import io.qingliu.kit.support.IdName;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.util.PGobject;

/** Coverage answers: summaries, the units still uncovered, and the evidence for one unit. */
@ApplicationScoped
public class CoverageQueries {

    private final DataSource dataSource;
    private final Goals goals;
    private final Areas areas;
    private final AsOfDates dates;

    CoverageQueries(DataSource dataSource, Goals goals, Areas areas, AsOfDates dates) {
        this.dataSource = dataSource;
        this.goals = goals;
        this.areas = areas;
        this.dates = dates;
    }

    /** Covered and total units per county (and township) of an area, as of a date. */
    public SummarizeCoverageResponse summarize(SummarizeCoverageRequest request) {
        Goal goal = goals.byName(request.getGoal(), "goal");
        Area area = areaWithin(goal, request.getAreaCode(),
                Set.of(DivisionLevel.DIVISION_LEVEL_CITY, DivisionLevel.DIVISION_LEVEL_COUNTY));
        LocalDate date = dates.resolve(request.hasAsOfDate(), request.getAsOfDate(), "as_of_date");
        boolean townships = switch (request.getBreakdown()) {
            case COVERAGE_BREAKDOWN_COUNTY -> false;
            case COVERAGE_BREAKDOWN_TOWNSHIP -> true;
            default -> !area.code().isEmpty();
        };
        return Snapshot.read(dataSource, c -> {
            SummarizeCoverageResponse.Builder out = SummarizeCoverageResponse.newBuilder().setGoal(goal.name())
                    .setAsOfDate(AsOfDates.toProto(date)).setFeedSequence(feedSequenceOf(c));
            List<CoverageFigures> counties = figures(c, goal, area, date, "county_code");
            out.addAllCounties(counties);
            if (townships) {
                out.addAllTownships(figures(c, goal, area, date, "township_code"));
            }
            long covered = counties.stream().mapToLong(CoverageFigures::getCovered).sum();
            long total = counties.stream().mapToLong(CoverageFigures::getTotal).sum();
            out.setTotals(figure(area.code(), area.name(), covered, total));
            return out.build();
        });
    }

    /**
     * Per county or per township ({@code column}): covered from the day events, total from the counts.
     * The area is a range of township codes (they begin with the area's prefix), which the primary
     * keys of both tables serve. Names are looked up row by row through the primary key: a join lets
     * the planner hash the whole national division table (90 ms) for a few thousand counties.
     */
    private static List<CoverageFigures> figures(Connection c, Goal goal, Area area, LocalDate date, String column)
            throws SQLException {
        String sql = """
                WITH totals AS (
                  SELECT %1$s AS code, sum(total) AS total FROM goal_township_total
                   WHERE goal_id = ? AND township_code >= ? AND township_code < ? GROUP BY %1$s),
                covered AS (
                  SELECT %1$s AS code, sum(delta) AS covered FROM coverage_delta
                   WHERE goal_id = ? AND day <= ? AND township_code >= ? AND township_code < ? GROUP BY %1$s)
                SELECT t.code, COALESCE((SELECT d.name FROM division d WHERE d.code = t.code), ''),
                       COALESCE(v.covered, 0), t.total
                  FROM totals t LEFT JOIN covered v ON v.code = t.code
                 ORDER BY t.code""".formatted(column);
        List<CoverageFigures> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, goal.id());
            s.setString(2, area.low());
            s.setString(3, area.high());
            s.setLong(4, goal.id());
            s.setObject(5, date);
            s.setString(6, area.low());
            s.setString(7, area.high());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(figure(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    static CoverageFigures figure(String code, String name, long covered, long total) {
        double percent = total == 0 ? 100.0 : Math.round(covered * 10000.0 / total) / 100.0;
        return CoverageFigures.newBuilder().setCode(code).setDisplayName(name).setCovered((int) covered)
                .setTotal((int) total).setPercent(percent).build();
    }

    /** The units of a goal not covered on a date, by code, a page at a time. */
    public ListUncoveredUnitsResponse listUncovered(ListUncoveredUnitsRequest request) {
        Goal goal = goals.byName(request.getGoal(), "goal");
        Area area = areaWithin(goal, request.getAreaCode(), Set.of(DivisionLevel.DIVISION_LEVEL_CITY,
                DivisionLevel.DIVISION_LEVEL_COUNTY, DivisionLevel.DIVISION_LEVEL_TOWNSHIP));
        LocalDate date = dates.resolve(request.hasAsOfDate(), request.getAsOfDate(), "as_of_date");
        int pageSize = PageSize.resolve(request.getPageSize());
        String listing = area.code() + "@" + date;
        String after = PageToken.decode(request.getPageToken(), goal.name() + "/uncoveredUnits", listing, "code")
                .map(k -> (String) k.sortValue()).orElse("");
        return Snapshot.read(dataSource, c -> {
            ListUncoveredUnitsResponse.Builder out = ListUncoveredUnitsResponse.newBuilder();
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT gu.code, d.name, d.kind, gu.county_code, gu.township_code, d.basin
                      FROM goal_unit gu JOIN division d ON d.code = gu.code
                     WHERE gu.goal_id = ? AND gu.code >= ? AND gu.code < ? AND gu.code > ?
                       AND NOT gu.covered @> ?::date
                     ORDER BY gu.code LIMIT ?""")) {
                s.setLong(1, goal.id());
                s.setString(2, area.low());
                s.setString(3, area.high());
                s.setString(4, after);
                s.setObject(5, date);
                s.setInt(6, pageSize + 1);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        if (out.getUnitsCount() == pageSize) {
                            String last = out.getUnits(pageSize - 1).getCode();
                            out.setNextPageToken(PageToken.encode(new Keyset(last, 0), goal.name() + "/uncoveredUnits",
                                    listing, "code"));
                            break;
                        }
                        out.addUnits(unit(rs));
                    }
                }
            }
            List<CoverageFigures> townships = figures(c, goal, area, date, "township_code");
            out.setTotalSize(townships.stream().mapToInt(f -> f.getTotal() - f.getCovered()).sum());
            return out.build();
        });
    }

    private static GoalUnit unit(ResultSet rs) throws SQLException {
        return GoalUnit.newBuilder().setCode(rs.getString(1)).setDisplayName(rs.getString(2))
                .setKind(DivisionKind.forNumber(rs.getShort(3))).setCountyCode(rs.getString(4))
                .setTownshipCode(rs.getString(5)).setBasin(rs.getString(6)).build();
    }

    /** Which facilities (or garbage chains) serve a unit, in which periods, and whether it is covered on the date. */
    public CoverageEvidence evidence(GetCoverageEvidenceRequest request) {
        Goal goal = goals.byName(request.getGoal(), "goal");
        LocalDate date = dates.resolve(request.hasAsOfDate(), request.getAsOfDate(), "as_of_date");
        if (!request.getUnitCode().matches("\\d{12}")) {
            throw ApiException.invalidArgument("unit_code", "must be a 12-digit division code");
        }
        return Snapshot.read(dataSource, c -> {
            CoverageEvidence.Builder out = CoverageEvidence.newBuilder().setGoal(goal.name())
                    .setAsOfDate(AsOfDates.toProto(date));
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT gu.code, d.name, d.kind, gu.county_code, gu.township_code, d.basin,
                           gu.covered @> ?::date, (SELECT lower(r) FROM unnest(gu.covered) r WHERE r @> ?::date)
                      FROM goal_unit gu JOIN division d ON d.code = gu.code
                     WHERE gu.goal_id = ? AND gu.code = ?""")) {
                s.setObject(1, date);
                s.setObject(2, date);
                s.setLong(3, goal.id());
                s.setString(4, request.getUnitCode());
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw ApiException.invalidArgument("unit_code",
                                request.getUnitCode() + " is not a unit that " + goal.name() + " counts");
                    }
                    out.setUnit(unit(rs)).setCovered(rs.getBoolean(7));
                    java.sql.Date since = rs.getDate(8);
                    if (since != null) {
                        out.setCoveredSince(AsOfDates.toProto(since.toLocalDate()));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT f.id, f.name, f.type, ts.id, ds.id, fs.periods, fs.periods @> ?::date
                      FROM facility_served_unit su
                      JOIN facility_service fs ON fs.facility_id = su.facility_id AND fs.service_type = ?
                      JOIN facility f ON f.id = su.facility_id
                      LEFT JOIN facility ts ON f.type = 3 AND ts.id = f.downstream_id
                      LEFT JOIN facility ds ON ds.id = ts.downstream_id
                     WHERE su.division_code IN (?, (SELECT township_code FROM goal_unit WHERE goal_id = ? AND code = ?))
                     ORDER BY f.id""")) {
                s.setObject(1, date);
                s.setShort(2, (short) goal.service().getNumber());
                s.setString(3, request.getUnitCode());
                s.setLong(4, goal.id());
                s.setString(5, request.getUnitCode());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        CoveringFacility.Builder f = CoveringFacility.newBuilder()
                                .setFacility(IdName.FACILITY.format(rs.getLong(1))).setDisplayName(rs.getString(2))
                                .setType(FacilityType.forNumber(rs.getShort(3))).setServesOnDate(rs.getBoolean(7));
                        for (int col : new int[] {4, 5}) {
                            long id = rs.getLong(col);
                            if (!rs.wasNull()) {
                                f.addChain(IdName.FACILITY.format(id));
                            }
                        }
                        f.addAllPeriods(periods(rs.getObject(6)));
                        out.addFacilities(f);
                    }
                }
            }
            return out.build();
        });
    }

    /** The ranges of a datemultirange as written by PostgreSQL, e.g. {@code {[2019-01-01,2020-01-01),[2021-01-01,)}}. */
    static List<ServicePeriod> periods(Object multirange) {
        String text = multirange instanceof PGobject pg ? pg.getValue() : String.valueOf(multirange);
        List<ServicePeriod> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[([0-9-]*),([0-9-]*)\\)").matcher(text);
        while (m.find()) {
            ServicePeriod.Builder p = ServicePeriod.newBuilder();
            if (!m.group(1).isEmpty()) {
                p.setStartDate(AsOfDates.toProto(LocalDate.parse(m.group(1))));
            }
            if (!m.group(2).isEmpty()) {
                p.setEndDate(AsOfDates.toProto(LocalDate.parse(m.group(2))));
            }
            out.add(p.build());
        }
        return out;
    }

    /** The area asked about, which must lie inside the goal's area. */
    private Area areaWithin(Goal goal, String code, Set<DivisionLevel> allowed) {
        Area area = areas.resolve(code, "area_code", goal.area(), allowed);
        if (!goal.area().contains(area)) {
            throw ApiException.invalidArgument("area_code", code + " lies outside the goal's area "
                    + goal.areaCode() + " (" + goal.areaName() + ")");
        }
        return area;
    }

    public static long feedSequenceOf(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT sequence FROM feed_position WHERE id = 1");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
