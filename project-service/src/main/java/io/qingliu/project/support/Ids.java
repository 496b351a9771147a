package io.qingliu.project.support;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.hibernate.Session;

/**
 * Allocates record ids from the database sequences, one or a block at a time. Plain JDBC on the
 * transaction's connection: a Hibernate query would first flush the session, checking every
 * entity it holds (an import holds thousands), and a sequence reads none of them.
 */
@ApplicationScoped
public class Ids {

    public static final String FACILITY = "facility_id_seq";
    public static final String PROJECT = "project_id_seq";

    private final EntityManager em;

    Ids(EntityManager em) {
        this.em = em;
    }

    public long next(String sequence) {
        return next(sequence, 1)[0];
    }

    public long[] next(String sequence, int count) {
        if (count == 0) {
            return new long[0];
        }
        return em.unwrap(Session.class).doReturningWork(c -> {
            long[] ids = new long[count];
            try (PreparedStatement s = c.prepareStatement("SELECT nextval(cast(? AS regclass)) FROM generate_series(1, ?)")) {
                s.setString(1, sequence);
                s.setInt(2, count);
                try (ResultSet rs = s.executeQuery()) {
                    for (int i = 0; i < count; i++) {
                        if (!rs.next()) {
                            throw new IllegalStateException("sequence " + sequence + " gave fewer than " + count + " values");
                        }
                        ids[i] = rs.getLong(1);
                    }
                }
            }
            return ids;
        });
    }
}
