package io.qingliu.capacity.grpc;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.api.capacity.v1.CoverageEvidence;
import io.qingliu.api.capacity.v1.CreatePlanRequest;
import io.qingliu.api.capacity.v1.DeletePlanRequest;
import io.qingliu.api.capacity.v1.GetCoverageEvidenceRequest;
import io.qingliu.api.capacity.v1.GetPlanProgressRequest;
import io.qingliu.api.capacity.v1.GetPlanRequest;
import io.qingliu.api.capacity.v1.ListGoalUnitsRequest;
import io.qingliu.api.capacity.v1.ListGoalUnitsResponse;
import io.qingliu.api.capacity.v1.ListPlansRequest;
import io.qingliu.api.capacity.v1.ListPlansResponse;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsRequest;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsResponse;
import io.qingliu.api.capacity.v1.Plan;
import io.qingliu.api.capacity.v1.PlanProgress;
import io.qingliu.api.capacity.v1.SummarizeCapacityRequest;
import io.qingliu.api.capacity.v1.SummarizeCapacityResponse;
import io.qingliu.api.capacity.v1.SummarizeCoverageRequest;
import io.qingliu.api.capacity.v1.SummarizeCoverageResponse;
import io.qingliu.api.capacity.v1.UpdatePlanRequest;
import io.qingliu.capacity.capacity.CapacityQueries;
import io.qingliu.capacity.coverage.CoverageQueries;
import io.qingliu.capacity.plan.PlanService;
import io.qingliu.capacity.progress.ProgressQueries;
import io.qingliu.kit.grpc.Calls;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

/** The gRPC face of capacity-service: checks nothing itself, delegates, answers after commit. */
@GrpcService
@Blocking
public class CapacityGrpcService extends CapacityServiceGrpc.CapacityServiceImplBase {

    private final PlanService plans;
    private final CapacityQueries capacity;
    private final CoverageQueries coverage;
    private final ProgressQueries progress;

    CapacityGrpcService(PlanService plans, CapacityQueries capacity, CoverageQueries coverage,
            ProgressQueries progress) {
        this.plans = plans;
        this.capacity = capacity;
        this.coverage = coverage;
        this.progress = progress;
    }

    @Override
    public void getPlan(GetPlanRequest request, StreamObserver<Plan> response) {
        Calls.unary(response, () -> plans.get(request.getName()));
    }

    @Override
    public void listPlans(ListPlansRequest request, StreamObserver<ListPlansResponse> response) {
        Calls.unary(response, () -> plans.list(request));
    }

    @Override
    public void createPlan(CreatePlanRequest request, StreamObserver<Plan> response) {
        Calls.unary(response, () -> plans.create(request));
    }

    @Override
    public void updatePlan(UpdatePlanRequest request, StreamObserver<Plan> response) {
        Calls.unary(response, () -> plans.update(request));
    }

    @Override
    public void deletePlan(DeletePlanRequest request, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            plans.delete(request);
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void summarizeCapacity(SummarizeCapacityRequest request,
            StreamObserver<SummarizeCapacityResponse> response) {
        Calls.unary(response, () -> capacity.summarize(request));
    }

    @Override
    public void summarizeCoverage(SummarizeCoverageRequest request,
            StreamObserver<SummarizeCoverageResponse> response) {
        Calls.unary(response, () -> coverage.summarize(request));
    }

    @Override
    public void listUncoveredUnits(ListUncoveredUnitsRequest request,
            StreamObserver<ListUncoveredUnitsResponse> response) {
        Calls.unary(response, () -> coverage.listUncovered(request));
    }

    @Override
    public void listGoalUnits(ListGoalUnitsRequest request, StreamObserver<ListGoalUnitsResponse> response) {
        Calls.unary(response, () -> coverage.listUnits(request));
    }

    @Override
    public void getCoverageEvidence(GetCoverageEvidenceRequest request, StreamObserver<CoverageEvidence> response) {
        Calls.unary(response, () -> coverage.evidence(request));
    }

    @Override
    public void getPlanProgress(GetPlanProgressRequest request, StreamObserver<PlanProgress> response) {
        Calls.unary(response, () -> progress.progress(request));
    }
}
