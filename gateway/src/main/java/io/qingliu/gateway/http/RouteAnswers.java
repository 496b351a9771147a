package io.qingliu.gateway.http;

import com.google.protobuf.Message;
import io.qingliu.gateway.auth.BearerAuth;
import io.qingliu.gateway.downstream.DownstreamException;
import io.qingliu.kit.auth.AuthInterceptor;
import io.qingliu.kit.auth.TokenVerifier;
import io.qingliu.kit.grpc.ApiException;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;

/**
 * What the Vert.x routes below JAX-RS ({@link GetRoutes}, {@link StreamRoutes}) share with it:
 * the bearer token check with {@link BearerAuth}'s 401, the answer as gRPC-JSON with its
 * {@code ETag}, and every failure as the AIP-193 error {@link ErrorMappers} writes.
 */
final class RouteAnswers {

    static final ErrorMappers ERRORS = new ErrorMappers();

    private RouteAnswers() {
    }

    /** The request's bearer token once verified; null when it was not, and the 401 is answered. */
    static String verifiedToken(RoutingContext context, TokenVerifier verifier) {
        String token = AuthInterceptor.bearer(context.request().getHeader(HttpHeaders.AUTHORIZATION));
        try {
            verifier.verify(token);
            return token;
        } catch (ApiException e) {
            send(context, BearerAuth.unauthenticated(e));
            return null;
        }
    }

    /** 200 with the message in gRPC-JSON, and its etag as {@code ETag} when it has one. */
    static void ok(RoutingContext context, Message answer) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return; // the client went away meanwhile
        }
        byte[] body = ProtoJson.printUtf8(answer); // before any header: a failure here is answered as an error
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        String etag = ProtoJson.etag(answer);
        if (etag != null) {
            response.putHeader(HttpHeaders.ETAG, etag);
        }
        response.end(Buffer.buffer(Unpooled.wrappedBuffer(body))); // Buffer.buffer(byte[]) would copy it
    }

    /** The AIP-193 answer to a failed call (the service's error, or the gateway's own 500). */
    static Response error(Throwable failure) {
        if (failure instanceof DownstreamException e) {
            return ERRORS.downstream(e);
        }
        if (failure instanceof InvalidParameterException e) {
            return ERRORS.invalidParameter(e);
        }
        return ERRORS.unexpected(failure instanceof RuntimeException e ? e : new IllegalStateException(failure));
    }

    /** An answer made for JAX-RS (the shared error writers), written here. */
    static void send(RoutingContext context, Response answer) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(answer.getStatus());
        answer.getStringHeaders().forEach((header, values) -> response.headers().add(header, values));
        if (answer.getMediaType() != null && !response.headers().contains(HttpHeaders.CONTENT_TYPE)) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, answer.getMediaType().toString());
        }
        Object entity = answer.getEntity();
        if (entity instanceof byte[] bytes) {
            response.end(Buffer.buffer(Unpooled.wrappedBuffer(bytes)));
        } else {
            response.end(entity == null ? "" : entity.toString());
        }
    }
}
