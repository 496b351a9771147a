package io.qingliu.gateway.downstream;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

/**
 * A stub for any unary method, named by its descriptor rather than generated for one service:
 * the routes made from the protos' HTTP bindings ({@code http/GetRoutes}) call through it, and
 * {@link Calls} gives it the caller's token and a deadline as it does a generated stub.
 */
public final class MethodStub extends AbstractStub<MethodStub> {

    public MethodStub(Channel channel) {
        super(channel);
    }

    private MethodStub(Channel channel, CallOptions options) {
        super(channel, options);
    }

    @Override
    protected MethodStub build(Channel channel, CallOptions options) {
        return new MethodStub(channel, options);
    }

    /** One call of the method with this stub's options (credentials, deadline), answered to the observer. */
    public <Q, R> void call(MethodDescriptor<Q, R> method, Q request, StreamObserver<R> observer) {
        ClientCalls.asyncUnaryCall(getChannel().newCall(method, getCallOptions()), request, observer);
    }
}
