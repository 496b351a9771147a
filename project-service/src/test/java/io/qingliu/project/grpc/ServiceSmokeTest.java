package io.qingliu.project.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qingliu.api.project.v1.GetDivisionRequest;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ServiceSmokeTest {

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub projects;

    @Test
    void ziyangIsLoadedAtFirstStart() {
        var city = projects.getDivision(GetDivisionRequest.newBuilder().setName("divisions/512000000000").build());
        assertEquals("资阳市", city.getDisplayName());
    }
}
