package io.qingliu.project.facility;

import com.google.protobuf.InvalidProtocolBufferException;
import io.qingliu.api.project.v1.AuditAction;
import io.qingliu.api.project.v1.ChangeType;
import io.qingliu.api.project.v1.CreateFacilityRequest;
import io.qingliu.api.project.v1.DeleteFacilityRequest;
import io.qingliu.api.project.v1.ListFacilitiesRequest;
import io.qingliu.api.project.v1.ListFacilitiesResponse;
import io.qingliu.api.project.v1.UpdateFacilityRequest;
import io.qingliu.project.division.Division;
import io.qingliu.project.division.DivisionDirectory;
import io.qingliu.project.feed.ChangeLog;
import io.qingliu.kit.auth.Caller;
import io.qingliu.kit.grpc.ApiException;
import io.qingliu.kit.grpc.Violations;
import io.qingliu.kit.idempotency.RequestLog;
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
import io.qingliu.kit.support.IdName;
import io.qingliu.project.support.Ids;
import io.qingliu.kit.support.Masks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Facilities: the single-record operations, each one transaction with its change-log entry. */
@ApplicationScoped
public class FacilityService {

    /** Fields UpdateFacility may change. */
    static final Set<String> UPDATABLE = Set.of("display_name", "location_code", "served_division_codes",
            "capacity_tonnes_per_day", "discharge_standard", "length_km", "downstream_facility", "operating_state",
            "operation_date", "out_of_service_date");

    private static final String LOCATION_BASIN = "(SELECT coalesce(l.basin, t.basin) FROM division l "
            + "LEFT JOIN division t ON t.code = l.township_code WHERE l.code = f.location_code)";

    static final FilterSpec FILTERS = FilterSpec.of(
            FilterField.of("type", "f.type", ValueConverter.enumValues(
                    EnumMapping.filterValues(io.qingliu.api.common.v1.FacilityType.class, FacilityType.class))),
            FilterField.of("state", "f.operating_state", ValueConverter.enumValues(
                    EnumMapping.filterValues(io.qingliu.api.common.v1.OperatingState.class, OperatingState.class))),
            FilterField.of("county", "f.county_code", ValueConverter.divisionCode()),
            FilterField.of("township", "f.township_code", ValueConverter.divisionCode()),
            FilterField.of("location", "f.location_code", ValueConverter.divisionCode()),
            FilterField.nullable("basin", LOCATION_BASIN, ValueConverter.string()),
            FilterField.nullable("downstream_facility", "f.downstream_id",
                    ValueConverter.resourceName("facilities", ValueConverter.int64())));

    static final OrderSpec ORDERS = OrderSpec.of("f.id", "create_time",
            SortField.of("create_time", "f.created_at", Instant.class),
            SortField.of("display_name", "f.display_name", String.class));

    private final EntityManager em;
    private final DivisionDirectory divisions;
    private final ChangeLog changeLog;
    private final RequestLog requestLog;
    private final Ids ids;
    private final Clock clock;

    FacilityService(EntityManager em, DivisionDirectory divisions, ChangeLog changeLog, RequestLog requestLog,
            Ids ids, Clock clock) {
        this.em = em;
        this.divisions = divisions;
        this.changeLog = changeLog;
        this.requestLog = requestLog;
        this.ids = ids;
        this.clock = clock;
    }

    /** Lookups straight from the database, for single calls. */
    public RegistryLookup directLookup() {
        return RegistryLookup.of(divisions::find, id -> em.find(Facility.class, id));
    }

    @Transactional
    public io.qingliu.api.project.v1.Facility get(String name) {
        return FacilityMapper.toProto(load(name, "name", LockModeType.NONE));
    }

    @Transactional
    public ListFacilitiesResponse list(ListFacilitiesRequest request) {
        ListQuery query = ListQuery.builder("SELECT f.* FROM facility f", FILTERS, ORDERS, "facilities")
                .request(request.getFilter(), request.getOrderBy(), request.getPageToken(), request.getPageSize())
                .build();
        List<Facility> rows = ListQueries.fetch(em, query, Facility.class);
        boolean byName = query.order().field().name().equals("display_name");
        Page<Facility> page = query.page(rows, f -> new Keyset(byName ? f.displayName : f.createdAt, f.id));
        ListFacilitiesResponse.Builder response = ListFacilitiesResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.items().forEach(f -> response.addFacilities(FacilityMapper.toProto(f)));
        return response.build();
    }

    @Transactional
    public io.qingliu.api.project.v1.Facility create(CreateFacilityRequest request) {
        UUID requestId = RequestLog.parse(request.getRequestId(), "request_id");
        if (requestId != null) {
            Optional<byte[]> first = requestLog.claim(requestId, "CreateFacility", request);
            if (first.isPresent()) {
                return parse(first.get());
            }
        }
        Violations v = new Violations();
        Facility facility = new Facility();
        FacilityRules.apply(request.getFacility(), facility, true, directLookup(), clock.today(), v.under("facility"));
        v.throwIfAny();
        requireCallerMayWrite(facility, "a facility at " + facility.locationCode);
        facility.id = ids.next(Ids.FACILITY);
        facility.createdAt = facility.updatedAt = clock.now();
        em.persist(facility);
        io.qingliu.api.project.v1.Facility created = snapshot(facility, ChangeType.CHANGE_TYPE_CREATED,
                AuditAction.AUDIT_ACTION_CREATED);
        if (requestId != null) {
            requestLog.complete(requestId, created);
        }
        return created;
    }

    @Transactional
    public io.qingliu.api.project.v1.Facility update(UpdateFacilityRequest request) {
        Violations v = new Violations();
        Facility facility = load(request.getFacility().getName(), "facility.name", LockModeType.PESSIMISTIC_WRITE);
        requireCallerMayWrite(facility, facility.resourceName());
        Etags.check(request.getFacility().getEtag(), facility.version, facility.resourceName());
        Set<String> paths = Masks.resolve(request.getUpdateMask(), request.getFacility(), UPDATABLE, v);
        v.throwIfAny();
        var merged = FacilityMapper.toProto(facility).toBuilder();
        Masks.copy(paths, request.getFacility(), merged);
        if (request.getFacility().getTypeValue() != 0) {
            // The type cannot change: a request that sets another one is refused by the rules, not ignored.
            merged.setTypeValue(request.getFacility().getTypeValue());
        }
        OperatingState before = facility.operatingState;
        String locationBefore = facility.locationCode;
        FacilityRules.apply(merged.build(), facility, false, directLookup(), clock.today(), v.under("facility"));
        v.throwIfAny();
        if (facility.operatingState != before) {
            checkStateMayBeSetDirectly(facility, before);
        }
        if (!facility.locationCode.equals(locationBefore)) {
            checkCountyMayChange(facility, locationBefore);
        }
        requireCallerMayWrite(facility, facility.resourceName());
        facility.updatedAt = clock.now();
        return snapshot(facility, ChangeType.CHANGE_TYPE_UPDATED, AuditAction.AUDIT_ACTION_UPDATED);
    }

    @Transactional
    public void delete(DeleteFacilityRequest request) {
        Facility facility = load(request.getName(), "name", LockModeType.PESSIMISTIC_WRITE);
        requireCallerMayWrite(facility, facility.resourceName());
        Etags.check(request.getEtag(), facility.version, facility.resourceName());
        List<Long> projects = em.createQuery("SELECT p.id FROM Project p WHERE p.facilityId = :id", Long.class)
                .setParameter("id", facility.id).setMaxResults(5).getResultList();
        if (!projects.isEmpty()) {
            throw ApiException.failedPrecondition("FACILITY_IN_USE", facility.resourceName()
                    + " is the facility of " + projects.stream().map(IdName.PROJECT::format).toList()
                    + "; delete or reassign those projects first", Map.of("resource", facility.resourceName()));
        }
        List<Long> upstream = em.createQuery("SELECT f.id FROM Facility f WHERE f.downstreamId = :id", Long.class)
                .setParameter("id", facility.id).setMaxResults(5).getResultList();
        if (!upstream.isEmpty()) {
            throw ApiException.failedPrecondition("FACILITY_IN_USE", facility.resourceName() + " receives from "
                    + upstream.stream().map(IdName.FACILITY::format).toList() + "; change their downstream_facility first",
                    Map.of("resource", facility.resourceName()));
        }
        io.qingliu.api.project.v1.Facility last = FacilityMapper.toProto(facility);
        em.remove(facility);
        changeLog.append(new ChangeLog.Entry(last.getName(), ChangeType.CHANGE_TYPE_DELETED,
                AuditAction.AUDIT_ACTION_DELETED, last));
    }

    /** Flushes the entity (so its version is final), records the change and returns the snapshot. */
    io.qingliu.api.project.v1.Facility snapshot(Facility facility, ChangeType type, AuditAction action) {
        em.flush();
        io.qingliu.api.project.v1.Facility proto = FacilityMapper.toProto(facility);
        changeLog.append(new ChangeLog.Entry(proto.getName(), type, action, proto));
        return proto;
    }

    Facility load(String name, String field, LockModeType lock) {
        long id = IdName.FACILITY.parse(name, field);
        Facility facility = em.find(Facility.class, id, lock);
        if (facility == null) {
            throw ApiException.notFound(name);
        }
        return facility;
    }

    /**
     * A facility's state follows its projects; staff set it directly only for facilities no
     * project acts on (those that existed before the plan), or to take one out of service and back.
     */
    private void checkStateMayBeSetDirectly(Facility facility, OperatingState before) {
        boolean outOfServiceMove = facility.operatingState == OperatingState.OUT_OF_SERVICE
                || before == OperatingState.OUT_OF_SERVICE && facility.operatingState == OperatingState.IN_OPERATION;
        if (outOfServiceMove) {
            return;
        }
        Long projects = em.createQuery("SELECT count(p) FROM Project p WHERE p.facilityId = :id AND p.state <> :cancelled",
                Long.class).setParameter("id", facility.id)
                .setParameter("cancelled", io.qingliu.project.project.ProjectState.CANCELLED).getSingleResult();
        if (projects > 0) {
            throw ApiException.failedPrecondition("STATE_DRIVEN_BY_PROJECTS", facility.resourceName()
                    + " has projects: its operating state changes when they are commissioned; only taking it out of service is set directly",
                    Map.of("resource", facility.resourceName()));
        }
    }

    /**
     * A county system writes only facilities of its county, checked on the record as it is before
     * a change and as it would be after it. (What a facility serves lies in its county by the rules.)
     */
    public static void requireCallerMayWrite(Facility facility, String what) {
        Caller.current().requireMayWriteIn(facility.countyCode, what);
    }

    /** Projects carry their facility's county; a facility with projects may not move to another county. */
    private void checkCountyMayChange(Facility facility, String locationBefore) {
        Division before = divisions.find(locationBefore);
        if (before != null && before.countyCode.equals(facility.countyCode)
                && before.townshipCode.equals(facility.townshipCode)) {
            return;
        }
        Long projects = em.createQuery("SELECT count(p) FROM Project p WHERE p.facilityId = :id", Long.class)
                .setParameter("id", facility.id).getSingleResult();
        if (projects > 0) {
            throw ApiException.failedPrecondition("FACILITY_HAS_PROJECTS", facility.resourceName()
                    + " has projects; its location may change only within its township",
                    Map.of("resource", facility.resourceName()));
        }
    }

    private static io.qingliu.api.project.v1.Facility parse(byte[] bytes) {
        try {
            return io.qingliu.api.project.v1.Facility.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
