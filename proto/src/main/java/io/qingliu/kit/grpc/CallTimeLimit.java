package io.qingliu.kit.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Gives every unary call a deadline: the client's, or the service's limit when that is sooner or
 * the client set none. A call whose deadline passes ends its work ({@link EndedCallQueries}
 * cancels its running statement) and answers DEADLINE_EXCEEDED, so that a client that gives up,
 * or never set a deadline, cannot leave the database working, or holding locks, for nobody.
 * Streaming calls have limits of their own (the feed's stall limit, the imports' idle and total
 * time). A service makes it a global interceptor with a subclass.
 */
public class CallTimeLimit implements ServerInterceptor {

    /**
     * The deadlines' clock. A call that ends in time cancels its timer: removed from the queue at
     * once, or thousands of calls a second would leave a minute's worth of dead timers in it.
     */
    private static final ScheduledExecutorService TIMER = timer();

    private static final Metadata.Key<String> TIMEOUT = Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER);

    private final Duration limit;

    protected CallTimeLimit(Duration limit) {
        this.limit = limit;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        if (call.getMethodDescriptor().getType() != MethodDescriptor.MethodType.UNARY) {
            return next.startCall(call, headers);
        }
        // The sooner of the limit and the client's deadline: the current context's where the transport
        // set it, else its grpc-timeout header (the Vert.x transport passes that on, unread).
        long nanos = limit.toNanos();
        String timeout = headers.get(TIMEOUT);
        if (timeout != null) {
            nanos = Math.min(nanos, timeoutNanos(timeout));
        }
        Context.CancellableContext timed = Context.current().withDeadlineAfter(nanos, TimeUnit.NANOSECONDS, TIMER);
        ServerCall.Listener<Q> listener = Contexts.interceptCall(timed, call, headers, next);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onComplete() {
                try {
                    super.onComplete();
                } finally {
                    timed.cancel(null);
                }
            }

            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    timed.cancel(null);
                }
            }
        };
    }

    private static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "call-time-limit");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** A grpc-timeout value (at most 8 digits and a unit: H, M, S, m, u, n) in nanoseconds; unreadable: no limit. */
    static long timeoutNanos(String value) {
        if (value.length() < 2 || value.length() > 9) {
            return Long.MAX_VALUE;
        }
        long amount;
        try {
            amount = Long.parseLong(value.substring(0, value.length() - 1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
        TimeUnit unit = switch (value.charAt(value.length() - 1)) {
            case 'H' -> TimeUnit.HOURS;
            case 'M' -> TimeUnit.MINUTES;
            case 'S' -> TimeUnit.SECONDS;
            case 'm' -> TimeUnit.MILLISECONDS;
            case 'u' -> TimeUnit.MICROSECONDS;
            case 'n' -> TimeUnit.NANOSECONDS;
            default -> null;
        };
        return unit == null || amount < 0 ? Long.MAX_VALUE : unit.toNanos(amount);
    }
}
