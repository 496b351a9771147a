package io.qingliu.capacity.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Rows of the division read model that the tests need, written with SQL as the feed consumer
 * would write them (level and kind are the proto numbers), and SQL reads for assertions. Real
 * codes and names of Ziyang City (512000000000).
 */
public final class ReadModelFixtures {

    public static final String SICHUAN = "510000000000";
    public static final String ZIYANG = "512000000000";
    /** A city outside Ziyang. */
    public static final String LESHAN = "511100000000";
    public static final String YANJIANG = "512002000000";
    public static final String ANYUE = "512021000000";
    /** Jianyang, a county of Ziyang until 2016: retired from the list. */
    public static final String JIANYANG_RETIRED = "512081000000";
    /** Towns (镇) of Yanjiang District, in the 沱江 basin. */
    public static final String YANJIANG_TOWN = "512002100000";
    public static final String SONGTAO_TOWN = "512002101000";
    /** A subdistrict (街道) of Yanjiang District. */
    public static final String LIANHUA_SUBDISTRICT = "512002001000";
    /** A town of Anyue County. */
    public static final String YUEYANG_TOWN = "512021100000";
    /** A villagers' committee of 雁江镇. */
    public static final String XIAOYAN_VILLAGE = "512002100201";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private ReadModelFixtures() {
    }

    /** Writes the divisions above (again: nothing changes when they are there). */
    public static void divisions(DataSource db) {
        division(db, SICHUAN, "四川省", 1, 1, "", "", "", "", false);
        division(db, ZIYANG, "资阳市", 2, 2, SICHUAN, "", "", "", false);
        division(db, LESHAN, "乐山市", 2, 2, SICHUAN, "", "", "", false);
        division(db, YANJIANG, "雁江区", 3, 3, ZIYANG, YANJIANG, "", "", false);
        division(db, ANYUE, "安岳县", 3, 3, ZIYANG, ANYUE, "", "", false);
        division(db, JIANYANG_RETIRED, "简阳市", 3, 3, ZIYANG, JIANYANG_RETIRED, "", "", true);
        division(db, YANJIANG_TOWN, "雁江镇", 4, 4, YANJIANG, YANJIANG, YANJIANG_TOWN, "沱江", false);
        division(db, SONGTAO_TOWN, "松涛镇", 4, 4, YANJIANG, YANJIANG, SONGTAO_TOWN, "沱江", false);
        division(db, LIANHUA_SUBDISTRICT, "莲花街道", 4, 6, YANJIANG, YANJIANG, LIANHUA_SUBDISTRICT, "沱江", false);
        division(db, YUEYANG_TOWN, "岳阳镇", 4, 4, ANYUE, ANYUE, YUEYANG_TOWN, "", false);
        division(db, XIAOYAN_VILLAGE, "小堰村村民委员会", 5, 8, YANJIANG_TOWN, YANJIANG, YANJIANG_TOWN, "沱江", false);
    }

    public static void division(DataSource db, String code, String name, int level, int kind, String parent,
            String county, String township, String basin, boolean retired) {
        update(db, """
                INSERT INTO division (code, name, level, kind, parent_code, county_code, township_code, basin, retired)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING""",
                code, name, (short) level, (short) kind, parent, county, township, basin, retired);
    }

    /** A suffix that makes codes and names unique within the run. */
    public static String unique() {
        return Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "-" + SEQUENCE.incrementAndGet();
    }

    public static int update(DataSource db, String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The rows of a query, each as the list of its columns. */
    public static List<List<Object>> rows(DataSource db, String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The single number a query answers, e.g. a count. */
    public static long number(DataSource db, String sql, Object... params) {
        return ((Number) rows(db, sql, params).get(0).get(0)).longValue();
    }
}
