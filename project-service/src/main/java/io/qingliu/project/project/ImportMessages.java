package io.qingliu.project.project;

import io.qingliu.api.project.v1.ImportProjectsRequest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The messages of one ImportProjects stream on their way from the gRPC callbacks to the import's
 * thread. Only a few wait here at a time: a client that sends faster than the import works is
 * held back by gRPC flow control (its callback waits for room), so a stream's size never weighs
 * on memory. Either side may end the hand-off for the other: the import when it fails (the
 * client's further messages are dropped), the stream when it is cut off or cancelled (the import
 * stops at its next message and its transaction is rolled back).
 */
public final class ImportMessages {

    /** Messages waiting at most; each is at most gRPC's inbound message limit. */
    private static final int WAITING = 2;
    private static final ImportProjectsRequest END = ImportProjectsRequest.newBuilder().setRequestId("end").build();

    private final BlockingQueue<ImportProjectsRequest> queue = new ArrayBlockingQueue<>(WAITING);
    private volatile RuntimeException abandoned;
    private volatile byte[] fingerprint;

    /**
     * Hands a message to the import, waiting while it is busy.
     *
     * @return false when the import is over and the message will never be read
     */
    boolean put(ImportProjectsRequest message) {
        try {
            while (abandoned == null) {
                if (queue.offer(message, 50, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The client has sent everything; {@code fingerprintOfStream} is the SHA-256 of its messages. */
    void complete(byte[] fingerprintOfStream) {
        fingerprint = fingerprintOfStream;
        put(END);
    }

    /** Ends the hand-off early: the import's next {@link #next} throws {@code reason}, and {@link #put} takes nothing more. */
    void abandon(RuntimeException reason) {
        if (abandoned == null) {
            abandoned = reason;
        }
        queue.clear();
    }

    /**
     * The next message, waiting for the client.
     *
     * @return null once the client has sent everything
     * @throws RuntimeException the reason the stream was abandoned
     */
    ImportProjectsRequest next() {
        try {
            while (true) {
                RuntimeException reason = abandoned;
                if (reason != null) {
                    throw reason;
                }
                ImportProjectsRequest message = queue.poll(50, TimeUnit.MILLISECONDS);
                if (message == END) {
                    return null;
                }
                if (message != null) {
                    return message;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the import's messages", e);
        }
    }

    /** Reads the rest of the stream without looking at it (a retry already answered). */
    void skipToEnd() {
        while (next() != null) {
            // only the fingerprint counts
        }
    }

    /** The SHA-256 of the stream's messages; known once {@link #next} has returned null. */
    byte[] fingerprint() {
        return fingerprint;
    }
}
