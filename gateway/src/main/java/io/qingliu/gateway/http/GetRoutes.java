package io.qingliu.gateway.http;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.qingliu.gateway.auth.BearerAuth;
import io.qingliu.gateway.downstream.Calls;
import io.qingliu.gateway.openapi.HttpRoute;
import io.qingliu.kit.auth.BearerToken;
import io.qingliu.kit.auth.TokenVerifier;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;

/**
 * The standard Get methods (AIP-131: GetDivision, GetFacility, GetProject, GetPlan), the busiest
 * reads, served by Vert.x routes on the event loop instead of Quarkus REST: a GET of a project
 * cost the gateway 81-86 us of CPU this way against 98-107 us through a JAX-RS method (back to
 * back, 16 connections, same data). They are found from the protos' {@code google.api.http}
 * bindings: a Get whose request is only the resource name, bound by the path
 * ({@code get: "/api/v1/{name=projects/*}"}).
 *
 * <p>Each does what the JAX-RS routes do, with the same answers: the bearer token is checked
 * first ({@link BearerAuth}'s 401), the call goes through {@link Calls} (the caller's token, a
 * deadline, retried on UNAVAILABLE), the answer is the message in gRPC-JSON with its {@code ETag},
 * and every failure is the AIP-193 error {@link ErrorMappers} writes. Other HTTP methods on the
 * same paths (PATCH, DELETE) go on to the JAX-RS resources.
 */
@ApplicationScoped
public class GetRoutes {

    /** After the body-size check ({@link BodyLimit}), before the JAX-RS routes. */
    static final int ORDER = RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT;
    private static final String API_ROOT = "/api/v1/";

    private final Calls calls;
    private final TokenVerifier verifier;
    private final Downstreams downstreams;

    /**
     * One route: the path's last segment is the resource's id, its name the collection's prefix
     * and the id ({@code projects/} + {@code 42}).
     */
    private record GetRoute(String path, String variable, String namePrefix, Downstreams.Downstream downstream,
            MethodDescriptor<Message, Message> method, Message prototype, FieldDescriptor name) {

        Message request(String id) {
            return prototype.newBuilderForType().setField(name, namePrefix + id).build();
        }
    }

    GetRoutes(Calls calls, TokenVerifier verifier, Downstreams downstreams) {
        this.calls = calls;
        this.verifier = verifier;
        this.downstreams = downstreams;
    }

    void install(@Observes Router router) {
        for (GetRoute route : routes()) {
            router.route(route.path()).method(HttpMethod.GET).method(HttpMethod.HEAD).order(ORDER)
                    .handler(context -> serve(context, route));
        }
    }

    /** The routes of every standard Get the protos bind to a path. */
    private List<GetRoute> routes() {
        List<GetRoute> routes = new ArrayList<>();
        for (HttpRoute binding : HttpRoute.all()) {
            Descriptor input = binding.method().getInputType();
            FieldDescriptor name = input.findFieldByName("name");
            int variableAt = binding.path().lastIndexOf('{');
            boolean standardGet = binding.verb().equals("get") && binding.method().getName().startsWith("Get")
                    && binding.pathFields().equals(List.of("name")) && input.getFields().size() == 1 && name != null
                    && binding.path().startsWith(API_ROOT) && binding.path().endsWith("}")
                    && binding.variables().size() == 1;
            if (!standardGet) {
                continue;
            }
            Downstreams.Downstream downstream = downstreams.of(binding);
            MethodDescriptor<Message, Message> method = downstream.method(binding);
            String variable = binding.variables().keySet().iterator().next();
            routes.add(new GetRoute(binding.path().substring(0, variableAt) + ':' + variable, variable,
                    binding.path().substring(API_ROOT.length(), variableAt), downstream, method,
                    Downstreams.prototype(method), name));
        }
        return routes;
    }

    private void serve(RoutingContext context, GetRoute route) {
        try {
            String token = RouteAnswers.verifiedToken(context, verifier);
            if (token == null) {
                return;
            }
            Message request = route.request(context.pathParam(route.variable()));
            Downstreams.Downstream downstream = route.downstream();
            calls.as(BearerToken.of(token)).readUnary(downstream.service(), downstream.stub(), route.method(), request,
                    (answer, failure) -> {
                        try {
                            if (failure == null) {
                                RouteAnswers.ok(context, answer);
                            } else {
                                RouteAnswers.send(context, RouteAnswers.error(failure));
                            }
                        } catch (RuntimeException e) {
                            // On the transport's thread: nobody else would answer the client.
                            RouteAnswers.send(context, RouteAnswers.ERRORS.unexpected(e));
                        }
                    });
        } catch (RuntimeException e) {
            RouteAnswers.send(context, RouteAnswers.ERRORS.unexpected(e));
        }
    }
}
