package io.qingliu.kit.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qingliu.kit.grpc.ApiException;
import io.qingliu.kit.grpc.GrpcErrors;
import io.qingliu.kit.grpc.MalformedRequests;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The door of a service: every call but the standard health service's shows a bearer token
 * ({@code authorization: Bearer <JWT>}, verified by {@link TokenVerifier}) whose role may make
 * that kind of call ({@link Access}); the caller then rides in the gRPC context
 * ({@link Caller#current()}) to the code that checks a county's records and writes the audit
 * trail. Missing or bad token: UNAUTHENTICATED; a role that may not: PERMISSION_DENIED. Bytes
 * that are no request message are INVALID_ARGUMENT ({@link MalformedRequests}).
 *
 * Each service lists every method of its own API under an access; a method left out stops the
 * service at start, so that a new method cannot be reachable by accident. Methods of other
 * services the server carries (reflection) are reads.
 */
public class AuthInterceptor implements ServerInterceptor {

    /** The standard health service answers without a token: probes and load balancers carry none. */
    private static final Set<String> OPEN_SERVICES = Set.of("grpc.health.v1.Health");

    public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final TokenVerifier verifier;
    private final Map<String, Access> access = new HashMap<>();

    protected AuthInterceptor(TokenVerifier verifier, List<ServiceDescriptor> services, Map<MethodDescriptor<?, ?>, Access> rules) {
        this.verifier = verifier;
        rules.forEach((method, a) -> access.put(method.getFullMethodName(), a));
        for (ServiceDescriptor service : services) {
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                if (!access.containsKey(method.getFullMethodName())) {
                    throw new IllegalStateException("no access rule for " + method.getFullMethodName());
                }
            }
        }
    }

    /** The access a method needs; reads for methods of services not listed (reflection). */
    public Access accessOf(String fullMethodName) {
        return access.getOrDefault(fullMethodName, Access.READ);
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> received, Metadata headers, ServerCallHandler<Q, A> next) {
        ServerCall<Q, A> call = MalformedRequests.answeredAsInvalid(received);
        String method = call.getMethodDescriptor().getFullMethodName();
        if (OPEN_SERVICES.contains(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        Caller caller;
        try {
            caller = verifier.verify(bearer(headers.get(AUTHORIZATION)));
            Access needed = accessOf(method);
            if (!caller.role().may(needed)) {
                throw new ApiException(Status.Code.PERMISSION_DENIED, "ROLE_NOT_ALLOWED",
                        "the role " + caller.roleName() + " may not call " + method,
                        Map.of("role", caller.roleName(), "method", method), List.of());
            }
        } catch (ApiException e) {
            StatusRuntimeException status = GrpcErrors.toStatus(e);
            call.close(status.getStatus(), status.getTrailers() == null ? new Metadata() : status.getTrailers());
            return new ServerCall.Listener<>() {
            };
        }
        return Contexts.interceptCall(Context.current().withValue(Caller.KEY, caller), call, headers, next);
    }

    /** The token of an {@code authorization} header ({@code Bearer <token>}), or null. */
    public static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.length() > 7 && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return value.substring(7).trim();
        }
        return null;
    }
}
