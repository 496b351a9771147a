package io.qingliu.kit.testing;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Runs a client-streaming call to the end: sends every message, completes, awaits the single answer. */
public final class ClientStreams {

    /** Long enough for the largest import of the ordinary tests on a slow, shared machine. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(180);

    private ClientStreams() {
    }

    /** {@link #send(Function, List, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public static <Q, R> R send(Function<StreamObserver<R>, StreamObserver<Q>> open, List<Q> messages) {
        return send(open, messages, DEFAULT_TIMEOUT);
    }

    /**
     * @param open starts the call on an async stub, e.g. {@code stub::importProjects}
     * @return the response; a failed call throws the {@link StatusRuntimeException} it ended with
     */
    public static <Q, R> R send(Function<StreamObserver<R>, StreamObserver<Q>> open, List<Q> messages,
            Duration timeout) {
        Call<Q, R> call = start(open, messages);
        try {
            return call.answer().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new AssertionError("the call failed", e.getCause());
        } catch (TimeoutException e) {
            if (call.requests() instanceof ClientCallStreamObserver<?> c) {
                c.cancel("the test stopped waiting", null); // ends the call on the server too
            }
            throw new AssertionError("no answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A client-streaming call whose messages have all been sent: its answer to come, and its request stream. */
    public record Call<Q, R>(CompletableFuture<R> answer, StreamObserver<Q> requests) {
    }

    /**
     * Sends every message and completes, without waiting: for tests that act while the server
     * works on the call (kill it, say). The answer fails with the call's status.
     */
    public static <Q, R> Call<Q, R> start(Function<StreamObserver<R>, StreamObserver<Q>> open, List<Q> messages) {
        CompletableFuture<R> answer = new CompletableFuture<>();
        StreamObserver<Q> requests = open.apply(new StreamObserver<>() {
            @Override
            public void onNext(R value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                answer.completeExceptionally(new AssertionError("the call completed without an answer"));
            }
        });
        for (Q message : messages) {
            if (answer.isDone()) {
                break; // the server already ended the call (a rejection need not wait for the rest)
            }
            requests.onNext(message);
        }
        requests.onCompleted();
        return new Call<>(answer, requests);
    }
}
