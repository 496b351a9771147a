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
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                T result = read.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setReadOnly(false);
                c.setTransactionIsolation(isolation);
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the read model", e);
        }
    }
}
