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
        OpenStream<Q, R> stream = open(open);
        for (Q message : messages) {
            if (stream.answer().isDone()) {
                break; // the server already ended the call (a rejection need not wait for the rest)
            }
            stream.send(message);
        }
        stream.complete();
        return new Call<>(stream.answer(), stream.requests);
    }

    /** Opens a client-streaming call that the test feeds, completes or cancels by hand. */
    public static <Q, R> OpenStream<Q, R> open(Function<StreamObserver<R>, StreamObserver<Q>> open) {
        return new OpenStream<>(open);
    }

    /** A client stream still open: its answer (failed with the call's status) comes when the server ends the call. */
    public static final class OpenStream<Q, R> {
        private final CompletableFuture<R> answer = new CompletableFuture<>();
        private final StreamObserver<Q> requests;

        private OpenStream(Function<StreamObserver<R>, StreamObserver<Q>> open) {
            requests = open.apply(new StreamObserver<>() {
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
        }

        public OpenStream<Q, R> send(Q message) {
            requests.onNext(message);
            return this;
        }

        public OpenStream<Q, R> sendAll(List<Q> messages) {
            messages.forEach(this::send);
            return this;
        }

        public void complete() {
            requests.onCompleted();
        }

        /** Cancels the call, as a client that goes away does. */
        public void cancel() {
            ((ClientCallStreamObserver<Q>) requests).cancel("the test cancels the stream", null);
        }

        public CompletableFuture<R> answer() {
            return answer;
        }

        /** The status the server ended the call with, waiting up to {@code timeout}; fails if the call was answered. */
        public io.grpc.Status awaitFailure(Duration timeout) throws InterruptedException, TimeoutException {
            try {
                R value = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                throw new AssertionError("the call was answered: " + value);
            } catch (ExecutionException e) {
                return io.grpc.Status.fromThrowable(e.getCause()).withCause(e.getCause());
            }
        }
    }
}
