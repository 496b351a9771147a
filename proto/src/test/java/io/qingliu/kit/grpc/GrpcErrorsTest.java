package io.qingliu.kit.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;

/** An answer naming many violations stays small enough for a client's trailers, and says how many there were. */
class GrpcErrorsTest {

    @Test
    void hundredsOfViolationsAreCutToTheFirstOnesAndCounted() throws Exception {
        Violations v = new Violations();
        for (int i = 0; i < 300; i++) {
            v.add("update_mask.paths[" + i + "]", "unknown field '" + "x".repeat(100) + "'");
        }
        StatusRuntimeException e = GrpcErrors.toStatus(v.toException());
        com.google.rpc.Status rich = StatusProto.fromThrowable(e);
        BadRequest bad = rich.getDetails(1).unpack(BadRequest.class);
        ErrorInfo info = rich.getDetails(0).unpack(ErrorInfo.class);
        assertTrue(bad.getFieldViolationsCount() > 0 && bad.getFieldViolationsCount() <= GrpcErrors.MAX_VIOLATIONS,
                "violations listed: " + bad.getFieldViolationsCount());
        assertEquals("update_mask.paths[0]", bad.getFieldViolations(0).getField());
        assertEquals("300", info.getMetadataOrThrow("violations_total"));
        assertTrue(rich.toByteArray().length < 6 * 1024, "trailer bytes: " + rich.toByteArray().length);
    }

    @Test
    void aFewViolationsAreAllListedAndNotCounted() throws Exception {
        Violations v = new Violations();
        v.add("plan.code", "is required");
        v.add("plan.end_date", "must not be before start_date");
        com.google.rpc.Status rich = StatusProto.fromThrowable(GrpcErrors.toStatus(v.toException()));
        assertEquals(2, rich.getDetails(1).unpack(BadRequest.class).getFieldViolationsCount());
        assertTrue(!rich.getDetails(0).unpack(ErrorInfo.class).containsMetadata("violations_total"));
    }

    /**
     * PostgreSQL restarted under a commit: the transaction manager throws a RollbackException with
     * the lost connection (SQL state 57P01) only among its suppressed exceptions. The client must
     * hear UNAVAILABLE (retry with the same request_id), not INTERNAL.
     */
    @Test
    void aCommitThatFailedBecauseTheDatabaseWentAwayIsUnavailable() {
        Exception commit = new IllegalStateException("ARJUNA016053: Could not commit transaction.");
        Exception xa = new Exception("Error trying to transactionCommit local transaction",
                new java.sql.SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        commit.addSuppressed(xa);
        RuntimeException thrown = new RuntimeException("Error invoking subclass method", commit);
        assertEquals(io.grpc.Status.Code.UNAVAILABLE, GrpcErrors.toStatus(thrown).getStatus().getCode());
    }

    @Test
    void aFaultOfOursWithNothingTransientInsideStaysInternal() {
        Exception commit = new IllegalStateException("boom");
        commit.addSuppressed(new java.sql.SQLException("syntax error", "42601"));
        assertEquals(io.grpc.Status.Code.INTERNAL, GrpcErrors.toStatus(new RuntimeException(commit)).getStatus().getCode());
    }

    /**
     * A burst of calls finds no connection free in the pool within its timeout (Agroal says so
     * with no SQL state): the service is busy, and the client should retry, not give up.
     */
    @Test
    void aPoolWithNoConnectionFreeIsUnavailable() {
        Exception read = new IllegalStateException("could not read the read model",
                new java.sql.SQLException("Sorry, acquisition timeout!"));
        assertEquals(io.grpc.Status.Code.UNAVAILABLE, GrpcErrors.toStatus(read).getStatus().getCode());
    }

    /**
     * A call still running when its service is told to stop finds Hibernate closed under it
     * ("EntityManagerFactory is closed"): nothing was committed, so the client hears UNAVAILABLE
     * and retries elsewhere or later; the same failure while running is a fault of ours.
     */
    @Test
    void aCallCutOffByItsServiceStoppingIsUnavailable() throws Exception {
        Exception closed = new IllegalStateException("EntityManagerFactory is closed");
        assertEquals(io.grpc.Status.Code.INTERNAL, GrpcErrors.toStatus(closed).getStatus().getCode());
        java.util.function.BooleanSupplier running = GrpcErrors.stopping;
        GrpcErrors.stopping = () -> true;
        try {
            StatusRuntimeException e = GrpcErrors.toStatus(closed);
            assertEquals(io.grpc.Status.Code.UNAVAILABLE, e.getStatus().getCode());
            ErrorInfo info = StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorInfo.class);
            assertEquals("SERVICE_STOPPING", info.getReason());
            // What a caller did wrong stays what it is, stopping or not.
            Violations v = new Violations();
            v.add("plan.code", "is required");
            assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, GrpcErrors.toStatus(v.toException()).getStatus().getCode());
        } finally {
            GrpcErrors.stopping = running;
        }
    }
}
