package io.qingliu.capacity.auth;

import static io.qingliu.api.capacity.v1.CapacityServiceGrpc.getCreatePlanMethod;
import static io.qingliu.api.capacity.v1.CapacityServiceGrpc.getDeletePlanMethod;
import static io.qingliu.api.capacity.v1.CapacityServiceGrpc.getGetCoverageEvidenceMethod;
import static io.qingliu.api.capacity.v1.CapacityServiceGrpc.getGetPlanMethod;
import static io.qingliu.api.capacity.v1.CapacityServiceGrpc.getGetPlanProgressMethod;
import static io.qingliu.api.capacity.v1.CapacityServiceGrpc.getListGoalUnitsMethod;
import static io.qingliu.api.capacity.v1.CapacityServiceGrpc.getListPlansMethod;
import static io.qingliu.api.capacity.v1.CapacityServiceGrpc.getListUncoveredUnitsMethod;
import static io.qingliu.api.capacity.v1.CapacityServiceGrpc.getSummarizeCapacityMethod;
import static io.qingliu.api.capacity.v1.CapacityServiceGrpc.getSummarizeCoverageMethod;
import static io.qingliu.api.capacity.v1.CapacityServiceGrpc.getUpdatePlanMethod;

import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.kit.auth.Access;
import io.qingliu.kit.auth.AuthInterceptor;
import io.qingliu.kit.auth.TokenVerifier;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * Who may call which method of capacity-service: every role reads every answer (a county's
 * staff compare themselves with the others); plans and their goals are what the city sets, so
 * only planners and admins write them.
 */
@GlobalInterceptor
@Singleton
public class CapacityAccessRules extends AuthInterceptor {

    CapacityAccessRules(TokenVerifier verifier) {
        super(verifier, List.of(CapacityServiceGrpc.getServiceDescriptor()), Map.ofEntries(
                Map.entry(getGetPlanMethod(), Access.READ),
                Map.entry(getListPlansMethod(), Access.READ),
                Map.entry(getCreatePlanMethod(), Access.WRITE_CITY),
                Map.entry(getUpdatePlanMethod(), Access.WRITE_CITY),
                Map.entry(getDeletePlanMethod(), Access.WRITE_CITY),
                Map.entry(getSummarizeCapacityMethod(), Access.READ),
                Map.entry(getSummarizeCoverageMethod(), Access.READ),
                Map.entry(getListUncoveredUnitsMethod(), Access.READ),
                Map.entry(getListGoalUnitsMethod(), Access.READ),
                Map.entry(getGetCoverageEvidenceMethod(), Access.READ),
                Map.entry(getGetPlanProgressMethod(), Access.READ)));
    }
}
