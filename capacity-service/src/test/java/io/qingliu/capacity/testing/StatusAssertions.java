package io.qingliu.capacity.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/**
 * Assertions on the {@code google.rpc.Status} a failed gRPC call carries: its code, its
 * {@code ErrorInfo} (domain {@code qingliu.io}) and, for bad input, the {@code BadRequest} field
 * violations (after project-service's test helper of the same name).
 */
public final class StatusAssertions {

    /** The domain of every ErrorInfo the services send. */
    public static final String DOMAIN = "qingliu.io";

    private StatusAssertions() {
    }

    /**
     * Runs the call, which must fail with {@code code} and a {@code google.rpc.Status} of that code
     * carrying an ErrorInfo of domain qingliu.io with {@code reason}; returns the ErrorInfo.
     */
    public static ErrorInfo assertReason(Status.Code code, String reason, Executable call) {
        com.google.rpc.Status status = assertFails(code, call);
        ErrorInfo info = errorInfo(status);
        assertEquals(reason, info.getReason(), () -> "reason of " + status.getMessage());
        return info;
    }

    /**
     * Runs the call, which must fail with INVALID_ARGUMENT naming exactly {@code fields} (as a
     * multiset, in any order) in its BadRequest, each with a description; returns the violations.
     */
    public static List<BadRequest.FieldViolation> assertFieldViolations(Executable call, String... fields) {
        com.google.rpc.Status status = assertFails(Status.Code.INVALID_ARGUMENT, call);
        assertEquals("INVALID_FIELDS", errorInfo(status).getReason());
        BadRequest bad = unpack(status, BadRequest.class);
        assertNotNull(bad, () -> "INVALID_ARGUMENT without BadRequest details: " + status.getMessage());
        assertEquals(List.of(fields).stream().sorted().toList(),
                bad.getFieldViolationsList().stream().map(BadRequest.FieldViolation::getField).sorted().toList(),
                () -> "violated fields; violations: " + describe(bad.getFieldViolationsList()));
        bad.getFieldViolationsList().forEach(v -> assertFalse(v.getDescription().isBlank(),
                () -> "violation of " + v.getField() + " has no description"));
        return bad.getFieldViolationsList();
    }

    /** The description of the (first) violation of {@code field}. */
    public static String description(List<BadRequest.FieldViolation> violations, String field) {
        return violations.stream().filter(v -> v.getField().equals(field)).map(BadRequest.FieldViolation::getDescription)
                .findFirst().orElseThrow(() -> new AssertionError("no violation of " + field));
    }

    public static String describe(List<BadRequest.FieldViolation> violations) {
        return violations.stream().map(v -> v.getField() + " (" + v.getDescription() + ")").toList().toString();
    }

    private static com.google.rpc.Status assertFails(Status.Code code, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call,
                () -> "expected the call to fail with " + code);
        assertEquals(code, e.getStatus().getCode(), () -> "status of the call: " + e.getStatus());
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertNotNull(status, () -> "the error carries no google.rpc.Status details: " + e);
        assertEquals(code.value(), status.getCode(), "google.rpc.Status code");
        assertEquals(DOMAIN, errorInfo(status).getDomain(), "ErrorInfo domain");
        return status;
    }

    private static ErrorInfo errorInfo(com.google.rpc.Status status) {
        ErrorInfo info = unpack(status, ErrorInfo.class);
        assertNotNull(info, () -> "the status carries no ErrorInfo: " + status);
        assertFalse(info.getReason().isEmpty(), "ErrorInfo has a reason");
        return info;
    }

    private static <T extends com.google.protobuf.Message> T unpack(com.google.rpc.Status status, Class<T> type) {
        for (Any any : status.getDetailsList()) {
            if (any.is(type)) {
                try {
                    return any.unpack(type);
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError("unreadable " + type.getSimpleName() + " in status details", e);
                }
            }
        }
        return null;
    }
}
