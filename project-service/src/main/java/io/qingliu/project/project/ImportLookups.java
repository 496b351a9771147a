package io.qingliu.project.project;

import io.qingliu.project.division.Division;
import io.qingliu.project.division.DivisionDirectory;
import io.qingliu.project.facility.Facility;
import io.qingliu.project.support.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.FlushMode;
import org.hibernate.Session;

/**
 * What a chunk of an import refers to, and its ids, read in a short transaction of their own on
 * another connection: the import's own connection is busy meanwhile, writing the previous
 * chunk's rows ({@link ProjectImporter}), and these reads no longer wait for it, nor it for them.
 *
 * <p>Reading outside the import's transaction sees what it would see inside (read committed),
 * but for the facilities the import itself creates, which no entry can refer to (their ids are
 * given out by the import). The references are checked again where they count: the import's
 * COPY checks every foreign key, and locks what it refers to, in its own transaction. Ids come
 * from sequences, which no transaction takes back anyway.
 */
@ApplicationScoped
class ImportLookups {

    private final EntityManager em;
    private final DivisionDirectory divisions;
    private final Ids ids;

    ImportLookups(EntityManager em, DivisionDirectory divisions, Ids ids) {
        this.em = em;
        this.divisions = divisions;
        this.ids = ids;
    }

    /** The divisions and facilities found (detached: read, never changed), and ids for the chunk's new rows. */
    record Found(Map<String, Division> divisions, List<Facility> facilities, long[] facilityIds, long[] projectIds) {
    }

    /**
     * @param codes        well-formed division codes the chunk names
     * @param facilityIds  ids of existing facilities the chunk names
     * @param newFacilities how many facility ids to take (none when only checking)
     * @param projects     how many project ids to take (none when only checking)
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    Found find(Set<String> codes, Set<Long> facilityIds, int newFacilities, int projects) {
        // Only reads: nothing loaded here is kept by the session or checked for changes at commit
        // (a chunk loads thousands of divisions).
        Session session = em.unwrap(Session.class);
        session.setDefaultReadOnly(true);
        session.setHibernateFlushMode(FlushMode.MANUAL);
        Map<String, Division> byCode = divisions.readCommitted(codes);
        List<Facility> found = facilityIds.isEmpty() ? List.of()
                : em.createQuery("FROM Facility f WHERE f.id IN :ids", Facility.class).setParameter("ids", facilityIds)
                        .getResultList();
        return new Found(byCode, found, ids.next(Ids.FACILITY, newFacilities), ids.next(Ids.PROJECT, projects));
    }
}
