package io.qingliu.capacity.coverage;

import io.qingliu.api.capacity.v1.CoverageBreakdown;
import io.qingliu.api.capacity.v1.CoverageEvidence;
import io.qingliu.api.capacity.v1.CoverageFigures;
import io.qingliu.api.capacity.v1.CoveringFacility;
import io.qingliu.api.capacity.v1.GetCoverageEvidenceRequest;
import io.qingliu.api.capacity.v1.GoalUnit;
import io.qingliu.api.capacity.v1.GoalUnitStatus;
import io.qingliu.api.capacity.v1.ListGoalUnitsRequest;
import io.qingliu.api.capacity.v1.ListGoalUnitsResponse;
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
import io.qingliu.capacity.support.NumberedSql;
import io.qingliu.capacity.support.Snapshot;
import io.qingliu.kit.grpc.ApiException;
import io.qingliu.kit.query.FilterField;
import io.qingliu.kit.query.FilterSpec;
import io.qingliu.kit.query.Keyset;
import io.qingliu.kit.query.PageSize;
import io.qingliu.kit.query.PageToken;
import io.qingliu.kit.query.QueryException;
import io.qingliu.kit.query.SqlCondition;
import io.qingliu.kit.query.ValueConverter;
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

/** Coverage answers: summaries, the units still uncovered, every unit with its status, and the evidence for one unit. */
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
        // One statement is one snapshot: the feed position, the counties and the townships agree
        // without a transaction around them, at one round trip.
        String sql = FEED_PART + " UNION ALL " + COUNTY_PART + (townships ? " UNION ALL " + TOWNSHIP_PART : "")
                + " ORDER BY 1, 2";
        SummarizeCoverageResponse.Builder out = SummarizeCoverageResponse.newBuilder().setGoal(goal.name())
                .setAsOfDate(AsOfDates.toProto(date));
        long covered = 0;
        long total = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = NumberedSql.prepare(c, sql, goal.id(), date, area.low(), area.high());
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                switch (rs.getInt(1)) {
                    case 0 -> out.setFeedSequence(rs.getLong(4));
                    case 1 -> {
                        out.addCounties(figure(rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
                        covered += rs.getLong(4);
                        total += rs.getLong(5);
                    }
                    default -> out.addTownships(figure(rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the coverage of " + goal.name(), e);
        }
        return out.setTotals(figure(area.code(), area.name(), covered, total)).build();
    }

    private static final String FEED_PART = "SELECT 0 AS part, ''::text COLLATE \"C\" AS code, '' AS name, "
            + "derived_sequence AS covered, 0::bigint AS total FROM feed_position WHERE id = 1";

    /**
     * Per county (parameters: ?1 goal row id, ?2 date, ?3 and ?4 the area's code range): the total
     * counted and its name, and the running total of its last day on or before the date (kept with the
     * total when the date is past the county's last change). A county's code begins with its area's
     * prefix, like its townships' codes.
     */
    private static final String COUNTY_PART = """
            SELECT 1, t.county_code, t.name,
                   CASE WHEN t.last_day <= ?2 THEN t.covered_now
                        ELSE COALESCE((SELECT s.covered FROM coverage_county s
                                        WHERE s.goal_id = t.goal_id AND s.county_code = t.county_code AND s.day <= ?2
                                        ORDER BY s.day DESC LIMIT 1), 0) END::bigint,
                   t.total::bigint
              FROM goal_county_total t WHERE t.goal_id = ?1 AND t.county_code >= ?3 AND t.county_code < ?4""";

    /** Per township of the area: its total, and the sum of its day events up to the date. */
    private static final String TOWNSHIP_PART = """
            SELECT 2, t.township_code, COALESCE((SELECT d.name FROM division d WHERE d.code = t.township_code), ''),
                   COALESCE((SELECT sum(e.delta) FROM coverage_delta e
                              WHERE e.goal_id = t.goal_id AND e.township_code = t.township_code AND e.day <= ?2), 0)::bigint,
                   t.total::bigint
              FROM goal_township_total t WHERE t.goal_id = ?1 AND t.township_code >= ?3 AND t.township_code < ?4""";

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
            out.setTotalSize(uncoveredCount(c, goal, area, date));
            return out.build();
        });
    }

    /** Largest ListGoalUnits page: an export of a national goal (456,459 villages) in 46 calls of ~1 MB. */
    public static final int MAX_UNITS_PAGE = 10_000;

    /** ListGoalUnits' filter: one field, the status on the date, compared in {@link #statusesMatching}. */
    private static final FilterSpec UNIT_FILTER = FilterSpec.of(FilterField.of("covered", "u.covered_on",
            ValueConverter.bool()));

    /**
     * A page of units with their status (parameters: ?1 goal row id, ?2 date, ?3 and ?4 the area's code range,
     * ?5 the last code of the previous page, ?6 the limit): the covered period containing the date gives the since.
     * The division side repeats the range: PostgreSQL does not carry inequalities across the join, and a merge join
     * would otherwise read the division index from its first code on every page (late pages of a national goal
     * read ~650,000 entries to return 10,000).
     */
    private static final String UNITS_PAGE = """
            SELECT gu.code, d.name, d.kind, gu.county_code, gu.township_code, d.basin,
                   gu.covered @> ?2::date, (SELECT lower(r) FROM unnest(gu.covered) r WHERE r @> ?2::date)
              FROM goal_unit gu JOIN division d ON d.code = gu.code
             WHERE gu.goal_id = ?1 AND gu.code >= ?3 AND gu.code < ?4 AND gu.code > ?5/*status*/
               AND d.code >= ?3 AND d.code < ?4 AND d.code > ?5
             ORDER BY gu.code LIMIT ?6""";

    /** Every unit of a goal with its status on a date (covered, and since when), by code, a page at a time. */
    public ListGoalUnitsResponse listUnits(ListGoalUnitsRequest request) {
        Goal goal = goals.byName(request.getGoal(), "goal");
        Area area = areaWithin(goal, request.getAreaCode(), Set.of(DivisionLevel.DIVISION_LEVEL_CITY,
                DivisionLevel.DIVISION_LEVEL_COUNTY, DivisionLevel.DIVISION_LEVEL_TOWNSHIP));
        LocalDate date = dates.resolve(request.hasAsOfDate(), request.getAsOfDate(), "as_of_date");
        int requested = request.getPageSize();
        if (requested < 0 || requested > MAX_UNITS_PAGE) {
            throw new QueryException(QueryException.PAGE_SIZE, "page_size must be between 0 and " + MAX_UNITS_PAGE
                    + " (0 means " + PageSize.DEFAULT + "), got " + requested);
        }
        int pageSize = requested == 0 ? PageSize.DEFAULT : requested;
        SqlCondition filter = UNIT_FILTER.compile(request.getFilter());
        // The token is bound to everything that shapes the listing: area, date and filter.
        String listing = area.code() + "@" + date + "?" + request.getFilter();
        String namespace = goal.name() + "/units";
        String after = PageToken.decode(request.getPageToken(), namespace, listing, "code")
                .map(k -> (String) k.sortValue()).orElse("");
        return Snapshot.read(dataSource, c -> {
            ListGoalUnitsResponse.Builder out = ListGoalUnitsResponse.newBuilder().setAsOfDate(AsOfDates.toProto(date))
                    .setFeedSequence(feedSequenceOf(c));
            boolean[] matching = statusesMatching(c, filter);
            if (!matching[0] && !matching[1]) {
                return out.build(); // e.g. covered = true AND covered = false
            }
            String status = matching[0] && matching[1] ? "" : matching[1] ? " AND gu.covered @> ?2::date"
                    : " AND NOT gu.covered @> ?2::date";
            try (PreparedStatement s = NumberedSql.prepare(c, UNITS_PAGE.replace("/*status*/", status), goal.id(), date,
                    area.low(), area.high(), after, pageSize + 1);
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (out.getUnitsCount() == pageSize) {
                        String last = out.getUnits(pageSize - 1).getUnit().getCode();
                        out.setNextPageToken(PageToken.encode(new Keyset(last, 0), namespace, listing, "code"));
                        break;
                    }
                    GoalUnitStatus.Builder u = GoalUnitStatus.newBuilder().setUnit(unit(rs)).setCovered(rs.getBoolean(7));
                    LocalDate since = rs.getObject(8, LocalDate.class);
                    if (since != null) {
                        u.setCoveredSince(AsOfDates.toProto(since));
                    }
                    out.addUnits(u);
                }
            }
            long[] counts = counts(c, goal, area, date);
            return out.setTotalSize((int) ((matching[0] ? counts[1] - counts[0] : 0) + (matching[1] ? counts[0] : 0)))
                    .build();
        });
    }

    /**
     * Which statuses the filter lets through, {uncovered, covered}: the compiled condition is asked of
     * both values, so that any comparison the kit's filter grammar allows on the one field means what it says.
     */
    private static boolean[] statusesMatching(Connection c, SqlCondition filter) throws SQLException {
        if (filter.isEmpty()) {
            return new boolean[] {true, true};
        }
        boolean[] out = new boolean[2];
        try (PreparedStatement s = c.prepareStatement("SELECT u.covered_on FROM (VALUES (false), (true)) u(covered_on) WHERE "
                + filter.sql())) {
            for (int i = 0; i < filter.parameters().size(); i++) {
                s.setObject(i + 1, filter.parameters().get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out[rs.getBoolean(1) ? 1 : 0] = true;
                }
            }
        }
        return out;
    }

    /** Units of the area not covered on the date. */
    private static int uncoveredCount(Connection c, Goal goal, Area area, LocalDate date) throws SQLException {
        long[] counts = counts(c, goal, area, date);
        return (int) (counts[1] - counts[0]);
    }

    /** {covered, total} units of the area on the date: from the counties' running totals, or a township's events. */
    private static long[] counts(Connection c, Goal goal, Area area, LocalDate date) throws SQLException {
        String part = area.level() == DivisionLevel.DIVISION_LEVEL_TOWNSHIP ? TOWNSHIP_PART : COUNTY_PART;
        try (PreparedStatement s = NumberedSql.prepare(c, "SELECT COALESCE(sum(covered), 0), COALESCE(sum(total), 0) FROM ("
                + part + ") p(part, code, name, covered, total)", goal.id(), date, area.low(), area.high());
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
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

    /** The last change of the feed that the derived tables, and so the answers, reflect. */
    public static long feedSequenceOf(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT derived_sequence FROM feed_position WHERE id = 1");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
