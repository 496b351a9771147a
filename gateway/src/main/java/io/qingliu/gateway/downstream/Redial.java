package io.qingliu.gateway.downstream;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a channel to a service that was away try again at once. A gRPC channel whose service
 * went away waits ever longer between reconnection attempts (up to two minutes), failing every
 * call meanwhile: after a restart the gateway would go on answering 503 long after the service is
 * back. Each UNAVAILABLE resets that wait, at most once a second per service, so the gateway
 * finds a service within about a second of its return while a service that stays away costs
 * one refused connection a second.
 */
@ApplicationScoped
public class Redial {

    private static final long MIN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Map<Service, Channel> channels = new EnumMap<>(Service.class);
    private final Map<Service, AtomicLong> last = new EnumMap<>(Service.class);

    Redial(@GrpcClient("project") Channel project, @GrpcClient("capacity") Channel capacity) {
        channels.put(Service.PROJECT, project);
        channels.put(Service.CAPACITY, capacity);
        for (Service s : Service.values()) {
            last.put(s, new AtomicLong(System.nanoTime() - MIN_INTERVAL_NANOS));
        }
    }

    /** The service answered UNAVAILABLE (or could not be reached): its channel tries again now, unless it just did. */
    public void unavailable(Service service) {
        AtomicLong previous = last.get(service);
        long now = System.nanoTime();
        long then = previous.get();
        if (now - then >= MIN_INTERVAL_NANOS && previous.compareAndSet(then, now)
                && channels.get(service) instanceof ManagedChannel managed) {
            managed.resetConnectBackoff();
        }
    }
}
