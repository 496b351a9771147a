package io.qingliu.project.testing;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Runs a client-streaming call to the end: sends every message, completes, awaits the single answer. */
public final class ClientStreams {

    private ClientStreams() {
    }

    /**
     * @param open starts the call on an async stub, e.g. {@code r -> stub.importProjects(r)}
     * @return the response; a failed call throws its {@link StatusRuntimeException}
     */
    public static <Q, R> R send(Function<StreamObserver<R>, StreamObserver<Q>> open, List<Q> messages) {
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
                answer.completeExceptionally(new IllegalStateException("the call completed without an answer"));
            }
        });
        for (Q message : messages) {
            requests.onNext(message);
        }
        requests.onCompleted();
        try {
            return answer.get(180, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException sre) {
                throw sre;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within 180 s", e);
        }
    }
}
