package io.qingliu.project.testing;

import io.grpc.Channel;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Lets tests {@code @Inject ProjectServiceGrpc.ProjectServiceStub}: Quarkus injects only blocking
 * and Mutiny stubs, and the client-streaming and streaming calls need the async one. It is made
 * on the channel of the "project" client, the one the injected blocking stubs use; qualified
 * {@link OwnConnections}, its calls go to the same server on connections of their own.
 */
@Singleton
public class AsyncStubProducer {

    @GrpcClient("project")
    Channel channel;

    @Produces
    @Dependent
    ProjectServiceGrpc.ProjectServiceStub projectServiceStub() {
        return ProjectServiceGrpc.newStub(channel);
    }

    @Produces
    @Dependent
    @OwnConnections
    ProjectServiceGrpc.ProjectServiceStub projectServiceStubOnOwnConnections() {
        return ChangeFeedReader.onOwnConnections(channel);
    }
}
