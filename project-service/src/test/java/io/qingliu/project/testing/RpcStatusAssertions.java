package io.qingliu.project.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.Arrays;
import java.util.List;

/**
 * Assertions on the {@code google.rpc.Status} a failed gRPC call carries: its code, its
 * {@code ErrorInfo} (domain {@code qingliu.io}) and, for bad input, the {@code BadRequest} field
 * violations. Generic: usable for any call of any service that follows the error model.
 */
public final class RpcStatusAssertions {

    /** The domain of every ErrorInfo the services send. */
    public static final String DOMAIN = "qingliu.io";

    private RpcStatusAssertions() {
    }

    /** Runs the call, which must fail with {@code code}; returns the rich status it failed with. */
    public static com.google.rpc.Status assertFails(Status.Code code, Runnable call) {
        Throwable thrown = null;
        try {
            call.run();
        } catch (RuntimeException e) {
            thrown = e;
        }
        if (thrown == null) {
            fail("expected the call to fail with " + code + ", but it succeeded");
        }
        Status status = Status.fromThrowable(thrown);
        assertEquals(code, status.getCode(), () -> "status code; description: " + status.getDescription());
        com.google.rpc.Status rich = StatusProto.fromThrowable(thrown);
        assertNotNull(rich, "the error carries no google.rpc.Status details: " + thrown);
        assertEquals(code.value(), rich.getCode(), "google.rpc.Status code");
        ErrorInfo info = errorInfo(rich);
        assertEquals(DOMAIN, info.getDomain(), "ErrorInfo domain");
        assertTrue(!info.getReason().isEmpty(), "ErrorInfo has a reason");
        return rich;
    }

    /**
     * Runs the call, which must fail with INVALID_ARGUMENT and a BadRequest naming at least every
     * one of {@code fields} (exact field paths); returns the BadRequest.
     */
    public static BadRequest assertInvalid(Runnable call, String... fields) {
        com.google.rpc.Status rich = assertFails(Status.Code.INVALID_ARGUMENT, call);
        BadRequest bad = badRequest(rich);
        assertNotNull(bad, "INVALID_ARGUMENT without BadRequest details: " + rich.getMessage());
        List<String> named = fieldsOf(bad);
        for (String field : fields) {
            assertTrue(named.contains(field), () -> "expected a violation of '" + field + "' but the violations are "
                    + describe(bad));
        }
        for (BadRequest.FieldViolation v : bad.getFieldViolationsList()) {
            assertTrue(!v.getDescription().isBlank(), () -> "violation of " + v.getField() + " has no description");
        }
        return bad;
    }

    /** Like {@link #assertInvalid}, but the violated fields must be exactly {@code fields} (in any order). */
    public static BadRequest assertInvalidExactly(Runnable call, String... fields) {
        BadRequest bad = assertInvalid(call, fields);
        assertEquals(Arrays.stream(fields).sorted().toList(), fieldsOf(bad).stream().sorted().toList(),
                () -> "violated fields; violations: " + describe(bad));
        return bad;
    }

    /** The ErrorInfo of a status; fails when there is none. */
    public static ErrorInfo errorInfo(com.google.rpc.Status status) {
        ErrorInfo info = unpack(status, ErrorInfo.class);
        assertNotNull(info, "the status carries no ErrorInfo: " + status);
        return info;
    }

    /** The BadRequest of a status, or null. */
    public static BadRequest badRequest(com.google.rpc.Status status) {
        return unpack(status, BadRequest.class);
    }

    public static List<String> fieldsOf(BadRequest bad) {
        return bad.getFieldViolationsList().stream().map(BadRequest.FieldViolation::getField).toList();
    }

    public static String describe(BadRequest bad) {
        return bad.getFieldViolationsList().stream().map(v -> v.getField() + " (" + v.getDescription() + ")").toList()
                .toString();
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
