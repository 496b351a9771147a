package io.qingliu.gateway.http;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.qingliu.gateway.downstream.DownstreamException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure leaves the gateway as an AIP-193 error body; nothing escapes as a bare 500. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response downstream(DownstreamException e) {
        Status status = e.status().getStatus();
        String service = e.service().displayName();
        switch (status.getCode()) {
            // The channel's own failures: the service said nothing, so say which one it was.
            case UNAVAILABLE, DEADLINE_EXCEEDED -> {
                String what = status.getCode() == Status.Code.UNAVAILABLE ? "is unavailable" : "did not answer in time";
                String cause = status.getDescription() == null ? "" : ": " + status.getDescription();
                return ApiError.of(status.getCode(), status.getCode().name(), service + " " + what + cause,
                        Map.of("service", service));
            }
            default -> {
                // The service's own answer: its message and details, as it sent them.
                com.google.rpc.Status rich = StatusProto.fromThrowable(e.status());
                List<Any> details = rich == null ? List.of() : rich.getDetailsList();
                if (status.getCode() == Status.Code.INTERNAL || status.getCode() == Status.Code.UNKNOWN) {
                    LOG.warnf("%s failed: %s", service, status);
                }
                Response answer = ApiError.response(status.getCode(), status.getDescription(), details);
                if (status.getCode() == Status.Code.UNAUTHENTICATED) {
                    // The gateway accepted the token and the service did not (another key, or it
                    // expired on the way): still a 401 that says how to authenticate.
                    String reason = details.stream().filter(d -> d.is(ErrorInfo.class)).findFirst()
                            .map(ErrorMappers::reason).orElse("TOKEN_INVALID");
                    return ApiError.withBearerChallenge(answer, reason, status.getDescription());
                }
                return answer;
            }
        }
    }

    private static String reason(Any detail) {
        try {
            return detail.unpack(ErrorInfo.class).getReason();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return "TOKEN_INVALID";
        }
    }

    @ServerExceptionMapper
    public Response invalidParameter(InvalidParameterException e) {
        return ApiError.invalidParameter(e.field(), e.getMessage());
    }

    /** JAX-RS's own answers (no such route, method not allowed, unsupported media type). */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int http = e.getResponse().getStatus();
        Status.Code code = switch (http) {
            case 404 -> Status.Code.NOT_FOUND;
            case 401 -> Status.Code.UNAUTHENTICATED;
            case 403 -> Status.Code.PERMISSION_DENIED;
            case 405, 501 -> Status.Code.UNIMPLEMENTED;
            default -> http < 500 ? Status.Code.INVALID_ARGUMENT : Status.Code.INTERNAL;
        };
        // A reason of its own for a route the gateway lacks, unlike a resource a service lacks.
        String reason = switch (http) {
            case 404 -> "NO_SUCH_ROUTE";
            case 405 -> "METHOD_NOT_ALLOWED";
            default -> code.name();
        };
        // Keep JAX-RS's own status where it is more precise than the code's (405, 406, 415).
        return ApiError.of(http, code, reason, e.getMessage(), Map.of());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected failure", e);
        return ApiError.of(Status.Code.INTERNAL, "INTERNAL", "internal error", Map.of());
    }
}
