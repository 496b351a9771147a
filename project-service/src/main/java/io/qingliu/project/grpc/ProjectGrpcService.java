package io.qingliu.project.grpc;

import io.qingliu.kit.grpc.Calls;
import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.qingliu.api.project.v1.CreateFacilityRequest;
import io.qingliu.api.project.v1.CreateProjectRequest;
import io.qingliu.api.project.v1.DeleteFacilityRequest;
import io.qingliu.api.project.v1.DeleteProjectRequest;
import io.qingliu.api.project.v1.Division;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.GetDivisionRequest;
import io.qingliu.api.project.v1.GetFacilityRequest;
import io.qingliu.api.project.v1.GetProjectRequest;
import io.qingliu.api.project.v1.ImportDivisionsRequest;
import io.qingliu.api.project.v1.ImportDivisionsResponse;
import io.qingliu.api.project.v1.ImportProjectsRequest;
import io.qingliu.api.project.v1.ImportProjectsResponse;
import io.qingliu.api.project.v1.ListDivisionsRequest;
import io.qingliu.api.project.v1.ListDivisionsResponse;
import io.qingliu.api.project.v1.ListFacilitiesRequest;
import io.qingliu.api.project.v1.ListFacilitiesResponse;
import io.qingliu.api.project.v1.ListProjectHistoryRequest;
import io.qingliu.api.project.v1.ListProjectHistoryResponse;
import io.qingliu.api.project.v1.ListProjectsRequest;
import io.qingliu.api.project.v1.ListProjectsResponse;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.TransitionProjectRequest;
import io.qingliu.api.project.v1.UpdateDivisionRequest;
import io.qingliu.api.project.v1.UpdateFacilityRequest;
import io.qingliu.api.project.v1.UpdateProjectRequest;
import io.qingliu.api.project.v1.WatchChangesRequest;
import io.qingliu.api.project.v1.WatchChangesResponse;
import io.qingliu.project.division.DivisionImportUpload;
import io.qingliu.project.division.DivisionImporter;
import io.qingliu.project.division.DivisionService;
import io.qingliu.project.facility.FacilityService;
import io.qingliu.project.feed.AuditTrail;
import io.qingliu.project.feed.ChangeStream;
import io.qingliu.project.project.ProjectImportUpload;
import io.qingliu.project.project.ProjectImporter;
import io.qingliu.project.project.ProjectReads;
import io.qingliu.project.project.ProjectService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

/**
 * The gRPC face of the registry: each method hands the request to its feature's service, which
 * checks it and runs it in a transaction, and answers after the commit.
 */
@GrpcService
public class ProjectGrpcService extends ProjectServiceGrpc.ProjectServiceImplBase {

    private final DivisionService divisions;
    private final DivisionImporter divisionImporter;
    private final FacilityService facilities;
    private final ProjectService projects;
    private final ProjectReads reads;
    private final ProjectImporter projectImporter;
    private final AuditTrail auditTrail;
    private final ChangeStream changeStream;
    private final UploadWatch uploadWatch;

    ProjectGrpcService(DivisionService divisions, DivisionImporter divisionImporter, FacilityService facilities,
            ProjectService projects, ProjectReads reads, ProjectImporter projectImporter, AuditTrail auditTrail,
            ChangeStream changeStream, UploadWatch uploadWatch) {
        this.divisions = divisions;
        this.divisionImporter = divisionImporter;
        this.facilities = facilities;
        this.projects = projects;
        this.reads = reads;
        this.projectImporter = projectImporter;
        this.auditTrail = auditTrail;
        this.changeStream = changeStream;
        this.uploadWatch = uploadWatch;
    }

    @Override
    @Blocking
    public void getDivision(GetDivisionRequest request, StreamObserver<Division> response) {
        Calls.unary(response, () -> divisions.get(request.getName()));
    }

    @Override
    @Blocking
    public void listDivisions(ListDivisionsRequest request, StreamObserver<ListDivisionsResponse> response) {
        Calls.unary(response, () -> divisions.list(request));
    }

    @Override
    @Blocking
    public void updateDivision(UpdateDivisionRequest request, StreamObserver<Division> response) {
        Calls.unary(response, () -> divisions.update(request));
    }

    @Override
    @Blocking
    public StreamObserver<ImportDivisionsRequest> importDivisions(StreamObserver<ImportDivisionsResponse> response) {
        return new DivisionImportUpload(response, divisionImporter, uploadWatch);
    }

    @Override
    @Blocking
    public void getFacility(GetFacilityRequest request, StreamObserver<Facility> response) {
        Calls.unary(response, () -> facilities.get(request.getName()));
    }

    @Override
    @Blocking
    public void listFacilities(ListFacilitiesRequest request, StreamObserver<ListFacilitiesResponse> response) {
        Calls.unary(response, () -> facilities.list(request));
    }

    @Override
    @Blocking
    public void createFacility(CreateFacilityRequest request, StreamObserver<Facility> response) {
        Calls.unary(response, () -> facilities.create(request));
    }

    @Override
    @Blocking
    public void updateFacility(UpdateFacilityRequest request, StreamObserver<Facility> response) {
        Calls.unary(response, () -> facilities.update(request));
    }

    @Override
    @Blocking
    public void deleteFacility(DeleteFacilityRequest request, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            facilities.delete(request);
            return Empty.getDefaultInstance();
        });
    }

    @Override
    // Not @Blocking: the row is read without a worker thread (ProjectReads).
    public void getProject(GetProjectRequest request, StreamObserver<Project> response) {
        Calls.unary(response, reads.get(request.getName()).toCompletionStage());
    }

    @Override
    @Blocking
    public void listProjects(ListProjectsRequest request, StreamObserver<ListProjectsResponse> response) {
        Calls.unary(response, () -> projects.list(request));
    }

    @Override
    @Blocking
    public void createProject(CreateProjectRequest request, StreamObserver<Project> response) {
        Calls.unary(response, () -> projects.create(request));
    }

    @Override
    @Blocking
    public void updateProject(UpdateProjectRequest request, StreamObserver<Project> response) {
        Calls.unary(response, () -> projects.update(request));
    }

    @Override
    @Blocking
    public void deleteProject(DeleteProjectRequest request, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            projects.delete(request);
            return Empty.getDefaultInstance();
        });
    }

    @Override
    @Blocking
    public void transitionProject(TransitionProjectRequest request, StreamObserver<Project> response) {
        Calls.unary(response, () -> projects.transition(request));
    }

    @Override
    @Blocking
    public StreamObserver<ImportProjectsRequest> importProjects(StreamObserver<ImportProjectsResponse> response) {
        return new ProjectImportUpload(response, projectImporter, uploadWatch);
    }

    @Override
    @Blocking
    public void listProjectHistory(ListProjectHistoryRequest request, StreamObserver<ListProjectHistoryResponse> response) {
        Calls.unary(response, () -> auditTrail.projectHistory(request));
    }

    @Override
    public void watchChanges(WatchChangesRequest request, StreamObserver<WatchChangesResponse> response) {
        changeStream.watch(request, response);
    }
}
