package io.qingliu.project.grpc;

import io.qingliu.kit.grpc.ApiException;
import io.qingliu.kit.grpc.GrpcErrors;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * A client-streaming upload: messages are spooled to temporary files as they arrive, so the
 * stream's size never weighs on memory and no transaction is held open while the client sends;
 * when the client completes, the subclass processes the spool in one transaction and answers.
 * Whatever happens, the temporary files go.
 */
public abstract class SpooledUpload<Q, R> implements StreamObserver<Q> {

    private static final Logger LOG = Logger.getLogger(SpooledUpload.class);

    private final StreamObserver<R> response;
    private final List<Path> files = new ArrayList<>();
    private final long maxBytes;
    private long bytes;
    private boolean failed;

    protected SpooledUpload(StreamObserver<R> response, long maxBytes) {
        this.response = response;
        this.maxBytes = maxBytes;
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
            throw new ApiException(io.grpc.Status.Code.RESOURCE_EXHAUSTED, "UPLOAD_TOO_LARGE",
                    "the upload is larger than " + maxBytes + " bytes; split it", java.util.Map.of("limit_bytes",
                            Long.toString(maxBytes)), List.of());
        }
    }

    @Override
    public final void onNext(Q message) {
        if (failed) {
            return;
        }
        try {
            spool(message);
        } catch (Exception e) {
            failed = true;
            cleanup();
            response.onError(GrpcErrors.toStatus(e));
        }
    }

    @Override
    public final void onError(Throwable t) {
        failed = true;
        cleanup();
    }

    @Override
    public final void onCompleted() {
        if (failed) {
            return;
        }
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
        response.onNext(result);
        response.onCompleted();
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
