package io.qingliu.gateway.registry;

import io.qingliu.api.project.v1.ListFacilitiesRequest;
import io.qingliu.api.project.v1.ProjectServiceGrpc.ProjectServiceBlockingStub;
import io.qingliu.gateway.downstream.Calls;
import io.qingliu.gateway.downstream.Service;
import io.qingliu.gateway.http.Params;
import io.qingliu.gateway.http.ProtoJson;
import io.qingliu.api.project.v1.MutinyProjectServiceGrpc;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import io.qingliu.gateway.http.Bodies;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.DELETE;
import io.qingliu.api.project.v1.CreateFacilityRequest;
import io.qingliu.api.project.v1.UpdateFacilityRequest;
import io.qingliu.api.project.v1.DeleteFacilityRequest;
import io.qingliu.api.project.v1.Facility;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Facilities (project-service's ListFacilities and writes; GetFacility is one of {@code http/GetRoutes}). */
@Path("/api/v1/facilities")
@Produces(MediaType.APPLICATION_JSON)
public class FacilityResource {

    @GrpcClient("project")
    ProjectServiceBlockingStub project;

    /** The same service for reads that wait on the event loop rather than on a worker thread. */
    @GrpcClient("project")
    MutinyProjectServiceGrpc.MutinyProjectServiceStub projectAsync;

    @Inject
    Calls calls;

    @GET
    @Operation(summary = "ListFacilities: one page of facilities")
    public Uni<Response> list(@QueryParam("pageSize") String pageSize, @QueryParam("pageToken") String pageToken,
            @QueryParam("filter") String filter, @QueryParam("orderBy") String orderBy) {
        var request = ListFacilitiesRequest.newBuilder().setPageSize(Params.pageSize(pageSize))
                .setPageToken(Params.text(pageToken)).setFilter(Params.text(filter)).setOrderBy(Params.text(orderBy))
                .build();
        return calls.readAsync(Service.PROJECT, projectAsync, s -> s.listFacilities(request)).map(ProtoJson::ok);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "CreateFacility: the body is the facility; requestId makes a retry return the first answer")
    public Response create(String body, @QueryParam("requestId") String requestId) {
        var request = CreateFacilityRequest.newBuilder()
                .setFacility(Bodies.parse(body, Facility.newBuilder(), "facility"))
                .setRequestId(Params.text(requestId)).build();
        return ProtoJson.ok(calls.write(Service.PROJECT, project, s -> s.createFacility(request)));
    }

    @PATCH
    @Path("/{facility}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "UpdateFacility: the fields of updateMask (default: those the body sets); If-Match: the etag")
    public Response update(@PathParam("facility") String facility, String body,
            @QueryParam("updateMask") String updateMask, @HeaderParam("If-Match") String ifMatch) {
        Facility.Builder changes = Bodies.parse(body, Facility.newBuilder(), "facility").setName("facilities/" + facility);
        Params.ifPresent(Bodies.ifMatch(ifMatch), changes::setEtag);
        var request = UpdateFacilityRequest.newBuilder().setFacility(changes)
                .setUpdateMask(Bodies.updateMask(updateMask, body)).build();
        return ProtoJson.ok(calls.write(Service.PROJECT, project, s -> s.updateFacility(request)));
    }

    @DELETE
    @Path("/{facility}")
    @Operation(summary = "DeleteFacility; the etag as If-Match or ?etag=")
    public Response delete(@PathParam("facility") String facility, @HeaderParam("If-Match") String ifMatch,
            @QueryParam("etag") String etag) {
        var request = DeleteFacilityRequest.newBuilder().setName("facilities/" + facility)
                .setEtag(Params.text(Bodies.ifMatch(ifMatch, etag))).build();
        return ProtoJson.ok(calls.write(Service.PROJECT, project, s -> s.deleteFacility(request)));
    }
}
