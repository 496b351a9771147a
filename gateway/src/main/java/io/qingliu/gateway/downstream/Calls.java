package io.qingliu.gateway.downstream;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every call to a service goes through here: each gets a deadline, reads are retried on
 * UNAVAILABLE (a restarting service, a dropped connection), and failures name the service. Plain
 * reads are {@link #readAsync} (no worker thread waits on them); the report and the export, which
 * write as they read, and all writes block a worker thread.
 */
@ApplicationScoped
public class Calls {

    private final Duration deadline;
    private final int readRetries;
    private final Duration retryBackoff;

    Calls(@ConfigProperty(name = "qingliu.gateway.deadline") Duration deadline,
            @ConfigProperty(name = "qingliu.gateway.read-retries") int readRetries,
            @ConfigProperty(name = "qingliu.gateway.retry-backoff") Duration retryBackoff) {
        this.deadline = deadline;
        this.readRetries = readRetries;
        this.retryBackoff = retryBackoff;
    }

    /** A call that changes nothing: safe to repeat. */
    public <S extends AbstractStub<S>, T> T read(Service service, S stub, Function<S, T> call) {
        for (int attempt = 0;; attempt++) {
            try {
                return call.apply(withDeadline(stub));
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || attempt >= readRetries) {
                    throw new DownstreamException(service, e);
                }
                pause(retryBackoff.multipliedBy(attempt + 1));
            }
        }
    }

    /**
     * A read that does not hold a thread while it waits: with a Mutiny stub the call is sent from
     * the event loop and answered there, so an HTTP request needs no worker thread at all. Retried
     * on UNAVAILABLE like {@link #read}, each attempt with its own deadline.
     */
    public <S extends AbstractStub<S>, T> Uni<T> readAsync(Service service, S stub, Function<S, Uni<T>> call) {
        Uni<T> attempt = Uni.createFrom().deferred(() -> call.apply(withDeadline(stub)));
        if (readRetries > 0) {
            // The same pauses as read's: the backoff, then twice it, ...
            attempt = attempt.onFailure(Calls::unavailable).retry()
                    .withBackOff(retryBackoff, retryBackoff.multipliedBy(1L << (readRetries - 1))).withJitter(0)
                    .atMost(readRetries);
        }
        return attempt.onFailure(StatusRuntimeException.class)
                .transform(e -> new DownstreamException(service, (StatusRuntimeException) e));
    }

    private static boolean unavailable(Throwable e) {
        return e instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.UNAVAILABLE;
    }

    /** A call that may change something: tried once (the services' request ids make retries a client's choice). */
    public <S extends AbstractStub<S>, T> T write(Service service, S stub, Function<S, T> call) {
        try {
            return call.apply(withDeadline(stub));
        } catch (StatusRuntimeException e) {
            throw new DownstreamException(service, e);
        }
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
