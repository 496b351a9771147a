package io.qingliu.gateway.http;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.gateway.auth.BearerAuth;
import io.qingliu.gateway.downstream.Calls;
import io.qingliu.gateway.downstream.DownstreamException;
import io.qingliu.gateway.downstream.MethodStub;
import io.qingliu.gateway.downstream.Service;
import io.qingliu.gateway.openapi.HttpRoute;
import io.qingliu.kit.auth.AuthInterceptor;
import io.qingliu.kit.auth.BearerToken;
import io.qingliu.kit.auth.TokenVerifier;
import io.qingliu.kit.grpc.ApiException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    private static final ErrorMappers ERRORS = new ErrorMappers();

    private final Calls calls;
    private final TokenVerifier verifier;
    private final Map<String, Downstream> services;

    /** A service the routes call: who it is to errors and retries, its channel, its methods. */
    private record Downstream(Service service, MethodStub stub, ServiceDescriptor descriptor) {
    }

    /**
     * One route: the path's last segment is the resource's id, its name the collection's prefix
     * and the id ({@code projects/} + {@code 42}).
     */
    private record GetRoute(String path, String variable, String namePrefix, Downstream downstream,
            MethodDescriptor<Message, Message> method, Message prototype, FieldDescriptor name) {

        Message request(String id) {
            return prototype.newBuilderForType().setField(name, namePrefix + id).build();
        }
    }

    GetRoutes(Calls calls, TokenVerifier verifier, @GrpcClient("project") Channel project,
            @GrpcClient("capacity") Channel capacity) {
        this.calls = calls;
        this.verifier = verifier;
        this.services = Map.of(
                ProjectServiceGrpc.SERVICE_NAME,
                new Downstream(Service.PROJECT, new MethodStub(project), ProjectServiceGrpc.getServiceDescriptor()),
                CapacityServiceGrpc.SERVICE_NAME,
                new Downstream(Service.CAPACITY, new MethodStub(capacity), CapacityServiceGrpc.getServiceDescriptor()));
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
            Downstream downstream = services.get(binding.method().getService().getFullName());
            if (downstream == null) {
                throw new IllegalStateException(binding.method().getFullName() + " belongs to no service the gateway calls");
            }
            MethodDescriptor<Message, Message> method = method(downstream.descriptor(), binding);
            Message prototype = (Message) ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller())
                    .getMessagePrototype();
            String variable = binding.variables().keySet().iterator().next();
            routes.add(new GetRoute(binding.path().substring(0, variableAt) + ':' + variable, variable,
                    binding.path().substring(API_ROOT.length(), variableAt), downstream, method, prototype, name));
        }
        return routes;
    }

    @SuppressWarnings("unchecked")
    private static MethodDescriptor<Message, Message> method(ServiceDescriptor service, HttpRoute binding) {
        String fullName = MethodDescriptor.generateFullMethodName(service.getName(), binding.method().getName());
        return service.getMethods().stream().filter(m -> m.getFullMethodName().equals(fullName))
                .map(m -> (MethodDescriptor<Message, Message>) m).findFirst()
                .orElseThrow(() -> new IllegalStateException("no gRPC method " + fullName));
    }

    private void serve(RoutingContext context, GetRoute route) {
        try {
            String token = AuthInterceptor.bearer(context.request().getHeader(HttpHeaders.AUTHORIZATION));
            try {
                verifier.verify(token);
            } catch (ApiException e) {
                send(context, BearerAuth.unauthenticated(e));
                return;
            }
            Message request = route.request(context.pathParam(route.variable()));
            Downstream downstream = route.downstream();
            calls.as(new BearerToken(token)).readUnary(downstream.service(), downstream.stub(), route.method(), request,
                    (answer, failure) -> {
                        try {
                            if (failure == null) {
                                ok(context, answer);
                            } else {
                                send(context, error(failure));
                            }
                        } catch (RuntimeException e) {
                            // On the transport's thread: nobody else would answer the client.
                            send(context, ERRORS.unexpected(e));
                        }
                    });
        } catch (RuntimeException e) {
            send(context, ERRORS.unexpected(e));
        }
    }

    private static void ok(RoutingContext context, Message answer) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return; // the client went away meanwhile
        }
        String body = ProtoJson.print(answer); // before any header: a failure here is answered as an error
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        String etag = ProtoJson.etag(answer);
        if (etag != null) {
            response.putHeader(HttpHeaders.ETAG, etag);
        }
        response.end(body);
    }

    private static Response error(Throwable failure) {
        if (failure instanceof DownstreamException e) {
            return ERRORS.downstream(e);
        }
        return ERRORS.unexpected(failure instanceof RuntimeException e ? e : new IllegalStateException(failure));
    }

    /** An answer made for JAX-RS (the shared error writers), written here. */
    private static void send(RoutingContext context, Response answer) {
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
        response.end(entity == null ? "" : entity.toString());
    }
}
