package io.qingliu.project.identity;

import io.grpc.Context;

/**
 * Who is making the current call, as recorded in the audit trail. Until callers authenticate,
 * everyone is {@code anonymous}; the interceptor that verifies tokens puts the subject and role
 * in the gRPC context under {@link #KEY}.
 */
public record Caller(String subject, String role) {

    public static final Caller ANONYMOUS = new Caller("anonymous", null);

    public static final Context.Key<Caller> KEY = Context.keyWithDefault("qingliu-caller", ANONYMOUS);

    /** The caller of the call being served on this thread, or anonymous. */
    public static Caller current() {
        return KEY.get();
    }
}
