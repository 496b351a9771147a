package io.qingliu.project.support;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/** Allocates record ids from the database sequences, one or a block at a time. */
@ApplicationScoped
public class Ids {

    public static final String FACILITY = "facility_id_seq";
    public static final String PROJECT = "project_id_seq";

    private final EntityManager em;

    Ids(EntityManager em) {
        this.em = em;
    }

    public long next(String sequence) {
        return ((Number) em.createNativeQuery("SELECT nextval(cast(?1 AS regclass))").setParameter(1, sequence)
                .getSingleResult()).longValue();
    }

    /**
     * Blocks of ids from several sequences in one round trip, on any connection, in a transaction
     * or not: sequences are not transactional, so ids taken outside the transaction that uses them
     * are just as unique (and just as lost if it rolls back).
     *
     * @return for each sequence, {@code counts[i]} new ids of {@code sequences[i]}
     */
    public static long[][] next(Connection connection, List<String> sequences, int[] counts) throws SQLException {
        int most = Arrays.stream(counts).max().orElse(0);
        long[][] ids = new long[sequences.size()][];
        for (int s = 0; s < ids.length; s++) {
            ids[s] = new long[counts[s]];
        }
        if (most == 0) {
            return ids;
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int s = 0; s < ids.length; s++) {
            sql.append(s == 0 ? "" : ", ").append("CASE WHEN i <= ? THEN nextval(cast(? AS regclass)) END");
        }
        sql.append(" FROM generate_series(1, ?) i");
        try (PreparedStatement st = connection.prepareStatement(sql.toString())) {
            int p = 1;
            for (int s = 0; s < ids.length; s++) {
                st.setInt(p++, counts[s]);
                st.setString(p++, sequences.get(s));
            }
            st.setInt(p, most);
            try (ResultSet rs = st.executeQuery()) {
                for (int i = 0; i < most; i++) {
                    rs.next();
                    for (int s = 0; s < ids.length; s++) {
                        if (i < counts[s]) {
                            ids[s][i] = rs.getLong(s + 1);
                        }
                    }
                }
            }
        }
        return ids;
    }
}
