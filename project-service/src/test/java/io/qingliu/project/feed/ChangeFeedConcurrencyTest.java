package io.qingliu.project.feed;

import static io.qingliu.project.feed.FeedFixtures.createPlant;
import static io.qingliu.project.feed.FeedFixtures.renamePlant;
import static io.qingliu.project.feed.FeedFixtures.township;
import static io.qingliu.project.feed.FeedFixtures.uniqueName;
import static io.qingliu.project.testing.ChangeFeedReader.assertContiguous;
import static io.qingliu.project.testing.ChangeFeedReader.assertWellFormed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.ChangeType;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.GetFacilityRequest;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many writers at once while a watcher streams: the feed holds every acknowledged write exactly
 * once, with the snapshot the write returned, contiguous and in commit order.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ChangeFeedConcurrencyTest extends FeedTestBase {

    private static final int THREADS = 8;
    private static final int WRITES_PER_THREAD = 40;

    /** One acknowledged write: what the call returned, in the order its thread made it. */
    record Ack(int thread, int index, boolean create, Facility facility) {
        String key() {
            return facility.getName() + " " + facility.getEtag();
        }
    }

    @Test
    void everyAcknowledgedWriteAppearsOnceWithItsSnapshotInCommitOrder() throws Exception {
        // Two facilities every thread updates: one without an etag (the updates queue on its row
        // lock), one with the etag just read (racing writers fail with ABORTED and must leave nothing).
        Facility hot = createPlant(projects, uniqueName("hot"), township(0), 1);
        Facility contested = createPlant(projects, uniqueName("contested"), township(1), 1);
        long start = ChangeFeedReader.currentHead(feed);

        List<List<Ack>> acks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            acks.add(new ArrayList<>());
        }
        AtomicInteger aborted = new AtomicInteger();
        Map<String, Throwable> unexpected = new ConcurrentHashMap<>();
        ExecutorService writers = Executors.newFixedThreadPool(THREADS);
        try (ChangeFeedReader reader = ChangeFeedReader.open(feed, start, 0)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                List<Ack> mine = acks.get(t);
                done.add(writers.submit(() -> write(thread, mine, hot.getName(), contested.getName(), aborted, unexpected)));
            }
            for (Future<?> f : done) {
                f.get(180, TimeUnit.SECONDS);
            }
            assertTrue(unexpected.isEmpty(), () -> "writes failed unexpectedly: " + unexpected);
            long end = ChangeFeedReader.currentHead(feed);
            reader.awaitSequence(end, Duration.ofSeconds(60));

            List<Change> stream = reader.changes();
            assertContiguous(start, stream);
            assertWellFormed(reader.responses(), 1000);

            Map<String, Ack> byKey = new HashMap<>();
            Set<String> names = new HashSet<>(Set.of(hot.getName(), contested.getName()));
            int total = 0;
            for (List<Ack> list : acks) {
                for (Ack a : list) {
                    assertNull(byKey.put(a.key(), a), "two acknowledged writes returned the same state " + a.key());
                    names.add(a.facility().getName());
                    total++;
                }
            }
            assertEquals(THREADS * WRITES_PER_THREAD, total + aborted.get());

            Map<Ack, Long> sequenceOf = new HashMap<>();
            Map<String, Long> lastVersion = new HashMap<>();
            for (Change c : stream) {
                if (!names.contains(c.getResourceName())) {
                    continue; // another test's write
                }
                assertTrue(c.hasFacility(), "change " + c.getSequence() + " of " + c.getResourceName());
                String key = c.getResourceName() + " " + c.getFacility().getEtag();
                Ack ack = byKey.get(key);
                assertNotNull(ack, "change " + c.getSequence() + " (" + key + ") is no acknowledged write");
                assertNull(sequenceOf.put(ack, c.getSequence()), "write " + key + " appears twice");
                assertEquals(ack.facility(), c.getFacility(), "change " + c.getSequence() + ": snapshot = response");
                assertEquals(ack.create() ? ChangeType.CHANGE_TYPE_CREATED : ChangeType.CHANGE_TYPE_UPDATED, c.getType(),
                        "change " + c.getSequence());
                assertEquals("test-admin", c.getActor());
                long version = version(c.getFacility().getEtag());
                Long before = lastVersion.put(c.getResourceName(), version);
                assertTrue(before == null || before < version, "changes of " + c.getResourceName()
                        + " come in version order: " + before + " then " + version + " at " + c.getSequence());
            }
            assertEquals(total, sequenceOf.size(), "every acknowledged write appears in the feed");

            // A thread's writes commit one after the other, so their sequences increase in its order;
            // in particular each update's change comes after its facility's create.
            for (List<Ack> list : acks) {
                long previous = start;
                for (Ack a : list) {
                    long seq = sequenceOf.get(a);
                    assertTrue(seq > previous, "thread " + a.thread() + " write " + a.index() + " has sequence " + seq
                            + ", not after its previous write's " + previous);
                    previous = seq;
                }
            }
            // The last state of every facility is what its last change says.
            for (String name : names) {
                Facility now = projects.getFacility(GetFacilityRequest.newBuilder().setName(name).build());
                Change last = null;
                for (Change c : stream) {
                    if (c.getResourceName().equals(name)) {
                        last = c;
                    }
                }
                if (last != null) {
                    assertEquals(now, last.getFacility(), name + ": the last change is the current state");
                }
            }
        } finally {
            writers.shutdownNow();
            assertTrue(writers.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    private void write(int thread, List<Ack> acks, String hot, String contested, AtomicInteger aborted,
            Map<String, Throwable> unexpected) {
        Random random = new Random(7919L * (thread + 1));
        List<Facility> own = new ArrayList<>();
        ProjectServiceGrpc.ProjectServiceBlockingStub stub = projects.withDeadlineAfter(120, TimeUnit.SECONDS);
        for (int i = 0; i < WRITES_PER_THREAD; i++) {
            int pick = own.isEmpty() ? 0 : random.nextInt(10);
            String label = uniqueName("conc-t" + thread + "-w" + i);
            try {
                if (pick < 3) {
                    Facility f = createPlant(stub, label, township(thread + i), 10 + i);
                    own.add(f);
                    acks.add(new Ack(thread, i, true, f));
                } else if (pick < 7) {
                    int k = random.nextInt(own.size());
                    Facility f = own.get(k);
                    Facility updated = renamePlant(stub, f.getName(), f.getEtag(), label, 20 + i);
                    own.set(k, updated);
                    acks.add(new Ack(thread, i, false, updated));
                } else if (pick < 9) {
                    acks.add(new Ack(thread, i, false, renamePlant(stub, hot, "", label, 30 + i)));
                } else {
                    String etag = stub.getFacility(GetFacilityRequest.newBuilder().setName(contested).build()).getEtag();
                    try {
                        acks.add(new Ack(thread, i, false, renamePlant(stub, contested, etag, label, 40 + i)));
                    } catch (StatusRuntimeException e) {
                        if (e.getStatus().getCode() != Status.Code.ABORTED) {
                            throw e;
                        }
                        aborted.incrementAndGet();
                    }
                }
            } catch (RuntimeException e) {
                unexpected.put("thread " + thread + " write " + i, e);
                return;
            }
        }
    }

    private static long version(String etag) {
        if (!etag.matches("\"\\d+\"")) {
            fail("unexpected etag " + etag);
        }
        return Long.parseLong(etag.substring(1, etag.length() - 1));
    }
}
