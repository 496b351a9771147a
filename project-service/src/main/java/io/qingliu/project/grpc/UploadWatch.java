package io.qingliu.project.grpc;

import io.qingliu.project.support.QingliuConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The clock of the client-streaming uploads: a stream whose client sends nothing for the idle
 * timeout, or has not completed within the maximum duration, is cut off (it would otherwise hold a
 * worker thread, spool files and a place among the uploads for ever). One thread checks them all.
 */
@ApplicationScoped
public class UploadWatch {

    private final Duration idleTimeout;
    private final Duration maxDuration;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "upload-watch");
        t.setDaemon(true);
        return t;
    });

    UploadWatch(QingliuConfig config) {
        this.idleTimeout = config.uploads().idleTimeout();
        this.maxDuration = config.uploads().maxDuration();
    }

    void stop(@Observes ShutdownEvent event) {
        clock.shutdownNow();
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration maxDuration() {
        return maxDuration;
    }

    /** Runs the check about four times per idle timeout until the returned future is cancelled. */
    ScheduledFuture<?> every(Runnable check) {
        long period = Math.max(50, idleTimeout.toMillis() / 4);
        return clock.scheduleWithFixedDelay(check, period, period, TimeUnit.MILLISECONDS);
    }
}
