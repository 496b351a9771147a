package io.qingliu.capacity.support;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs an answer's queries in one read-only REPEATABLE READ transaction: every figure of one
 * answer comes from the same state of the read model, even while the feed applies a batch.
 */
public final class Snapshot {

    /** Queries that make one answer. */
    @FunctionalInterface
    public interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    private Snapshot() {
    }

    public static <T> T read(DataSource dataSource, Read<T> read) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                // One statement rides with the BEGIN; setTransactionIsolation would cost a round trip
                // to set it and another to reset it, on every answer.
                try (var s = c.createStatement()) {
                    s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                }
                T result = read.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the read model", e);
        }
    }
}
