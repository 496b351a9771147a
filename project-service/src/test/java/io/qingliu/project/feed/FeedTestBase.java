package io.qingliu.project.feed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.quarkus.grpc.GrpcClient;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;

/**
 * What every feed test works with: the blocking stub that writes, the async stub the feed is
 * watched on (both on the tests' shared connection: see
 * {@link io.qingliu.project.testing.ChangeFeedReader} for the reads that are not), and the
 * server's {@link ChangeStream}, for tests that check its watchers end with their calls.
 */
abstract class FeedTestBase {

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub projects;

    @Inject
    ProjectServiceGrpc.ProjectServiceStub feed;

    @Inject
    ChangeStream changeStream;

    /**
     * Waits (10 s at most) until no more than {@code count} watchers run on the server: the
     * server-side watcher of a cancelled call must end with it, even while waiting for the transport.
     */
    void awaitWatchersAtMost(int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (changeStream.activeWatchers() > count) {
            assertTrue(System.nanoTime() < deadline, "cancelled watchers still run on the server: "
                    + changeStream.activeWatchers() + " active, " + count + " before");
            sleep(50);
        }
    }

    /** The port the service under test listens on, for tests that open connections of their own. */
    static int port() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
