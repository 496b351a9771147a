package io.qingliu.gateway.auth;

import io.qingliu.gateway.http.ApiError;
import io.qingliu.kit.auth.AuthInterceptor;
import io.qingliu.kit.auth.Caller;
import io.qingliu.kit.auth.TokenVerifier;
import io.qingliu.kit.grpc.ApiException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The gateway's door: every request its JAX-RS routes serve (all of {@code /api/**}, and unknown
 * paths, which would be 404s) shows a bearer token ({@code Authorization: Bearer <JWT>}) that
 * {@link TokenVerifier} accepts, the same check as the services'. Without one the answer is a 401
 * in the AIP-193 form (ErrorInfo reason {@code TOKEN_MISSING}, {@code TOKEN_INVALID} or
 * {@code TOKEN_EXPIRED}) with {@code WWW-Authenticate: Bearer}, before any service is called.
 * Health, metrics, the OpenAPI document and Swagger UI are Vert.x routes under {@code /q} that
 * JAX-RS never sees: they answer without a token.
 *
 * <p>The gateway checks only who the caller is; what the caller may do is the services' to say,
 * from the same token, which every call made for the request carries ({@link RequestCaller}).
 * It runs before route matching and before the JAX-RS body is read; an oversized body is refused
 * earlier still, by {@code http/BodyLimit}. The standard Get routes, served below JAX-RS by
 * {@code http/GetRoutes}, make the same check with the same answers.
 */
@Singleton
public class BearerAuth {

    @Inject
    TokenVerifier verifier;

    @Inject
    RequestCaller requestCaller;

    /**
     * The verifier reads its public key when first used: use it at start, so that a gateway
     * without a key (or with one it cannot read) fails to start rather than answer 500s.
     */
    void keyAtStart(@Observes StartupEvent start) {
        try {
            verifier.verify(null);
        } catch (ApiException expected) {
            // TOKEN_MISSING: the key was read.
        }
    }

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Response authenticate(ContainerRequestContext request) {
        String token = AuthInterceptor.bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        Caller caller;
        try {
            caller = verifier.verify(token);
        } catch (ApiException e) {
            return unauthenticated(e);
        }
        requestCaller.set(caller, token);
        return null;
    }

    /** 401 with the verifier's reason and message, and the Bearer challenge. */
    public static Response unauthenticated(ApiException e) {
        return ApiError.withBearerChallenge(ApiError.of(e.code(), e.reason(), e.getMessage(), e.metadata()), e.reason(),
                e.getMessage());
    }
}
