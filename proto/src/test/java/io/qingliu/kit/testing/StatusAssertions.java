package io.qingliu.kit.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * violations. Generic: usable for any call of any service that follows the error model.
 *
 * <p>From weakest to strongest: {@link #assertStatus} checks the code only; {@link #assertFails}
 * also the error model (a {@code google.rpc.Status} of the same code with an ErrorInfo of our
 * domain and a reason); {@link #assertReason} also the reason; {@link #assertInvalid} an
 * INVALID_ARGUMENT naming at least the given fields, {@link #assertFieldViolations} exactly them.
 */
public final class StatusAssertions {

    /** The domain of every ErrorInfo the services send. */
    public static final String DOMAIN = "qingliu.io";

    private StatusAssertions() {
    }

    /** Runs the call, asserts it fails with {@code code}, and returns the failure. */
    public static StatusRuntimeException assertStatus(Status.Code code, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call,
                () -> "expected the call to fail with " + code);
        assertEquals(code, e.getStatus().getCode(), () -> "status of the call: " + e.getStatus());
        return e;
    }

    /**
     * Runs the call, which must fail with {@code code} and a {@code google.rpc.Status} of that code
     * carrying an ErrorInfo of domain qingliu.io with a reason; returns that status.
     */
    public static com.google.rpc.Status assertFails(Status.Code code, Executable call) {
        StatusRuntimeException e = assertStatus(code, call);
        com.google.rpc.Status rich = statusProto(e);
        assertEquals(code.value(), rich.getCode(), "google.rpc.Status code");
        ErrorInfo info = errorInfo(rich);
        assertEquals(DOMAIN, info.getDomain(), "ErrorInfo domain");
        assertFalse(info.getReason().isEmpty(), "ErrorInfo has a reason");
        return rich;
    }

    /** Asserts the call fails with {@code code} and an ErrorInfo of domain qingliu.io and {@code reason}. */
    public static ErrorInfo assertReason(Status.Code code, String reason, Executable call) {
        com.google.rpc.Status rich = assertFails(code, call);
        ErrorInfo info = errorInfo(rich);
        assertEquals(reason, info.getReason(), () -> "reason of " + rich.getMessage());
        return info;
    }

    /**
     * Runs the call, which must fail with INVALID_ARGUMENT and a BadRequest naming at least every
     * one of {@code fields} (exact field paths), each violation with a description; returns the BadRequest.
     */
    public static BadRequest assertInvalid(Executable call, String... fields) {
        com.google.rpc.Status rich = assertFails(Status.Code.INVALID_ARGUMENT, call);
        BadRequest bad = badRequest(rich);
        assertNotNull(bad, () -> "INVALID_ARGUMENT without BadRequest details: " + rich.getMessage());
        List<String> named = fieldsOf(bad);
        for (String field : fields) {
            assertTrue(named.contains(field), () -> "expected a violation of '" + field + "' but the violations are "
                    + describe(bad.getFieldViolationsList()));
        }
        for (BadRequest.FieldViolation v : bad.getFieldViolationsList()) {
            assertFalse(v.getDescription().isBlank(), () -> "violation of " + v.getField() + " has no description");
        }
        return bad;
    }

    /**
     * Like {@link #assertInvalid}, but the violated fields must be exactly {@code fields} (as a
     * multiset, in any order). Returns the violations.
     */
    public static List<BadRequest.FieldViolation> assertFieldViolations(Executable call, String... fields) {
        BadRequest bad = assertInvalid(call, fields);
        assertSameFields(bad, fields);
        return bad.getFieldViolationsList();
    }

    /** Asserts the failure names exactly the given fields, each with a description; returns the violations. */
    public static List<BadRequest.FieldViolation> assertViolations(StatusRuntimeException e, String... fields) {
        BadRequest bad = badRequest(statusProto(e));
        assertNotNull(bad, () -> "no BadRequest detail in " + e.getStatus());
        assertSameFields(bad, fields);
        bad.getFieldViolationsList().forEach(v -> assertFalse(v.getDescription().isBlank(),
                () -> "violation of " + v.getField() + " has no description"));
        return bad.getFieldViolationsList();
    }

    private static void assertSameFields(BadRequest bad, String... fields) {
        assertEquals(List.of(fields).stream().sorted().toList(), fieldsOf(bad).stream().sorted().toList(),
                () -> "violated fields; violations: " + describe(bad.getFieldViolationsList()));
    }

    /** The description of the (first) violation of {@code field}. */
    public static String description(List<BadRequest.FieldViolation> violations, String field) {
        return violations.stream().filter(v -> v.getField().equals(field)).map(BadRequest.FieldViolation::getDescription)
                .findFirst().orElseThrow(() -> new AssertionError("no violation of " + field));
    }

    /** The google.rpc.Status a failure carries; fails when there is none. */
    public static com.google.rpc.Status statusProto(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertNotNull(status, () -> "the error carries no google.rpc.Status details: " + e);
        return status;
    }

    /** The ErrorInfo of a failure; fails when there is none. */
    public static ErrorInfo errorInfo(StatusRuntimeException e) {
        return errorInfo(statusProto(e));
    }

    /** The ErrorInfo of a status; fails when there is none. */
    public static ErrorInfo errorInfo(com.google.rpc.Status status) {
        ErrorInfo info = unpack(status, ErrorInfo.class);
        assertNotNull(info, () -> "the status carries no ErrorInfo: " + status);
        return info;
    }

    /** The BadRequest of a status, or null. */
    public static BadRequest badRequest(com.google.rpc.Status status) {
        return unpack(status, BadRequest.class);
    }

    public static List<String> fieldsOf(BadRequest bad) {
        return bad.getFieldViolationsList().stream().map(BadRequest.FieldViolation::getField).toList();
    }

    /**
     * The fields the BadRequest detail of any error names; empty when it has none (or no
     * google.rpc.Status at all), for checks that are not about the error model itself.
     */
    public static List<String> violatedFields(Throwable error) {
        com.google.rpc.Status status = StatusProto.fromThrowable(error);
        BadRequest bad = status == null ? null : badRequest(status);
        return bad == null ? List.of() : fieldsOf(bad);
    }

    public static String describe(List<BadRequest.FieldViolation> violations) {
        return violations.stream().map(v -> v.getField() + " (" + v.getDescription() + ")").toList().toString();
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
