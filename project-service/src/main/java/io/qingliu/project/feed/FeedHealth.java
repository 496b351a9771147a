package io.qingliu.project.feed;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness of the change feed: its head, its watchers, and whether commits wake them at once. */
@Readiness
@ApplicationScoped
public class FeedHealth implements HealthCheck {

    private final ChangeStream stream;
    private final FeedNotifier notifier;

    FeedHealth(ChangeStream stream, FeedNotifier notifier) {
        this.stream = stream;
        this.notifier = notifier;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("change-feed").withData("listening", notifier.isListening())
                .withData("watchers", stream.activeWatchers());
        try {
            response.withData("head_sequence", stream.headSequence());
        } catch (java.sql.SQLException e) {
            return response.withData("error", e.getMessage()).down().build();
        }
        // Without the listener, watchers still poll every second: degraded latency, not an outage.
        return response.up().build();
    }
}
