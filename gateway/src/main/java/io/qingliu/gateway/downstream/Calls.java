package io.qingliu.gateway.downstream;

import io.grpc.CallCredentials;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.StreamObserver;
import io.qingliu.gateway.auth.RequestCaller;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every call to a service goes through here: each carries the caller's bearer token (the one
 * {@link io.qingliu.gateway.auth.BearerAuth} verified for the HTTP request, so that the service
 * decides what the caller may do and records who did it), gets a deadline, reads are retried on
 * UNAVAILABLE (a restarting service, a dropped connection), and failures name the service. Plain
 * reads are {@link #readAsync} (no worker thread waits on them); the report and the export, which
 * write as they read, and all writes block a worker thread.
 *
 * <p>The methods here take the token of the request being handled, so they are called while it
 * is (in a resource method). Work that goes on after the resource method has returned, or on
 * another thread (the report's and the export's later pages), first takes {@link #forCaller()}.
 */
@ApplicationScoped
public class Calls {

    private final Duration deadline;
    private final int readRetries;
    private final Duration retryBackoff;
    private final RequestCaller requestCaller;
    private final Redial redial;

    Calls(@ConfigProperty(name = "qingliu.gateway.deadline") Duration deadline,
            @ConfigProperty(name = "qingliu.gateway.read-retries") int readRetries,
            @ConfigProperty(name = "qingliu.gateway.retry-backoff") Duration retryBackoff,
            RequestCaller requestCaller, Redial redial) {
        this.deadline = deadline;
        this.readRetries = readRetries;
        this.retryBackoff = retryBackoff;
        this.requestCaller = requestCaller;
        this.redial = redial;
    }

    /**
     * The calls of the request being handled, bound to its caller's token: usable after the
     * resource method has returned and from any thread (a streamed body fetching its next page).
     */
    public AsCaller forCaller() {
        return new AsCaller(requestCaller.credentials());
    }

    /**
     * The calls of a caller whose token was verified outside JAX-RS, where there is no request
     * scope (the event-loop routes of {@code http/GetRoutes}).
     */
    public AsCaller as(CallCredentials credentials) {
        return new AsCaller(credentials);
    }

    /** A call that changes nothing: safe to repeat. */
    public <S extends AbstractStub<S>, T> T read(Service service, S stub, Function<S, T> call) {
        return forCaller().read(service, stub, call);
    }

    /**
     * A read that does not hold a thread while it waits: with a Mutiny stub the call is sent from
     * the event loop and answered there, so an HTTP request needs no worker thread at all. Retried
     * on UNAVAILABLE like {@link #read}, each attempt with its own deadline.
     */
    public <S extends AbstractStub<S>, T> Uni<T> readAsync(Service service, S stub, Function<S, Uni<T>> call) {
        return forCaller().readAsync(service, stub, call);
    }

    /** A call that may change something: tried once (the services' request ids make retries a client's choice). */
    public <S extends AbstractStub<S>, T> T write(Service service, S stub, Function<S, T> call) {
        return forCaller().write(service, stub, call);
    }

    /** The calls of one caller: each stub is given the caller's token, then a deadline per attempt. */
    public final class AsCaller {

        private final CallCredentials credentials;

        private AsCaller(CallCredentials credentials) {
            this.credentials = credentials;
        }

        /** A call that changes nothing: safe to repeat. */
        public <S extends AbstractStub<S>, T> T read(Service service, S stub, Function<S, T> call) {
            S authorized = stub.withCallCredentials(credentials);
            for (int attempt = 0;; attempt++) {
                try {
                    return call.apply(withDeadline(authorized));
                } catch (StatusRuntimeException e) {
                    boolean unavailable = e.getStatus().getCode() == Status.Code.UNAVAILABLE;
                    if (unavailable) {
                        redial.unavailable(service);
                    }
                    if (!unavailable || attempt >= readRetries) {
                        throw new DownstreamException(service, e);
                    }
                    pause(retryBackoff.multipliedBy(attempt + 1));
                }
            }
        }

        /** As {@link Calls#readAsync}. */
        public <S extends AbstractStub<S>, T> Uni<T> readAsync(Service service, S stub, Function<S, Uni<T>> call) {
            // The token is taken now, while the request is handled: retries run on other threads.
            S authorized = stub.withCallCredentials(credentials);
            Uni<T> attempt = Uni.createFrom().deferred(() -> call.apply(withDeadline(authorized)))
                    .onFailure(Calls::unavailable).invoke(() -> redial.unavailable(service));
            if (readRetries > 0) {
                // The same pauses as read's: the backoff, then twice it, ...
                attempt = attempt.onFailure(Calls::unavailable).retry()
                        .withBackOff(retryBackoff, retryBackoff.multipliedBy(1L << (readRetries - 1))).withJitter(0)
                        .atMost(readRetries);
            }
            return attempt.onFailure(StatusRuntimeException.class)
                    .transform(e -> new DownstreamException(service, (StatusRuntimeException) e));
        }

        /**
         * As {@link #readAsync}, for a caller that takes the answer in a callback rather than a
         * Uni (the event-loop routes of {@code http/GetRoutes}): a deadline per attempt, retries
         * on UNAVAILABLE after {@link #read}'s pauses, the redial, the same failures, but none of
         * Mutiny's operators and their context propagation (in a profile, a tenth of the gateway's
         * cost of such a GET). The answer comes on the transport's thread, or on a worker thread
         * after a retry.
         */
        public <Q, R> void readUnary(Service service, MethodStub stub, MethodDescriptor<Q, R> method, Q request,
                BiConsumer<R, RuntimeException> answer) {
            attempt(service, stub.withCallCredentials(credentials), method, request, 0, answer);
        }

        private <Q, R> void attempt(Service service, MethodStub authorized, MethodDescriptor<Q, R> method, Q request,
                int attempt, BiConsumer<R, RuntimeException> answer) {
            withDeadline(authorized).call(method, request, new StreamObserver<R>() {
                private R value;

                @Override
                public void onNext(R message) {
                    value = message;
                }

                @Override
                public void onCompleted() {
                    answer.accept(value, null);
                }

                @Override
                public void onError(Throwable failure) {
                    if (unavailable(failure)) {
                        redial.unavailable(service);
                        if (attempt < readRetries) {
                            Infrastructure.getDefaultWorkerPool().schedule(
                                    () -> attempt(service, authorized, method, request, attempt + 1, answer),
                                    retryBackoff.multipliedBy(attempt + 1).toMillis(), TimeUnit.MILLISECONDS);
                            return;
                        }
                    }
                    answer.accept(null, failure instanceof StatusRuntimeException e ? new DownstreamException(service, e)
                            : new IllegalStateException(failure));
                }
            });
        }

        /** A call that may change something: tried once. */
        public <S extends AbstractStub<S>, T> T write(Service service, S stub, Function<S, T> call) {
            try {
                return call.apply(withDeadline(stub.withCallCredentials(credentials)));
            } catch (StatusRuntimeException e) {
                if (unavailable(e)) {
                    redial.unavailable(service);
                }
                throw new DownstreamException(service, e);
            }
        }
    }

    private static boolean unavailable(Throwable e) {
        return e instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.UNAVAILABLE;
    }

    private <S extends AbstractStub<S>> S withDeadline(S stub) {
        return stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
