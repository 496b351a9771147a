package io.qingliu.project.grpc;

import io.grpc.Status;
import io.qingliu.kit.grpc.ApiException;
import io.qingliu.project.support.QingliuConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    /**
     * Why a stream started at {@code started} whose last message came at {@code lastMessage}
     * (both {@link System#nanoTime}) is cut off now, or null while it may go on.
     */
    public ApiException staleness(long started, long lastMessage) {
        long now = System.nanoTime();
        String reason;
        String message;
        if (now - lastMessage > idleTimeout.toNanos()) {
            reason = "UPLOAD_IDLE";
            message = "the client sent nothing for " + idleTimeout.toSeconds() + " s; nothing was imported";
        } else if (now - started > maxDuration.toNanos()) {
            reason = "UPLOAD_TOO_LONG";
            message = "the stream did not complete within " + maxDuration.toSeconds() + " s; nothing was imported";
        } else {
            return null;
        }
        return new ApiException(Status.Code.RESOURCE_EXHAUSTED, reason, message,
                Map.of("idle_timeout_seconds", Long.toString(idleTimeout.toSeconds()),
                        "max_duration_seconds", Long.toString(maxDuration.toSeconds())), List.of());
    }

    /** The refusal of a stream grown beyond {@code maxBytes}. */
    public static ApiException tooLarge(long maxBytes) {
        return new ApiException(Status.Code.RESOURCE_EXHAUSTED, "UPLOAD_TOO_LARGE",
                "the upload is larger than " + maxBytes + " bytes; split it", Map.of("limit_bytes", Long.toString(maxBytes)),
                List.of());
    }

    /** Runs the check about four times per idle timeout until the returned future is cancelled. */
    public ScheduledFuture<?> every(Runnable check) {
        long period = Math.max(50, idleTimeout.toMillis() / 4);
        return clock.scheduleWithFixedDelay(check, period, period, TimeUnit.MILLISECONDS);
    }
}
