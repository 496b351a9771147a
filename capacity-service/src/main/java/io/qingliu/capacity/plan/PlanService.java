package io.qingliu.capacity.plan;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.qingliu.api.capacity.v1.CreatePlanRequest;
import io.qingliu.api.capacity.v1.DeletePlanRequest;
import io.qingliu.api.capacity.v1.ListPlansRequest;
import io.qingliu.api.capacity.v1.ListPlansResponse;
import io.qingliu.api.capacity.v1.UpdatePlanRequest;
import io.qingliu.capacity.coverage.CoverageMaintainer;
import io.qingliu.capacity.support.CatalogGeneration;
import io.qingliu.capacity.support.ReadModelLock;
import io.qingliu.kit.auth.Caller;
import io.qingliu.kit.grpc.ApiException;
import io.qingliu.kit.grpc.Violations;
import io.qingliu.kit.idempotency.RequestLog;
import io.qingliu.kit.query.FilterSpec;
import io.qingliu.kit.query.Keyset;
import io.qingliu.kit.query.ListQueries;
import io.qingliu.kit.query.ListQuery;
import io.qingliu.kit.query.OrderSpec;
import io.qingliu.kit.query.Page;
import io.qingliu.kit.query.SortField;
import io.qingliu.kit.support.Clock;
import io.qingliu.kit.support.Etags;
import io.qingliu.kit.support.IdName;
import io.qingliu.kit.support.Masks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Plans and their coverage goals: Get/List/Create/Update/Delete. Every write takes the read-model
 * lock first, as it may (re)define goals, whose coverage is computed in the same transaction.
 */
@ApplicationScoped
public class PlanService {

    /** Fields UpdatePlan may change, in the proto's order. */
    static final Set<String> UPDATABLE = new LinkedHashSet<>(List.of("display_name", "area_code", "start_date",
            "end_date", "project_count_targets", "capacity_targets", "coverage_goals"));

    static final OrderSpec ORDERS = OrderSpec.of("p.id", "code", SortField.of("code", "p.code", String.class));

    private final EntityManager em;
    private final RequestLog requestLog;
    private final ReadModelLock readModelLock;
    private final CoverageMaintainer coverage;
    private final Clock clock;
    private final CatalogGeneration catalog;

    PlanService(EntityManager em, RequestLog requestLog, ReadModelLock readModelLock, CoverageMaintainer coverage,
            Clock clock, CatalogGeneration catalog) {
        this.catalog = catalog;
        this.em = em;
        this.requestLog = requestLog;
        this.readModelLock = readModelLock;
        this.coverage = coverage;
        this.clock = clock;
    }

    /** A single read needs no transaction: the plan and its goals come in one query. */
    public io.qingliu.api.capacity.v1.Plan get(String name) {
        long id = IdName.PLAN.parse(name, "name");
        List<Plan> found = em.createQuery("SELECT p FROM Plan p LEFT JOIN FETCH p.goals WHERE p.id = :id", Plan.class)
                .setParameter("id", id).getResultList();
        if (found.isEmpty()) {
            throw ApiException.notFound(name);
        }
        return PlanMapper.toProto(found.get(0));
    }

    @Transactional
    public ListPlansResponse list(ListPlansRequest request) {
        ListQuery query = ListQuery.builder("SELECT p.* FROM plan p", FilterSpec.none(), ORDERS, "plans")
                .request("", "", request.getPageToken(), request.getPageSize())
                .build();
        List<Plan> rows = ListQueries.fetch(em, query, Plan.class);
        Page<Plan> page = query.page(rows, p -> new Keyset(p.code, p.id));
        ListPlansResponse.Builder response = ListPlansResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.items().forEach(p -> response.addPlans(PlanMapper.toProto(p)));
        return response.build();
    }

    @Transactional
    public io.qingliu.api.capacity.v1.Plan create(CreatePlanRequest request) {
        UUID requestId = RequestLog.parse(request.getRequestId(), "request_id");
        readModelLock.acquire();
        catalog.advanceAfterCommit();
        if (requestId != null) {
            Optional<byte[]> first = requestLog.claim(requestId, "CreatePlan", request);
            if (first.isPresent()) {
                return parse(first.get());
            }
        }
        Violations v = new Violations();
        PlanRules.Draft draft = PlanRules.check(request.getPlan(), null, divisions(), v.under("plan"));
        v.throwIfAny();
        List<Long> sameCode = em.createQuery("SELECT p.id FROM Plan p WHERE p.code = :code", Long.class)
                .setParameter("code", draft.code()).getResultList();
        if (!sameCode.isEmpty()) {
            String existing = IdName.PLAN.format(sameCode.get(0));
            throw new ApiException(Status.Code.ALREADY_EXISTS, "PLAN_CODE_EXISTS",
                    "a plan with code " + draft.code() + " already exists: " + existing,
                    Map.of("code", draft.code(), "resource", existing), List.of());
        }
        Plan plan = new Plan();
        plan.code = draft.code();
        plan.createdAt = plan.updatedAt = clock.now();
        Caller caller = Caller.current();
        plan.createdBy = plan.updatedBy = caller.subject();
        plan.createdByRole = plan.updatedByRole = caller.roleName();
        List<CoverageGoal> defined = write(plan, draft);
        em.persist(plan);
        em.flush();
        defined.forEach(g -> coverage.goalDefined(g.id));
        io.qingliu.api.capacity.v1.Plan created = PlanMapper.toProto(plan);
        audit(plan, "CREATED", created);
        if (requestId != null) {
            requestLog.complete(requestId, created);
        }
        return created;
    }

    @Transactional
    public io.qingliu.api.capacity.v1.Plan update(UpdatePlanRequest request) {
        UUID requestId = RequestLog.parse(request.getRequestId(), "request_id");
        readModelLock.acquire();
        catalog.advanceAfterCommit();
        if (requestId != null) {
            Optional<byte[]> first = requestLog.claim(requestId, "UpdatePlan", request);
            if (first.isPresent()) {
                return parse(first.get());
            }
        }
        io.qingliu.api.capacity.v1.Plan in = request.getPlan();
        Plan plan = load(in.getName(), "plan.name");
        Etags.check(in.getEtag(), plan.version, plan.resourceName());
        Violations v = new Violations();
        if (request.getUpdateMask().getPathsCount() == 0) {
            v.add("update_mask", "is required: name the fields to change (" + String.join(", ", UPDATABLE)
                    + "), or '*' for all of them");
        }
        Set<String> paths = Masks.resolve(request.getUpdateMask(), in, UPDATABLE, v);
        v.throwIfAny();
        io.qingliu.api.capacity.v1.Plan current = PlanMapper.toProto(plan);
        var merged = current.toBuilder();
        Masks.copy(paths, in, merged);
        if (!in.getCode().isEmpty()) {
            // The code cannot change: a request that sets another one is refused by the rules, not ignored.
            merged.setCode(in.getCode());
        }
        PlanRules.Draft draft = PlanRules.check(merged.build(), current, divisions(), v.under("plan"));
        v.throwIfAny();
        List<CoverageGoal> defined = write(plan, draft);
        plan.updatedAt = clock.now();
        Caller caller = Caller.current();
        plan.updatedBy = caller.subject();
        plan.updatedByRole = caller.roleName();
        em.flush();
        defined.forEach(g -> coverage.goalDefined(g.id));
        io.qingliu.api.capacity.v1.Plan updated = PlanMapper.toProto(plan);
        audit(plan, "UPDATED", updated);
        if (requestId != null) {
            requestLog.complete(requestId, updated);
        }
        return updated;
    }

    /** Deletes a plan; its goals and their derived coverage rows go with it (a trigger on coverage_goal). */
    @Transactional
    public void delete(DeletePlanRequest request) {
        readModelLock.acquire();
        catalog.advanceAfterCommit();
        Plan plan = load(request.getName(), "name");
        Etags.check(request.getEtag(), plan.version, plan.resourceName());
        audit(plan, "DELETED", PlanMapper.toProto(plan));
        em.remove(plan);
    }

    /** Records a change of a plan with the subject and role of the caller's token, in the change's transaction. */
    private void audit(Plan plan, String action, io.qingliu.api.capacity.v1.Plan snapshot) {
        Caller caller = Caller.current();
        em.createNativeQuery("INSERT INTO plan_audit (plan_id, plan_code, action, actor, actor_role, recorded_at, snapshot)"
                + " VALUES (?1, ?2, ?3, ?4, NULLIF(?5, ''), ?6, ?7)")
                .setParameter(1, plan.id).setParameter(2, plan.code).setParameter(3, action)
                .setParameter(4, caller.subject()).setParameter(5, caller.roleName() == null ? "" : caller.roleName())
                .setParameter(6, java.sql.Timestamp.from(clock.now())).setParameter(7, snapshot.toByteArray())
                .executeUpdate();
    }

    /**
     * Writes a checked draft into the plan. Goals are matched by goal id: a goal that stays keeps
     * its row, and with it its derived coverage rows, unless its definition changed; goals no
     * longer listed are deleted.
     *
     * @return the goals whose coverage must be (re)computed once they are flushed: new ones and
     *         those whose definition changed
     */
    private static List<CoverageGoal> write(Plan plan, PlanRules.Draft draft) {
        plan.displayName = draft.displayName();
        plan.areaCode = draft.areaCode();
        plan.startDate = draft.startDate();
        plan.endDate = draft.endDate();
        plan.projectCountTargets = new ArrayList<>(draft.projectCountTargets());
        plan.capacityTargets = new ArrayList<>(draft.capacityTargets());

        Map<String, CoverageGoal> current = new HashMap<>();
        plan.goals.forEach(g -> current.put(g.goalId, g));
        List<CoverageGoal> goals = new ArrayList<>();
        List<CoverageGoal> defined = new ArrayList<>();
        for (PlanRules.GoalDraft d : draft.goals()) {
            CoverageGoal goal = current.get(d.goalId());
            if (goal == null) {
                goal = new CoverageGoal();
                goal.plan = plan;
                goal.goalId = d.goalId();
                defined.add(goal);
            } else if (!goal.definition().equals(d.definition())) {
                defined.add(goal);
            }
            goal.define(d.definition());
            goal.ordinal = goals.size();
            goal.displayName = d.displayName();
            goal.deadline = d.deadline();
            goals.add(goal);
        }
        // Goals left out are orphans: removed on flush.
        plan.goals.clear();
        plan.goals.addAll(goals);
        return defined;
    }

    /** Loads a plan for a write, locking its row. */
    private Plan load(String name, String field) {
        long id = IdName.PLAN.parse(name, field);
        Plan plan = em.find(Plan.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (plan == null) {
            throw ApiException.notFound(name);
        }
        return plan;
    }

    /** The read model's division of a code, or null. */
    private Function<String, Area> divisions() {
        return code -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT code, name, level, retired FROM division WHERE code = ?1")
                    .setParameter(1, code).getResultList();
            return rows.stream().findFirst().map(r -> new Area((String) r[0], (String) r[1],
                    ((Number) r[2]).intValue(), (Boolean) r[3])).orElse(null);
        };
    }

    private static io.qingliu.api.capacity.v1.Plan parse(byte[] bytes) {
        try {
            return io.qingliu.api.capacity.v1.Plan.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
