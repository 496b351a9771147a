package io.qingliu.project.testing;

import io.grpc.Status;
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
 */
public final class ChangeFeedReader implements AutoCloseable {

    /** How long the static helpers wait before failing. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Object monitor = new Object();
    private final List<WatchChangesResponse> responses = new ArrayList<>();
    private final List<Change> changes = new ArrayList<>();
    private final long afterSequence;
    private final long limit;
    private ClientCallStreamObserver<WatchChangesRequest> call;
    private Throwable error;
    private boolean completed;
    private boolean stopped;
    private long lastHead = -1;

    private ChangeFeedReader(long afterSequence, long limit) {
        this.afterSequence = afterSequence;
        this.limit = limit;
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
        ChangeFeedReader reader = new ChangeFeedReader(afterSequence, limit);
        WatchChangesRequest request = WatchChangesRequest.newBuilder().setAfterSequence(afterSequence)
                .setMaxBatchSize(maxBatchSize).build();
        stub.watchChanges(request, reader.observer(initialRequests));
        return reader;
    }

    /** The feed's head now: the head_sequence of a one-change read from the start. */
    public static long currentHead(ProjectServiceGrpc.ProjectServiceStub stub) {
        try (ChangeFeedReader reader = open(stub, 0, 1)) {
            return reader.awaitResponses(1, DEFAULT_TIMEOUT).get(0).getHeadSequence();
        }
    }

    /** Reads the changes {@code afterSequence + 1 .. toSequence} in one call, then cancels it. */
    public static List<Change> readRange(ProjectServiceGrpc.ProjectServiceStub stub, long afterSequence, long toSequence,
            int maxBatchSize, Duration timeout) {
        try (ChangeFeedReader reader = open(stub, afterSequence, maxBatchSize)) {
            reader.awaitSequence(toSequence, timeout);
            return reader.changes().stream().filter(c -> c.getSequence() <= toSequence).toList();
        }
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
                boolean cancel = false;
                synchronized (monitor) {
                    if (stopped) {
                        return;
                    }
                    responses.add(response);
                    lastHead = response.getHeadSequence();
                    for (Change change : response.getChangesList()) {
                        if (changes.size() >= limit) {
                            break;
                        }
                        changes.add(change);
                    }
                    if (changes.size() >= limit) {
                        stopped = true;
                        cancel = true;
                    }
                    monitor.notifyAll();
                }
                if (cancel) {
                    call.cancel("the reader reached its limit", null);
                }
            }

            @Override
            public void onError(Throwable t) {
                synchronized (monitor) {
                    error = t;
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

    /** The recorded changes, in arrival order. */
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
            return changes.isEmpty() ? afterSequence : changes.get(changes.size() - 1).getSequence();
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
