package io.qingliu.project.division;

import io.qingliu.api.project.v1.AuditAction;
import io.qingliu.api.project.v1.ChangeType;
import io.qingliu.api.project.v1.ListDivisionsRequest;
import io.qingliu.api.project.v1.ListDivisionsResponse;
import io.qingliu.api.project.v1.UpdateDivisionRequest;
import io.qingliu.project.feed.ChangeLog;
import io.qingliu.kit.grpc.ApiException;
import io.qingliu.kit.grpc.Violations;
import io.qingliu.kit.query.FilterField;
import io.qingliu.kit.query.FilterSpec;
import io.qingliu.kit.query.Keyset;
import io.qingliu.kit.query.ListQueries;
import io.qingliu.kit.query.ListQuery;
import io.qingliu.kit.query.OrderSpec;
import io.qingliu.kit.query.Page;
import io.qingliu.kit.query.SortField;
import io.qingliu.kit.query.ValueConverter;
import io.qingliu.kit.support.Clock;
import io.qingliu.kit.support.EnumMapping;
import io.qingliu.kit.support.Etags;
import io.qingliu.kit.support.Fields;
import io.qingliu.kit.support.Masks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Divisions: reads, and the basin that planning staff assign. Imports are {@link DivisionImporter}'s. */
@ApplicationScoped
public class DivisionService {

    private static final String EFFECTIVE_BASIN =
            "coalesce(d.basin, (SELECT t.basin FROM division t WHERE t.code = d.township_code))";

    static final FilterSpec FILTERS = FilterSpec.of(
            FilterField.of("parent", "d.parent_code", ValueConverter.resourceName("divisions", ValueConverter.divisionCode())),
            FilterField.of("level", "d.level",
                    ValueConverter.enumValues(EnumMapping.filterValues(io.qingliu.api.common.v1.DivisionLevel.class, DivisionLevel.class))),
            FilterField.of("kind", "d.kind",
                    ValueConverter.enumValues(EnumMapping.filterValues(io.qingliu.api.common.v1.DivisionKind.class, DivisionKind.class))),
            FilterField.nullable("county", "d.county_code", ValueConverter.divisionCode()),
            FilterField.nullable("township", "d.township_code", ValueConverter.divisionCode()),
            FilterField.nullable("basin", EFFECTIVE_BASIN, ValueConverter.string()),
            FilterField.of("retired", "(d.retired_at IS NOT NULL)", ValueConverter.bool())
                    .withWhenAbsent("d.retired_at IS NULL"));

    static final OrderSpec ORDERS = OrderSpec.of("(d.code::bigint)", "code",
            SortField.of("code", "(d.code::bigint)", Long.class),
            SortField.of("display_name", "d.name", String.class));

    private final EntityManager em;
    private final DivisionDirectory directory;
    private final ChangeLog changeLog;
    private final Clock clock;

    DivisionService(EntityManager em, DivisionDirectory directory, ChangeLog changeLog, Clock clock) {
        this.em = em;
        this.directory = directory;
        this.changeLog = changeLog;
        this.clock = clock;
    }

    @Transactional
    public io.qingliu.api.project.v1.Division get(String name) {
        Division d = load(name, "name", LockModeType.NONE);
        return DivisionMapper.toProto(d, directory.effectiveBasin(d));
    }

    @Transactional
    public ListDivisionsResponse list(ListDivisionsRequest request) {
        ListQuery query = ListQuery.builder("SELECT d.* FROM division d", FILTERS, ORDERS, "divisions")
                .request(request.getFilter(), request.getOrderBy(), request.getPageToken(), request.getPageSize())
                .build();
        List<Division> rows = ListQueries.fetch(em, query, Division.class);
        boolean byName = query.order().field().name().equals("display_name");
        Page<Division> page = query.page(rows,
                d -> new Keyset(byName ? d.name : Long.parseLong(d.code), Long.parseLong(d.code)));
        Map<String, String> townshipBasins = townshipBasins(page.items());
        ListDivisionsResponse.Builder response = ListDivisionsResponse.newBuilder().setNextPageToken(page.nextPageToken());
        for (Division d : page.items()) {
            String basin = d.basin != null ? d.basin : townshipBasins.get(d.townshipCode);
            response.addDivisions(DivisionMapper.toProto(d, basin));
        }
        return response.build();
    }

    /**
     * Sets or clears a township's or village's basin. A township's villages that have no basin of
     * their own inherit it, so each of them is a change of the feed too.
     */
    @Transactional
    public io.qingliu.api.project.v1.Division update(UpdateDivisionRequest request) {
        Violations v = new Violations();
        Division d = load(request.getDivision().getName(), "division.name", LockModeType.PESSIMISTIC_WRITE);
        if (d.level == DivisionLevel.VILLAGE && d.townshipCode != null) {
            // A village's effective basin depends on its township's, and a township's update writes
            // a change for each inheriting village: holding the township (shared) makes the two kinds
            // of update run one after the other, so neither writes a snapshot the other made stale.
            em.find(Division.class, d.townshipCode, LockModeType.PESSIMISTIC_READ);
        }
        Etags.check(request.getDivision().getEtag(), d.version, d.resourceName());
        Set<String> paths = Masks.resolve(request.getUpdateMask(), request.getDivision(), Set.of("basin"), v);
        if (paths.isEmpty() && v.isEmpty()) {
            v.add("update_mask", "names no field to update; only basin may change");
        }
        String basin = Fields.text(v.under("division"), "basin", request.getDivision().getBasin(), false, 50);
        if (d.level != DivisionLevel.TOWNSHIP && d.level != DivisionLevel.VILLAGE) {
            v.add("division.basin", "basins are set on townships (and overridden on villages), not on a "
                    + d.level.name().toLowerCase());
        }
        v.throwIfAny();
        if (Objects.equals(basin, d.basin)) {
            return DivisionMapper.toProto(d, directory.effectiveBasin(d));
        }
        d.basin = basin;
        d.updatedAt = clock.now();
        em.flush();
        List<ChangeLog.Entry> changes = new ArrayList<>();
        io.qingliu.api.project.v1.Division updated = DivisionMapper.toProto(d, directory.effectiveBasin(d));
        changes.add(new ChangeLog.Entry(updated.getName(), ChangeType.CHANGE_TYPE_UPDATED, AuditAction.AUDIT_ACTION_UPDATED,
                updated));
        if (d.level == DivisionLevel.TOWNSHIP) {
            List<Division> inheriting = em.createQuery(
                    "FROM Division v WHERE v.parentCode = :code AND v.basin IS NULL ORDER BY v.code", Division.class)
                    .setParameter("code", d.code).getResultList();
            for (Division village : inheriting) {
                var snapshot = DivisionMapper.toProto(village, basin);
                changes.add(new ChangeLog.Entry(snapshot.getName(), ChangeType.CHANGE_TYPE_UPDATED,
                        AuditAction.AUDIT_ACTION_UPDATED, snapshot));
            }
        }
        changeLog.append(changes);
        return updated;
    }

    private Map<String, String> townshipBasins(List<Division> divisions) {
        Set<String> townships = new HashSet<>();
        for (Division d : divisions) {
            if (d.basin == null && d.townshipCode != null && !d.townshipCode.equals(d.code)) {
                townships.add(d.townshipCode);
            }
        }
        Map<String, String> basins = new HashMap<>();
        for (Division d : divisions) {
            if (d.level == DivisionLevel.TOWNSHIP && d.basin != null) {
                basins.put(d.code, d.basin);
            }
        }
        townships.removeAll(basins.keySet());
        for (Division t : directory.findAll(townships).values()) {
            if (t.basin != null) {
                basins.put(t.code, t.basin);
            }
        }
        return basins;
    }

    private Division load(String name, String field, LockModeType lock) {
        if (name == null || !name.startsWith(Division.PREFIX) || !DivisionDirectory.isWellFormed(name.substring(Division.PREFIX.length()))) {
            throw ApiException.invalidArgument(field, (name == null || name.isEmpty() ? "is required" : "is malformed")
                    + ": expected a division resource name such as divisions/512002000000");
        }
        Division d = em.find(Division.class, name.substring(Division.PREFIX.length()), lock);
        if (d == null) {
            throw ApiException.notFound(name);
        }
        return d;
    }
}
