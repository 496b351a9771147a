package io.qingliu.bench;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Client-streaming calls that send a prepared list of messages, honouring flow control. */
final class Streams {
    private Streams() {
    }

    /**
     * Sends every message of reqs on a client stream opened by call, half-closes, and waits (at
     * most timeoutSeconds) for the single response.
     */
    static <Req, Resp> Resp send(Function<StreamObserver<Resp>, StreamObserver<Req>> call, List<Req> reqs,
            long timeoutSeconds) throws Exception {
        CompletableFuture<Resp> result = new CompletableFuture<>();
        ClientResponseObserver<Req, Resp> observer = new ClientResponseObserver<>() {
            private Resp last;
            private int next;
            private boolean closed;

            @Override
            public void beforeStart(ClientCallStreamObserver<Req> requestStream) {
                requestStream.setOnReadyHandler(() -> {
                    // called on a gRPC thread each time the transport can take more
                    synchronized (this) {
                        while (requestStream.isReady() && next < reqs.size()) {
                            requestStream.onNext(reqs.get(next++));
                        }
                        if (next == reqs.size() && !closed) {
                            closed = true;
                            requestStream.onCompleted();
                        }
                    }
                });
            }

            @Override
            public void onNext(Resp value) {
                last = value;
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                result.complete(last);
            }
        };
        call.apply(observer);
        try {
            return result.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }
}
