package io.qingliu.project.division;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qingliu.project.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Division rows are permanent: facilities name their location and the units they serve by code,
 * with no foreign key behind them (migration V2), so the database itself refuses, whoever asks,
 * to delete a division or give it another code. Everything else about a division may change.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class DivisionPermanenceTest {

    /** SQLSTATE restrict_violation. */
    static final String RESTRICT_VIOLATION = "23001";

    @Inject
    DataSource dataSource;

    @Test
    void aDivisionCannotBeDeletedNorRecodedButItsOtherColumnsChange() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            String code = firstTownship(c);
            String name = name(c, code);

            SQLException deleted = assertThrows(SQLException.class,
                    () -> update(c, "DELETE FROM division WHERE code = ?", code));
            assertEquals(RESTRICT_VIOLATION, deleted.getSQLState(), deleted.getMessage());
            assertTrue(deleted.getMessage().contains(code), deleted.getMessage());

            SQLException recoded = assertThrows(SQLException.class,
                    () -> update(c, "UPDATE division SET code = '999999999999' WHERE code = ?", code));
            assertEquals(RESTRICT_VIOLATION, recoded.getSQLState(), recoded.getMessage());
            assertEquals(name, name(c, code), "the refused statements changed nothing");

            c.setAutoCommit(false);
            try {
                // Setting the code to itself is no change; the name (a re-import's rename) may change.
                assertEquals(1, update(c, "UPDATE division SET code = code, name = name || '（改）' WHERE code = ?", code));
                assertEquals(name + "（改）", name(c, code));
            } finally {
                c.rollback();
            }
        }
    }

    private static String firstTownship(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT code FROM division WHERE level = 'TOWNSHIP' AND retired_at IS NULL ORDER BY code LIMIT 1");
                ResultSet rs = s.executeQuery()) {
            assertTrue(rs.next(), "the shipped division list is loaded");
            return rs.getString(1);
        }
    }

    private static String name(Connection c, String code) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT name FROM division WHERE code = ?")) {
            s.setString(1, code);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "division " + code + " is there");
                return rs.getString(1);
            }
        }
    }

    private static int update(Connection c, String sql, String code) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, code);
            return s.executeUpdate();
        }
    }
}
