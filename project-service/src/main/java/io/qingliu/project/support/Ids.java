package io.qingliu.project.support;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
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

    public long[] next(String sequence, int count) {
        if (count == 0) {
            return new long[0];
        }
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("SELECT nextval(cast(?1 AS regclass)) FROM generate_series(1, ?2)")
                .setParameter(1, sequence).setParameter(2, count).getResultList();
        return ids.stream().mapToLong(Number::longValue).toArray();
    }
}
