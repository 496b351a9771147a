package io.qingliu.gateway.downstream;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: one check per service, each asking the service's standard {@code grpc.health.v1}
 * health service, so that {@code /q/health/ready} names the service that is down.
 */
@ApplicationScoped
public class DownstreamHealth {

    @GrpcClient("project")
    Channel project;

    @GrpcClient("capacity")
    Channel capacity;

    @ConfigProperty(name = "qingliu.gateway.health-timeout")
    Duration timeout;

    @Inject
    Redial redial;

    @Produces
    @Readiness
    @ApplicationScoped
    HealthCheck projectService() {
        return () -> check(Service.PROJECT, project);
    }

    @Produces
    @Readiness
    @ApplicationScoped
    HealthCheck capacityService() {
        return () -> check(Service.CAPACITY, capacity);
    }

    private HealthCheckResponse check(Service service, Channel channel) {
        var response = HealthCheckResponse.named(service.displayName());
        try {
            ServingStatus status = HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus();
            return response.status(status == ServingStatus.SERVING).withData("status", status.name()).build();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE) {
                redial.unavailable(service);
            }
            String description = e.getStatus().getDescription();
            return response.down().withData("status", e.getStatus().getCode().name())
                    .withData("reason", description == null ? "" : description).build();
        }
    }
}
