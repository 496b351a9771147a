package io.qingliu.gateway.capacity;

import io.qingliu.api.capacity.v1.CapacityGrouping;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc.CapacityServiceBlockingStub;
import io.qingliu.api.capacity.v1.SummarizeCapacityRequest;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.gateway.downstream.Calls;
import io.qingliu.gateway.downstream.Service;
import io.qingliu.gateway.http.Params;
import io.qingliu.gateway.http.ProtoJson;
import io.qingliu.api.capacity.v1.MutinyCapacityServiceGrpc;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
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
 * capacity-service's SummarizeCapacity, a method on no one resource: {@code capacity:summarize}.
 * Quarkus REST matches no literal path with a colon in it, so the segment is taken whole and
 * checked here; the collections' own resources, being more literal, keep their paths.
 */
@Path("/api/v1/{collectionMethod}")
@Produces(MediaType.APPLICATION_JSON)
public class CapacityResource {

    @GrpcClient("capacity")
    CapacityServiceBlockingStub capacity;

    /** The same service for reads that wait on the event loop rather than on a worker thread. */
    @GrpcClient("capacity")
    MutinyCapacityServiceGrpc.MutinyCapacityServiceStub capacityAsync;

    @Inject
    Calls calls;

    @GET
    @Operation(summary = "SummarizeCapacity: in operation, added and pipeline, tonnes a day, as of a date")
    public Uni<Response> summarize(@PathParam("collectionMethod") String collectionMethod,
            @QueryParam("facilityType") String facilityType, @QueryParam("areaCode") String areaCode,
            @QueryParam("asOfDate") String asOfDate, @QueryParam("plan") String plan,
            @QueryParam("grouping") String grouping) {
        if (!collectionMethod.equals("capacity:summarize")) {
            throw new NotFoundException("no route for /api/v1/" + collectionMethod);
        }
        var request = SummarizeCapacityRequest.newBuilder().setAreaCode(Params.text(areaCode))
                .setPlan(Params.text(plan));
        Params.ifPresent(Params.enumValue("facilityType", facilityType, FacilityType.class, "FACILITY_TYPE_"),
                request::setFacilityType);
        Params.ifPresent(Params.date("asOfDate", asOfDate), request::setAsOfDate);
        Params.ifPresent(Params.enumValue("grouping", grouping, CapacityGrouping.class, "CAPACITY_GROUPING_"),
                request::setGrouping);
        return calls.readAsync(Service.CAPACITY, capacityAsync, s -> s.summarizeCapacity(request.build())).map(ProtoJson::ok);
    }
}
