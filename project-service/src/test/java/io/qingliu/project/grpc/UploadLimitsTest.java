package io.qingliu.project.grpc;

import static io.qingliu.project.testing.RegistryFixtures.YANJIANG_TOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.GetDivisionRequest;
import io.qingliu.api.project.v1.ImportProjectsRequest;
import io.qingliu.api.project.v1.ImportProjectsResponse;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectImportEntry;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.kit.testing.StatusAssertions;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.kit.testing.ClientStreams;
import io.qingliu.project.testing.PostgresResource;
import io.qingliu.project.testing.RegistryFixtures;
import io.qingliu.project.testing.ShortCallLimits;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An import stream that never ends is cut off, with nothing imported and no other caller held
 * up: one whose client falls silent after the idle timeout, one that keeps sending a little
 * without completing after the maximum duration (here 2 s and 6 s, see {@link ShortCallLimits};
 * by default 60 s and 30 min). A stream that completes in time imports as always.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(ShortCallLimits.class)
class UploadLimitsTest {

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub registry;

    @Inject
    ProjectServiceGrpc.ProjectServiceStub async;

    @Test
    void anImportWhoseClientFallsSilentIsCutOffAndImportsNothing() throws Exception {
        long head = ChangeFeedReader.currentHead(registry);
        Upload upload = new Upload(async);
        upload.send(message(true));
        upload.send(message(false));

        // While the upload waits for its client, everyone else is answered.
        for (int i = 0; i < 5; i++) {
            assertEquals("divisions/" + YANJIANG_TOWN, registry.getDivision(GetDivisionRequest.newBuilder()
                    .setName("divisions/" + YANJIANG_TOWN).build()).getName());
            Thread.sleep(200);
        }
        Status cut = upload.awaitEnd();
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, cut.getCode(), cut.toString());
        assertEquals("UPLOAD_IDLE", reason(cut), cut.toString());
        assertTrue(cut.getDescription().contains("nothing was imported"), cut.getDescription());
        assertEquals(head, ChangeFeedReader.currentHead(registry), "nothing of the cut-off import was written");
    }

    @Test
    void anImportThatNeverCompletesIsCutOffAtTheMaximumDurationThoughItKeepsSending() throws Exception {
        long head = ChangeFeedReader.currentHead(registry);
        Upload upload = new Upload(async);
        upload.send(message(true));
        // A message five times per idle timeout (a margin for a slow machine), for up to three times the
        // maximum duration: never idle, never done.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3L * ShortCallLimits.UPLOAD_MAX_SECONDS);
        while (!upload.ended() && System.nanoTime() < deadline) {
            Thread.sleep(ShortCallLimits.UPLOAD_IDLE_SECONDS * 1000L / 5);
            upload.send(message(false));
        }
        Status cut = upload.awaitEnd();
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, cut.getCode(), cut.toString());
        assertEquals("UPLOAD_TOO_LONG", reason(cut), cut.toString());
        assertEquals(head, ChangeFeedReader.currentHead(registry), "nothing of the cut-off import was written");
    }

    @Test
    void anImportThatCompletesInTimeImportsAsAlways() {
        ImportProjectsResponse imported = ClientStreams.send(async::importProjects, List.of(message(true), message(false)));
        assertEquals(2, imported.getCreatedCount());
    }

    /** One entry per message: a planned garbage collection project building a collection point in a Yanjiang town. */
    private static ImportProjectsRequest message(boolean first) {
        String name = "不结束的导入 " + RegistryFixtures.unique();
        ImportProjectsRequest.Builder m = ImportProjectsRequest.newBuilder().addEntries(ProjectImportEntry.newBuilder()
                .setProject(Project.newBuilder().setDisplayName(name).setKind(ProjectKind.PROJECT_KIND_GARBAGE_COLLECTION)
                        .setResponsibleUnit("雁江区住建局"))
                .setNewFacility(Facility.newBuilder().setDisplayName(name + " 收集点")
                        .setType(FacilityType.FACILITY_TYPE_GARBAGE_COLLECTION_POINT).setLocationCode(YANJIANG_TOWN)));
        if (first) {
            m.setRequestId(UUID.randomUUID().toString());
        }
        return m.build();
    }

    /** The reason of the ErrorInfo in the failure's details. */
    private static String reason(Status status) {
        com.google.rpc.Status details = StatusProto.fromThrowable(status.getCause());
        assertTrue(details != null, "the failure carries a google.rpc.Status: " + status);
        return StatusAssertions.errorInfo(details).getReason();
    }

    /** A client stream the test feeds by hand and never completes. */
    private static final class Upload {
        private final CompletableFuture<Status> end = new CompletableFuture<>();
        private final StreamObserver<ImportProjectsRequest> requests;

        Upload(ProjectServiceGrpc.ProjectServiceStub stub) {
            requests = stub.importProjects(new StreamObserver<>() {
                @Override
                public void onNext(ImportProjectsResponse value) {
                    end.completeExceptionally(new AssertionError("the import answered " + value));
                }

                @Override
                public void onError(Throwable t) {
                    end.complete(Status.fromThrowable(t).withCause(t));
                }

                @Override
                public void onCompleted() {
                    end.completeExceptionally(new AssertionError("the import completed"));
                }
            });
        }

        void send(ImportProjectsRequest message) {
            requests.onNext(message);
        }

        boolean ended() {
            return end.isDone();
        }

        Status awaitEnd() throws Exception {
            Status status = end.get(60, TimeUnit.SECONDS);
            assertFalse(status.isOk());
            return status;
        }
    }
}
