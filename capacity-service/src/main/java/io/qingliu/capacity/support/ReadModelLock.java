package io.qingliu.capacity.support;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Serializes the transactions that change the read model's derived tables: the feed applier and
 * the plan writes that (re)define coverage goals. Held until the transaction ends.
 */
@ApplicationScoped
public class ReadModelLock {

    /** An arbitrary constant key of {@code pg_advisory_xact_lock}, unique in this database. */
    private static final long KEY = 0x51_4C_43_41_50L; // "QLCAP"

    private final DataSource dataSource;

    ReadModelLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Takes the lock for the rest of the current transaction (call inside one). */
    public void acquire() {
        try (Connection c = dataSource.getConnection()) {
            acquire(c);
        } catch (SQLException e) {
            throw new IllegalStateException("could not lock the read model", e);
        }
    }

    /** Takes the lock on a connection of the current transaction. */
    public static void acquire(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            s.setLong(1, KEY);
            s.execute();
        }
    }
}
