package io.qingliu.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An error as AIP-193 writes it over HTTP: {@code {"error": {"code", "message", "status",
 * "details"}}}, where code is the HTTP status, status the gRPC code's name, and details the
 * {@code google.rpc} messages with their {@code @type}.
 */
public final class ApiError {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The domain of the ErrorInfo the services send, kept for the gateway's own errors. */
    public static final String DOMAIN = "qingliu.io";

    private ApiError() {
    }

    public static Response response(Status.Code code, String message, List<Any> details) {
        return response(httpStatus(code), code, message, details);
    }

    /** With an HTTP status more precise than the code's (JAX-RS's 405, 406, 415). */
    public static Response response(int http, Status.Code code, String message, List<Any> details) {
        return Response.status(http).type(MediaType.APPLICATION_JSON_TYPE).entity(json(http, code, message, details)).build();
    }

    /** The body alone, for answers written below JAX-RS (the body-size limit). */
    public static String json(int http, Status.Code code, String message, List<Any> details) {
        ObjectNode error = JSON.createObjectNode();
        error.put("code", http);
        error.put("message", message == null ? "" : message);
        error.put("status", code.name());
        ArrayNode detailNodes = error.putArray("details");
        for (Any detail : details) {
            try {
                detailNodes.add(JSON.readTree(ProtoJson.print(detail)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("JsonFormat wrote what Jackson cannot read", e);
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("error", error);
        return body.toString();
    }

    /** An error the gateway finds itself, with an ErrorInfo of this reason. */
    public static Response of(Status.Code code, String reason, String message, java.util.Map<String, String> metadata) {
        return of(httpStatus(code), code, reason, message, metadata);
    }

    public static Response of(int http, Status.Code code, String reason, String message,
            java.util.Map<String, String> metadata) {
        ErrorInfo info = ErrorInfo.newBuilder().setDomain(DOMAIN).setReason(reason).putAllMetadata(metadata).build();
        return response(http, code, message, List.of(Any.pack(info)));
    }

    /**
     * A 401 with the challenge it must carry (RFC 7235): {@code WWW-Authenticate: Bearer
     * realm="qingliu"}, and when a token was shown and refused (any reason but
     * {@code TOKEN_MISSING}), {@code error="invalid_token"} with the message (RFC 6750; the
     * token itself is never echoed).
     */
    public static Response withBearerChallenge(Response unauthenticated, String reason, String message) {
        String challenge = "Bearer realm=\"qingliu\"";
        if (!"TOKEN_MISSING".equals(reason)) {
            challenge += ", error=\"invalid_token\"";
            if (message != null && !message.isEmpty()) {
                // A quoted-string of printable ASCII: no quote, backslash or other character to escape.
                challenge += ", error_description=\"" + message.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "'") + "\"";
            }
        }
        return Response.fromResponse(unauthenticated).header(jakarta.ws.rs.core.HttpHeaders.WWW_AUTHENTICATE, challenge)
                .build();
    }

    /** 400 naming the parameter, with the ErrorInfo and BadRequest a service would send. */
    public static Response invalidParameter(String field, String description) {
        return response(Status.Code.INVALID_ARGUMENT, field + " " + description, invalidParameterDetails(field, description));
    }

    /** The ErrorInfo and the BadRequest naming one field. */
    public static List<Any> invalidParameterDetails(String field, String description) {
        ErrorInfo info = ErrorInfo.newBuilder().setDomain(DOMAIN).setReason("INVALID_ARGUMENT").build();
        BadRequest violations = BadRequest.newBuilder().addFieldViolations(BadRequest.FieldViolation.newBuilder()
                .setField(field).setDescription(description)).build();
        return List.of(Any.pack(info), Any.pack(violations));
    }

    /** The HTTP status of a gRPC code (AIP-193's table). */
    public static int httpStatus(Status.Code code) {
        return switch (code) {
            case OK -> 200;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case RESOURCE_EXHAUSTED -> 429;
            case CANCELLED -> 499;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            default -> 500;
        };
    }
}
