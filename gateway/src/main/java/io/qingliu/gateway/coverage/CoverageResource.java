package io.qingliu.gateway.coverage;

import io.qingliu.api.capacity.v1.CapacityServiceGrpc.CapacityServiceBlockingStub;
import io.qingliu.api.capacity.v1.CoverageBreakdown;
import io.qingliu.api.capacity.v1.GetCoverageEvidenceRequest;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsRequest;
import io.qingliu.api.capacity.v1.SummarizeCoverageRequest;
import io.qingliu.gateway.downstream.Calls;
import io.qingliu.gateway.downstream.Service;
import io.qingliu.gateway.http.Params;
import io.qingliu.gateway.http.ProtoJson;
import io.quarkus.grpc.GrpcClient;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Coverage of a plan's goal (capacity-service's SummarizeCoverage, ListUncoveredUnits,
 * GetCoverageEvidence), as AIP-136 custom methods on the goal: {@code {goal}:summarizeCoverage}.
 */
@Path("/api/v1/plans/{plan}/coverageGoals")
@Produces(MediaType.APPLICATION_JSON)
public class CoverageResource {

    @GrpcClient("capacity")
    CapacityServiceBlockingStub capacity;

    @Inject
    Calls calls;

    @GET
    @Path("/{goal: [^/:]+}:summarizeCoverage")
    @Operation(summary = "SummarizeCoverage: covered and total units of the goal, per county (and township)")
    public Response summarize(@PathParam("plan") String plan, @PathParam("goal") String goal,
            @QueryParam("areaCode") String areaCode, @QueryParam("asOfDate") String asOfDate,
            @QueryParam("breakdown") String breakdown) {
        var request = SummarizeCoverageRequest.newBuilder().setGoal(goalName(plan, goal))
                .setAreaCode(Params.text(areaCode));
        Params.ifPresent(Params.date("asOfDate", asOfDate), request::setAsOfDate);
        Params.ifPresent(Params.enumValue("breakdown", breakdown, CoverageBreakdown.class, "COVERAGE_BREAKDOWN_"),
                request::setBreakdown);
        return ProtoJson.ok(calls.read(Service.CAPACITY, capacity, s -> s.summarizeCoverage(request.build())));
    }

    @GET
    @Path("/{goal: [^/:]+}:listUncoveredUnits")
    @Operation(summary = "ListUncoveredUnits: one page of the goal's units not covered on the date")
    public Response uncovered(@PathParam("plan") String plan, @PathParam("goal") String goal,
            @QueryParam("areaCode") String areaCode, @QueryParam("asOfDate") String asOfDate,
            @QueryParam("pageSize") String pageSize, @QueryParam("pageToken") String pageToken) {
        var request = ListUncoveredUnitsRequest.newBuilder().setGoal(goalName(plan, goal))
                .setAreaCode(Params.text(areaCode)).setPageSize(Params.pageSize(pageSize))
                .setPageToken(Params.text(pageToken));
        Params.ifPresent(Params.date("asOfDate", asOfDate), request::setAsOfDate);
        return ProtoJson.ok(calls.read(Service.CAPACITY, capacity, s -> s.listUncoveredUnits(request.build())));
    }

    @GET
    @Path("/{goal: [^/:]+}:getCoverageEvidence")
    @Operation(summary = "GetCoverageEvidence: which facilities serve one unit, and since when")
    public Response evidence(@PathParam("plan") String plan, @PathParam("goal") String goal,
            @QueryParam("unitCode") String unitCode, @QueryParam("asOfDate") String asOfDate) {
        var request = GetCoverageEvidenceRequest.newBuilder().setGoal(goalName(plan, goal))
                .setUnitCode(Params.text(unitCode));
        Params.ifPresent(Params.date("asOfDate", asOfDate), request::setAsOfDate);
        return ProtoJson.ok(calls.read(Service.CAPACITY, capacity, s -> s.getCoverageEvidence(request.build())));
    }

    private static String goalName(String plan, String goal) {
        return "plans/" + plan + "/coverageGoals/" + goal;
    }
}
