package io.qingliu.project.auth;

import static io.qingliu.api.project.v1.ProjectServiceGrpc.getCreateFacilityMethod;
import static io.qingliu.api.project.v1.ProjectServiceGrpc.getCreateProjectMethod;
import static io.qingliu.api.project.v1.ProjectServiceGrpc.getDeleteFacilityMethod;
import static io.qingliu.api.project.v1.ProjectServiceGrpc.getDeleteProjectMethod;
import static io.qingliu.api.project.v1.ProjectServiceGrpc.getGetDivisionMethod;
import static io.qingliu.api.project.v1.ProjectServiceGrpc.getGetFacilityMethod;
import static io.qingliu.api.project.v1.ProjectServiceGrpc.getGetProjectMethod;
import static io.qingliu.api.project.v1.ProjectServiceGrpc.getImportDivisionsMethod;
import static io.qingliu.api.project.v1.ProjectServiceGrpc.getImportProjectsMethod;
import static io.qingliu.api.project.v1.ProjectServiceGrpc.getListDivisionsMethod;
import static io.qingliu.api.project.v1.ProjectServiceGrpc.getListFacilitiesMethod;
import static io.qingliu.api.project.v1.ProjectServiceGrpc.getListProjectHistoryMethod;
import static io.qingliu.api.project.v1.ProjectServiceGrpc.getListProjectsMethod;
import static io.qingliu.api.project.v1.ProjectServiceGrpc.getTransitionProjectMethod;
import static io.qingliu.api.project.v1.ProjectServiceGrpc.getUpdateDivisionMethod;
import static io.qingliu.api.project.v1.ProjectServiceGrpc.getUpdateFacilityMethod;
import static io.qingliu.api.project.v1.ProjectServiceGrpc.getUpdateProjectMethod;
import static io.qingliu.api.project.v1.ProjectServiceGrpc.getWatchChangesMethod;

import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.kit.auth.Access;
import io.qingliu.kit.auth.AuthInterceptor;
import io.qingliu.kit.auth.TokenVerifier;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * Who may call which method of the registry. Writes to facilities and projects are open to
 * county systems, whose every record is then checked to lie in their county (by the services
 * that write them); basins of divisions are the city's planning data; importing an official
 * division list is an administrator's act. The change feed is a read: a county system may read
 * everything, so its feed is the whole registry's.
 */
@GlobalInterceptor
@Singleton
public class ProjectAccessRules extends AuthInterceptor {

    ProjectAccessRules(TokenVerifier verifier) {
        super(verifier, List.of(ProjectServiceGrpc.getServiceDescriptor()), Map.ofEntries(
                Map.entry(getGetDivisionMethod(), Access.READ),
                Map.entry(getListDivisionsMethod(), Access.READ),
                Map.entry(getUpdateDivisionMethod(), Access.WRITE_CITY),
                Map.entry(getImportDivisionsMethod(), Access.ADMINISTER),
                Map.entry(getGetFacilityMethod(), Access.READ),
                Map.entry(getListFacilitiesMethod(), Access.READ),
                Map.entry(getCreateFacilityMethod(), Access.WRITE_RECORDS),
                Map.entry(getUpdateFacilityMethod(), Access.WRITE_RECORDS),
                Map.entry(getDeleteFacilityMethod(), Access.WRITE_RECORDS),
                Map.entry(getGetProjectMethod(), Access.READ),
                Map.entry(getListProjectsMethod(), Access.READ),
                Map.entry(getCreateProjectMethod(), Access.WRITE_RECORDS),
                Map.entry(getUpdateProjectMethod(), Access.WRITE_RECORDS),
                Map.entry(getDeleteProjectMethod(), Access.WRITE_RECORDS),
                Map.entry(getTransitionProjectMethod(), Access.WRITE_RECORDS),
                Map.entry(getImportProjectsMethod(), Access.WRITE_RECORDS),
                Map.entry(getListProjectHistoryMethod(), Access.READ),
                Map.entry(getWatchChangesMethod(), Access.READ)));
    }
}
