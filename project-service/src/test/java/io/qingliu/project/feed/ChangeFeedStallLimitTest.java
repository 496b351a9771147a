package io.qingliu.project.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.kit.testing.AdminTokenByDefault;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.project.testing.PostgresResource;
import io.qingliu.project.testing.ShortCallLimits;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A watcher whose client takes nothing is cut off after the stall limit (here 3 s, see
 * {@link ShortCallLimits}; by default 10 minutes): it holds no thread or connection of the
 * service's for ever, and other watchers and writers never wait for it. The client learns why
 * once it reads again, after what was already on its way, and may reconnect from its last sequence.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(ShortCallLimits.class)
class ChangeFeedStallLimitTest extends FeedTestBase {

    @Test
    void aWatcherThatNeverReadsIsCutOffAndNoOneElseWaits() {
        // About 4 MB of changes: far more than the stalled client's flow-control window (1 MiB).
        long start = ChangeFeedReader.currentHead(feed);
        FeedFixtures.largeProject(projects, FeedFixtures.uniqueName("stall"), FeedFixtures.township(3), 30);
        long head = ChangeFeedReader.currentHead(feed);
        // The head reads' watchers end with their calls; then this test's are the only ones.
        awaitWatchersAtMost(0);
        int watchersBefore = 0;

        ManagedChannel stalledClient = ManagedChannelBuilder.forAddress("localhost", port()).usePlaintext()
                .intercept(new AdminTokenByDefault()).build();
        ChangeFeedReader stalled = ChangeFeedReader.open(ProjectServiceGrpc.newStub(stalledClient), start, 0,
                Long.MAX_VALUE, 0);
        try {
            stalled.awaitUntil(() -> changeStream.activeWatchers() == watchersBefore + 1, Duration.ofSeconds(30),
                    "the stalled watcher to start");
            // Others read everything and write while it stalls.
            try (ChangeFeedReader other = ChangeFeedReader.open(feed, start, 0)) {
                assertEquals(head, other.awaitReachedHead(Duration.ofSeconds(30)));
            }
            FeedFixtures.createPlant(projects, FeedFixtures.uniqueName("stall-write"), FeedFixtures.township(4), 300);

            // The service lets it go, though its client never read a message.
            stalled.awaitUntil(() -> changeStream.activeWatchers() <= watchersBefore, Duration.ofSeconds(
                    ShortCallLimits.FEED_STALL_SECONDS * 10L), "the stalled watcher to be cut off");
            assertEquals(0, stalled.count(), "the client took nothing");

            // Reading again, it gets what was already sent, contiguous from its start, and then the reason.
            stalled.request(Integer.MAX_VALUE);
            Status cut = stalled.awaitError(Duration.ofSeconds(30));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, cut.getCode(), cut.toString());
            assertTrue(cut.getDescription().contains("reconnect with your last sequence"), cut.getDescription());
            ChangeFeedReader.assertContiguous(start, stalled.changes());
            assertTrue(stalled.lastSequence() < head, "it was cut off before the head: " + stalled.lastSequence());
        } finally {
            stalled.close();
            stalledClient.shutdownNow();
        }
    }
}
