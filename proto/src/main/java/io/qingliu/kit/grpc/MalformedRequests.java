package io.qingliu.kit.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;

/**
 * Bytes that are no message of the method's request type are the caller's error: grpc-java
 * answers them INTERNAL (the unary handler sees the call half-closed without a request once the
 * message failed to parse). This call answers INVALID_ARGUMENT with an ErrorInfo instead, so that
 * INTERNAL keeps meaning a fault of ours.
 */
public final class MalformedRequests<Q, A> extends ForwardingServerCall.SimpleForwardingServerCall<Q, A> {

    /** grpc-java's words for a unary call whose request never arrived whole (io.grpc.stub.ServerCalls). */
    private static final String MISSING_REQUEST = "Half-closed without a request";
    /** grpc-java's words for a message that does not parse (io.grpc.protobuf.lite.ProtoLiteUtils). */
    private static final String INVALID_BYTES = "Invalid protobuf byte sequence";

    private MalformedRequests(ServerCall<Q, A> call) {
        super(call);
    }

    public static <Q, A> ServerCall<Q, A> answeredAsInvalid(ServerCall<Q, A> call) {
        return new MalformedRequests<>(call);
    }

    @Override
    public void close(Status status, Metadata trailers) {
        String description = status.getDescription();
        if (status.getCode() == Status.Code.INTERNAL && description != null
                && (description.startsWith(MISSING_REQUEST) || description.startsWith(INVALID_BYTES))) {
            StatusRuntimeException invalid = GrpcErrors.toStatus(new ApiException(Status.Code.INVALID_ARGUMENT,
                    "MALFORMED_REQUEST", "the request is not a well-formed " + getMethodDescriptor().getRequestMarshaller()
                            .getClass().getSimpleName().replace("Marshaller", "") + " message of "
                            + getMethodDescriptor().getFullMethodName(),
                    Map.of("method", getMethodDescriptor().getFullMethodName()), List.of()));
            super.close(invalid.getStatus(), invalid.getTrailers() == null ? new Metadata() : invalid.getTrailers());
            return;
        }
        super.close(status, trailers);
    }
}
