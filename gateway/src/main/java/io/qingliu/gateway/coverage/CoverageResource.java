package io.qingliu.gateway.coverage;

import io.qingliu.api.capacity.v1.CapacityServiceGrpc.CapacityServiceBlockingStub;
import io.qingliu.api.capacity.v1.CoverageBreakdown;
import io.qingliu.api.capacity.v1.GetCoverageEvidenceRequest;
import io.qingliu.api.capacity.v1.ListGoalUnitsRequest;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsRequest;
import io.qingliu.api.capacity.v1.SummarizeCoverageRequest;
import io.qingliu.gateway.downstream.Calls;
import io.qingliu.gateway.downstream.Service;
import io.qingliu.gateway.http.Params;
import io.qingliu.gateway.http.ProtoJson;
import io.quarkus.grpc.GrpcClient;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Coverage of a plan's goal (capacity-service's SummarizeCoverage, ListUncoveredUnits, ListGoalUnits,
 * GetCoverageEvidence), as AIP-136 custom methods on the goal: {@code {goal}:summarizeCoverage}; and
 * {@code {goal}:exportUnits}, the gateway's own: every unit with its status as a streamed CSV.
 */
@Path("/api/v1/plans/{plan}/coverageGoals")
@Produces(MediaType.APPLICATION_JSON)
public class CoverageResource {

    @GrpcClient("capacity")
    CapacityServiceBlockingStub capacity;

    @Inject
    Calls calls;

    @Inject
    UnitsExport export;

    private static final String METHODS = ":summarizeCoverage, :listUncoveredUnits, :listUnits, :getCoverageEvidence"
            + " and :exportUnits";

    /**
     * JAX-RS path templates cannot put a literal after a parameter inside one segment
     * ({@code {goal}:summarizeCoverage}), so the segment is matched whole and split at its colon.
     */
    @GET
    @Path("/{goalMethod}")
    @Produces({MediaType.APPLICATION_JSON, UnitsExport.MEDIA_TYPE})
    @Operation(summary = "Custom methods on a goal: {goal}:summarizeCoverage (areaCode, asOfDate, breakdown), "
            + "{goal}:listUncoveredUnits (areaCode, asOfDate, pageSize, pageToken), "
            + "{goal}:listUnits (areaCode, asOfDate, filter, pageSize, pageToken), "
            + "{goal}:getCoverageEvidence (unitCode, asOfDate), "
            + "{goal}:exportUnits (areaCode, asOfDate, filter): every unit with its status as CSV, streamed")
    public Response goalMethod(@PathParam("plan") String plan, @PathParam("goalMethod") String goalMethod,
            @QueryParam("areaCode") String areaCode, @QueryParam("asOfDate") String asOfDate,
            @QueryParam("breakdown") String breakdown, @QueryParam("pageSize") String pageSize,
            @QueryParam("pageToken") String pageToken, @QueryParam("unitCode") String unitCode,
            @QueryParam("filter") String filter) {
        int colon = goalMethod.lastIndexOf(':');
        if (colon <= 0) {
            throw new NotFoundException("no route for coverageGoals/" + goalMethod + "; a goal answers " + METHODS);
        }
        String goal = goalName(plan, goalMethod.substring(0, colon));
        return switch (goalMethod.substring(colon + 1)) {
            case "summarizeCoverage" -> summarize(goal, areaCode, asOfDate, breakdown);
            case "listUncoveredUnits" -> uncovered(goal, areaCode, asOfDate, pageSize, pageToken);
            case "listUnits" -> units(goal, areaCode, asOfDate, filter, pageSize, pageToken);
            case "getCoverageEvidence" -> evidence(goal, unitCode, asOfDate);
            case "exportUnits" -> export.csv(goal, areaCode, asOfDate, filter);
            default -> throw new NotFoundException("no method :" + goalMethod.substring(colon + 1)
                    + " on a coverage goal; there are " + METHODS);
        };
    }

    private Response summarize(String goal, String areaCode, String asOfDate, String breakdown) {
        var request = SummarizeCoverageRequest.newBuilder().setGoal(goal).setAreaCode(Params.text(areaCode));
        Params.ifPresent(Params.date("asOfDate", asOfDate), request::setAsOfDate);
        Params.ifPresent(Params.enumValue("breakdown", breakdown, CoverageBreakdown.class, "COVERAGE_BREAKDOWN_"),
                request::setBreakdown);
        return ProtoJson.ok(calls.read(Service.CAPACITY, capacity, s -> s.summarizeCoverage(request.build())));
    }

    private Response uncovered(String goal, String areaCode, String asOfDate, String pageSize, String pageToken) {
        var request = ListUncoveredUnitsRequest.newBuilder().setGoal(goal).setAreaCode(Params.text(areaCode))
                .setPageSize(Params.pageSize(pageSize)).setPageToken(Params.text(pageToken));
        Params.ifPresent(Params.date("asOfDate", asOfDate), request::setAsOfDate);
        return ProtoJson.ok(calls.read(Service.CAPACITY, capacity, s -> s.listUncoveredUnits(request.build())));
    }

    private Response units(String goal, String areaCode, String asOfDate, String filter, String pageSize,
            String pageToken) {
        var request = ListGoalUnitsRequest.newBuilder().setGoal(goal).setAreaCode(Params.text(areaCode))
                .setFilter(Params.text(filter)).setPageSize(Params.pageSize(pageSize)).setPageToken(Params.text(pageToken));
        Params.ifPresent(Params.date("asOfDate", asOfDate), request::setAsOfDate);
        return ProtoJson.ok(calls.read(Service.CAPACITY, capacity, s -> s.listGoalUnits(request.build())));
    }

    private Response evidence(String goal, String unitCode, String asOfDate) {
        var request = GetCoverageEvidenceRequest.newBuilder().setGoal(goal).setUnitCode(Params.text(unitCode));
        Params.ifPresent(Params.date("asOfDate", asOfDate), request::setAsOfDate);
        return ProtoJson.ok(calls.read(Service.CAPACITY, capacity, s -> s.getCoverageEvidence(request.build())));
    }

    private static String goalName(String plan, String goal) {
        return "plans/" + plan + "/coverageGoals/" + goal;
    }
}
