package io.qingliu.kit.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** What the service's transactions hold, seen from the test's own connection to its database. */
public final class TableLocks {

    /** A connection to the service's database. */
    @FunctionalInterface
    public interface Database {
        Connection connect() throws SQLException;
    }

    private TableLocks() {
    }

    /**
     * Waits until exactly {@code count} transactions hold a write lock (ROW EXCLUSIVE) on
     * {@code table}: an import's transaction takes one with its first rows and keeps it until it ends.
     */
    public static void awaitWriters(Database database, String table, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int writing;
        do {
            try (Connection c = database.connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE relation = '" + table
                            + "'::regclass AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid()")) {
                rs.next();
                writing = rs.getInt(1);
            }
            if (writing == count) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(writing + " transactions write the " + table + " table, not " + count);
    }
}
