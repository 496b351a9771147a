package io.qingliu.gateway.registry;

import io.qingliu.api.project.v1.ListProjectsRequest;
import io.qingliu.api.project.v1.MutinyProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectServiceGrpc.ProjectServiceBlockingStub;
import io.smallrye.mutiny.Uni;
import io.qingliu.gateway.downstream.Calls;
import io.qingliu.gateway.downstream.Service;
import io.qingliu.gateway.http.Params;
import io.qingliu.gateway.http.ProtoJson;
import io.quarkus.grpc.GrpcClient;
import io.qingliu.gateway.http.Bodies;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.DELETE;
import io.qingliu.api.project.v1.CreateProjectRequest;
import io.qingliu.api.project.v1.UpdateProjectRequest;
import io.qingliu.api.project.v1.DeleteProjectRequest;
import io.qingliu.api.project.v1.TransitionProjectRequest;
import io.qingliu.api.project.v1.ListProjectHistoryRequest;
import io.qingliu.api.project.v1.Project;
import jakarta.ws.rs.NotFoundException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Projects (project-service's ListProjects, history and writes; GetProject is one of {@code http/GetRoutes}). */
@Path("/api/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectResource {

    @GrpcClient("project")
    ProjectServiceBlockingStub project;

    /** The same service for reads that wait on the event loop rather than on a worker thread. */
    @GrpcClient("project")
    MutinyProjectServiceGrpc.MutinyProjectServiceStub projectAsync;

    @Inject
    Calls calls;

    @GET
    @Operation(summary = "ListProjects: one page of projects")
    public Uni<Response> list(@QueryParam("pageSize") String pageSize, @QueryParam("pageToken") String pageToken,
            @QueryParam("filter") String filter, @QueryParam("orderBy") String orderBy) {
        var request = ListProjectsRequest.newBuilder().setPageSize(Params.pageSize(pageSize))
                .setPageToken(Params.text(pageToken)).setFilter(Params.text(filter)).setOrderBy(Params.text(orderBy))
                .build();
        return calls.readAsync(Service.PROJECT, projectAsync, s -> s.listProjects(request)).map(ProtoJson::ok);
    }

    /** The body is the whole request: the project and, for a new build, the facility it creates. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "CreateProject: body {project, newFacility, requestId}")
    public Response create(String body) {
        var request = Bodies.parse(body, CreateProjectRequest.newBuilder(), "").build();
        return ProtoJson.ok(calls.write(Service.PROJECT, project, s -> s.createProject(request)));
    }

    @PATCH
    @Path("/{project}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "UpdateProject: the fields of updateMask (default: those the body sets); If-Match: the etag")
    public Response update(@PathParam("project") String projectId, String body,
            @QueryParam("updateMask") String updateMask, @HeaderParam("If-Match") String ifMatch) {
        Project.Builder changes = Bodies.parse(body, Project.newBuilder(), "project").setName("projects/" + projectId);
        Params.ifPresent(Bodies.ifMatch(ifMatch), changes::setEtag);
        var request = UpdateProjectRequest.newBuilder().setProject(changes)
                .setUpdateMask(Bodies.updateMask(updateMask, body)).build();
        return ProtoJson.ok(calls.write(Service.PROJECT, project, s -> s.updateProject(request)));
    }

    @DELETE
    @Path("/{project}")
    @Operation(summary = "DeleteProject; the etag as If-Match or ?etag=")
    public Response delete(@PathParam("project") String projectId, @HeaderParam("If-Match") String ifMatch,
            @QueryParam("etag") String etag) {
        var request = DeleteProjectRequest.newBuilder().setName("projects/" + projectId)
                .setEtag(Params.text(Bodies.ifMatch(ifMatch, etag))).build();
        return ProtoJson.ok(calls.write(Service.PROJECT, project, s -> s.deleteProject(request)));
    }

    /** {@code projects/{id}:transition}: matched as a whole segment, as JAX-RS templates cannot end mid-segment. */
    @POST
    @Path("/{projectMethod}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "TransitionProject, as {project}:transition: body {state, effectiveDate, reason, requestId}; If-Match: the etag")
    public Response transition(@PathParam("projectMethod") String projectMethod, String body,
            @HeaderParam("If-Match") String ifMatch) {
        int colon = projectMethod.lastIndexOf(':');
        if (colon <= 0 || !projectMethod.substring(colon + 1).equals("transition")) {
            throw new NotFoundException("no route for POST projects/" + projectMethod + "; a project answers :transition");
        }
        TransitionProjectRequest.Builder request = Bodies.parse(body, TransitionProjectRequest.newBuilder(), "")
                .setName("projects/" + projectMethod.substring(0, colon));
        Params.ifPresent(Bodies.ifMatch(ifMatch), request::setEtag);
        return ProtoJson.ok(calls.write(Service.PROJECT, project, s -> s.transitionProject(request.build())));
    }

    @GET
    @Path("/{project}/history")
    @Operation(summary = "ListProjectHistory: the audit trail of one project, one page at a time")
    public Uni<Response> history(@PathParam("project") String projectId, @QueryParam("pageSize") String pageSize,
            @QueryParam("pageToken") String pageToken) {
        var request = ListProjectHistoryRequest.newBuilder().setName("projects/" + projectId)
                .setPageSize(Params.pageSize(pageSize)).setPageToken(Params.text(pageToken)).build();
        return calls.readAsync(Service.PROJECT, projectAsync, s -> s.listProjectHistory(request)).map(ProtoJson::ok);
    }
}
