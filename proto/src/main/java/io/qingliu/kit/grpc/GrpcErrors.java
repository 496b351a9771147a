package io.qingliu.kit.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.qingliu.kit.query.QueryException;
import io.quarkus.runtime.ApplicationLifecycleManager;
import jakarta.persistence.OptimisticLockException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.function.BooleanSupplier;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;

/** Turns whatever a call threw into the {@code google.rpc.Status} the client receives. */
public final class GrpcErrors {

    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    /**
     * The BadRequest lists at most this many violations (and ErrorInfo then says how many there
     * were): a client takes at most 8 KiB of trailers by default, and an answer it cannot read is
     * worse than a shorter one.
     */
    static final int MAX_VIOLATIONS = 20;
    /** ... and no more than this many characters of field paths and descriptions in all. */
    static final int MAX_VIOLATION_CHARS = 4500;

    /** Whether the process is shutting down (a test replaces it). */
    static BooleanSupplier stopping = ApplicationLifecycleManager::isVmShuttingDown;

    private GrpcErrors() {
    }

    /** A caller's text quoted back, cut to a length that fits in trailers. */
    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max) + "…";
    }

    public static StatusRuntimeException toStatus(Throwable error) {
        if (error instanceof StatusRuntimeException sre) {
            return sre;
        }
        ApiException api = toApiException(error);
        if (api == null && stopping.getAsBoolean()) {
            // The service is shutting down under the call (its database pool or Hibernate closed
            // before the call ended): nothing of it was committed, and another instance, or this one
            // once started again, can take the retry.
            LOG.debugf("call ended by the service stopping: %s", error);
            return status(Status.Code.UNAVAILABLE.value(),
                    "the service is stopping; retry the call (with the same request_id for a write)",
                    ErrorInfo.newBuilder().setDomain(ApiException.DOMAIN).setReason("SERVICE_STOPPING").build(), null);
        }
        if (api == null) {
            LOG.error("unexpected failure", error);
            return status(Status.Code.INTERNAL.value(), "internal error; the change, if any, was not applied",
                    ErrorInfo.newBuilder().setDomain(ApiException.DOMAIN).setReason("INTERNAL").build(), null);
        }
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setDomain(ApiException.DOMAIN).setReason(api.reason())
                .putAllMetadata(api.metadata());
        BadRequest badRequest = null;
        if (!api.violations().isEmpty()) {
            BadRequest.Builder b = BadRequest.newBuilder();
            int bytes = 0;
            for (Violations.Violation v : api.violations()) {
                bytes += v.field().length() + v.description().length();
                if (b.getFieldViolationsCount() == MAX_VIOLATIONS || b.getFieldViolationsCount() > 0 && bytes > MAX_VIOLATION_CHARS) {
                    info.putMetadata("violations_total", Integer.toString(api.violations().size()));
                    break;
                }
                b.addFieldViolations(BadRequest.FieldViolation.newBuilder().setField(clip(v.field(), 200))
                        .setDescription(clip(v.description(), 300)));
            }
            badRequest = b.build();
        }
        return status(api.code().value(), clip(api.getMessage(), 1000), info.build(), badRequest);
    }

    private static StatusRuntimeException status(int code, String message, ErrorInfo info, BadRequest badRequest) {
        com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder().setCode(code).setMessage(message)
                .addDetails(Any.pack(info));
        if (badRequest != null) {
            s.addDetails(Any.pack(badRequest));
        }
        return StatusProto.toStatusRuntimeException(s.build());
    }

    /**
     * The caller-facing meaning of an exception, or null for a fault of ours. Looks through causes
     * and suppressed exceptions: a commit that fails because the database went away is a
     * {@code RollbackException} whose lost connection is only suppressed in it (Narayana adds the
     * resource's {@code XAException} so), and is as retryable as a failed statement.
     */
    static ApiException toApiException(Throwable error) {
        ApiException direct = toApiExceptionAlongCauses(error);
        if (direct != null) {
            return direct;
        }
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>();
        todo.add(error);
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (t == null || !seen.add(t)) {
                continue;
            }
            if (t instanceof SQLException sql && isTransient(sql)) {
                return databaseUnavailable(sql);
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            todo.addAll(java.util.Arrays.asList(t.getSuppressed()));
        }
        return null;
    }

    /** The call's deadline passed before its work was done. */
    static ApiException callTimeExceeded() {
        return new ApiException(Status.Code.DEADLINE_EXCEEDED, "CALL_TIME_EXCEEDED",
                "the call's deadline (the client's, or the service's limit) passed; nothing was changed",
                java.util.Map.of(), java.util.List.of());
    }

    private static ApiException databaseUnavailable(SQLException sql) {
        return new ApiException(Status.Code.UNAVAILABLE, "DATABASE_UNAVAILABLE",
                "the database is unavailable or the transaction had to be retried; retry the call with the same request_id",
                java.util.Map.of("sql_state", String.valueOf(sql.getSQLState())), java.util.List.of());
    }

    private static ApiException toApiExceptionAlongCauses(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                return api;
            }
            if (t instanceof QueryException q) {
                return ApiException.invalidArgument(q.field(), q.getMessage());
            }
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return new ApiException(Status.Code.ABORTED, "CONCURRENT_MODIFICATION",
                        "the record was changed by another call at the same time; read it again and retry",
                        java.util.Map.of(), java.util.List.of());
            }
            if (t instanceof SQLException sql && "57014".equals(sql.getSQLState()) && io.grpc.Context.current().isCancelled()) {
                // The statement was cancelled because the call ended (EndedCallQueries): its time is up.
                return callTimeExceeded();
            }
            if (t instanceof SQLException sql && isTransient(sql)) {
                return databaseUnavailable(sql);
            }
        }
        return null;
    }

    private static boolean isTransient(SQLException sql) {
        String state = sql.getSQLState();
        // Agroal's pool had no connection free within its acquisition timeout (a burst of calls, say
        // when a service that was away comes back and its clients all retry): busy, not broken.
        if (state == null && sql.getMessage() != null && sql.getMessage().startsWith("Sorry, acquisition timeout")) {
            return true;
        }
        return sql instanceof SQLTransientException || state != null
                && (state.startsWith("08") || state.equals("40001") || state.equals("40P01") || state.equals("57P01")
                        || state.equals("57P03") || state.equals("53300"));
    }
}
