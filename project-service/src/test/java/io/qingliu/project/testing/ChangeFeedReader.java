package io.qingliu.project.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.qingliu.kit.testing.AdminTokenByDefault;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.WatchChangesRequest;
import io.qingliu.api.project.v1.WatchChangesResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A client of WatchChanges for tests: opens the stream on the async stub, records every
 * response and change as they arrive, and lets the test wait (always bounded) for a sequence,
 * for a change matching a predicate, or for the end of the call, and cancel the call at any time.
 *
 * <p>Options: a {@code limit} of changes after which the reader stops recording (mid-batch if
 * need be) and cancels the call, like a client that crashes after processing that many; and
 * manual flow control, where the test decides how many messages the client asks for.
 *
 * <p>A watch ends only by the client's cancel (an RST_STREAM), and the server answers a burst of
 * those on one connection with GOAWAY, which fails every other call sharing that connection.
 * Tests that read the feed many times in a row therefore read through
 * {@link #onOwnConnections}, which gives every call a short-lived connection of its own.
 */
public final class ChangeFeedReader implements AutoCloseable {

    /** How long the static one-shot reads ({@link #currentHead}, {@link #readRange}) wait before failing. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** The largest batch the service sends: one-shot reads ask for it. */
    private static final int MAX_BATCH = 10_000;

    private final Object monitor = new Object();
    private final List<WatchChangesResponse> responses = new ArrayList<>();
    private final List<Change> changes = new ArrayList<>();
    private final long afterSequence;
    private final long limit;
    /** False: count and check the changes without keeping them (a whole national feed does not fit). */
    private final boolean record;
    private ClientCallStreamObserver<WatchChangesRequest> call;
    private Throwable error;
    private boolean completed;
    private boolean stopped;
    private long lastHead = -1;
    private long lastSequence;
    private long count;

    private ChangeFeedReader(long afterSequence, long limit, boolean record) {
        this.afterSequence = afterSequence;
        this.limit = limit;
        this.record = record;
        this.lastSequence = afterSequence;
    }

    /** Opens a stream after {@code afterSequence} with automatic flow control. */
    public static ChangeFeedReader open(ProjectServiceGrpc.ProjectServiceStub stub, long afterSequence, int maxBatchSize) {
        return open(stub, afterSequence, maxBatchSize, Long.MAX_VALUE, -1);
    }

    /**
     * Opens a stream after {@code afterSequence}.
     *
     * @param limit stop recording and cancel once this many changes were recorded
     * @param initialRequests -1 for automatic flow control; otherwise the number of messages
     *                        requested at start, more only through {@link #request}
     */
    public static ChangeFeedReader open(ProjectServiceGrpc.ProjectServiceStub stub, long afterSequence, int maxBatchSize,
            long limit, int initialRequests) {
        return open(stub, afterSequence, maxBatchSize, limit, initialRequests, true);
    }

    private static ChangeFeedReader open(ProjectServiceGrpc.ProjectServiceStub stub, long afterSequence, int maxBatchSize,
            long limit, int initialRequests, boolean record) {
        ChangeFeedReader reader = new ChangeFeedReader(afterSequence, limit, record);
        WatchChangesRequest request = WatchChangesRequest.newBuilder().setAfterSequence(afterSequence)
                .setMaxBatchSize(maxBatchSize).build();
        stub.watchChanges(request, reader.observer(initialRequests));
        return reader;
    }

    /**
     * An async stub that gives every call a new connection to the server of {@code shared}, closed
     * once the call has ended: a burst of cancelled watches then never meets on one connection.
     * The connection is closed gracefully, so that the cancel still reaches the server and ends
     * its watcher (closing at once could drop it, and the server would keep the watcher).
     */
    public static ProjectServiceGrpc.ProjectServiceStub onOwnConnections(Channel shared) {
        String target = shared.authority();
        return ProjectServiceGrpc.newStub(new Channel() {
            @Override
            public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
                ManagedChannel own = ManagedChannelBuilder.forTarget(target).usePlaintext().intercept(new AdminTokenByDefault()).build();
                return new ForwardingClientCall.SimpleForwardingClientCall<>(own.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                            @Override
                            public void onClose(Status status, Metadata trailers) {
                                try {
                                    super.onClose(status, trailers);
                                } finally {
                                    own.shutdown();
                                }
                            }
                        }, headers);
                    }
                };
            }

            @Override
            public String authority() {
                return target;
            }
        });
    }

    /**
     * The feed's head now: the head_sequence of a one-change read from the start.
     *
     * @param client any stub of the service (blocking or async): the read goes over its channel
     */
    public static long currentHead(AbstractStub<?> client) {
        try (ChangeFeedReader reader = open(async(client), 0, 1, Long.MAX_VALUE, -1, true)) {
            return reader.awaitResponses(1, DEFAULT_TIMEOUT).get(0).getHeadSequence();
        }
    }

    /** {@link #readRange(AbstractStub, long, long, int, Duration)} in the largest batches, waiting the default time. */
    public static List<Change> readRange(AbstractStub<?> client, long afterSequence, long toSequence) {
        return readRange(client, afterSequence, toSequence, MAX_BATCH, DEFAULT_TIMEOUT);
    }

    /**
     * Reads the changes {@code afterSequence + 1 .. toSequence} in one call, then cancels it;
     * asserts they are exactly those, without gap or duplicate.
     *
     * @param client any stub of the service (blocking or async): the read goes over its channel
     */
    public static List<Change> readRange(AbstractStub<?> client, long afterSequence, long toSequence, int maxBatchSize,
            Duration timeout) {
        try (ChangeFeedReader reader = open(async(client), afterSequence, maxBatchSize, Long.MAX_VALUE, -1, true)) {
            reader.awaitSequence(toSequence, timeout);
            List<Change> range = reader.changes().stream().filter(c -> c.getSequence() <= toSequence).toList();
            assertContiguous(afterSequence, range);
            return range;
        }
    }

    /**
     * Reads the changes {@code afterSequence + 1 .. toSequence} without keeping them, checking that
     * they come without gap or duplicate; returns how many were read.
     */
    public static long countChanges(AbstractStub<?> client, long afterSequence, long toSequence, Duration timeout) {
        if (toSequence <= afterSequence) {
            return 0;
        }
        try (ChangeFeedReader reader = open(async(client), afterSequence, MAX_BATCH, toSequence - afterSequence,
                -1, false)) {
            reader.awaitStopped(timeout);
            assertTrue(reader.lastSequence() == toSequence, "the count ends at " + toSequence);
            return reader.count();
        }
    }

    /** The async stub on the channel of any stub (the blocking ones cannot watch asynchronously). */
    private static ProjectServiceGrpc.ProjectServiceStub async(AbstractStub<?> client) {
        return client instanceof ProjectServiceGrpc.ProjectServiceStub stub ? stub
                : ProjectServiceGrpc.newStub(client.getChannel());
    }

    private ClientResponseObserver<WatchChangesRequest, WatchChangesResponse> observer(int initialRequests) {
        return new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<WatchChangesRequest> requestStream) {
                if (initialRequests >= 0) {
                    requestStream.disableAutoRequestWithInitial(initialRequests);
                }
                synchronized (monitor) {
                    call = requestStream;
                }
            }

            @Override
            public void onNext(WatchChangesResponse response) {
                String cancel;
                synchronized (monitor) {
                    if (stopped || error != null) {
                        return;
                    }
                    if (record) {
                        responses.add(response);
                    }
                    lastHead = response.getHeadSequence();
                    for (Change change : response.getChangesList()) {
                        if (count >= limit) {
                            break;
                        }
                        if (record) {
                            changes.add(change);
                        } else if (change.getSequence() != lastSequence + 1) {
                            error = new AssertionError("expected change " + (lastSequence + 1) + ", got "
                                    + change.getSequence());
                            break;
                        }
                        lastSequence = change.getSequence();
                        count++;
                    }
                    if (count >= limit) {
                        stopped = true;
                    }
                    cancel = stopped ? "the reader reached its limit" : error != null ? "the feed has a gap" : null;
                    monitor.notifyAll();
                }
                if (cancel != null) {
                    call.cancel(cancel, null);
                }
            }

            @Override
            public void onError(Throwable t) {
                synchronized (monitor) {
                    if (error == null) {
                        error = t;
                    }
                    monitor.notifyAll();
                }
            }

            @Override
            public void onCompleted() {
                synchronized (monitor) {
                    completed = true;
                    monitor.notifyAll();
                }
            }
        };
    }

    /** Asks the server for {@code count} more messages (manual flow control only). */
    public void request(int count) {
        ClientCallStreamObserver<WatchChangesRequest> c;
        synchronized (monitor) {
            c = call;
        }
        c.request(count);
    }

    /** Stops recording and cancels the call; harmless when it ended already. */
    public void cancel() {
        ClientCallStreamObserver<WatchChangesRequest> c;
        synchronized (monitor) {
            stopped = true;
            c = call;
            monitor.notifyAll();
        }
        if (c != null) {
            c.cancel("the test is done reading", null);
        }
    }

    @Override
    public void close() {
        cancel();
    }

    public long afterSequence() {
        return afterSequence;
    }

    /** The recorded changes, in arrival order (none when the reader only counts). */
    public List<Change> changes() {
        synchronized (monitor) {
            return List.copyOf(changes);
        }
    }

    /** The recorded responses, in arrival order. */
    public List<WatchChangesResponse> responses() {
        synchronized (monitor) {
            return List.copyOf(responses);
        }
    }

    /** The sequence of the last recorded change, or the starting point when there is none. */
    public long lastSequence() {
        synchronized (monitor) {
            return lastSequence;
        }
    }

    /** How many changes were recorded (or counted). */
    public long count() {
        synchronized (monitor) {
            return count;
        }
    }

    /** The head_sequence of the last response, or -1. */
    public long lastHead() {
        synchronized (monitor) {
            return lastHead;
        }
    }

    /** What the call ended with, if it failed. */
    public Optional<Throwable> error() {
        synchronized (monitor) {
            return Optional.ofNullable(error);
        }
    }

    /** Whether the reader stopped recording (limit reached or cancelled). */
    public boolean stopped() {
        synchronized (monitor) {
            return stopped;
        }
    }

    /** Waits until a change with sequence ≥ {@code sequence} was recorded. */
    public void awaitSequence(long sequence, Duration timeout) {
        await(() -> lastSequence() >= sequence, timeout, "sequence " + sequence);
    }

    /** Waits until the reader stopped at its limit. */
    public void awaitStopped(Duration timeout) {
        await(() -> stopped, timeout, "the limit of " + limit + " changes");
    }

    /** Waits until the recorded changes reach the head that the last response reported. */
    public long awaitReachedHead(Duration timeout) {
        await(() -> lastHead >= 0 && lastSequence() >= lastHead, timeout, "the head");
        return lastSequence();
    }

    /** Waits for the first recorded change that matches, and returns it. */
    public Change awaitChange(Predicate<Change> match, Duration timeout) {
        Change[] found = new Change[1];
        await(() -> {
            for (Change c : changes) {
                if (match.test(c)) {
                    found[0] = c;
                    return true;
                }
            }
            return false;
        }, timeout, "a matching change");
        return found[0];
    }

    /** Waits until {@code count} responses were recorded and returns them. */
    public List<WatchChangesResponse> awaitResponses(int count, Duration timeout) {
        await(() -> responses.size() >= count, timeout, count + " responses");
        return responses();
    }

    /** Waits for the call to fail, and returns its status. */
    public Status awaitError(Duration timeout) {
        await(() -> error != null, timeout, "an error");
        return Status.fromThrowable(error);
    }

    /**
     * Waits until {@code condition} holds (checked whenever a response arrives, and every 100 ms);
     * fails when the call fails or ends first, or on timeout.
     */
    public void awaitUntil(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
        await(condition, timeout, what);
    }

    private void await(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (!condition.getAsBoolean()) {
                if (error != null) {
                    throw new AssertionError("the feed failed while waiting for " + what + " (after " + afterSequence
                            + ", last received " + lastSequence() + ")", error);
                }
                if (completed) {
                    throw new AssertionError("the feed ended while waiting for " + what);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out after " + timeout + " waiting for " + what + " (after "
                            + afterSequence + ", last received " + lastSequence() + ", last head " + lastHead + ", "
                            + responses.size() + " responses)");
                }
                try {
                    // Also wakes now and then, for conditions on state outside this reader.
                    monitor.wait(Math.max(1, Math.min(100, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + what, e);
                }
            }
        }
    }

    /**
     * Checks the global properties of a run of changes read after {@code afterSequence}: they are
     * exactly {@code afterSequence + 1, + 2, …}, with no gap and no duplicate.
     */
    public static void assertContiguous(long afterSequence, List<Change> changes) {
        long expected = afterSequence + 1;
        for (int i = 0; i < changes.size(); i++) {
            long seq = changes.get(i).getSequence();
            if (seq != expected) {
                throw new AssertionError("change #" + i + " after " + afterSequence + " has sequence " + seq
                        + ", expected " + expected + (seq < expected ? " (duplicate or out of order)" : " (gap)"));
            }
            expected++;
        }
    }

    /**
     * Checks the responses of one call: each holds consecutive changes and reports a head at
     * least as far as its last change; heads never go back.
     */
    public static void assertWellFormed(List<WatchChangesResponse> responses, int maxBatch) {
        long head = 0;
        for (int i = 0; i < responses.size(); i++) {
            WatchChangesResponse r = responses.get(i);
            if (r.getChangesCount() == 0 || r.getChangesCount() > maxBatch) {
                throw new AssertionError("response #" + i + " holds " + r.getChangesCount() + " changes; expected 1.."
                        + maxBatch);
            }
            for (int j = 1; j < r.getChangesCount(); j++) {
                if (r.getChanges(j).getSequence() != r.getChanges(j - 1).getSequence() + 1) {
                    throw new AssertionError("response #" + i + " is not consecutive at " + j);
                }
            }
            long last = r.getChanges(r.getChangesCount() - 1).getSequence();
            if (r.getHeadSequence() < last) {
                throw new AssertionError("response #" + i + " reports head " + r.getHeadSequence()
                        + " below its own last change " + last);
            }
            if (r.getHeadSequence() < head) {
                throw new AssertionError("response #" + i + " reports head " + r.getHeadSequence()
                        + " below an earlier head " + head);
            }
            head = r.getHeadSequence();
        }
    }
}
