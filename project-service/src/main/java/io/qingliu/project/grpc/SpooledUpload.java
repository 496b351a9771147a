package io.qingliu.project.grpc;

import io.qingliu.kit.grpc.ApiException;
import io.qingliu.kit.grpc.GrpcErrors;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.jboss.logging.Logger;

/**
 * A client-streaming upload: messages are spooled to temporary files as they arrive, so the
 * stream's size never weighs on memory and no transaction is held open while the client sends;
 * when the client completes, the subclass processes the spool in one transaction and answers.
 * Whatever happens, the temporary files go.
 *
 * <p>A stream is cut off (RESOURCE_EXHAUSTED, nothing written) when it grows beyond its size
 * limit, when its client sends nothing for the idle timeout, or when it has not completed within
 * the maximum duration ({@link UploadWatch}): an endless or abandoned stream holds no thread,
 * file or memory of the service's for long.
 */
public abstract class SpooledUpload<Q, R> implements StreamObserver<Q> {

    private static final Logger LOG = Logger.getLogger(SpooledUpload.class);

    private final StreamObserver<R> response;
    private final List<Path> files = new ArrayList<>();
    private final long maxBytes;
    private final UploadWatch watch;
    private final long started = System.nanoTime();
    /** Guards the end of the stream: the client's callbacks and the watch's cut-off come on different threads. */
    private final Object lock = new Object();
    private final ScheduledFuture<?> watching;
    private volatile long lastMessage = started;
    private long bytes;
    /** Failed, cut off or completed by the client: no further message is taken. */
    private boolean ended;

    protected SpooledUpload(StreamObserver<R> response, long maxBytes, UploadWatch watch) {
        this.response = response;
        this.maxBytes = maxBytes;
        this.watch = watch;
        this.watching = watch.every(this::cutOffIfStale);
    }

    /** Spools one message; may throw an {@link ApiException} to end the call. */
    protected abstract void spool(Q message) throws IOException;

    /** Processes the whole spool once the client has sent everything. */
    protected abstract R finish() throws Exception;

    /** Frees whatever {@link #spool} keeps open. */
    protected abstract void closeSpool() throws IOException;

    protected Path newSpoolFile(String prefix) throws IOException {
        Path file = Files.createTempFile(prefix, ".spool");
        files.add(file);
        return file;
    }

    /** Counts spooled bytes against the call's limit. */
    protected void count(long more) {
        bytes += more;
        if (bytes > maxBytes) {
            throw UploadWatch.tooLarge(maxBytes);
        }
    }

    @Override
    public final void onNext(Q message) {
        synchronized (lock) {
            if (ended) {
                return;
            }
            lastMessage = System.nanoTime();
            try {
                spool(message);
            } catch (Exception e) {
                end();
                response.onError(GrpcErrors.toStatus(e));
            }
        }
    }

    @Override
    public final void onError(Throwable t) {
        synchronized (lock) {
            if (!ended) {
                end();
            }
        }
    }

    @Override
    public final void onCompleted() {
        synchronized (lock) {
            if (ended) {
                return;
            }
            // From here the time is the service's (the import itself), not the client's.
            ended = true;
            watching.cancel(false);
        }
        long received = System.nanoTime();
        R result;
        try {
            closeSpool();
            result = finish();
        } catch (Exception | Error e) {
            cleanup();
            response.onError(GrpcErrors.toStatus(e));
            return;
        }
        cleanup();
        LOG.infof("%s: %d bytes received in %d ms, then processed and committed in %d ms", getClass().getSimpleName(),
                bytes, (received - started) / 1_000_000, (System.nanoTime() - received) / 1_000_000);
        response.onNext(result);
        response.onCompleted();
    }

    /** The watch's check: cuts the stream off when its client has gone quiet or taken too long. */
    private void cutOffIfStale() {
        synchronized (lock) {
            if (ended) {
                return;
            }
            ApiException stale = watch.staleness(started, lastMessage);
            if (stale == null) {
                return;
            }
            end();
            LOG.infof("upload cut off (%s) after %d bytes", stale.reason(), bytes);
            response.onError(GrpcErrors.toStatus(stale));
        }
    }

    /** Ends the stream early: no further message is taken, the watch stops and the spool goes. */
    private void end() {
        ended = true;
        watching.cancel(false);
        cleanup();
    }

    private void cleanup() {
        try {
            closeSpool();
        } catch (IOException e) {
            LOG.debug("closing an upload spool failed", e);
        }
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warnf("could not delete upload spool %s: %s", file, e.getMessage());
            }
        }
    }
}
