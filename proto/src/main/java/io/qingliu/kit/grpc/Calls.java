package io.qingliu.kit.grpc;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs a unary call: the answer or the error goes to the client only after the work (and its commit) is done. */
public final class Calls {

    /** Work that answers a call and may fail in any way. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws Exception;
    }

    private Calls() {
    }

    public static <T> void unary(StreamObserver<T> response, Work<T> work) {
        T result;
        try {
            result = work.run();
        } catch (Exception | Error e) {
            response.onError(GrpcErrors.toStatus(e));
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }

    /**
     * Answers a unary call with work that ends later, on another thread (a non-blocking read): once,
     * with whatever comes first of its result, its failure and the end of the call's time
     * (DEADLINE_EXCEEDED, the late result dropped). A client that cancelled hears nothing. Call it
     * where the call's context is current.
     */
    public static <T> void unary(StreamObserver<T> response, CompletionStage<T> work) {
        Context context = Context.current();
        AtomicBoolean answered = new AtomicBoolean();
        Context.CancellationListener ended = c -> {
            if (answered.compareAndSet(false, true) && c.getDeadline() != null && c.getDeadline().isExpired()) {
                response.onError(GrpcErrors.toStatus(GrpcErrors.callTimeExceeded()));
            }
        };
        context.addListener(ended, Runnable::run);
        work.whenComplete((result, failure) -> {
            context.removeListener(ended);
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            if (failure != null) {
                response.onError(GrpcErrors.toStatus(failure instanceof CompletionException c && c.getCause() != null
                        ? c.getCause() : failure));
            } else {
                response.onNext(result);
                response.onCompleted();
            }
        });
    }
}
