package io.qingliu.project.project;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.qingliu.api.project.v1.ImportProjectsRequest;
import io.qingliu.api.project.v1.ImportProjectsResponse;
import io.qingliu.kit.grpc.ApiException;
import io.qingliu.kit.grpc.GrpcErrors;
import io.qingliu.project.grpc.UploadWatch;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import org.jboss.logging.Logger;

/**
 * The ImportProjects stream, imported as it arrives: its first message starts the import on a
 * thread of its own ({@link ProjectImporter#start}), in one transaction, and every message is
 * handed to it ({@link ImportMessages}), so the client's sending overlaps the checking and the
 * writing instead of coming before them (in the bench, ~0.9 s of a 7.2 s import of 100,000
 * projects was the client sending). The answer is sent once the import has committed, or at the
 * first failure, even while the client is still sending (its further messages are dropped).
 *
 * <p>The price is a transaction open while the client sends, as PostgreSQL's own COPY holds one;
 * it is bounded as the spooled uploads are: a stream whose client goes quiet for the idle timeout
 * or has not completed within the maximum duration ({@link UploadWatch}), or grows beyond its size
 * limit, is cut off (RESOURCE_EXHAUSTED) and its transaction rolled back; so is one the client
 * cancels; and the service takes only {@code qingliu.uploads.max-concurrent-imports} at once (one
 * more is refused at its first message, IMPORTS_BUSY). A SHA-256 of the messages, framed as they
 * were when imports were spooled, tells a retry from a different import under the same request id.
 */
public final class ProjectImportUpload implements StreamObserver<ImportProjectsRequest> {

    private static final Logger LOG = Logger.getLogger(ProjectImportUpload.class);

    static final long MAX_BYTES = 512L * 1024 * 1024;

    private final StreamObserver<ImportProjectsResponse> response;
    private final ProjectImporter importer;
    private final UploadWatch watch;
    /** The call's context (its caller), for the import's thread. */
    private final Context call = Context.current();
    private final ImportMessages messages = new ImportMessages();
    private final MessageDigest sha;
    private final OutputStream digest;
    private final long started = System.nanoTime();
    /** Guards the fields below: the client's callbacks, the watch and the import come on different threads. */
    private final Object lock = new Object();
    private final ScheduledFuture<?> watching;
    private long lastMessage = started;
    private long received;
    private long bytes;
    private boolean importStarted;
    /** No further message is taken: the client completed or cancelled, or the call was answered. */
    private boolean closed;
    /** The call has its answer (or was cancelled): nothing more is sent to the client. */
    private boolean answered;

    public ProjectImportUpload(StreamObserver<ImportProjectsResponse> response, ProjectImporter importer, UploadWatch watch) {
        this.response = response;
        this.importer = importer;
        this.watch = watch;
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.digest = new DigestOutputStream(OutputStream.nullOutputStream(), sha);
        this.watching = watch.every(this::cutOffIfStale);
    }

    @Override
    public void onNext(ImportProjectsRequest message) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            lastMessage = System.nanoTime();
            bytes += message.getSerializedSize();
            if (bytes > MAX_BYTES) {
                fail(UploadWatch.tooLarge(MAX_BYTES));
                return;
            }
            try {
                // The same bytes as the spool the fingerprint was first taken of.
                message.writeDelimitedTo(digest);
            } catch (IOException e) {
                throw new IllegalStateException(e); // never: it only digests
            }
            try {
                startImport(message);
            } catch (ApiException busy) {
                fail(busy);
                return;
            }
        }
        // Outside the lock: this waits while the import is busy, and the watch must still be able to cut it off.
        messages.put(message);
        synchronized (lock) {
            // Time held back by the import is not the client's silence.
            lastMessage = System.nanoTime();
        }
    }

    @Override
    public void onCompleted() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            // From here the time is the service's (the import itself), not the client's.
            watching.cancel(false);
            received = System.nanoTime();
            try {
                startImport(ImportProjectsRequest.getDefaultInstance());
            } catch (ApiException busy) {
                fail(busy);
                return;
            }
        }
        messages.complete(sha.digest());
    }

    @Override
    public void onError(Throwable t) {
        synchronized (lock) {
            if (answered) {
                return;
            }
            // The client is gone: nobody to answer.
            closed = answered = true;
            watching.cancel(false);
        }
        messages.abandon(new ApiException(Status.Code.CANCELLED, "UPLOAD_CANCELLED",
                "the client cancelled the stream; nothing was imported", Map.of(), java.util.List.of()));
    }

    /** Starts the import with the stream's first message, whose options apply to the whole. */
    private void startImport(ImportProjectsRequest first) {
        if (!importStarted) {
            importStarted = true;
            importer.start(call, messages, first, this::finished);
        }
    }

    /** The import's end, on its thread: committed with {@code result}, or failed with {@code error}. */
    private void finished(ImportProjectsResponse result, Throwable error) {
        synchronized (lock) {
            if (answered) {
                return; // cut off or cancelled: the import's failure is that
            }
            closed = answered = true;
            watching.cancel(false);
        }
        if (error != null) {
            messages.abandon(new IllegalStateException("the import has failed"));
            response.onError(GrpcErrors.toStatus(error));
            return;
        }
        LOG.debugf("ImportProjects: %d bytes in %d ms, answered %d ms after the last", bytes,
                (received - started) / 1_000_000, (System.nanoTime() - received) / 1_000_000);
        response.onNext(result);
        response.onCompleted();
    }

    /** The watch's check: cuts the stream off when its client has gone quiet or taken too long. */
    private void cutOffIfStale() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            ApiException stale = watch.staleness(started, lastMessage);
            if (stale == null) {
                return;
            }
            LOG.infof("ImportProjects cut off (%s) after %d bytes", stale.reason(), bytes);
            fail(stale);
        }
    }

    /** Answers {@code reason} and stops the import, which rolls back. Called holding the lock. */
    private void fail(ApiException reason) {
        closed = answered = true;
        watching.cancel(false);
        messages.abandon(reason);
        response.onError(GrpcErrors.toStatus(reason));
    }
}
