package io.qingliu.gateway.http;

import io.grpc.Status;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.ByteArrayInputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A body over {@code quarkus.http.limits.max-body-size} is an AIP-193 400 naming {@code body},
 * not Vert.x's bare 413 nor a connection cut while the client still sends. Quarkus checks the
 * limit in a route of order -2 (a Content-Length over it) and while Quarkus REST reads (a chunked
 * body), answering both with an empty 413 and closing the connection; this route runs before
 * either. A Content-Length over the limit is answered at once; a chunked body is read here up to
 * the limit and then handed to JAX-RS as it came. Either way the rest of an oversized body is read
 * and dropped, so the client, still sending, sees the answer rather than a reset; past
 * {@link #DRAIN_LIMIT_FACTOR} times the limit the connection is closed.
 */
@ApplicationScoped
public class BodyLimit {

    /** Before Quarkus's own check of the body size (order -2). */
    static final int ORDER = -3;
    private static final String BUFFERED_BODY = "qingliu.buffered-body";
    private static final long DRAIN_LIMIT_FACTOR = 16;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        long limit = maxBodySize.asLongValue();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                context.next(); // Vert.x refuses a malformed Content-Length itself
                return;
            }
            if (declared > limit) {
                refuse(context, limit);
                drain(request, limit);
                return;
            }
            context.next();
            return;
        }
        String encoding = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
        if (encoding == null || !encoding.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
            context.next(); // no body
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        long[] dropped = {0};
        request.handler(chunk -> {
            if (refused[0]) {
                dropped[0] += chunk.length();
                if (dropped[0] > DRAIN_LIMIT_FACTOR * limit) {
                    request.connection().close();
                }
            } else if (body.length() + chunk.length() > limit) {
                refused[0] = true;
                refuse(context, limit);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(end -> {
            if (!refused[0]) {
                context.put(BUFFERED_BODY, body);
                context.next();
            }
        });
    }

    /** A chunked body read by {@link #check}: JAX-RS reads it from here (the request itself has ended). */
    @ServerRequestFilter(preMatching = true)
    public void bufferedBody(ContainerRequestContext request, RoutingContext context) {
        Buffer body = context.get(BUFFERED_BODY);
        if (body != null) {
            request.setEntityStream(new ByteArrayInputStream(body.getBytes()));
        }
    }

    private static void refuse(RoutingContext context, long limit) {
        String description = "is larger than the limit of " + limit + " bytes";
        context.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(ApiError.json(400, Status.Code.INVALID_ARGUMENT, "body " + description,
                        ApiError.invalidParameterDetails("body", description)));
    }

    /** Reads and drops the rest of the body, so that the client gets to read the answer. */
    static void drain(HttpServerRequest request, long limit) {
        long[] dropped = {0};
        request.handler(chunk -> {
            dropped[0] += chunk.length();
            if (dropped[0] > DRAIN_LIMIT_FACTOR * limit) {
                request.connection().close();
            }
        });
        request.endHandler(end -> {
        });
    }
}
