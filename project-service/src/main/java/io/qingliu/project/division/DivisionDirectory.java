package io.qingliu.project.division;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/** Looks divisions up for the other features: one query for any number of codes. */
@ApplicationScoped
public class DivisionDirectory {

    private final EntityManager em;

    DivisionDirectory(EntityManager em) {
        this.em = em;
    }

    public Division find(String code) {
        return code == null ? null : em.find(Division.class, code);
    }

    public Map<String, Division> findAll(Collection<String> codes) {
        Map<String, Division> found = new HashMap<>();
        if (codes.isEmpty()) {
            return found;
        }
        List<String> list = List.copyOf(codes);
        for (int i = 0; i < list.size(); i += 10_000) {
            List<Division> rows = em.createQuery("FROM Division d WHERE d.code IN :codes", Division.class)
                    .setParameter("codes", list.subList(i, Math.min(list.size(), i + 10_000))).getResultList();
            for (Division d : rows) {
                found.put(d.code, d);
            }
        }
        return found;
    }

    /**
     * The divisions of {@code codes} that exist, as copies outside the session (never to be
     * changed or saved), read by one query with the codes as one array. For the imports, which
     * read ~2,000 a chunk: through Hibernate, an IN list of that many parameters was translated
     * anew for every chunk and each row became a managed entity, a fifth of the import thread's
     * CPU in a profile. Reads what is committed: a change of this transaction not yet flushed is
     * not seen ({@link #findAll} sees it).
     */
    public Map<String, Division> readCommitted(Collection<String> codes) {
        Map<String, Division> found = new HashMap<>();
        if (codes.isEmpty()) {
            return found;
        }
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT code, name, level, kind, parent_code, county_code, township_code, basin, retired_at,
                           updated_at, version
                    FROM division WHERE code = ANY (?)""")) {
                select.setArray(1, connection.createArrayOf("varchar", codes.toArray()));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        Division d = fromRow(rows);
                        found.put(d.code, d);
                    }
                }
            }
            return found;
        });
    }

    /**
     * A division from the first eleven columns of a row (code, name, level, kind, parent_code,
     * county_code, township_code, basin, retired_at, updated_at, version): a copy outside the session.
     */
    static Division fromRow(ResultSet rows) throws SQLException {
        Division d = new Division();
        d.code = rows.getString(1);
        d.name = rows.getString(2);
        d.level = DivisionLevel.valueOf(rows.getString(3));
        d.kind = DivisionKind.valueOf(rows.getString(4));
        d.parentCode = rows.getString(5);
        d.countyCode = rows.getString(6);
        d.townshipCode = rows.getString(7);
        d.basin = rows.getString(8);
        Timestamp retired = rows.getTimestamp(9);
        d.retiredAt = retired == null ? null : retired.toInstant();
        d.updatedAt = rows.getTimestamp(10).toInstant();
        d.version = rows.getLong(11);
        return d;
    }

    /** The basin that applies to a division: its own, else its township's. */
    public String effectiveBasin(Division d) {
        if (d.basin != null || d.townshipCode == null || d.townshipCode.equals(d.code)) {
            return d.basin;
        }
        Division township = em.find(Division.class, d.townshipCode);
        return township == null ? null : township.basin;
    }

    /** Whether a code has the form of an official 12-digit code. */
    public static boolean isWellFormed(String code) {
        return code != null && code.length() == 12 && code.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
