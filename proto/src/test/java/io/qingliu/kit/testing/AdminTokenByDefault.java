package io.qingliu.kit.testing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;

/**
 * Gives a test's call an admin's token unless the call chose its own credentials: the tests of
 * what a feature does run as someone allowed to do it; the tests of who may do what choose
 * their caller with {@code withCallCredentials}. A test module makes it a global client
 * interceptor with a subclass annotated {@code @GlobalInterceptor @ApplicationScoped}.
 */
public class AdminTokenByDefault implements ClientInterceptor {

    private static volatile String token;

    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        if (options.getCredentials() != null) {
            return next.newCall(method, options);
        }
        return next.newCall(method, options.withCallCredentials(TestTokens.bearer(adminToken())));
    }

    /** One admin token per test JVM (minted once: signing costs a millisecond). */
    public static String adminToken() {
        String t = token;
        if (t == null) {
            t = token = TestTokens.admin();
        }
        return t;
    }
}
