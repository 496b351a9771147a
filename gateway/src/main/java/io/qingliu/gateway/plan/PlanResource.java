package io.qingliu.gateway.plan;

import io.qingliu.api.capacity.v1.CapacityServiceGrpc.CapacityServiceBlockingStub;
import io.qingliu.api.capacity.v1.GetPlanProgressRequest;
import io.qingliu.api.capacity.v1.ListPlansRequest;
import io.qingliu.gateway.downstream.Calls;
import io.qingliu.gateway.downstream.Service;
import io.qingliu.gateway.http.Params;
import io.qingliu.gateway.http.ProtoJson;
import io.qingliu.api.capacity.v1.MutinyCapacityServiceGrpc;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import io.qingliu.gateway.http.Bodies;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.DELETE;
import io.qingliu.api.capacity.v1.CreatePlanRequest;
import io.qingliu.api.capacity.v1.UpdatePlanRequest;
import io.qingliu.api.capacity.v1.DeletePlanRequest;
import io.qingliu.api.capacity.v1.Plan;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Plans (capacity-service's ListPlans, GetPlanProgress and writes; GetPlan is one of {@code http/GetRoutes}). */
@Path("/api/v1/plans")
@Produces(MediaType.APPLICATION_JSON)
public class PlanResource {

    @GrpcClient("capacity")
    CapacityServiceBlockingStub capacity;

    /** The same service for reads that wait on the event loop rather than on a worker thread. */
    @GrpcClient("capacity")
    MutinyCapacityServiceGrpc.MutinyCapacityServiceStub capacityAsync;

    @Inject
    Calls calls;

    /** ListPlansRequest has no filter nor order (plans come ordered by code). */
    @GET
    @Operation(summary = "ListPlans: one page of plans, ordered by code")
    public Uni<Response> list(@QueryParam("pageSize") String pageSize, @QueryParam("pageToken") String pageToken) {
        var request = ListPlansRequest.newBuilder().setPageSize(Params.pageSize(pageSize))
                .setPageToken(Params.text(pageToken)).build();
        return calls.readAsync(Service.CAPACITY, capacityAsync, s -> s.listPlans(request)).map(ProtoJson::ok);
    }

    @GET
    @Path("/{plan}/progress")
    @Operation(summary = "GetPlanProgress: every target with achieved, pipeline and forecast, late projects, monthly series")
    public Uni<Response> progress(@PathParam("plan") String plan, @QueryParam("asOfDate") String asOfDate,
            @QueryParam("areaCode") String areaCode) {
        var request = GetPlanProgressRequest.newBuilder().setName("plans/" + plan).setAreaCode(Params.text(areaCode));
        Params.ifPresent(Params.date("asOfDate", asOfDate), request::setAsOfDate);
        return calls.readAsync(Service.CAPACITY, capacityAsync, s -> s.getPlanProgress(request.build())).map(ProtoJson::ok);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "CreatePlan: the body is the plan; requestId makes a retry return the first answer")
    public Response create(String body, @QueryParam("requestId") String requestId) {
        var request = CreatePlanRequest.newBuilder().setPlan(Bodies.parse(body, Plan.newBuilder(), "plan"))
                .setRequestId(Params.text(requestId)).build();
        return ProtoJson.ok(calls.write(Service.CAPACITY, capacity, s -> s.createPlan(request)));
    }

    @PATCH
    @Path("/{plan}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "UpdatePlan: the fields of updateMask (default: those the body sets); If-Match: the etag")
    public Response update(@PathParam("plan") String plan, String body, @QueryParam("updateMask") String updateMask,
            @QueryParam("requestId") String requestId, @HeaderParam("If-Match") String ifMatch) {
        Plan.Builder changes = Bodies.parse(body, Plan.newBuilder(), "plan").setName("plans/" + plan);
        Params.ifPresent(Bodies.ifMatch(ifMatch), changes::setEtag);
        var request = UpdatePlanRequest.newBuilder().setPlan(changes).setUpdateMask(Bodies.updateMask(updateMask, body))
                .setRequestId(Params.text(requestId)).build();
        return ProtoJson.ok(calls.write(Service.CAPACITY, capacity, s -> s.updatePlan(request)));
    }

    @DELETE
    @Path("/{plan}")
    @Operation(summary = "DeletePlan and its coverage goals; the etag as If-Match or ?etag=")
    public Response delete(@PathParam("plan") String plan, @HeaderParam("If-Match") String ifMatch,
            @QueryParam("etag") String etag) {
        var request = DeletePlanRequest.newBuilder().setName("plans/" + plan)
                .setEtag(Params.text(Bodies.ifMatch(ifMatch, etag))).build();
        return ProtoJson.ok(calls.write(Service.CAPACITY, capacity, s -> s.deletePlan(request)));
    }
}
