package io.qingliu.capacity.feed;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness with the feed's lag. The service stays ready while project-service is away (it
 * answers from what it has); the data say how far behind the answers are.
 */
@Readiness
@ApplicationScoped
public class FeedHealth implements HealthCheck {

    private final FeedStatus status;

    FeedHealth(FeedStatus status) {
        this.status = status;
    }

    @Override
    public HealthCheckResponse call() {
        FeedStatus.Snapshot s = status.snapshot();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("change-feed").up()
                .withData("connected", s.connected())
                .withData("applied_sequence", s.appliedSequence())
                .withData("head_sequence", s.headSequence())
                // Below applied_sequence while a catch-up defers derivation: answers reflect this one.
                .withData("derived_sequence", s.derivedSequence())
                .withData("lag_changes", s.lagChanges())
                .withData("lag_seconds", s.lagSeconds(Instant.now()));
        if (s.recordTime() != null) {
            b.withData("last_change_record_time", s.recordTime().toString());
        }
        if (s.lastError() != null) {
            b.withData("last_error", s.lastError());
            b.withData("disconnected_since", s.since().toString());
        }
        return b.build();
    }
}
