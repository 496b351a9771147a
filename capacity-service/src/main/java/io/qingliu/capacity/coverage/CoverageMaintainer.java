package io.qingliu.capacity.coverage;

import io.qingliu.capacity.support.ReadModelLock;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Keeps the coverage of every goal's units and the per-township counts up to date. Each unit
 * holds the periods in which it was covered (a multirange of effective dates); every change of
 * those periods is also written as +1/-1 events per township and day, so that "covered on D" for
 * a whole country is a sum over the events up to D rather than a pass over every unit, and the
 * events of each county whose events changed are summed again into a running total per county
 * and day (covered on D in a county is then the last total on or before D: one index probe).
 *
 * <p>All methods run on a connection of the caller's transaction, which holds {@link ReadModelLock}.
 */
@ApplicationScoped
public class CoverageMaintainer {

    /**
     * Whether goal {@code g} counts division {@code d} (aliases g, d). The area test is written as
     * prefix equality so that a division finds its goals through the index on coverage_goal.
     */
    static final String COUNTS = """
            g.unit_level = d.level AND g.unit_kind = d.kind
             AND g.area_prefix = ANY (ARRAY['', left(d.code, 2), left(d.code, 4), left(d.code, 6)])
             AND NOT d.retired AND (g.basin = '' OR g.basin = d.basin)""";

    /**
     * The divisions of a batch ({@code ds}), each once per code prefix an area holding it may have
     * (none, 2, 4 or 6 digits), so that they meet their goals through an equi-join on level, kind
     * and prefix (a hash join) rather than being tested against every goal of their level: with
     * 680 goals, 4.7 s against 0.1 s for 5,000 villages.
     */
    static final String BATCH_DIVISIONS = """
            ds AS MATERIALIZED (
              SELECT d.code, d.level, d.kind, d.basin, d.retired, d.county_code,
                     CASE WHEN d.level = 4 THEN d.code ELSE d.township_code END AS township_code, area.prefix
                FROM division d
                CROSS JOIN LATERAL unnest(ARRAY['', left(d.code, 2), left(d.code, 4), left(d.code, 6)]) AS area(prefix)
               WHERE d.code = ANY(?))""";


    /**
     * The periods in which each unit of {@code target} is served by some facility (or chain) of its
     * goal's service: through its own code or its township's. Two equi-joins, not one join on
     * "code or township", so that PostgreSQL can hash them for a whole country as well as probe
     * the index for a few units.
     */
    private static final String SERVED = """
            served AS (
              SELECT gu.goal_id, gu.code, fs.periods
                FROM target t
                JOIN goal_unit gu ON gu.goal_id = t.goal_id AND gu.code = t.code
                JOIN coverage_goal g ON g.id = gu.goal_id
                JOIN facility_served_unit s ON s.division_code = gu.code
                JOIN facility_service fs ON fs.facility_id = s.facility_id AND fs.service_type = g.service_type
              UNION ALL
              SELECT gu.goal_id, gu.code, fs.periods
                FROM target t
                JOIN goal_unit gu ON gu.goal_id = t.goal_id AND gu.code = t.code AND gu.township_code <> gu.code
                JOIN coverage_goal g ON g.id = gu.goal_id
                JOIN facility_served_unit s ON s.division_code = gu.township_code
                JOIN facility_service fs ON fs.facility_id = s.facility_id AND fs.service_type = g.service_type)""";

    /**
     * Sets the covered periods of the units in {@code target} (first placeholder: a query yielding
     * goal_id and code of goal_unit rows) to what serves them now or to nothing (a unit leaving its
     * goal), and writes the difference as events. The units and what serves them meet in one GROUP
     * BY, not a join of the units to an aggregate: misestimated, that join ran the aggregate once
     * per unit (68 s for 11,000 villages).
     */
    private static final String RECOMPUTE = """
            WITH target AS (%s),
            %s,
            computed AS (
              SELECT gu.goal_id, gu.code, gu.township_code, gu.county_code, gu.covered AS old_cov,
                     %s AS new_cov
                FROM (SELECT goal_id, code, range_agg(periods) FILTER (WHERE periods IS NOT NULL) AS periods
                        FROM (SELECT goal_id, code, NULL::datemultirange AS periods FROM target
                              UNION ALL
                              SELECT goal_id, code, periods FROM served) x
                       GROUP BY goal_id, code) sp
                JOIN goal_unit gu ON gu.goal_id = sp.goal_id AND gu.code = sp.code),
            changed AS (SELECT * FROM computed WHERE old_cov <> new_cov),
            updated AS (
              UPDATE goal_unit gu SET covered = c.new_cov FROM changed c
               WHERE gu.goal_id = c.goal_id AND gu.code = c.code),
            events AS (
              SELECT goal_id, township_code, county_code, lower(r) AS day, -1 AS delta FROM changed, unnest(old_cov) r
              UNION ALL
              SELECT goal_id, township_code, county_code, upper(r), 1 FROM changed, unnest(old_cov) r WHERE NOT upper_inf(r)
              UNION ALL
              SELECT goal_id, township_code, county_code, lower(r), 1 FROM changed, unnest(new_cov) r
              UNION ALL
              SELECT goal_id, township_code, county_code, upper(r), -1 FROM changed, unnest(new_cov) r WHERE NOT upper_inf(r)),
            written AS (
              INSERT INTO coverage_delta AS cd (goal_id, township_code, day, county_code, delta)
              SELECT goal_id, township_code, day, min(county_code), sum(delta)
                FROM events GROUP BY goal_id, township_code, day HAVING sum(delta) <> 0
              ON CONFLICT (goal_id, township_code, day) DO UPDATE SET delta = cd.delta + EXCLUDED.delta
              RETURNING cd.goal_id, cd.county_code)
            SELECT DISTINCT goal_id, county_code FROM written""";

    /**
     * The running totals of the (goal, county) pairs given as two arrays, recounted from their day
     * events: a county's events are few (one per township and day), so recounting beats shifting
     * every later total by each event.
     */
    private static final String DROP_COUNTY_SERIES = """
            DELETE FROM coverage_county cc USING unnest(?::bigint[], ?::text[]) AS t(goal_id, county_code)
             WHERE cc.goal_id = t.goal_id AND cc.county_code = t.county_code""";

    private static final String FILL_COUNTY_SERIES = """
            INSERT INTO coverage_county (goal_id, county_code, day, covered)
            SELECT d.goal_id, d.county_code, d.day, sum(sum(d.delta)) OVER (PARTITION BY d.goal_id, d.county_code ORDER BY d.day)
              FROM unnest(?::bigint[], ?::text[]) AS t(goal_id, county_code)
              JOIN coverage_delta d ON d.goal_id = t.goal_id AND d.county_code = t.county_code
             GROUP BY d.goal_id, d.county_code, d.day""";

    /** The last running total of the same pairs, kept with their county totals. */
    private static final String NOTE_LAST_COUNTY_TOTALS = """
            UPDATE goal_county_total t SET covered_now = COALESCE(l.covered, 0), last_day = COALESCE(l.day, '-infinity')
              FROM unnest(?::bigint[], ?::text[]) AS p(goal_id, county_code)
              LEFT JOIN LATERAL (SELECT s.covered, s.day FROM coverage_county s
                                  WHERE s.goal_id = p.goal_id AND s.county_code = p.county_code
                                  ORDER BY s.day DESC LIMIT 1) l ON true
             WHERE t.goal_id = p.goal_id AND t.county_code = p.county_code""";

    /** RECOMPUTE of the units a query selects, to what serves them now. */
    private static String recomputeServed(String target) {
        return RECOMPUTE.formatted(target, SERVED, "COALESCE(sp.periods, '{}'::datemultirange)");
    }

    /** RECOMPUTE of the units a query selects, to nothing: they leave their goal. */
    private static String recomputeLeaving(String target) {
        return RECOMPUTE.formatted(target, "served AS (SELECT NULL::bigint AS goal_id, NULL::text AS code, "
                + "NULL::datemultirange AS periods WHERE false)", "'{}'::datemultirange");
    }

    /** Goals with more units than this get fresh planner statistics once derived. */
    private static final int LARGE_GOAL = 50_000;

    private final DataSource dataSource;

    CoverageMaintainer(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Fills a goal just inserted (or redefined) in the current transaction: the units it counts,
     * their coverage and the per-township and per-county totals. Call after writing its
     * {@code coverage_goal} row.
     */
    public void goalDefined(long goalId) {
        try (Connection c = dataSource.getConnection()) {
            ReadModelLock.acquire(c);
            derive(c, goalId, areaPrefix(c, goalId));
        } catch (SQLException e) {
            throw new IllegalStateException("could not compute the coverage of goal " + goalId, e);
        }
    }

    /**
     * Derives every goal's units, totals, events and running totals again from the mirror and the
     * facilities' service periods, set-based over all goals at once: after a catch-up that wrote
     * only the mirror.
     */
    public void recomputeAll(Connection c) throws SQLException {
        derive(c, null, "");
    }

    /**
     * Derives the rows of one goal ({@code goalId}, its units' codes beginning with {@code prefix}),
     * or of all ({@code null}, prefix empty). Each unit is written once with its covered periods
     * (what serves its code or its township's), and the events are read off the units. Rows are
     * deleted, not truncated, so that answers read the old rows until the transaction commits.
     */
    private static void derive(Connection c, Long goalId, String prefix) throws SQLException {
        // Whole-area joins and aggregates: hashed in memory rather than spilled, not worth compiling.
        // Row estimates of joins between goals and divisions are poor (one goal counts ~500,000
        // units, another 30): a merge or nested-loop join chosen on them ran for a minute.
        update(c, "SET LOCAL work_mem = '256MB'");
        update(c, "SET LOCAL jit = off");
        update(c, "SET LOCAL enable_mergejoin = off");
        update(c, "SET LOCAL enable_nestloop = off");
        // goalId is a number: written into the statements, it needs no parameter of its own.
        String where = goalId == null ? "" : " WHERE goal_id = " + goalId;
        String and = goalId == null ? "" : " AND goal_id = " + goalId;
        for (String table : new String[] {"coverage_county", "goal_county_total", "coverage_delta", "goal_township_total",
                "goal_unit"}) {
            update(c, "DELETE FROM " + table + where);
        }
        // ds is materialized so that it meets the goals in a hash join on level, kind and prefix; inlined,
        // the planner probed the goals' index once per division (148 s against 3 s nationally).
        int units = update(c, """
                WITH ds AS MATERIALIZED (
                  SELECT d.code, d.level, d.kind, d.basin, d.county_code,
                         CASE WHEN d.level = 4 THEN d.code ELSE d.township_code END AS township_code, area.prefix
                    FROM division d
                    CROSS JOIN LATERAL unnest(ARRAY['', left(d.code, 2), left(d.code, 4), left(d.code, 6)]) AS area(prefix)
                   WHERE NOT d.retired AND d.code >= ? AND d.code < ?),
                served AS (
                  SELECT s.division_code AS code, fs.service_type, range_agg(fs.periods) AS periods
                    FROM facility_served_unit s JOIN facility_service fs ON fs.facility_id = s.facility_id
                   WHERE s.division_code >= ? AND s.division_code < ?
                   GROUP BY s.division_code, fs.service_type)
                INSERT INTO goal_unit (goal_id, code, county_code, township_code, covered)
                SELECT g.id, ds.code, ds.county_code, ds.township_code,
                       COALESCE(own.periods, '{}'::datemultirange) + COALESCE(town.periods, '{}'::datemultirange)
                  FROM ds JOIN coverage_goal g ON g.unit_level = ds.level AND g.unit_kind = ds.kind AND g.area_prefix = ds.prefix
                  LEFT JOIN served own ON own.code = ds.code AND own.service_type = g.service_type
                  LEFT JOIN served town ON town.code = ds.township_code AND town.service_type = g.service_type
                                       AND ds.township_code <> ds.code
                 WHERE (g.basin = '' OR g.basin = ds.basin)""" + (goalId == null ? "" : " AND g.id = " + goalId),
                prefix, prefix + "~", prefix, prefix + "~");
        update(c, """
                INSERT INTO goal_township_total (goal_id, township_code, county_code, total)
                SELECT goal_id, township_code, min(county_code), count(*) FROM goal_unit%s
                 GROUP BY goal_id, township_code""".formatted(where));
        update(c, """
                INSERT INTO goal_county_total (goal_id, county_code, name, total)
                SELECT t.goal_id, t.county_code, COALESCE(min(d.name), ''), sum(t.total)
                  FROM goal_township_total t LEFT JOIN division d ON d.code = t.county_code%s
                 GROUP BY t.goal_id, t.county_code""".formatted(goalId == null ? "" : " WHERE t.goal_id = " + goalId));
        update(c, """
                INSERT INTO coverage_delta (goal_id, township_code, day, county_code, delta)
                SELECT goal_id, township_code, day, min(county_code), sum(delta)
                  FROM (SELECT goal_id, township_code, county_code, lower(r) AS day, 1 AS delta
                          FROM goal_unit, unnest(covered) r%s
                        UNION ALL
                        SELECT goal_id, township_code, county_code, upper(r), -1
                          FROM goal_unit, unnest(covered) r WHERE NOT upper_inf(r)%s) e
                 GROUP BY goal_id, township_code, day HAVING sum(delta) <> 0""".formatted(where, and));
        update(c, """
                INSERT INTO coverage_county (goal_id, county_code, day, covered)
                SELECT goal_id, county_code, day, sum(sum(delta)) OVER (PARTITION BY goal_id, county_code ORDER BY day)
                  FROM coverage_delta%s GROUP BY goal_id, county_code, day""".formatted(where));
        update(c, """
                UPDATE goal_county_total t SET covered_now = l.covered, last_day = l.day
                  FROM (SELECT DISTINCT ON (goal_id, county_code) goal_id, county_code, day, covered FROM coverage_county%s
                         ORDER BY goal_id, county_code, day DESC) l
                 WHERE l.goal_id = t.goal_id AND l.county_code = t.county_code""".formatted(where));
        if (goalId == null || units > LARGE_GOAL) {
            // Later batches recompute units a few at a time: plan them on statistics that count these rows.
            update(c, "ANALYZE goal_unit, goal_township_total, coverage_delta, goal_county_total, coverage_county");
        }
    }

    /**
     * After divisions changed: adds the units that now count to every goal, removes those that no
     * longer do (retired, moved out of a basin), and fixes the township totals.
     */
    public void divisionsChanged(Connection c, Collection<String> codes) throws SQLException {
        if (codes.isEmpty()) {
            return;
        }
        Array array = c.createArrayOf("text", codes.toArray());
        // Units leaving a goal first give back their covered periods, then go.
        recompute(c, recomputeLeaving("""
                SELECT gu.goal_id, gu.code FROM goal_unit gu
                  JOIN coverage_goal g ON g.id = gu.goal_id
                  JOIN division d ON d.code = gu.code
                 WHERE gu.code = ANY(?) AND NOT (%s)""".formatted(COUNTS)), array);
        update(c, """
                DELETE FROM goal_unit gu USING coverage_goal g, division d
                 WHERE gu.code = ANY(?) AND g.id = gu.goal_id AND d.code = gu.code AND NOT (%s)""".formatted(COUNTS),
                array);
        update(c, """
                WITH %s
                INSERT INTO goal_unit (goal_id, code, county_code, township_code)
                SELECT g.id, ds.code, ds.county_code, ds.township_code
                  FROM ds JOIN coverage_goal g ON g.unit_level = ds.level AND g.unit_kind = ds.kind AND g.area_prefix = ds.prefix
                 WHERE NOT ds.retired AND (g.basin = '' OR g.basin = ds.basin)
                ON CONFLICT DO NOTHING""".formatted(BATCH_DIVISIONS), array);
        update(c, """
                WITH %s,
                touched AS (
                  SELECT DISTINCT g.id AS goal_id, ds.township_code
                    FROM ds JOIN coverage_goal g ON g.unit_level = ds.level AND g.area_prefix = ds.prefix),
                counted AS (
                  SELECT t.goal_id, t.township_code,
                         (SELECT count(*) FROM goal_unit gu WHERE gu.goal_id = t.goal_id AND gu.township_code = t.township_code) AS total,
                         (SELECT min(county_code) FROM goal_unit gu WHERE gu.goal_id = t.goal_id AND gu.township_code = t.township_code) AS county_code
                    FROM touched t),
                gone AS (
                  DELETE FROM goal_township_total gt USING counted c
                   WHERE gt.goal_id = c.goal_id AND gt.township_code = c.township_code AND c.total = 0)
                INSERT INTO goal_township_total AS gt (goal_id, township_code, county_code, total)
                SELECT goal_id, township_code, county_code, total FROM counted WHERE total > 0
                ON CONFLICT (goal_id, township_code) DO UPDATE SET total = EXCLUDED.total""".formatted(BATCH_DIVISIONS), array);
        // Then the county totals of the same goals and counties, from their township totals.
        update(c, """
                WITH %s,
                touched AS (
                  SELECT DISTINCT g.id AS goal_id, ds.county_code
                    FROM ds JOIN coverage_goal g ON g.unit_level = ds.level AND g.area_prefix = ds.prefix),
                counted AS (
                  SELECT t.goal_id, t.county_code,
                         (SELECT sum(total) FROM goal_township_total gt
                           WHERE gt.goal_id = t.goal_id AND gt.county_code = t.county_code) AS total
                    FROM touched t),
                gone AS (
                  DELETE FROM goal_county_total gc USING counted c
                   WHERE gc.goal_id = c.goal_id AND gc.county_code = c.county_code AND c.total IS NULL)
                INSERT INTO goal_county_total AS gc (goal_id, county_code, name, total)
                SELECT n.goal_id, n.county_code, COALESCE((SELECT d.name FROM division d WHERE d.code = n.county_code), ''),
                       n.total
                  FROM counted n WHERE n.total IS NOT NULL
                ON CONFLICT (goal_id, county_code) DO UPDATE SET total = EXCLUDED.total, name = EXCLUDED.name""".formatted(BATCH_DIVISIONS), array);
        // Counties renamed in the batch.
        update(c, """
                UPDATE goal_county_total gc SET name = d.name FROM division d
                 WHERE d.code = ANY(?) AND gc.county_code = d.code AND gc.name <> d.name""", array);
    }

    /**
     * Recomputes the coverage of the units listed and of every unit inside the townships listed
     * (a facility serving a township serves its villages), in every goal.
     */
    public void unitsChanged(Connection c, DirtyUnits units) throws SQLException {
        for (Map.Entry<Integer, Set<String>> e : units.byService().entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            Array array = c.createArrayOf("text", e.getValue().toArray());
            // Only township-level codes (…000 at the end) have villages to recompute with them.
            Array townships = c.createArrayOf("text", e.getValue().stream().filter(code -> code.endsWith("000")).toArray());
            String goals = e.getKey() == DirtyUnits.EVERY_SERVICE ? "SELECT id FROM coverage_goal"
                    : "SELECT id FROM coverage_goal WHERE service_type = " + e.getKey();
            recompute(c, recomputeServed("""
                    SELECT goal_id, code FROM goal_unit WHERE code = ANY(?) AND goal_id IN (%1$s)
                    UNION
                    SELECT goal_id, code FROM goal_unit WHERE township_code = ANY(?) AND goal_id IN (%1$s)"""
                    .formatted(goals)), array, townships);
        }
    }

    /**
     * Runs a RECOMPUTE statement, then recounts the running totals of the (goal, county) pairs whose
     * day events it changed.
     */
    private static void recompute(Connection c, String sql, Object... params) throws SQLException {
        List<Long> goalIds = new ArrayList<>();
        List<String> counties = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    goalIds.add(rs.getLong(1));
                    counties.add(rs.getString(2));
                }
            }
        }
        if (goalIds.isEmpty()) {
            return;
        }
        Array goalArray = c.createArrayOf("bigint", goalIds.toArray());
        Array countyArray = c.createArrayOf("text", counties.toArray());
        update(c, DROP_COUNTY_SERIES, goalArray, countyArray);
        update(c, FILL_COUNTY_SERIES, goalArray, countyArray);
        update(c, NOTE_LAST_COUNTY_TOTALS, goalArray, countyArray);
    }

    private static String areaPrefix(Connection c, long goalId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT area_prefix FROM coverage_goal WHERE id = ?")) {
            s.setLong(1, goalId);
            try (var rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no coverage goal " + goalId);
                }
                return rs.getString(1);
            }
        }
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate();
        }
    }
}
