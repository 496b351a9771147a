package io.qingliu.gateway.auth;

import io.grpc.CallCredentials;
import io.qingliu.kit.auth.BearerToken;
import io.qingliu.kit.auth.Caller;
import jakarta.enterprise.context.RequestScoped;

/**
 * Who sent the HTTP request being handled, once {@link BearerAuth} has verified their token, and
 * the same token as the credentials every gRPC call made for the request carries
 * ({@code authorization: Bearer …}): the services check it again and decide what the caller may
 * do, and their audit trails name the caller, not the gateway.
 */
@RequestScoped
public class RequestCaller {

    private Caller caller;
    private CallCredentials credentials;

    void set(Caller caller, String token) {
        this.caller = caller;
        this.credentials = BearerToken.of(token);
    }

    /** The verified caller; null while none is (a request that did not pass {@link BearerAuth}). */
    public Caller caller() {
        return caller;
    }

    /**
     * The caller's token as call credentials. A call made for a request that carries none is a
     * gateway bug (a route outside the token check), never a call without a token.
     */
    public CallCredentials credentials() {
        if (credentials == null) {
            throw new IllegalStateException("no verified bearer token for this request");
        }
        return credentials;
    }
}
