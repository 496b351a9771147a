package io.qingliu.project.feed;

import static io.qingliu.project.feed.FeedFixtures.largeProject;
import static io.qingliu.project.feed.FeedFixtures.uniqueName;
import static io.qingliu.project.testing.ChangeFeedReader.assertContiguous;
import static io.qingliu.project.testing.ChangeFeedReader.assertWellFormed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.Project;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Large snapshots: a project with long notes and many lifecycle moves, each with a long reason,
 * makes each of its changes hundreds of kilobytes. A batch of them must still reach a client
 * with gRPC's default 4 MiB message limit, at the default batch size: a batch that cannot be
 * delivered would stop every consumer at that point of the feed, on every reconnect.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ChangeFeedLargeChangesTest extends FeedTestBase {

    private static final int MOVES = 40;

    @Test
    void batchesOfLargeChangesStillReachTheClient() {
        long start = ChangeFeedReader.currentHead(feed);
        Project last = largeProject(projects, uniqueName("large"), "512002105000", MOVES); // 老君镇, 雁江区
        long end = ChangeFeedReader.currentHead(feed);

        List<Change> oneByOne = ChangeFeedReader.readRange(feed, start, end, 1, Duration.ofSeconds(60));
        assertContiguous(start, oneByOne);
        long bytes = oneByOne.stream().mapToLong(Change::getSerializedSize).sum();
        assertTrue(bytes > 4L << 20, "the changes together exceed 4 MiB: " + bytes);

        for (int batch : new int[] {0, 1000, 10_000}) {
            try (ChangeFeedReader reader = ChangeFeedReader.open(feed, start, batch)) {
                reader.awaitSequence(end, Duration.ofSeconds(60));
                List<Change> got = reader.changes().stream().filter(c -> c.getSequence() <= end).toList();
                assertEquals(oneByOne, got, "max_batch_size " + batch);
                assertWellFormed(reader.responses(), batch == 0 ? 1000 : batch);
                assertTrue(got.stream().anyMatch(c -> c.getResourceName().equals(last.getName())
                        && c.getProject().equals(last)));
            }
        }
    }
}
