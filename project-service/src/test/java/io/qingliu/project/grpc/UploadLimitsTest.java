package io.qingliu.project.grpc;

import static io.qingliu.project.testing.RegistryFixtures.YANJIANG_TOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
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
import io.qingliu.kit.testing.ClientStreams.OpenStream;
import io.qingliu.project.testing.PostgresResource;
import io.qingliu.project.testing.RegistryFixtures;
import io.qingliu.project.testing.ShortCallLimits;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
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
        OpenStream<ImportProjectsRequest, ImportProjectsResponse> upload = ClientStreams.open(async::importProjects);
        upload.send(message(true));
        upload.send(message(false));

        // While the upload waits for its client, everyone else is answered.
        for (int i = 0; i < 5; i++) {
            assertEquals("divisions/" + YANJIANG_TOWN, registry.getDivision(GetDivisionRequest.newBuilder()
                    .setName("divisions/" + YANJIANG_TOWN).build()).getName());
            Thread.sleep(200);
        }
        Status cut = upload.awaitFailure(Duration.ofSeconds(60));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, cut.getCode(), cut.toString());
        assertEquals("UPLOAD_IDLE", reason(cut), cut.toString());
        assertTrue(cut.getDescription().contains("nothing was imported"), cut.getDescription());
        assertEquals(head, ChangeFeedReader.currentHead(registry), "nothing of the cut-off import was written");
    }

    @Test
    void anImportThatNeverCompletesIsCutOffAtTheMaximumDurationThoughItKeepsSending() throws Exception {
        long head = ChangeFeedReader.currentHead(registry);
        OpenStream<ImportProjectsRequest, ImportProjectsResponse> upload = ClientStreams.open(async::importProjects);
        upload.send(message(true));
        // A message five times per idle timeout (a margin for a slow machine), for up to three times the
        // maximum duration: never idle, never done.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3L * ShortCallLimits.UPLOAD_MAX_SECONDS);
        while (!upload.answer().isDone() && System.nanoTime() < deadline) {
            Thread.sleep(ShortCallLimits.UPLOAD_IDLE_SECONDS * 1000L / 5);
            upload.send(message(false));
        }
        Status cut = upload.awaitFailure(Duration.ofSeconds(60));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, cut.getCode(), cut.toString());
        assertEquals("UPLOAD_TOO_LONG", reason(cut), cut.toString());
        assertEquals(head, ChangeFeedReader.currentHead(registry), "nothing of the cut-off import was written");
    }

    /**
     * Each import holds a transaction while its client sends, so the service takes only so many at
     * once (here two): one more is refused at its first message, and the place of an import is
     * free again by the time its client has the answer.
     */
    @Test
    void anImportBeyondTheMostAtOnceIsRefusedAtItsFirstMessage() throws Exception {
        long head = ChangeFeedReader.currentHead(registry);
        // One stream more than the service takes, each with its first message: whichever reaches it
        // last is refused at once; the others are imports in progress.
        List<OpenStream<ImportProjectsRequest, ImportProjectsResponse>> streams = new ArrayList<>();
        try {
            for (int i = 0; i <= ShortCallLimits.CONCURRENT_IMPORTS; i++) {
                streams.add(ClientStreams.<ImportProjectsRequest, ImportProjectsResponse>open(async::importProjects)
                        .send(message(true)));
            }
            CompletableFuture.anyOf(streams.stream().map(OpenStream::answer).toArray(CompletableFuture[]::new))
                    .exceptionally(refused -> null).get(ShortCallLimits.UPLOAD_IDLE_SECONDS, TimeUnit.SECONDS);
            List<OpenStream<ImportProjectsRequest, ImportProjectsResponse>> refused = streams.stream()
                    .filter(s -> s.answer().isDone()).toList();
            assertEquals(1, refused.size(), "one stream refused, the others in progress");
            Status busy = refused.get(0).awaitFailure(Duration.ofSeconds(1));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, busy.getCode(), busy.toString());
            assertEquals("IMPORTS_BUSY", reason(busy), busy.toString());
            assertEquals(head, ChangeFeedReader.currentHead(registry), "nothing written yet");

            OpenStream<ImportProjectsRequest, ImportProjectsResponse> finishing = streams.stream()
                    .filter(s -> !s.answer().isDone()).findFirst().orElseThrow();
            finishing.complete();
            assertEquals(1, finishing.answer().get(60, TimeUnit.SECONDS).getCreatedCount());
            assertEquals(1, ClientStreams.send(async::importProjects, List.of(message(true))).getCreatedCount(),
                    "the place of the finished import is taken again");
        } finally {
            streams.stream().filter(s -> !s.answer().isDone()).forEach(OpenStream::cancel);
        }
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
}
