package io.qingliu.kit.grpc;

import io.grpc.Status;
import java.util.List;
import java.util.Map;

/**
 * A failure the caller is meant to see: a gRPC status code, an {@code ErrorInfo} reason with
 * metadata, and for bad input every violated field. Thrown anywhere below the gRPC adapter;
 * {@link GrpcErrors} turns it into a {@code google.rpc.Status}.
 */
public class ApiException extends RuntimeException {

    /** The domain of every {@code ErrorInfo} this service sends. */
    public static final String DOMAIN = "qingliu.io";

    private final Status.Code code;
    private final String reason;
    private final Map<String, String> metadata;
    private final List<Violations.Violation> violations;

    public ApiException(Status.Code code, String reason, String message, Map<String, String> metadata,
            List<Violations.Violation> violations) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.metadata = Map.copyOf(metadata);
        this.violations = List.copyOf(violations);
    }

    public static ApiException notFound(String resourceName) {
        return new ApiException(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND", resourceName + " does not exist",
                Map.of("resource", resourceName), List.of());
    }

    public static ApiException etagMismatch(String resourceName, String currentEtag) {
        return new ApiException(Status.Code.ABORTED, "ETAG_MISMATCH",
                "the etag given for " + resourceName + " is stale: the record changed since it was read",
                Map.of("resource", resourceName, "current_etag", currentEtag), List.of());
    }

    public static ApiException failedPrecondition(String reason, String message, Map<String, String> metadata) {
        return new ApiException(Status.Code.FAILED_PRECONDITION, reason, message, metadata, List.of());
    }

    public static ApiException invalidArgument(String field, String description) {
        Violations v = new Violations();
        v.add(field, description);
        return v.toException();
    }

    public Status.Code code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public List<Violations.Violation> violations() {
        return violations;
    }
}
