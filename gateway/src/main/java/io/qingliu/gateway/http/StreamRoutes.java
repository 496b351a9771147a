package io.qingliu.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.qingliu.gateway.downstream.DownstreamException;
import io.qingliu.gateway.downstream.Redial;
import io.qingliu.gateway.openapi.HttpRoute;
import io.qingliu.kit.auth.BearerToken;
import io.qingliu.kit.auth.TokenVerifier;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The streaming methods over HTTP, as their {@code google.api.http} bindings place them, streamed
 * end to end: the gateway holds one message at a time, never a whole import or feed.
 *
 * <ul>
 * <li>A client-streaming method ({@code ImportProjects}, {@code ImportDivisions}; {@code post},
 * {@code body: "*"}) takes its request messages as JSON objects one after another, a line each
 * (NDJSON, {@value #NDJSON}) or separated by any whitespace. Each object is parsed as soon as it
 * is in ({@link JsonObjectStream}) and sent on the call; the body is read no faster than the
 * service takes the messages (gRPC flow control pauses the HTTP request). The answer is the
 * method's response, as for a unary call. A malformed object is a 400 naming it
 * ({@code messages[3].entries[0].project.kind}) and cancels the call, so the service imports
 * nothing of it, as it does for every other failure: the imports are all or nothing. A request
 * that carries a file's bytes (ImportDivisions' {@code content}) may instead have the file itself
 * as its body, any Content-Type but JSON, and its other fields as query parameters.</li>
 * <li>A server-streaming method ({@code WatchChanges}; {@code get}) takes its request from the
 * query parameters (JSON names, as for other GETs) and answers {@value #NDJSON}: each response
 * message on a line of its own, as the service sends it, written no faster than the client reads.
 * An error before the first message is an ordinary AIP-193 answer; one after it (the stream has
 * begun with 200) is a last line {@code {"error": {...}}} in the same form.</li>
 * </ul>
 *
 * <p>These routes run before the body-size limit ({@link BodyLimit}): an import is bounded per
 * message ({@code qingliu.gateway.stream-message-limit}) and by the service's own upload limits,
 * not by the limit on an ordinary request body.
 */
@ApplicationScoped
public class StreamRoutes {

    static final String NDJSON = "application/x-ndjson";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The bytes of a file sent as the body go out in messages of this size (the services take up to 8 MiB). */
    static final int FILE_CHUNK = 1 << 20;
    /** Before {@link BodyLimit} (order -3), which would refuse an import's body by its size. */
    static final int ORDER = BodyLimit.ORDER - 1;
    /**
     * A feed answers its first message at once when it has changes to catch up, and its refusals
     * (a bad parameter, a role) at once too; when it is caught up, its first message is the
     * heartbeat 30 s later. After this long without either, the 200 is sent without waiting.
     */
    private static final long FIRST_MESSAGE_WAIT_MS = 300;

    private final TokenVerifier verifier;
    private final Downstreams downstreams;
    private final Redial redial;
    private final Duration uploadDeadline;
    private final Duration watchMaxDuration;
    private final long messageLimit;

    /** One bound streaming method: its path, the service and gRPC method, an empty request. */
    private record StreamRoute(HttpRoute binding, Downstreams.Downstream downstream,
            MethodDescriptor<Message, Message> method, Message prototype) {
    }

    StreamRoutes(TokenVerifier verifier, Downstreams downstreams, Redial redial,
            @ConfigProperty(name = "qingliu.gateway.upload-deadline") Duration uploadDeadline,
            @ConfigProperty(name = "qingliu.gateway.watch-max-duration") Duration watchMaxDuration,
            @ConfigProperty(name = "qingliu.gateway.stream-message-limit") MemorySize messageLimit) {
        this.verifier = verifier;
        this.downstreams = downstreams;
        this.redial = redial;
        this.uploadDeadline = uploadDeadline;
        this.watchMaxDuration = watchMaxDuration;
        this.messageLimit = messageLimit.asLongValue();
    }

    /**
     * One route for all of them, found by method and path in a map: a route per path would be a
     * regular expression (Vert.x reads {@code :import} as a path parameter) that every request,
     * the busy GETs too, would be matched against first.
     */
    void install(@Observes Router router) {
        Map<String, Handler<RoutingContext>> posts = new HashMap<>();
        Map<String, Handler<RoutingContext>> gets = new HashMap<>();
        for (HttpRoute binding : HttpRoute.all()) {
            var method = binding.method();
            if (!method.isClientStreaming() && !method.isServerStreaming()) {
                continue;
            }
            Downstreams.Downstream downstream = downstreams.of(binding);
            MethodDescriptor<Message, Message> grpcMethod = downstream.method(binding);
            StreamRoute route = new StreamRoute(binding, downstream, grpcMethod, Downstreams.prototype(grpcMethod));
            boolean literalPath = binding.variables().isEmpty();
            if (method.isClientStreaming() && !method.isServerStreaming() && literalPath
                    && binding.verb().equals("post") && binding.body().equals("*")) {
                posts.put(binding.path(), context -> upload(context, route));
            } else if (method.isServerStreaming() && !method.isClientStreaming() && literalPath
                    && binding.verb().equals("get")) {
                gets.put(binding.path(), context -> watch(context, route));
            } else {
                throw new IllegalStateException(method.getFullName() + ": a streaming method bound as the gateway "
                        + "cannot serve it (" + binding.verb() + " " + binding.path() + ", body " + binding.body() + ")");
            }
        }
        router.route().order(ORDER).handler(context -> {
            HttpMethod verb = context.request().method();
            Map<String, Handler<RoutingContext>> byPath = HttpMethod.GET.equals(verb) ? gets
                    : HttpMethod.POST.equals(verb) ? posts : Map.of();
            Handler<RoutingContext> handler = byPath.isEmpty() ? null : byPath.get(decodedColons(context.request().path()));
            if (handler == null) {
                context.next();
            } else {
                handler.handle(context);
            }
        });
    }

    /** The path with its colons as they are written, whether or not the client percent-encoded them. */
    static String decodedColons(String path) {
        return path.indexOf('%') < 0 ? path : path.replace("%3A", ":").replace("%3a", ":");
    }

    private void upload(RoutingContext context, StreamRoute route) {
        String token = RouteAnswers.verifiedToken(context, verifier);
        if (token == null) {
            BodyLimit.drain(context.request(), messageLimit);
            return;
        }
        BodyMessages messages;
        try {
            messages = bodyMessages(context, route);
        } catch (InvalidParameterException e) {
            RouteAnswers.send(context, RouteAnswers.error(e));
            BodyLimit.drain(context.request(), messageLimit);
            return;
        }
        new Upload(context, route, messages, call(route, token, uploadDeadline)).start();
    }

    /**
     * JSON request messages, or, for a method whose request carries a file's bytes
     * ({@code bytes content}, as ImportDivisions' does) and a body that is not JSON
     * ({@code Content-Type: text/csv}, {@code application/gzip}...), the file itself: its bytes go
     * out in chunks, each in a request made of the query parameters ({@code ?role=DIVISION_FILE_ROLE_DIVISIONS
     * &validateOnly=true}). A single file can be sent as it is, {@code curl --data-binary @list.csv}.
     */
    private BodyMessages bodyMessages(RoutingContext context, StreamRoute route) {
        String type = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
        FieldDescriptor content = route.prototype().getDescriptorForType().findFieldByName("content");
        boolean json = type == null || type.isBlank() || type.toLowerCase(java.util.Locale.ROOT).contains("json");
        if (json || content == null || content.getType() != FieldDescriptor.Type.BYTES || content.isRepeated()) {
            return new JsonMessages(route);
        }
        Message template = Bodies.parse(queryAsJson(context, route), route.prototype().newBuilderForType(), "").build();
        return new FileChunks(template, content);
    }

    /** How an upload's body becomes the call's request messages, as its bytes arrive. */
    private interface BodyMessages {

        /** Sends the messages the next bytes complete. */
        void feed(byte[] bytes, Consumer<Message> send);

        /** The body has ended: sends what is left, or refuses a body cut off or empty. */
        void end(Consumer<Message> send);
    }

    /** One request message per JSON object ({@link JsonObjectStream}). */
    private final class JsonMessages implements BodyMessages {

        private final StreamRoute route;
        private final JsonObjectStream objects = new JsonObjectStream(messageLimit);

        JsonMessages(StreamRoute route) {
            this.route = route;
        }

        @Override
        public void feed(byte[] bytes, Consumer<Message> send) {
            objects.feed(bytes, (json, position) -> send.accept(
                    Bodies.parse(json, route.prototype().newBuilderForType(), JsonObjectStream.field(position)).build()));
        }

        @Override
        public void end(Consumer<Message> send) {
            objects.end();
            if (objects.objects() == 0) {
                throw new InvalidParameterException("body", "is required: the request messages as JSON objects, "
                        + "a line each");
            }
        }
    }

    /** A file's bytes in chunks of {@value #FILE_CHUNK} bytes, each in a copy of the request the query made. */
    private static final class FileChunks implements BodyMessages {

        private final Message template;
        private final FieldDescriptor content;
        private final byte[] pending = new byte[FILE_CHUNK];
        private int size;
        private boolean sent;

        FileChunks(Message template, FieldDescriptor content) {
            this.template = template;
            this.content = content;
        }

        @Override
        public void feed(byte[] bytes, Consumer<Message> send) {
            int from = 0;
            while (from < bytes.length) {
                int n = Math.min(bytes.length - from, pending.length - size);
                System.arraycopy(bytes, from, pending, size, n);
                size += n;
                from += n;
                if (size == pending.length) {
                    flush(send);
                }
            }
        }

        @Override
        public void end(Consumer<Message> send) {
            if (size > 0 || !sent) {
                flush(send); // an empty file is the service's to refuse, with its own words
            }
        }

        private void flush(Consumer<Message> send) {
            send.accept(template.toBuilder().setField(content, ByteString.copyFrom(pending, 0, size)).build());
            size = 0;
            sent = true;
        }
    }

    private void watch(RoutingContext context, StreamRoute route) {
        String token = RouteAnswers.verifiedToken(context, verifier);
        if (token == null) {
            return;
        }
        Message request;
        try {
            request = Bodies.parse(queryAsJson(context, route), route.prototype().newBuilderForType(), "").build();
        } catch (InvalidParameterException e) {
            RouteAnswers.send(context, RouteAnswers.error(e));
            return;
        }
        new Watch(context, route, call(route, token, watchMaxDuration)).start(request);
    }

    private ClientCall<Message, Message> call(StreamRoute route, String token, Duration deadline) {
        return route.downstream().channel().newCall(route.method(), CallOptions.DEFAULT
                .withCallCredentials(BearerToken.of(token)).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * The query parameters that name fields of the request (by JSON name), as a JSON object for
     * {@link Bodies#parse}: gRPC-JSON reads numbers and booleans from strings too, and a value of
     * the wrong type is a 400 naming the parameter. Others are ignored, as on every route.
     */
    private static String queryAsJson(RoutingContext context, StreamRoute route) {
        ObjectNode json = JSON.createObjectNode();
        for (FieldDescriptor field : route.prototype().getDescriptorForType().getFields()) {
            List<String> values = context.queryParam(field.getJsonName());
            if (values.isEmpty() || field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    || field.getType() == FieldDescriptor.Type.BYTES) {
                continue;
            }
            if (field.isRepeated()) {
                // ?completeUnderCodes=512021000000&completeUnderCodes=512022000000
                values.forEach(json.putArray(field.getJsonName())::add);
            } else {
                json.put(field.getJsonName(), values.get(values.size() - 1));
            }
        }
        return json.toString();
    }

    private DownstreamException failure(StreamRoute route, Status status, Metadata trailers) {
        if (status.getCode() == Status.Code.UNAVAILABLE) {
            redial.unavailable(route.downstream().service());
        }
        return new DownstreamException(route.downstream().service(), status.asRuntimeException(trailers));
    }

    /**
     * One upload. The HTTP side (the request's chunks, the answer) and the call's methods run on
     * the request's event loop; the call's listener, on the transport's thread, hands over to it.
     */
    private final class Upload extends ClientCall.Listener<Message> {

        private final RoutingContext context;
        private final StreamRoute route;
        private final ClientCall<Message, Message> call;
        private final HttpServerRequest request;
        private final Context loop;
        private final BodyMessages messages;
        /** The service's answer; set before onClose, read after it on the loop. */
        private volatile Message answer;
        /** Answered (or abandoned): the call is over, the rest of the body is dropped. */
        private boolean over;

        Upload(RoutingContext context, StreamRoute route, BodyMessages messages, ClientCall<Message, Message> call) {
            this.context = context;
            this.route = route;
            this.messages = messages;
            this.call = call;
            this.request = context.request();
            this.loop = context.vertx().getOrCreateContext();
        }

        void start() {
            if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
                context.response().writeContinue(); // the token passed: the client may send the body
            }
            call.start(this, new Metadata());
            call.request(1);
            request.handler(this::chunk);
            request.endHandler(end -> end());
            request.exceptionHandler(e -> abandon("the HTTP request failed: " + e.getMessage()));
            context.response().closeHandler(closed -> abandon("the HTTP client went away"));
            request.resume();
        }

        private void chunk(Buffer chunk) {
            if (over) {
                return;
            }
            try {
                messages.feed(chunk.getBytes(), call::sendMessage);
                if (!call.isReady()) {
                    request.pause(); // resumed by onReady, when the service has taken what was sent
                }
            } catch (RuntimeException e) {
                refuse(RouteAnswers.error(e));
            }
        }

        private void end() {
            if (over) {
                return;
            }
            try {
                messages.end(call::sendMessage);
            } catch (RuntimeException e) {
                refuse(RouteAnswers.error(e));
                return;
            }
            call.halfClose();
        }

        /** The gateway refuses the body: the call is cancelled, so the service keeps nothing of it. */
        private void refuse(Response error) {
            over = true;
            call.cancel("the gateway refused the HTTP request's body", null);
            RouteAnswers.send(context, error);
            dropTheRest();
        }

        private void abandon(String why) {
            if (!over) {
                over = true;
                call.cancel(why, null);
            }
        }

        /** After the answer, the rest of the body is read and dropped, so that the client, still sending, reads it. */
        private void dropTheRest() {
            if (!request.isEnded()) {
                BodyLimit.drain(request, messageLimit);
                request.resume();
            }
        }

        @Override
        public void onMessage(Message message) {
            answer = message;
        }

        @Override
        public void onReady() {
            loop.runOnContext(v -> {
                if (!over && call.isReady()) {
                    request.resume();
                }
            });
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            loop.runOnContext(v -> {
                if (over) {
                    return;
                }
                over = true;
                try {
                    if (status.isOk() && answer != null) {
                        RouteAnswers.ok(context, answer);
                    } else {
                        RouteAnswers.send(context, RouteAnswers.error(status.isOk()
                                ? new IllegalStateException(route.method().getFullMethodName() + " closed without an answer")
                                : failure(route, status, trailers)));
                    }
                } catch (RuntimeException e) {
                    RouteAnswers.send(context, RouteAnswers.error(e));
                }
                dropTheRest(); // the service may refuse before the body has ended (a role, a size limit)
            });
        }
    }

    /** One watch: the call's messages written as lines, the next one requested when the last is written. */
    private final class Watch extends ClientCall.Listener<Message> {

        private final RoutingContext context;
        private final StreamRoute route;
        private final ClientCall<Message, Message> call;
        private final HttpServerResponse response;
        private final Context loop;
        private long firstMessageTimer = -1;
        /** The 200 and the headers are out: what follows is lines. */
        private boolean begun;
        private boolean over;

        Watch(RoutingContext context, StreamRoute route, ClientCall<Message, Message> call) {
            this.context = context;
            this.route = route;
            this.call = call;
            this.response = context.response();
            this.loop = context.vertx().getOrCreateContext();
        }

        void start(Message request) {
            call.start(this, new Metadata());
            call.sendMessage(request);
            call.halfClose();
            call.request(1);
            firstMessageTimer = context.vertx().setTimer(FIRST_MESSAGE_WAIT_MS, id -> {
                firstMessageTimer = -1;
                begin();
            });
            response.closeHandler(closed -> {
                if (!over) {
                    over = true;
                    call.cancel("the HTTP client went away", null);
                }
            });
        }

        private void begin() {
            if (begun || over) {
                return;
            }
            begun = true;
            if (firstMessageTimer >= 0) {
                context.vertx().cancelTimer(firstMessageTimer);
            }
            response.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, NDJSON)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            response.writeHead();
        }

        @Override
        public void onMessage(Message message) {
            loop.runOnContext(v -> {
                if (over) {
                    return;
                }
                try {
                    byte[] json = ProtoJson.printUtf8(message);
                    begin();
                    response.write(Buffer.buffer(json.length + 1).appendBytes(json).appendByte((byte) '\n'));
                } catch (RuntimeException e) {
                    over = true;
                    call.cancel("the gateway could not write a message", e);
                    finish(RouteAnswers.ERRORS.unexpected(e));
                    return;
                }
                if (response.writeQueueFull()) {
                    response.drainHandler(drained -> call.request(1)); // the client reads slowly: so does the call
                } else {
                    call.request(1);
                }
            });
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            loop.runOnContext(v -> {
                if (over) {
                    return;
                }
                over = true;
                if (status.isOk() || (begun && status.getCode() == Status.Code.DEADLINE_EXCEEDED)) {
                    // The longest a watch is kept open has passed: the client reconnects from its last sequence.
                    finish(null);
                } else {
                    finish(RouteAnswers.error(failure(route, status, trailers)));
                }
            });
        }

        /** Ends the answer: as an error answer when none has begun, else with the error as the last line. */
        private void finish(Response error) {
            if (firstMessageTimer >= 0) {
                context.vertx().cancelTimer(firstMessageTimer);
            }
            if (response.ended() || response.closed()) {
                return;
            }
            if (!begun) {
                if (error != null) {
                    RouteAnswers.send(context, error);
                    return;
                }
                begun = true;
                response.putHeader(HttpHeaders.CONTENT_TYPE, NDJSON);
            }
            response.end(error == null ? "" : error.getEntity() + "\n");
        }
    }
}
