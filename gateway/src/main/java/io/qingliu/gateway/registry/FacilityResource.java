package io.qingliu.gateway.registry;

import io.qingliu.api.project.v1.GetFacilityRequest;
import io.qingliu.api.project.v1.ListFacilitiesRequest;
import io.qingliu.api.project.v1.ProjectServiceGrpc.ProjectServiceBlockingStub;
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

/** Facilities (project-service's GetFacility, ListFacilities). */
@Path("/api/v1/facilities")
@Produces(MediaType.APPLICATION_JSON)
public class FacilityResource {

    @GrpcClient("project")
    ProjectServiceBlockingStub project;

    @Inject
    Calls calls;

    @GET
    @Path("/{facility}")
    @Operation(summary = "GetFacility: one facility by its id")
    public Response get(@PathParam("facility") String facility) {
        var request = GetFacilityRequest.newBuilder().setName("facilities/" + facility).build();
        return ProtoJson.ok(calls.read(Service.PROJECT, project, s -> s.getFacility(request)));
    }

    @GET
    @Operation(summary = "ListFacilities: one page of facilities")
    public Response list(@QueryParam("pageSize") String pageSize, @QueryParam("pageToken") String pageToken,
            @QueryParam("filter") String filter, @QueryParam("orderBy") String orderBy) {
        var request = ListFacilitiesRequest.newBuilder().setPageSize(Params.pageSize(pageSize))
                .setPageToken(Params.text(pageToken)).setFilter(Params.text(filter)).setOrderBy(Params.text(orderBy))
                .build();
        return ProtoJson.ok(calls.read(Service.PROJECT, project, s -> s.listFacilities(request)));
    }
}
