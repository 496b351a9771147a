package io.qingliu.kit.auth;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;

/** A client's own token, sent as {@code authorization: Bearer …} on each call it is attached to. */
public final class BearerToken extends CallCredentials {

    /** The credentials a thread made last: a gateway's requests on one connection mostly carry one token. */
    private static final ThreadLocal<BearerToken> LAST = new ThreadLocal<>();

    private final String token;
    private final String header;

    public BearerToken(String token) {
        this.token = token;
        this.header = "Bearer " + token;
    }

    /** The credentials of {@code token}: those this thread made last when the token is the same. */
    public static BearerToken of(String token) {
        BearerToken last = LAST.get();
        if (last != null && last.token.equals(token)) {
            return last;
        }
        BearerToken made = new BearerToken(token);
        LAST.set(made);
        return made;
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(AuthInterceptor.AUTHORIZATION, header);
        applier.apply(headers);
    }
}
