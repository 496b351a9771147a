package io.qingliu.project.feed;

import io.agroal.api.AgroalDataSource;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.WatchChangesRequest;
import io.qingliu.api.project.v1.WatchChangesResponse;
import io.qingliu.kit.grpc.GrpcErrors;
import io.qingliu.kit.grpc.Violations;
import io.qingliu.project.support.QingliuConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Serves WatchChanges: everything after the caller's sequence, then live changes as they
 * commit. Because sequence numbers are gap-free and visible in order (see {@link ChangeLog}),
 * reading {@code seq > cursor} in order never skips a change that commits late.
 *
 * <p>Each watcher runs on its own thread and sends only while the client's transport is ready,
 * so a slow reader holds back its own stream, not the service's memory.
 */
@ApplicationScoped
public class ChangeStream {

    private static final Logger LOG = Logger.getLogger(ChangeStream.class);
    private static final int DEFAULT_BATCH = 1000;
    /** An idle stream gets a message with no change (and the head) this often: a heartbeat both sides can check. */
    private static final long HEARTBEAT_NANOS = 30_000_000_000L;
    private static final int MAX_BATCH = 10_000;

    /**
     * Bytes of changes per response (a response holds at least one change, however large). A batch
     * must fit in a gRPC message (4 MiB by default) however large the snapshots are. And it must
     * be small: a response a slow client has not taken waits in the HTTP/2 connection's flow
     * control, and once the bytes waiting there on all its streams exceed the connection window
     * (1 MiB for grpc-java clients) the connection stops being ready for every stream, so a
     * stalled watcher would hold back the other watchers of its client.
     */
    private static final int MAX_BATCH_BYTES = 64 * 1024;

    private static final String READ = "SELECT h.last_seq, c.payload FROM feed_head h LEFT JOIN LATERAL "
            + "(SELECT seq, payload FROM (SELECT seq, payload, row_number() OVER w AS n, "
            + "sum(octet_length(payload)) OVER w AS upto "
            + "FROM (SELECT seq, payload FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?) l WINDOW w AS (ORDER BY seq)) s "
            + "WHERE n = 1 OR upto <= ?) c ON true ORDER BY c.seq";

    private final AgroalDataSource dataSource;
    private final FeedNotifier notifier;
    /** A client that takes nothing for this long is cut off ({@code qingliu.feed.stall-limit}). */
    private final Duration stallLimit;
    private final AtomicInteger active = new AtomicInteger();
    private final ExecutorService watchers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "feed-watcher");
        t.setDaemon(true);
        return t;
    });

    ChangeStream(AgroalDataSource dataSource, FeedNotifier notifier, QingliuConfig config) {
        this.dataSource = dataSource;
        this.notifier = notifier;
        this.stallLimit = config.feed().stallLimit();
    }

    void stop(@Observes ShutdownEvent event) {
        watchers.shutdownNow();
    }

    /** Watchers connected now. */
    public int activeWatchers() {
        return active.get();
    }

    /** The highest committed sequence. */
    public long headSequence() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT last_seq FROM feed_head WHERE id = 1");
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public void watch(WatchChangesRequest request, StreamObserver<WatchChangesResponse> observer) {
        Violations violations = new Violations();
        if (request.getAfterSequence() < 0) {
            violations.add("after_sequence", "must not be negative");
        }
        if (request.getMaxBatchSize() < 0 || request.getMaxBatchSize() > MAX_BATCH) {
            violations.add("max_batch_size", "must be between 0 (meaning " + DEFAULT_BATCH + ") and " + MAX_BATCH);
        }
        if (!violations.isEmpty()) {
            observer.onError(GrpcErrors.toStatus(violations.toException()));
            return;
        }
        ServerCallStreamObserver<WatchChangesResponse> call = (ServerCallStreamObserver<WatchChangesResponse>) observer;
        Watcher watcher = new Watcher(call, request.getAfterSequence(),
                request.getMaxBatchSize() == 0 ? DEFAULT_BATCH : request.getMaxBatchSize());
        call.setOnReadyHandler(watcher::signal);
        call.setOnCancelHandler(watcher::cancel);
        watchers.execute(watcher);
    }

    private final class Watcher implements Runnable {
        private final ServerCallStreamObserver<WatchChangesResponse> call;
        private final int batch;
        private final Object readiness = new Object();
        private volatile boolean cancelled;
        private long cursor;
        /**
         * Rows read per query: enough to fill a response of {@link #MAX_BATCH_BYTES} at the last
         * response's average change size, never more than the client's batch. Reading the client's
         * whole batch when only 64 KiB of it can be sent would read each change many times over.
         */
        private int limit;

        Watcher(ServerCallStreamObserver<WatchChangesResponse> call, long after, int batch) {
            this.call = call;
            this.cursor = after;
            this.batch = batch;
            this.limit = Math.min(batch, 64);
        }

        void signal() {
            synchronized (readiness) {
                readiness.notifyAll();
            }
        }

        void cancel() {
            cancelled = true;
            signal();
            notifier.wakeAll();
        }

        @Override
        public void run() {
            active.incrementAndGet();
            try {
                long lastSent = System.nanoTime();
                while (!cancelled && !call.isCancelled()) {
                    long seen = notifier.generation();
                    WatchChangesResponse response = read();
                    boolean heartbeat = response.getChangesCount() == 0
                            && System.nanoTime() - lastSent > HEARTBEAT_NANOS;
                    if (response.getChangesCount() == 0 && !heartbeat) {
                        notifier.awaitAfter(seen, 1000);
                        continue;
                    }
                    if (!awaitReady()) {
                        return;
                    }
                    call.onNext(response);
                    lastSent = System.nanoTime();
                    if (!heartbeat) {
                        cursor = response.getChanges(response.getChangesCount() - 1).getSequence();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finish(Status.UNAVAILABLE.withDescription("the service is shutting down; reconnect with your last sequence"));
            } catch (SQLException e) {
                LOG.warnf("feed read failed: %s", e.getMessage());
                finish(Status.UNAVAILABLE.withDescription("the database is unavailable; reconnect with your last sequence"));
            } catch (RuntimeException e) {
                if (!cancelled) {
                    LOG.error("feed watcher failed", e);
                    finish(Status.INTERNAL.withDescription("the feed failed; reconnect with your last sequence"));
                }
            } finally {
                active.decrementAndGet();
            }
        }

        private WatchChangesResponse read() throws SQLException {
            WatchChangesResponse.Builder response = WatchChangesResponse.newBuilder();
            long bytes = 0;
            try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(READ)) {
                st.setLong(1, cursor);
                st.setInt(2, limit);
                st.setInt(3, MAX_BATCH_BYTES);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        response.setHeadSequence(rs.getLong(1));
                        byte[] payload = rs.getBytes(2);
                        if (payload != null) {
                            bytes += payload.length;
                            response.addChanges(Change.parseFrom(payload));
                        }
                    }
                }
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException("unreadable change in the log", e);
            }
            if (response.getChangesCount() > 0) {
                long average = Math.max(1, bytes / response.getChangesCount());
                limit = (int) Math.max(1, Math.min(batch, MAX_BATCH_BYTES / average + 16));
            }
            return response.build();
        }

        /**
         * Waits until the transport takes more; false when the client went away, or has read
         * nothing for the stall limit (it is cut off, so that it holds no thread and
         * connection for ever; it may reconnect with its last sequence).
         */
        private boolean awaitReady() throws InterruptedException {
            long since = System.nanoTime();
            synchronized (readiness) {
                while (!call.isReady()) {
                    if (cancelled || call.isCancelled()) {
                        return false;
                    }
                    if (System.nanoTime() - since > stallLimit.toNanos()) {
                        finish(Status.RESOURCE_EXHAUSTED.withDescription("the client read nothing for "
                                + stallLimit.toSeconds() + " s; reconnect with your last sequence"));
                        return false;
                    }
                    readiness.wait(1000);
                }
            }
            return !cancelled;
        }

        private void finish(Status status) {
            if (!cancelled && !call.isCancelled()) {
                try {
                    call.onError(status.asRuntimeException());
                } catch (RuntimeException ignored) {
                    // The call closed meanwhile.
                }
            }
        }
    }
}
