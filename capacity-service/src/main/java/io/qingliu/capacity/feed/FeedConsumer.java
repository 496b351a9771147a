package io.qingliu.capacity.feed;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.kit.auth.BearerToken;
import io.qingliu.api.project.v1.WatchChangesRequest;
import io.qingliu.api.project.v1.WatchChangesResponse;
import io.qingliu.capacity.support.CapacityConfig;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Reads project-service's change feed from the stored position and applies it, batch by batch,
 * on one thread of its own. The stream is read with flow control (a few messages ahead of the
 * applier), so catching up from 0 holds little memory. When the stream breaks, it reconnects
 * from the stored position with a doubling backoff; meanwhile the service answers from what it
 * has.
 */
@ApplicationScoped
public class FeedConsumer {

    private static final Logger LOG = Logger.getLogger(FeedConsumer.class);
    /** Messages requested ahead of the applier (each at most 64 KiB). */
    private static final int READ_AHEAD = 32;

    /** What a stream delivered: a response, or its end (error or completion). */
    private record Event(WatchChangesResponse response, Throwable error, boolean completed) {
    }

    private final ProjectServiceGrpc.ProjectServiceStub feed;
    private final ChangeApplier applier;
    private final CapacityConfig config;
    private final FeedStatus status;

    private volatile boolean running;
    private volatile Thread worker;
    private volatile ClientCallStreamObserver<WatchChangesRequest> call;

    FeedConsumer(@GrpcClient("project") io.grpc.Channel channel, ChangeApplier applier, CapacityConfig config,
            FeedStatus status) {
        // The plain async stub: its ClientResponseObserver gives the manual flow control the feed needs.
        var stub = ProjectServiceGrpc.newStub(channel);
        this.feed = config.feed().token().map(t -> stub.withCallCredentials(new BearerToken(t))).orElse(stub);
        this.applier = applier;
        this.config = config;
        this.status = status;
    }

    void onStart(@Observes StartupEvent event) throws java.sql.SQLException {
        if (config.feed().enabled()) {
            if (config.feed().token().isEmpty()) {
                throw new IllegalStateException("qingliu.feed.token (QINGLIU_FEED_TOKEN) is not set: project-service "
                        + "serves its change feed only to a caller with a token (a viewer's is enough; "
                        + "deploy/local/token mint --role viewer --subject capacity-service)");
            }
            if (config.feed().rebuildAtStart()) {
                LOG.info("forgetting the read model: it is derived again from sequence 0 (qingliu.feed.rebuild-at-start)");
                applier.reset();
            }
            start();
        } else {
            LOG.info("change feed reading is off (qingliu.feed.enabled=false)");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts reading (again) from the stored position. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = new Thread(this::run, "change-feed");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Stops reading at once: cancels the stream and interrupts a batch being applied (its
     * transaction rolls back, and the batch is read again after {@link #start}).
     */
    public synchronized void stop() {
        running = false;
        Thread w = worker;
        worker = null;
        if (call != null) {
            call.cancel("consumer stopped", null);
        }
        if (w != null) {
            w.interrupt();
            try {
                w.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        status.disconnected("stopped");
    }

    /** Forgets the read model and reads the whole feed again from 0 (plans and goals stay). */
    public synchronized void rebuild() throws java.sql.SQLException {
        stop();
        applier.reset();
        start();
    }

    private void run() {
        Duration backoff = config.feed().minBackoff();
        while (running) {
            try {
                if (follow()) {
                    backoff = config.feed().minBackoff();
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException | java.sql.SQLException e) {
                if (!running) {
                    break;
                }
                String why = e instanceof StatusRuntimeException sre
                        ? sre.getStatus().getCode() + (sre.getStatus().getDescription() == null ? ""
                                : ": " + sre.getStatus().getDescription())
                                + (sre.getCause() == null ? "" : " (" + sre.getCause().getMessage() + ")")
                        : e.toString();
                status.disconnected(why);
                LOG.warnf("change feed interrupted (%s); reconnecting in %d ms", why, backoff.toMillis());
            }
            if (!running) {
                break;
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                break;
            }
            backoff = backoff.multipliedBy(2);
            if (backoff.compareTo(config.feed().maxBackoff()) > 0) {
                backoff = config.feed().maxBackoff();
            }
        }
    }

    /**
     * Follows one stream until it breaks; returns whether it delivered anything (which resets the
     * backoff).
     */
    private boolean follow() throws InterruptedException, java.sql.SQLException {
        ChangeApplier.Position position = applier.position();
        status.applied(position, null);
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        ClientResponseObserver<WatchChangesRequest, WatchChangesResponse> observer = new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<WatchChangesRequest> requestStream) {
                call = requestStream;
                requestStream.disableAutoRequestWithInitial(READ_AHEAD);
            }

            @Override
            public void onNext(WatchChangesResponse value) {
                events.add(new Event(value, null, false));
            }

            @Override
            public void onError(Throwable t) {
                events.add(new Event(null, t, false));
            }

            @Override
            public void onCompleted() {
                events.add(new Event(null, null, true));
            }
        };
        feed.watchChanges(WatchChangesRequest.newBuilder().setAfterSequence(position.sequence())
                .setMaxBatchSize(Math.min(10_000, config.feed().maxBatch())).build(), observer);
        ClientCallStreamObserver<WatchChangesRequest> stream = call;
        boolean delivered = false;
        try {
            while (running) {
                Event first = events.poll(60, TimeUnit.SECONDS);
                if (first == null) {
                    // Heartbeats arrive every 30 s; a silent minute means the connection is dead.
                    throw Status.DEADLINE_EXCEEDED.withDescription("no heartbeat from the change feed for 60 s")
                            .asRuntimeException();
                }
                List<Change> batch = new ArrayList<>();
                long head = 0;
                Event event = first;
                int taken = 0;
                while (event != null) {
                    if (event.error() != null) {
                        if (!batch.isEmpty()) {
                            position = applier.apply(batch, deferDerived(batch, head));
                            status.applied(position, head);
                        }
                        throw event.error() instanceof RuntimeException re ? re : new IllegalStateException(event.error());
                    }
                    if (event.completed()) {
                        throw Status.UNAVAILABLE.withDescription("change feed ended").asRuntimeException();
                    }
                    batch.addAll(event.response().getChangesList());
                    head = Math.max(head, event.response().getHeadSequence());
                    taken++;
                    if (batch.size() >= config.feed().maxBatch()) {
                        break;
                    }
                    event = events.poll();
                }
                stream.request(taken);
                status.connected(head);
                if (!batch.isEmpty()) {
                    position = applier.apply(batch, deferDerived(batch, head));
                    delivered = true;
                } else if (position.derivedBehind()) {
                    // Caught up (a heartbeat) with derivation still deferred: a restart at the head.
                    position = applier.apply(batch, false);
                }
                status.applied(position, head);
            }
        } finally {
            stream.cancel("consumer stopped reading", null);
        }
        return delivered;
    }

    /**
     * Whether the batch should write only the mirror: while more than the configured number of
     * changes wait behind it, whatever it does to the derived tables, later batches would undo or
     * redo; they are derived once, by the first batch that is near the head.
     */
    private boolean deferDerived(List<Change> batch, long head) {
        long beyond = config.feed().deferDerivedBeyond();
        return beyond > 0 && head - batch.get(batch.size() - 1).getSequence() > beyond;
    }

}
