package io.qingliu.project.project;

import com.google.protobuf.InvalidProtocolBufferException;
import io.qingliu.api.project.v1.AuditAction;
import io.qingliu.api.project.v1.ChangeType;
import io.qingliu.api.project.v1.CreateProjectRequest;
import io.qingliu.api.project.v1.DeleteProjectRequest;
import io.qingliu.api.project.v1.ListProjectsRequest;
import io.qingliu.api.project.v1.ListProjectsResponse;
import io.qingliu.api.project.v1.TransitionProjectRequest;
import io.qingliu.api.project.v1.UpdateProjectRequest;
import io.qingliu.project.facility.Facility;
import io.qingliu.project.facility.FacilityMapper;
import io.qingliu.project.facility.FacilityService;
import io.qingliu.project.facility.FacilityType;
import io.qingliu.project.facility.OperatingState;
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
import io.qingliu.kit.support.Fields;
import io.qingliu.kit.support.IdName;
import io.qingliu.project.support.Ids;
import io.qingliu.kit.support.Masks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Projects: the single-record operations and lifecycle moves, each one transaction with its change-log entries. */
@ApplicationScoped
public class ProjectService {

    /** Fields UpdateProject may change. */
    static final Set<String> UPDATABLE = Set.of("display_name", "plan_code", "capacity_before_tonnes_per_day",
            "capacity_after_tonnes_per_day", "standard_before", "standard_after", "length_km", "planned_start_date",
            "planned_completion_date", "planned_commissioning_date", "investment_fen", "funding_sources",
            "responsible_unit", "progress_percent", "notes");

    /** Fields that describe what the works deliver: frozen once that is in operation. */
    private static final Set<String> DESIGN = Set.of("capacity_before_tonnes_per_day", "capacity_after_tonnes_per_day",
            "standard_before", "standard_after", "length_km");

    private static final String LOCATION_BASIN = "(SELECT coalesce(l.basin, t.basin) FROM facility f "
            + "JOIN division l ON l.code = f.location_code LEFT JOIN division t ON t.code = l.township_code "
            + "WHERE f.id = p.facility_id)";

    static final FilterSpec FILTERS = FilterSpec.of(
            FilterField.of("county", "p.county_code", ValueConverter.divisionCode()),
            FilterField.of("township", "p.township_code", ValueConverter.divisionCode()),
            FilterField.of("kind", "p.kind", ValueConverter.enumValues(
                    EnumMapping.filterValues(io.qingliu.api.project.v1.ProjectKind.class, ProjectKind.class))),
            FilterField.of("state", "p.state", ValueConverter.enumValues(
                    EnumMapping.filterValues(io.qingliu.api.project.v1.ProjectState.class, ProjectState.class))),
            FilterField.nullable("plan", "p.plan_code", ValueConverter.string()),
            FilterField.nullable("basin", LOCATION_BASIN, ValueConverter.string()),
            FilterField.of("facility", "p.facility_id", ValueConverter.resourceName("facilities", ValueConverter.int64())),
            FilterField.of("facility_type", "p.facility_type", ValueConverter.enumValues(
                    EnumMapping.filterValues(io.qingliu.api.common.v1.FacilityType.class, FacilityType.class))));

    static final OrderSpec ORDERS = OrderSpec.of("p.id", "create_time",
            SortField.of("create_time", "p.created_at", Instant.class),
            SortField.of("display_name", "p.display_name", String.class));

    private final EntityManager em;
    private final FacilityService facilities;
    private final ChangeLog changeLog;
    private final RequestLog requestLog;
    private final Ids ids;
    private final Clock clock;

    ProjectService(EntityManager em, FacilityService facilities, ChangeLog changeLog, RequestLog requestLog, Ids ids,
            Clock clock) {
        this.em = em;
        this.facilities = facilities;
        this.changeLog = changeLog;
        this.requestLog = requestLog;
        this.ids = ids;
        this.clock = clock;
    }

    @Transactional
    public ListProjectsResponse list(ListProjectsRequest request) {
        ListQuery query = ListQuery.builder("SELECT p.* FROM project p", FILTERS, ORDERS, "projects")
                .request(request.getFilter(), request.getOrderBy(), request.getPageToken(), request.getPageSize())
                .build();
        List<Project> rows = ListQueries.fetch(em, query, Project.class);
        boolean byName = query.order().field().name().equals("display_name");
        Page<Project> page = query.page(rows, p -> new Keyset(byName ? p.displayName : p.createdAt, p.id));
        ListProjectsResponse.Builder response = ListProjectsResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.items().forEach(p -> response.addProjects(ProjectMapper.toProto(p)));
        return response.build();
    }

    @Transactional
    public io.qingliu.api.project.v1.Project create(CreateProjectRequest request) {
        UUID requestId = RequestLog.parse(request.getRequestId(), "request_id");
        if (requestId != null) {
            Optional<byte[]> first = requestLog.claim(requestId, "CreateProject", request);
            if (first.isPresent()) {
                return parse(first.get());
            }
        }
        Violations v = new Violations();
        ProjectDrafts.Draft draft = ProjectDrafts.draft(request.getProject(), request.getNewFacility(),
                request.hasNewFacility(), facilities.directLookup(), clock.today(), v);
        v.throwIfAny();
        Caller.current().requireMayWriteIn(draft.project().countyCode, "a project in " + draft.project().countyCode);
        if (draft.facilityIsNew()) {
            FacilityService.requireCallerMayWrite(draft.facility(), "its new facility");
        }
        Instant now = clock.now();
        List<ChangeLog.Entry> changes = new ArrayList<>();
        Facility facility = draft.facility();
        if (draft.facilityIsNew()) {
            facility.id = ids.next(io.qingliu.project.support.Ids.FACILITY);
            facility.createdAt = facility.updatedAt = now;
            em.persist(facility);
        }
        Project project = draft.project();
        project.id = ids.next(Ids.PROJECT);
        project.facilityId = facility.id;
        project.createdAt = project.updatedAt = now;
        project.transitions = new ArrayList<>();
        em.persist(project);
        em.flush();
        if (draft.facilityIsNew()) {
            var f = FacilityMapper.toProto(facility);
            changes.add(new ChangeLog.Entry(f.getName(), ChangeType.CHANGE_TYPE_CREATED, AuditAction.AUDIT_ACTION_CREATED, f));
        }
        var created = ProjectMapper.toProto(project);
        changes.add(new ChangeLog.Entry(created.getName(), ChangeType.CHANGE_TYPE_CREATED, AuditAction.AUDIT_ACTION_CREATED,
                created));
        changeLog.append(changes);
        if (requestId != null) {
            requestLog.complete(requestId, created);
        }
        return created;
    }

    @Transactional
    public io.qingliu.api.project.v1.Project update(UpdateProjectRequest request) {
        Violations v = new Violations();
        Project project = load(request.getProject().getName(), "project.name", LockModeType.PESSIMISTIC_WRITE);
        Caller.current().requireMayWriteIn(project.countyCode, project.resourceName());
        Etags.check(request.getProject().getEtag(), project.version, project.resourceName());
        Set<String> paths = Masks.resolve(request.getUpdateMask(), request.getProject(), UPDATABLE, v);
        v.throwIfAny();
        var current = ProjectMapper.toProto(project);
        var merged = current.toBuilder();
        Masks.copy(paths, request.getProject(), merged);
        // Kind and facility cannot change: a request that sets other ones is refused, not ignored.
        if (request.getProject().getKindValue() != 0) {
            merged.setKindValue(request.getProject().getKindValue());
        }
        if (!request.getProject().getFacility().isEmpty() && !request.getProject().getFacility().equals(current.getFacility())) {
            v.add("project.facility", "cannot change after create");
        }
        if (project.state == ProjectState.COMMISSIONED) {
            for (String field : paths) {
                if (DESIGN.contains(field) && !merged.build().getField(merged.getDescriptorForType().findFieldByName(field))
                        .equals(current.getField(current.getDescriptorForType().findFieldByName(field)))) {
                    throw ApiException.failedPrecondition("PROJECT_COMMISSIONED", project.resourceName()
                            + " is commissioned: " + field + " is what its facility now has and can no longer change",
                            Map.of("resource", project.resourceName(), "field", field));
                }
            }
        }
        Facility facility = em.find(Facility.class, project.facilityId);
        ProjectRules.apply(merged.build(), project, facility, false, false, v.under("project"));
        v.throwIfAny();
        project.updatedAt = clock.now();
        em.flush();
        var updated = ProjectMapper.toProto(project);
        changeLog.append(new ChangeLog.Entry(updated.getName(), ChangeType.CHANGE_TYPE_UPDATED,
                AuditAction.AUDIT_ACTION_UPDATED, updated));
        return updated;
    }

    /**
     * Deletes a project still planned, or cancelled. A new build's facility goes with it while
     * nothing else refers to it and it was never built.
     */
    @Transactional
    public void delete(DeleteProjectRequest request) {
        Project project = load(request.getName(), "name", LockModeType.PESSIMISTIC_WRITE);
        Caller.current().requireMayWriteIn(project.countyCode, project.resourceName());
        Etags.check(request.getEtag(), project.version, project.resourceName());
        if (project.state != ProjectState.PLANNED && project.state != ProjectState.CANCELLED) {
            throw ApiException.failedPrecondition("PROJECT_UNDER_WAY", project.resourceName() + " is "
                    + project.state.name().toLowerCase().replace('_', ' ')
                    + "; only planned or cancelled projects may be deleted (cancel it first)",
                    Map.of("resource", project.resourceName(), "state", project.state.name()));
        }
        List<ChangeLog.Entry> changes = new ArrayList<>();
        var last = ProjectMapper.toProto(project);
        em.remove(project);
        changes.add(new ChangeLog.Entry(last.getName(), ChangeType.CHANGE_TYPE_DELETED, AuditAction.AUDIT_ACTION_DELETED, last));
        if (project.kind == ProjectKind.NEW_BUILD) {
            Facility facility = em.find(Facility.class, project.facilityId, LockModeType.PESSIMISTIC_WRITE);
            em.flush();
            long references = (Long) em.createQuery("SELECT count(p) FROM Project p WHERE p.facilityId = :id")
                    .setParameter("id", facility.id).getSingleResult()
                    + (Long) em.createQuery("SELECT count(f) FROM Facility f WHERE f.downstreamId = :id")
                            .setParameter("id", facility.id).getSingleResult();
            if (references == 0 && facility.operatingState == OperatingState.PLANNED) {
                var f = FacilityMapper.toProto(facility);
                em.remove(facility);
                changes.add(new ChangeLog.Entry(f.getName(), ChangeType.CHANGE_TYPE_DELETED, AuditAction.AUDIT_ACTION_DELETED, f));
            }
        }
        changeLog.append(changes);
    }

    @Transactional
    public io.qingliu.api.project.v1.Project transition(TransitionProjectRequest request) {
        UUID requestId = RequestLog.parse(request.getRequestId(), "request_id");
        if (requestId != null) {
            Optional<byte[]> first = requestLog.claim(requestId, "TransitionProject", request);
            if (first.isPresent()) {
                return parse(first.get());
            }
        }
        Violations v = new Violations();
        LocalDate today = clock.today();
        ProjectState to = EnumMapping.fromProto(request.getState(), ProjectState.class);
        if (to == null) {
            v.add("state", request.getStateValue() == 0 ? "is required" : "unknown value " + request.getStateValue());
        }
        LocalDate date = Fields.pastDate(v, "effective_date", request.getEffectiveDate(), today);
        if (date == null && !v.has("effective_date")) {
            v.add("effective_date", "is required: the date on which the move took effect");
        }
        String reason = Fields.text(v, "reason", request.getReason(), false, 2000);
        Project project = load(request.getName(), "name", LockModeType.PESSIMISTIC_WRITE);
        Caller.current().requireMayWriteIn(project.countyCode, project.resourceName());
        v.throwIfAny();
        Etags.check(request.getEtag(), project.version, project.resourceName());
        Set<ProjectState> legal = project.state.legalTargets(project.suspendedFrom);
        if (!legal.contains(to)) {
            throw ApiException.failedPrecondition("ILLEGAL_TRANSITION", project.resourceName() + " is "
                    + project.state.name() + " and cannot move to " + to.name() + "; it may move to "
                    + (legal.isEmpty() ? "nothing (final state)" : legal.toString()),
                    Map.of("resource", project.resourceName(), "from", project.state.name(), "to", to.name(),
                            "allowed", legal.stream().map(Enum::name).sorted().toList().toString()));
        }
        LocalDate previous = project.lastEffectiveDate();
        if (previous != null && date.isBefore(previous)) {
            v.add("effective_date", "must not be before the previous move's date (" + previous + ")");
            v.throwIfAny();
        }
        Instant now = clock.now();
        List<Project.Transition> moves = new ArrayList<>(project.transitions);
        moves.add(new Project.Transition(project.state, to, date.toString(), now.toString(), reason));
        project.transitions = moves;
        project.suspendedFrom = to == ProjectState.SUSPENDED ? project.state : null;
        Facility facility = em.find(Facility.class, project.facilityId, LockModeType.PESSIMISTIC_WRITE);
        boolean facilityChanged = false;
        switch (to) {
            case UNDER_CONSTRUCTION -> {
                if (project.actualStartDate == null) {
                    project.actualStartDate = date;
                }
                if (facility.operatingState == OperatingState.PLANNED) {
                    facility.operatingState = OperatingState.UNDER_CONSTRUCTION;
                    facilityChanged = true;
                }
            }
            case COMPLETED -> project.actualCompletionDate = date;
            case COMMISSIONED -> {
                project.actualCommissioningDate = date;
                if (project.actualCompletionDate == null) {
                    project.actualCompletionDate = date;
                }
                commission(project, facility, date);
                facilityChanged = true;
            }
            default -> {
            }
        }
        project.state = to;
        project.updatedAt = now;
        List<ChangeLog.Entry> changes = new ArrayList<>();
        em.flush();
        if (facilityChanged) {
            facility.updatedAt = now;
            em.flush();
            var f = FacilityMapper.toProto(facility);
            changes.add(new ChangeLog.Entry(f.getName(), ChangeType.CHANGE_TYPE_UPDATED, AuditAction.AUDIT_ACTION_UPDATED, f));
        }
        var moved = ProjectMapper.toProto(project);
        changes.add(new ChangeLog.Entry(moved.getName(), ChangeType.CHANGE_TYPE_UPDATED,
                AuditAction.AUDIT_ACTION_TRANSITIONED, moved));
        changeLog.append(changes);
        if (requestId != null) {
            requestLog.complete(requestId, moved);
        }
        return moved;
    }

    /** Puts what the works delivered into the facility: capacity, standard, length, and operation. */
    private static void commission(Project project, Facility facility, LocalDate date) {
        switch (project.kind) {
            case NEW_BUILD, EXPANSION, UPGRADE, GARBAGE_COLLECTION -> {
                if (facility.type.hasCapacity() && project.capacityAfterTpd.signum() > 0) {
                    facility.capacityTpd = project.capacityAfterTpd;
                }
                if (project.standardAfter != null) {
                    facility.dischargeStandard = project.standardAfter;
                }
            }
            case PIPE_NETWORK -> {
                boolean built = facility.operatingState == OperatingState.PLANNED
                        || facility.operatingState == OperatingState.UNDER_CONSTRUCTION;
                facility.lengthKm = built ? project.lengthKm : facility.lengthKm.add(project.lengthKm);
            }
        }
        if (facility.operatingState != OperatingState.IN_OPERATION) {
            facility.operatingState = OperatingState.IN_OPERATION;
            facility.operationDate = date;
            facility.outOfServiceDate = null;
        }
    }

    Project load(String name, String field, LockModeType lock) {
        long id = IdName.PROJECT.parse(name, field);
        Project project = em.find(Project.class, id, lock);
        if (project == null) {
            throw ApiException.notFound(name);
        }
        return project;
    }

    static io.qingliu.api.project.v1.Project parse(byte[] bytes) {
        try {
            return io.qingliu.api.project.v1.Project.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
