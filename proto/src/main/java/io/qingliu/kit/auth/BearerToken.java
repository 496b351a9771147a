package io.qingliu.kit.auth;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;

/** A client's own token, sent as {@code authorization: Bearer …} on each call it is attached to. */
public final class BearerToken extends CallCredentials {

    private final String token;

    public BearerToken(String token) {
        this.token = token;
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
        applier.apply(headers);
    }
}
