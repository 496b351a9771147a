package io.qingliu.project.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.function.Executable;

/**
 * Assertions on the {@code google.rpc.Status} a failed gRPC call carries: its code, its
 * {@code ErrorInfo} and the {@code BadRequest} field violations.
 */
public final class StatusAssertions {

    public static final String DOMAIN = "qingliu.io";

    private StatusAssertions() {
    }

    /** Runs the call, asserts it fails with {@code code}, and returns the failure. */
    public static StatusRuntimeException assertStatus(Status.Code code, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), () -> "status of the call: " + e.getStatus());
        return e;
    }

    /** Asserts the call fails with {@code code} and an ErrorInfo of domain qingliu.io and {@code reason}. */
    public static ErrorInfo assertReason(Status.Code code, String reason, Executable call) {
        StatusRuntimeException e = assertStatus(code, call);
        ErrorInfo info = errorInfo(e);
        assertEquals(DOMAIN, info.getDomain());
        assertEquals(reason, info.getReason(), () -> "reason of " + e.getStatus());
        return info;
    }

    /**
     * Asserts the call fails with INVALID_ARGUMENT and names exactly the given fields (as a
     * multiset, in any order) as BadRequest field violations. Returns the violations.
     */
    public static List<BadRequest.FieldViolation> assertFieldViolations(Executable call, String... fields) {
        StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT, call);
        return assertViolations(e, fields);
    }

    /** Asserts the failure names exactly the given fields; returns the violations. */
    public static List<BadRequest.FieldViolation> assertViolations(StatusRuntimeException e, String... fields) {
        BadRequest bad = badRequest(e);
        assertNotNull(bad, () -> "no BadRequest detail in " + e.getStatus());
        List<String> expected = new ArrayList<>(List.of(fields));
        List<String> actual = bad.getFieldViolationsList().stream().map(BadRequest.FieldViolation::getField)
                .collect(Collectors.toCollection(ArrayList::new));
        expected.sort(null);
        actual.sort(null);
        assertEquals(expected, actual, () -> "field violations: " + describe(bad));
        bad.getFieldViolationsList().forEach(v -> assertFalseBlank(v.getDescription(), v.getField()));
        return bad.getFieldViolationsList();
    }

    /** The description of the (first) violation of {@code field}. */
    public static String description(List<BadRequest.FieldViolation> violations, String field) {
        return violations.stream().filter(v -> v.getField().equals(field)).map(BadRequest.FieldViolation::getDescription)
                .findFirst().orElseThrow(() -> new AssertionError("no violation of " + field));
    }

    public static com.google.rpc.Status statusProto(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertNotNull(status, () -> "no google.rpc.Status in " + e);
        return status;
    }

    public static ErrorInfo errorInfo(StatusRuntimeException e) {
        ErrorInfo info = unpack(statusProto(e), ErrorInfo.class);
        assertNotNull(info, () -> "no ErrorInfo detail in " + e.getStatus());
        return info;
    }

    /** The BadRequest detail, or null when there is none. */
    public static BadRequest badRequest(StatusRuntimeException e) {
        return unpack(statusProto(e), BadRequest.class);
    }

    private static <T extends com.google.protobuf.Message> T unpack(com.google.rpc.Status status, Class<T> type) {
        for (Any any : status.getDetailsList()) {
            if (any.is(type)) {
                try {
                    return any.unpack(type);
                } catch (InvalidProtocolBufferException ex) {
                    fail("undecodable " + type.getSimpleName() + ": " + ex);
                }
            }
        }
        return null;
    }

    private static String describe(BadRequest bad) {
        return bad.getFieldViolationsList().stream().map(v -> v.getField() + " (" + v.getDescription() + ")")
                .collect(Collectors.joining("; "));
    }

    private static void assertFalseBlank(String description, String field) {
        if (description == null || description.isBlank()) {
            fail("violation of " + field + " has no description");
        }
    }
}
