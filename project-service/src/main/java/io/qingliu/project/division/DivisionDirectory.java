package io.qingliu.project.division;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
