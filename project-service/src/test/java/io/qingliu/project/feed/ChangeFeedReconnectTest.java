package io.qingliu.project.feed;

import static io.qingliu.project.feed.FeedFixtures.createPlant;
import static io.qingliu.project.feed.FeedFixtures.township;
import static io.qingliu.project.feed.FeedFixtures.uniqueName;
import static io.qingliu.project.testing.ChangeFeedReader.assertContiguous;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Context;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.WatchChangesRequest;
import io.qingliu.api.project.v1.WatchChangesResponse;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A client that drops the stream at any point and reconnects with the last sequence it
 * processed misses nothing and sees nothing twice, while writes go on.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ChangeFeedReconnectTest extends FeedTestBase {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int[] BATCH_SIZES = {0, 1, 3, 7, 50};

    @Test
    void cutAtRandomPointsAndResumedEqualsOneUninterruptedRead() throws Exception {
        for (long seed : new long[] {11, 23, 47}) {
            readInPiecesWhileWriting(seed);
        }
    }

    private void readInPiecesWhileWriting(long seed) throws Exception {
        Random random = new Random(seed);
        long head = ChangeFeedReader.currentHead(feed);
        long start = Math.max(0, head - 300 - random.nextInt(200));
        AtomicLong target = new AtomicLong(-1);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> writes = writer.submit(() -> {
                for (int i = 0; i < 40; i++) {
                    createPlant(projects, uniqueName("reconnect-" + seed + "-" + i), township(i), 5 + i);
                    sleep(15);
                }
                target.set(ChangeFeedReader.currentHead(feed));
                return null;
            });

            List<Change> pieces = new ArrayList<>();
            long last = start;
            int segments = 0;
            while (target.get() < 0 || last < target.get()) {
                assertTrue(++segments <= 400, "too many reconnects; the reader is not progressing from " + last);
                int limit = 1 + random.nextInt(60);
                int batch = BATCH_SIZES[random.nextInt(BATCH_SIZES.length)];
                try (ChangeFeedReader piece = ChangeFeedReader.open(feed, last, batch, limit, -1)) {
                    piece.awaitUntil(() -> piece.stopped() || target.get() >= 0 && piece.lastSequence() >= target.get(),
                            TIMEOUT, "a cut after " + limit + " changes from " + last);
                    List<Change> got = piece.changes();
                    assertContiguous(last, got);
                    pieces.addAll(got);
                    last = piece.lastSequence();
                }
            }
            writes.get(60, TimeUnit.SECONDS);
            long end = target.get();
            assertTrue(segments >= 5, "the read was cut several times: " + segments);

            List<Change> resumed = pieces.stream().filter(c -> c.getSequence() <= end).toList();
            List<Change> uninterrupted = ChangeFeedReader.readRange(feed, start, end, 0, TIMEOUT);
            assertContiguous(start, uninterrupted);
            assertEquals(end - start, uninterrupted.size());
            assertEquals(uninterrupted, resumed, "seed " + seed + ": " + segments + " pieces from " + start + " to " + end);
        } finally {
            writer.shutdownNow();
            assertTrue(writer.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aBlockingReaderCancelledThroughItsContextResumesExactly() throws Exception {
        long head = ChangeFeedReader.currentHead(feed);
        long start = Math.max(0, head - 250);
        int before = changeStream.activeWatchers();
        List<Change> pieces = new ArrayList<>();
        long last = start;
        for (int cut : new int[] {1, 17, 64, 3}) {
            Context.CancellableContext context = Context.current().withCancellation();
            try {
                long from = last;
                List<Change> got = context.call(() -> {
                    List<Change> read = new ArrayList<>();
                    Iterator<WatchChangesResponse> it = projects.watchChanges(
                            WatchChangesRequest.newBuilder().setAfterSequence(from).setMaxBatchSize(10).build());
                    while (read.size() < cut && it.hasNext()) {
                        for (Change c : it.next().getChangesList()) {
                            if (read.size() < cut) {
                                read.add(c);
                            }
                        }
                    }
                    return read;
                });
                assertContiguous(last, got);
                assertEquals(cut, got.size());
                pieces.addAll(got);
                last = got.get(got.size() - 1).getSequence();
            } finally {
                context.cancel(null);
            }
        }
        long end = last;
        assertEquals(ChangeFeedReader.readRange(feed, start, end, 0, TIMEOUT), pieces);
        awaitWatchersAtMost(before);
    }

    @Test
    void cancelledWatchersStopOnTheServer() {
        int before = changeStream.activeWatchers();
        long head = ChangeFeedReader.currentHead(feed);
        List<ChangeFeedReader> readers = new ArrayList<>();
        try {
            // Live watchers waiting for news, and watchers cancelled in the middle of the history.
            for (int i = 0; i < 4; i++) {
                readers.add(ChangeFeedReader.open(feed, head + 1000, 0));
                readers.add(ChangeFeedReader.open(feed, 0, 1, 5 + i, -1));
            }
            for (ChangeFeedReader r : readers) {
                if (r.afterSequence() == 0) {
                    r.awaitStopped(TIMEOUT);
                }
            }
        } finally {
            readers.forEach(ChangeFeedReader::cancel);
        }
        awaitWatchersAtMost(before);
    }
}
