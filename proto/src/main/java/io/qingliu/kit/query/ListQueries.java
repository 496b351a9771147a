package io.qingliu.kit.query;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.List;

/** Runs a {@link ListQuery} as a native query mapped to an entity. */
public final class ListQueries {

    private ListQueries() {
    }

    /** The rows of the query (at most page size + 1), as entities of {@code type}. */
    @SuppressWarnings("unchecked")
    public static <T> List<T> fetch(EntityManager em, ListQuery query, Class<T> type) {
        Query q = em.createNativeQuery(query.sql(), type);
        List<Object> params = query.parameters();
        for (int i = 0; i < params.size(); i++) {
            q.setParameter(i + 1, params.get(i));
        }
        return q.getResultList();
    }
}
