package io.qingliu.gateway.registry;

import io.qingliu.api.project.v1.GetProjectRequest;
import io.qingliu.api.project.v1.ListProjectsRequest;
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

/** Projects (project-service's GetProject, ListProjects). */
@Path("/api/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectResource {

    @GrpcClient("project")
    ProjectServiceBlockingStub project;

    @Inject
    Calls calls;

    @GET
    @Path("/{project}")
    @Operation(summary = "GetProject: one project by its id")
    public Response get(@PathParam("project") String projectId) {
        var request = GetProjectRequest.newBuilder().setName("projects/" + projectId).build();
        return ProtoJson.ok(calls.read(Service.PROJECT, project, s -> s.getProject(request)));
    }

    @GET
    @Operation(summary = "ListProjects: one page of projects")
    public Response list(@QueryParam("pageSize") String pageSize, @QueryParam("pageToken") String pageToken,
            @QueryParam("filter") String filter, @QueryParam("orderBy") String orderBy) {
        var request = ListProjectsRequest.newBuilder().setPageSize(Params.pageSize(pageSize))
                .setPageToken(Params.text(pageToken)).setFilter(Params.text(filter)).setOrderBy(Params.text(orderBy))
                .build();
        return ProtoJson.ok(calls.read(Service.PROJECT, project, s -> s.listProjects(request)));
    }
}
