package io.qingliu.project.grpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * A spool file of length-delimited messages that the upload's thread appends to while another
 * thread reads it: the reader gets what has arrived and waits for more, until the upload
 * completes (end of file) or is abandoned (an exception). So an upload can be processed while it
 * is still arriving, and however far the processing falls behind, the backlog is on disk, not in
 * memory. Also keeps the SHA-256 of everything appended, the fingerprint of the upload.
 */
public final class GrowingSpool {

    /**
     * How long a reader waits for more bytes, none arriving, before it gives up: whoever reads while the
     * upload arrives may hold resources meanwhile (an import holds its transaction), which a
     * client that stalls must not keep forever.
     */
    public static final Duration MAX_IDLE = Duration.ofMinutes(2);

    private final Path file;
    private final MessageDigest sha;
    private final OutputStream out;
    /** Bytes appended; only the appending thread uses it. */
    private long appended;

    // Guarded by this.
    private long readable;
    private boolean complete;
    private String abandoned;
    private byte[] fingerprint;
    private long lastAppend = System.nanoTime();

    /** A spool in {@code file}, which the caller creates and deletes. */
    public GrowingSpool(Path file) throws IOException {
        this.file = file;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), sha);
    }

    /**
     * Appends a message, length-delimited (as {@code writeDelimitedTo} does), and makes it
     * readable. Serialized into an array, as their parts are serialized elsewhere, so that the JIT
     * compiles one path for it instead of two; but not by the shared toByteArray, which the JIT
     * recompiles for every kind of message that reaches it.
     */
    public void append(MessageLite message) throws IOException {
        byte[] bytes = new byte[message.getSerializedSize()];
        message.writeTo(CodedOutputStream.newInstance(bytes));
        byte[] length = new byte[CodedOutputStream.computeUInt32SizeNoTag(bytes.length)];
        CodedOutputStream.newInstance(length).writeUInt32NoTag(bytes.length);
        out.write(length);
        out.write(bytes);
        appended += length.length + bytes.length;
        out.flush();
        synchronized (this) {
            readable = appended;
            lastAppend = System.nanoTime();
            notifyAll();
        }
    }

    /** Ends the spool: the reader sees the end of the file once it has read everything. Safe to call more than once. */
    public void complete() throws IOException {
        synchronized (this) {
            if (complete || abandoned != null) {
                return;
            }
        }
        out.close();
        synchronized (this) {
            if (abandoned == null) {
                complete = true;
                fingerprint = sha.digest();
            }
            notifyAll();
        }
    }

    /** Ends the spool without completing it: the reader fails. Safe to call more than once. */
    public void abandon(String why) {
        synchronized (this) {
            if (!complete && abandoned == null) {
                abandoned = why;
            }
            notifyAll();
        }
        try {
            out.close();
        } catch (IOException e) {
            // nothing more will be read or written
        }
    }

    /** SHA-256 of everything appended; waits for the spool to complete. */
    public synchronized byte[] awaitFingerprint() throws IOException {
        awaitEnd(Long.MAX_VALUE);
        if (abandoned != null) {
            throw new IOException("the upload was abandoned: " + abandoned);
        }
        return fingerprint.clone();
    }

    /** A new reader of the spool's messages from its start (not thread-safe itself). */
    public MessageReader reader() throws IOException {
        return new MessageReader(new BufferedInputStream(new Tail(FileChannel.open(file, StandardOpenOption.READ)), 1 << 16));
    }

    /** Reads the spool's messages one at a time, waiting for each until it has arrived. */
    public static final class MessageReader implements Closeable {
        private final InputStream in;

        private MessageReader(InputStream in) {
            this.in = in;
        }

        /**
         * The next message's bytes, or null at the end of a complete spool; to be parsed from the
         * array, as gRPC parses a message (the JIT then compiles one path for both).
         */
        public byte[] next() throws IOException {
            int first = in.read();
            if (first < 0) {
                return null;
            }
            int size = CodedInputStream.readRawVarint32(first, in);
            byte[] bytes = in.readNBytes(size);
            if (bytes.length < size) {
                throw new EOFException("the spool ends inside a message");
            }
            return bytes;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Waits until more than {@code position} bytes are readable or the spool has ended; returns how many are. */
    private synchronized long awaitReadable(long position) throws IOException {
        awaitEnd(position);
        if (abandoned != null) {
            throw new IOException("the upload was abandoned: " + abandoned);
        }
        return readable;
    }

    private void awaitEnd(long position) throws IOException {
        while (readable <= position && !complete && abandoned == null) {
            long left = MAX_IDLE.toNanos() - (System.nanoTime() - lastAppend);
            if (left <= 0) {
                throw new IOException("the upload sent nothing for " + MAX_IDLE.toSeconds() + " s");
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the upload");
            }
        }
    }

    /** The bytes of the spool as they become readable. */
    private final class Tail extends InputStream {
        private final FileChannel channel;
        private long position;

        Tail(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            long readable = awaitReadable(position);
            if (readable <= position) {
                return -1; // complete, and all read
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, readable - position)), position);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
