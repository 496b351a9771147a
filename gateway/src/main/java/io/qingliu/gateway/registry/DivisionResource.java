package io.qingliu.gateway.registry;

import io.qingliu.api.project.v1.ListDivisionsRequest;
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
import io.qingliu.api.project.v1.UpdateDivisionRequest;
import io.qingliu.api.project.v1.Division;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Divisions (project-service's ListDivisions, UpdateDivision; GetDivision is one of {@code http/GetRoutes}). */
@Path("/api/v1/divisions")
@Produces(MediaType.APPLICATION_JSON)
public class DivisionResource {

    @GrpcClient("project")
    ProjectServiceBlockingStub project;

    /** The same service for reads that wait on the event loop rather than on a worker thread. */
    @GrpcClient("project")
    MutinyProjectServiceGrpc.MutinyProjectServiceStub projectAsync;

    @Inject
    Calls calls;

    @GET
    @Operation(summary = "ListDivisions: one page of divisions")
    public Uni<Response> list(@QueryParam("pageSize") String pageSize, @QueryParam("pageToken") String pageToken,
            @QueryParam("filter") String filter, @QueryParam("orderBy") String orderBy) {
        var request = ListDivisionsRequest.newBuilder().setPageSize(Params.pageSize(pageSize))
                .setPageToken(Params.text(pageToken)).setFilter(Params.text(filter)).setOrderBy(Params.text(orderBy))
                .build();
        return calls.readAsync(Service.PROJECT, projectAsync, s -> s.listDivisions(request)).map(ProtoJson::ok);
    }

    @PATCH
    @Path("/{division}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "UpdateDivision: the basin planning staff set; If-Match: the etag")
    public Response update(@PathParam("division") String division, String body,
            @QueryParam("updateMask") String updateMask, @HeaderParam("If-Match") String ifMatch) {
        Division.Builder changes = Bodies.parse(body, Division.newBuilder(), "division").setName("divisions/" + division);
        Params.ifPresent(Bodies.ifMatch(ifMatch), changes::setEtag);
        var request = UpdateDivisionRequest.newBuilder().setDivision(changes)
                .setUpdateMask(Bodies.updateMask(updateMask, body)).build();
        return ProtoJson.ok(calls.write(Service.PROJECT, project, s -> s.updateDivision(request)));
    }
}
