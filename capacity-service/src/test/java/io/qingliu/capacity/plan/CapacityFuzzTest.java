package io.qingliu.capacity.plan;

import static io.qingliu.capacity.plan.PlanFixtures.create;
import static io.qingliu.capacity.plan.PlanFixtures.date;
import static io.qingliu.capacity.plan.PlanFixtures.plan;
import static io.qingliu.capacity.testing.ReadModelFixtures.YANJIANG;
import static io.qingliu.capacity.testing.ReadModelFixtures.YANJIANG_TOWN;
import static io.qingliu.capacity.testing.ReadModelFixtures.ZIYANG;
import static io.qingliu.capacity.testing.ReadModelFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qingliu.api.capacity.v1.CapacityGrouping;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc.CapacityServiceBlockingStub;
import io.qingliu.api.capacity.v1.CoverageBreakdown;
import io.qingliu.api.capacity.v1.CreatePlanRequest;
import io.qingliu.api.capacity.v1.DeletePlanRequest;
import io.qingliu.api.capacity.v1.GetCoverageEvidenceRequest;
import io.qingliu.api.capacity.v1.GetPlanProgressRequest;
import io.qingliu.api.capacity.v1.GetPlanRequest;
import io.qingliu.api.capacity.v1.ListGoalUnitsRequest;
import io.qingliu.api.capacity.v1.ListPlansRequest;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsRequest;
import io.qingliu.api.capacity.v1.Plan;
import io.qingliu.api.capacity.v1.SummarizeCapacityRequest;
import io.qingliu.api.capacity.v1.SummarizeCoverageRequest;
import io.qingliu.api.capacity.v1.UpdatePlanRequest;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.capacity.testing.PostgresResource;
import io.qingliu.capacity.testing.ReadModelFixtures;
import io.qingliu.kit.testing.RequestFuzzer;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Mutated requests at every method of capacity-service, seeded and bounded (see
 * {@link RequestFuzzer}): each answer is a result or a deliberate error, never INTERNAL, UNKNOWN
 * or a hang, and a refused call leaves plans, goals and the plans' audit trail as they were.
 * Plan names point only at this test's own plan. The seed is {@code -Dfuzz.seed}.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CapacityFuzzTest {

    private static final int CALLS_PER_METHOD = 120;

    @GrpcClient("capacity")
    CapacityServiceBlockingStub stub;

    @GrpcClient("capacity")
    Channel channel;

    @Inject
    DataSource db;

    private final long seed = Long.getLong("fuzz.seed", 20181027L);

    @Test
    void mutatedRequestsAreAnsweredOrRefusedAndARefusalChangesNoPlan() {
        ReadModelFixtures.divisions(db);
        Plan own = create(stub, plan());
        String goal = own.getName() + "/coverageGoals/town-sewage";
        RequestFuzzer fuzzer = new RequestFuzzer(seed, List.of(own.getName(), goal, own.getName() + "/coverageGoals/village-garbage",
                own.getCode(), ZIYANG, YANJIANG, YANJIANG_TOWN, own.getEtag()));

        Map<String, Message> seeds = new LinkedHashMap<>();
        Map<String, Function<Message, Object>> methods = new LinkedHashMap<>();
        seeds.put("GetPlan", GetPlanRequest.newBuilder().setName(own.getName()).build());
        methods.put("GetPlan", m -> stub().getPlan((GetPlanRequest) m));
        seeds.put("ListPlans", ListPlansRequest.newBuilder().setPageSize(10).build());
        methods.put("ListPlans", m -> stub().listPlans((ListPlansRequest) m));
        seeds.put("CreatePlan", CreatePlanRequest.newBuilder().setPlan(plan()).build());
        methods.put("CreatePlan", m -> stub().createPlan((CreatePlanRequest) m));
        seeds.put("UpdatePlan", UpdatePlanRequest.newBuilder().setPlan(own.toBuilder().setDisplayName("模糊测试计划"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("display_name").addPaths("coverage_goals")).build());
        methods.put("UpdatePlan", m -> stub().updatePlan((UpdatePlanRequest) m));
        seeds.put("DeletePlan", DeletePlanRequest.newBuilder().setName(own.getName()).setEtag("W/\"999\"").build());
        methods.put("DeletePlan", m -> stub().deletePlan((DeletePlanRequest) m));
        seeds.put("SummarizeCapacity", SummarizeCapacityRequest.newBuilder()
                .setFacilityType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT).setAreaCode(YANJIANG)
                .setPlan(own.getName()).setGrouping(CapacityGrouping.CAPACITY_GROUPING_COUNTY).build());
        methods.put("SummarizeCapacity", m -> stub().summarizeCapacity((SummarizeCapacityRequest) m));
        seeds.put("SummarizeCoverage", SummarizeCoverageRequest.newBuilder().setGoal(goal).setAreaCode(YANJIANG)
                .setAsOfDate(date(2019, 6, 30)).setBreakdown(CoverageBreakdown.COVERAGE_BREAKDOWN_TOWNSHIP).build());
        methods.put("SummarizeCoverage", m -> stub().summarizeCoverage((SummarizeCoverageRequest) m));
        seeds.put("ListUncoveredUnits", ListUncoveredUnitsRequest.newBuilder().setGoal(goal).setPageSize(5).build());
        methods.put("ListUncoveredUnits", m -> stub().listUncoveredUnits((ListUncoveredUnitsRequest) m));
        seeds.put("ListGoalUnits", ListGoalUnitsRequest.newBuilder().setGoal(goal).setFilter("covered = false").setPageSize(5).build());
        methods.put("ListGoalUnits", m -> stub().listGoalUnits((ListGoalUnitsRequest) m));
        seeds.put("GetCoverageEvidence", GetCoverageEvidenceRequest.newBuilder().setGoal(goal).setUnitCode(YANJIANG_TOWN).build());
        methods.put("GetCoverageEvidence", m -> stub().getCoverageEvidence((GetCoverageEvidenceRequest) m));
        seeds.put("GetPlanProgress", GetPlanProgressRequest.newBuilder().setName(own.getName()).setAreaCode(YANJIANG).build());
        methods.put("GetPlanProgress", m -> stub().getPlanProgress((GetPlanProgressRequest) m));
        assertEquals(CapacityServiceGrpc.getServiceDescriptor().getMethods().size(), methods.size(), "every method is fuzzed");

        List<String> faults = new ArrayList<>();
        int calls = 0;
        int refused = 0;
        for (var method : methods.entrySet()) {
            for (int i = 0; i < CALLS_PER_METHOD; i++) {
                Message request = fuzzer.mutate(seeds.get(method.getKey()));
                List<List<Object>> before = planState();
                try {
                    method.getValue().apply(request);
                } catch (RuntimeException e) {
                    refused++;
                    Status status = Status.fromThrowable(e);
                    if (RequestFuzzer.FAULTS.contains(status.getCode()) || !(e instanceof StatusRuntimeException)) {
                        faults.add(method.getKey() + " " + status + " for " + RequestFuzzer.shorten(request));
                    } else if (!planState().equals(before)) {
                        faults.add(method.getKey() + " refused (" + status.getCode() + ") but changed plans: "
                                + RequestFuzzer.shorten(request));
                    }
                }
                calls++;
            }
        }
        assertEquals(List.of(), faults, "seed " + seed);
        assertTrue(refused > calls / 4 && refused < calls, refused + " of " + calls + " refused (seed " + seed + ")");
    }

    @Test
    void bytesThatAreNoMessageAreInvalidArgumentsEverywhere() {
        assertEquals(List.of(), new RequestFuzzer(seed, List.of())
                .sendUnparseableBytes(channel, CapacityServiceGrpc.getServiceDescriptor(), 20), "seed " + seed);
    }

    /** Plans, their goals and the plans' audit trail, as counts and versions: what a refused call must not move. */
    private List<List<Object>> planState() {
        return rows(db, "SELECT (SELECT count(*) FROM plan), (SELECT coalesce(sum(version), 0) FROM plan),"
                + " (SELECT count(*) FROM coverage_goal), (SELECT count(*) FROM plan_audit)");
    }

    private CapacityServiceBlockingStub stub() {
        return stub.withDeadlineAfter(30, TimeUnit.SECONDS);
    }
}
