package io.qingliu.project.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Context;
import io.qingliu.api.project.v1.WatchChangesRequest;
import io.qingliu.api.project.v1.WatchChangesResponse;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A watcher at the head of a quiet feed still hears from the service: every 30 s a message
 * with no change and the current head, so that both ends can tell the stream is alive and a
 * consumer can tell how far behind it is.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ChangeFeedHeartbeatTest extends FeedTestBase {

    @Test
    void aQuietStreamCarriesAHeartbeatWithTheHead() throws Exception {
        long head = changeStream.headSequence();
        int watchersBefore = changeStream.activeWatchers();
        Context.CancellableContext watch = Context.current().withCancellation();
        try {
            watch.run(() -> {
                Iterator<WatchChangesResponse> stream = projects.withDeadlineAfter(45, TimeUnit.SECONDS)
                        .watchChanges(WatchChangesRequest.newBuilder().setAfterSequence(head).build());
                long started = System.nanoTime();
                WatchChangesResponse first = stream.next();
                long waitedSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                assertEquals(0, first.getChangesCount(), "nothing was written: the first message is the heartbeat");
                assertEquals(head, first.getHeadSequence(), "the heartbeat carries the head");
                assertTrue(waitedSeconds >= 25, "the heartbeat came after " + waitedSeconds + " s, expected about 30");
            });
        } finally {
            watch.cancel(null);
        }
        awaitWatchersAtMost(watchersBefore);
    }
}
