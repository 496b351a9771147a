package io.qingliu.project.feed;

import static io.qingliu.project.feed.FeedFixtures.createPlant;
import static io.qingliu.project.feed.FeedFixtures.township;
import static io.qingliu.project.feed.FeedFixtures.uniqueName;
import static io.qingliu.project.testing.ChangeFeedReader.assertContiguous;
import static io.qingliu.project.testing.ChangeFeedReader.assertWellFormed;
import static io.qingliu.kit.testing.StatusAssertions.violatedFields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.ChangeType;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The change feed read through WatchChanges: whole history, then live; batch sizes; bad arguments. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ChangeFeedTest extends FeedTestBase {

    private static final Duration CATCH_UP = Duration.ofSeconds(120);
    /** Not a timing requirement: only that a live change arrives at all. */
    private static final Duration LIVE = Duration.ofSeconds(5);

    @Test
    void wholeHistoryWithoutGapThenALiveCreateAsItCommits() {
        try (ChangeFeedReader reader = ChangeFeedReader.open(feed, 0, 0)) {
            long head = reader.awaitReachedHead(CATCH_UP);
            List<Change> history = reader.changes();
            assertContiguous(0, history);
            assertTrue(history.size() >= head, "the history is 1.." + head);
            assertTrue(head >= 1325, "the Ziyang list (1325 units) is imported at start, so the head is at least 1325: " + head);
            Change first = history.get(0);
            assertEquals(1, first.getSequence());
            assertEquals(ChangeType.CHANGE_TYPE_CREATED, first.getType());
            assertTrue(first.hasDivision(), "the first changes are the imported divisions");
            for (Change c : history) {
                assertEquals(c.getResourceName(), FeedFixtures.snapshotName(c), "change " + c.getSequence());
                assertTrue(c.hasRecordTime(), "change " + c.getSequence() + " has a record time");
                assertFalse(c.getActor().isEmpty(), "change " + c.getSequence() + " has an actor");
            }

            Facility created = createPlant(projects, uniqueName("live"), township(1), 800);
            Change live = reader.awaitChange(c -> c.getResourceName().equals(created.getName()), LIVE);
            assertTrue(live.getSequence() > head, "the live change comes after the history: " + live.getSequence());
            assertEquals(ChangeType.CHANGE_TYPE_CREATED, live.getType());
            assertEquals(created, live.getFacility(), "the snapshot is what CreateFacility returned");
            assertEquals("test-admin", live.getActor());
            assertTrue(live.hasRecordTime());

            List<Change> all = reader.changes();
            assertContiguous(0, all);
            assertEquals(1, all.stream().filter(c -> c.getResourceName().equals(created.getName())).count(),
                    "the create is delivered once");
            assertWellFormed(reader.responses(), 1000);
        }
    }

    @Test
    void watchingFromTheHeadDeliversTheNextCommitFirst() {
        long head = ChangeFeedReader.currentHead(feed);
        try (ChangeFeedReader reader = ChangeFeedReader.open(feed, head, 0)) {
            Facility created = createPlant(projects, uniqueName("from-head"), township(2), 120);
            Change mine = reader.awaitChange(c -> c.getResourceName().equals(created.getName()), LIVE);
            assertEquals(created, mine.getFacility());
            List<Change> seen = reader.changes();
            assertContiguous(head, seen);
            assertEquals(head + 1, seen.get(0).getSequence(), "nothing at or before the requested sequence");
        }
    }

    @Test
    void everyResponseHoldsAtMostMaxBatchSizeConsecutiveChanges() {
        long head = ChangeFeedReader.currentHead(feed);
        // The last 700 changes (all of them on a young feed), at several batch sizes; the first
        // read starts in the middle of what a batch of 7 from 0 would be.
        long start = Math.max(0, head - 703);
        for (int batch : new int[] {7, 1, 10_000}) {
            try (ChangeFeedReader reader = ChangeFeedReader.open(feed, start, batch)) {
                reader.awaitSequence(head, CATCH_UP);
                assertWellFormed(reader.responses(), batch);
                assertContiguous(start, reader.changes());
                if (batch == 7) {
                    assertTrue(reader.responses().size() >= (head - start + 6) / 7, (head - start)
                            + " changes need at least " + (head - start + 6) / 7 + " responses of 7");
                }
            }
        }
    }

    @Test
    void badArgumentsAreRejectedNamingTheField() {
        assertRejected(-1, 0, Set.of("after_sequence"));
        assertRejected(0, 10_001, Set.of("max_batch_size"));
        assertRejected(0, -1, Set.of("max_batch_size"));
        assertRejected(-5, 20_000, Set.of("after_sequence", "max_batch_size"));
    }

    private void assertRejected(long after, int batch, Set<String> fields) {
        try (ChangeFeedReader reader = ChangeFeedReader.open(feed, after, batch)) {
            Status status = reader.awaitError(Duration.ofSeconds(10));
            assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), "after " + after + ", batch " + batch);
            assertEquals(fields, Set.copyOf(violatedFields(reader.error().orElseThrow())),
                    "after " + after + ", batch " + batch + ": " + status.getDescription());
            assertTrue(reader.changes().isEmpty());
        }
    }
}
