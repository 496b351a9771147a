package io.qingliu.capacity.coverage;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Derives when each facility serves its units: a sewage plant while it is in operation; a garbage
 * collection point while it, its transfer station and that station's disposal site are all in
 * operation (the whole chain). A change to a station or a site therefore changes the service of
 * every collection point upstream of it.
 */
public final class ServicePeriods {

    /** Operation of facility {@code f} as a multirange (empty before it entered operation). */
    private static final String OPERATION = """
            CASE WHEN %1$s.operation_date IS NOT NULL AND %1$s.state IN (3, 4)
                 THEN datemultirange(daterange(%1$s.operation_date,
                        CASE WHEN %1$s.state = 4 THEN greatest(%1$s.out_of_service_date, %1$s.operation_date) END))
                 ELSE '{}'::datemultirange END""";

    /**
     * The service of each facility {@code f} that serves units (plants, collection points), with
     * {@code ts} and {@code ds} its transfer station and disposal site; {@code %s} filters f.
     */
    private static final String COMPUTED = """
            SELECT f.id,
                   CASE f.type WHEN 1 THEN 1 ELSE 2 END AS service_type,
                   CASE f.type
                     WHEN 1 THEN %1$s
                     ELSE (%1$s) * COALESCE(%2$s, '{}') * COALESCE(%3$s, '{}')
                   END AS periods
              FROM facility f
              LEFT JOIN facility ts ON ts.id = f.downstream_id AND ts.type = 4
              LEFT JOIN facility ds ON ds.id = ts.downstream_id AND ds.type = 5
             WHERE f.type IN (1, 3) AND %4$s"""
            .formatted(OPERATION.formatted("f"), OPERATION.formatted("ts"), OPERATION.formatted("ds"), "%s");

    private ServicePeriods() {
    }

    /** Derives the service of every facility again, into an emptied facility_service. */
    public static void recomputeAll(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO facility_service (facility_id, service_type, periods) "
                + COMPUTED.formatted("true"))) {
            s.executeUpdate();
        }
    }

    /**
     * Recomputes the service of the facilities given and of the collection points upstream of them;
     * returns the units served by every facility whose service changed.
     */
    public static void recompute(Connection c, Collection<Long> facilityIds, DirtyUnits units) throws SQLException {
        if (facilityIds.isEmpty()) {
            return;
        }
        Array ids = c.createArrayOf("bigint", facilityIds.toArray());
        String sql = """
                WITH affected AS (
                  SELECT id FROM facility WHERE id = ANY(?1)
                  UNION SELECT id FROM facility WHERE downstream_id = ANY(?1)
                  UNION SELECT up.id FROM facility up JOIN facility mid ON up.downstream_id = mid.id
                         WHERE mid.downstream_id = ANY(?1)),
                computed AS (%s),
                gone AS (
                  DELETE FROM facility_service fs USING affected a
                   WHERE fs.facility_id = a.id AND NOT EXISTS (SELECT 1 FROM computed x WHERE x.id = a.id)
                  RETURNING fs.facility_id, fs.service_type),
                upserted AS (
                  INSERT INTO facility_service AS fs (facility_id, service_type, periods)
                  SELECT id, service_type, periods FROM computed
                  ON CONFLICT (facility_id) DO UPDATE SET service_type = EXCLUDED.service_type, periods = EXCLUDED.periods
                   WHERE fs.periods IS DISTINCT FROM EXCLUDED.periods OR fs.service_type <> EXCLUDED.service_type
                  RETURNING fs.facility_id, fs.service_type)
                SELECT DISTINCT s.division_code, x.service_type
                  FROM facility_served_unit s
                  JOIN (SELECT facility_id, service_type FROM gone UNION ALL SELECT facility_id, service_type FROM upserted) x
                    ON x.facility_id = s.facility_id"""
                .formatted(COMPUTED.formatted("f.id IN (SELECT id FROM affected)"))
                .replace("?1", "?");
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, ids);
            s.setArray(2, ids);
            s.setArray(3, ids);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    units.addForService(rs.getShort(2), rs.getString(1));
                }
            }
        }
    }
}
