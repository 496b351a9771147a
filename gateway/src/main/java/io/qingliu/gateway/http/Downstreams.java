package io.qingliu.gateway.http;

import com.google.protobuf.Message;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.gateway.downstream.MethodStub;
import io.qingliu.gateway.downstream.Service;
import io.qingliu.gateway.openapi.HttpRoute;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * The services behind the routes made from the protos' {@code google.api.http} bindings
 * ({@link GetRoutes}, {@link StreamRoutes}): which one a bound method belongs to, its channel, and
 * the gRPC method itself, found by name in the generated service descriptor.
 */
@ApplicationScoped
class Downstreams {

    /** A service the routes call: who it is to errors and retries, its channel, a stub for unary calls. */
    record Downstream(Service service, Channel channel, MethodStub stub, ServiceDescriptor descriptor) {

        /** The gRPC method a binding names, typed for messages of any kind. */
        @SuppressWarnings("unchecked")
        MethodDescriptor<Message, Message> method(HttpRoute binding) {
            String fullName = MethodDescriptor.generateFullMethodName(descriptor.getName(), binding.method().getName());
            return descriptor.getMethods().stream().filter(m -> m.getFullMethodName().equals(fullName))
                    .map(m -> (MethodDescriptor<Message, Message>) m).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no gRPC method " + fullName));
        }
    }

    private final Map<String, Downstream> byName;

    Downstreams(@GrpcClient("project") Channel project, @GrpcClient("capacity") Channel capacity) {
        this.byName = Map.of(
                ProjectServiceGrpc.SERVICE_NAME, new Downstream(Service.PROJECT, project, new MethodStub(project),
                        ProjectServiceGrpc.getServiceDescriptor()),
                CapacityServiceGrpc.SERVICE_NAME, new Downstream(Service.CAPACITY, capacity, new MethodStub(capacity),
                        CapacityServiceGrpc.getServiceDescriptor()));
    }

    /** The service of a bound method; a binding of a service the gateway does not call stops it at start. */
    Downstream of(HttpRoute binding) {
        Downstream downstream = byName.get(binding.method().getService().getFullName());
        if (downstream == null) {
            throw new IllegalStateException(binding.method().getFullName() + " belongs to no service the gateway calls");
        }
        return downstream;
    }

    /** The empty request of a method, to build requests of its type from. */
    static Message prototype(MethodDescriptor<Message, Message> method) {
        return (Message) ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller()).getMessagePrototype();
    }
}
