package io.qingliu.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP link between a client and a real service that can be told to cut the next request: when
 * armed, the first bytes the client sends on any connection are not forwarded, and that
 * connection is reset at once (as a crashed peer or a dropped route does). Otherwise it copies
 * bytes both ways untouched. It stands for the network, never for the service.
 */
public final class FaultyLink implements AutoCloseable {

    private final ServerSocket listener;
    private final int upstreamPort;
    private final AtomicBoolean cutNext = new AtomicBoolean();
    private final AtomicInteger cuts = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    public FaultyLink(int upstreamPort) {
        this.upstreamPort = upstreamPort;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread accept = new Thread(this::acceptLoop, "faulty-link-" + upstreamPort);
        accept.setDaemon(true);
        accept.start();
    }

    /** Where clients connect. */
    public int port() {
        return listener.getLocalPort();
    }

    /** The next request any client sends is dropped and its connection reset. */
    public void cutNextRequest() {
        cutNext.set(true);
    }

    /** Connections cut so far. */
    public int cuts() {
        return cuts.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                open.add(client);
                open.add(upstream);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                // The service is down: the client's connection is refused, as it would be without the link.
                reset(client);
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (fromClient && cutNext.compareAndSet(true, false)) {
                        cuts.incrementAndGet();
                        reset(from);
                        reset(to);
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                reset(from);
                reset(to);
            }
        }, "faulty-link-pump");
        t.setDaemon(true);
        t.start();
    }

    private void reset(Socket s) {
        open.remove(s);
        try {
            s.setSoLinger(true, 0); // RST rather than FIN: the peer learns at once
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        open.forEach(this::reset);
    }
}
