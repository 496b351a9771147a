package io.qingliu.kit.grpc;

import io.grpc.stub.StreamObserver;

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
}
