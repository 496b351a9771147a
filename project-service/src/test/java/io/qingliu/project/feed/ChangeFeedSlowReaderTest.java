package io.qingliu.project.feed;

import static io.qingliu.project.feed.FeedFixtures.createPlant;
import static io.qingliu.project.feed.FeedFixtures.township;
import static io.qingliu.project.feed.FeedFixtures.uniqueName;
import static io.qingliu.project.testing.ChangeFeedReader.assertContiguous;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.qingliu.kit.testing.AdminTokenByDefault;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.ProjectImportEntry;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Watchers that read slowly, or not at all, hold back only their own stream: other watchers
 * catch up and writes go on.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ChangeFeedSlowReaderTest extends FeedTestBase {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void slowAndStalledWatchersDoNotHoldBackOthersOrWrites() throws Exception {
        int watchersBefore = changeStream.activeWatchers();
        // More than a megabyte of ordinary changes, so that a stalled watcher fills its stream's
        // flow-control window (1 MiB) and the server has to hold back the rest.
        long importStart = ChangeFeedReader.currentHead(feed);
        String marker = uniqueName("slow-import");
        List<ProjectImportEntry> entries = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            entries.add(FeedFixtures.entry(FeedFixtures.newBuild(marker + "-" + i, township(i), 1 + i % 50)));
        }
        FeedFixtures.importProjects(feed, entries, 500);
        // And large changes (about 4 MB) for a stalled watcher of another client to stop in front of.
        long largeStart = ChangeFeedReader.currentHead(feed);
        FeedFixtures.largeProject(projects, uniqueName("slow-large"), township(10), 30);
        long head = ChangeFeedReader.currentHead(feed);

        ManagedChannel otherClient = ManagedChannelBuilder.forAddress("localhost", port()).usePlaintext().intercept(new AdminTokenByDefault()).build();
        ManagedChannel readerClient = ManagedChannelBuilder.forAddress("localhost", port()).usePlaintext().intercept(new AdminTokenByDefault()).build();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger requested = new AtomicInteger(1);
        // One message per 50 ms, one change per message; and two that take their first message and no more.
        ChangeFeedReader slow = ChangeFeedReader.open(feed, 0, 1, Long.MAX_VALUE, 1);
        ChangeFeedReader stalled = ChangeFeedReader.open(feed, importStart, 0, Long.MAX_VALUE, 1);
        ChangeFeedReader stalledElsewhere = ChangeFeedReader.open(ProjectServiceGrpc.newStub(otherClient), largeStart, 0,
                Long.MAX_VALUE, 1);
        try {
            ticker.scheduleAtFixedRate(() -> {
                requested.incrementAndGet();
                slow.request(1);
            }, 50, 50, TimeUnit.MILLISECONDS);
            for (ChangeFeedReader r : List.of(slow, stalled, stalledElsewhere)) {
                r.awaitResponses(1, TIMEOUT);
            }

            // Another client reads the whole history meanwhile. (A watcher on the connection of the slow
            // and stalled ones may wait with them: the known limitation documented below. Seen in CI on
            // 2026-11-29 with ordinary changes too, 1 run in 5: the slow reader's unread one-change
            // messages and the stalled reader's can fill the connection's window between them.)
            try (ChangeFeedReader other = ChangeFeedReader.open(ProjectServiceGrpc.newStub(readerClient), 0, 0)) {
                other.awaitSequence(head, Duration.ofSeconds(120));
                assertContiguous(0, other.changes());
            }

            // Writes succeed, and a live watcher sees them.
            // The head is read on the other client's connection: on the slow readers' it may wait with them
            // (the limitation above; CI once timed out here after a minute).
            long before = ChangeFeedReader.currentHead(ProjectServiceGrpc.newStub(readerClient));
            try (ChangeFeedReader live = ChangeFeedReader.open(feed, before, 0)) {
                List<Facility> created = new ArrayList<>();
                ProjectServiceGrpc.ProjectServiceBlockingStub bounded = projects.withDeadlineAfter(30, TimeUnit.SECONDS);
                for (int i = 0; i < 20; i++) {
                    created.add(createPlant(bounded, uniqueName("beside-slow-" + i), township(i), 3));
                }
                for (Facility f : created) {
                    Change c = live.awaitChange(x -> x.getResourceName().equals(f.getName()), TIMEOUT);
                    assertEquals(f, c.getFacility());
                }
                assertContiguous(before, live.changes());
            }

            // The slow reader got only what it asked for, and exactly in order; the stalled ones one message.
            List<Change> slowChanges = slow.changes();
            assertTrue(slow.responses().size() <= requested.get(),
                    slow.responses().size() + " messages received, " + requested.get() + " requested");
            assertTrue(slowChanges.size() < importStart, "the slow reader is still behind: " + slowChanges.size());
            assertContiguous(0, slowChanges);
            assertEquals(1, stalled.responses().size(), "the stalled reader asked for one message");
            assertContiguous(importStart, stalled.changes());
            assertEquals(1, stalledElsewhere.responses().size());
            assertContiguous(largeStart, stalledElsewhere.changes());
            for (ChangeFeedReader r : List.of(slow, stalled, stalledElsewhere)) {
                assertTrue(r.error().isEmpty(), () -> "a held-back reader failed: " + r.error().get());
            }
        } finally {
            ticker.shutdownNow();
            slow.cancel();
            stalled.cancel();
            stalledElsewhere.cancel();
            otherClient.shutdownNow();
            readerClient.shutdownNow();
            otherClient.awaitTermination(10, TimeUnit.SECONDS);
            readerClient.awaitTermination(10, TimeUnit.SECONDS);
        }
        // Their server-side watchers end with the calls, even while waiting for the transport.
        awaitWatchersAtMost(watchersBefore);
    }

    /**
     * Known limitation, not fixed: the Vert.x transport behind the shared HTTP port marks every
     * stream of a connection not ready once the bytes waiting in the connection's flow control
     * exceed the client's connection window (1 MiB for grpc-java). Watchers stalled in front of
     * large changes (a single change is sent whole, however large) can reach that, and so can a slow
     * and a stalled watcher of ordinary changes together (their unread messages fill the window), and
     * then the other watchers on the same connection wait with them. Different clients (connections) are
     * not affected, see above. Fixing it needs a transport with per-stream readiness (the separate
     * grpc-java server), or clients that give a watcher that may stall its own connection.
     */
    @Test
    @Disabled("known limitation of the shared-port transport; see the Javadoc")
    void stalledWatchersInFrontOfLargeChangesHoldBackTheOtherWatchersOfTheirConnection() {
        long largeStart = ChangeFeedReader.currentHead(feed);
        FeedFixtures.largeProject(projects, uniqueName("stall-large"), township(11), 30);
        long head = ChangeFeedReader.currentHead(feed);
        List<ChangeFeedReader> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                stalled.add(ChangeFeedReader.open(feed, largeStart, 0, Long.MAX_VALUE, 1));
            }
            for (ChangeFeedReader r : stalled) {
                r.awaitResponses(1, TIMEOUT);
            }
            try (ChangeFeedReader other = ChangeFeedReader.open(feed, largeStart, 0)) {
                other.awaitSequence(head, TIMEOUT);
            }
        } finally {
            stalled.forEach(ChangeFeedReader::cancel);
        }
    }
}
