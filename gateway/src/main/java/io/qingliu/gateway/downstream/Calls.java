package io.qingliu.gateway.downstream;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every call to a service goes through here: each gets a deadline, reads are retried on
 * UNAVAILABLE (a restarting service, a dropped connection), and failures name the service.
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
