package io.qingliu.project.feed;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wakes feed watchers when a change commits. One thread holds a dedicated connection that
 * LISTENs on {@link ChangeLog#CHANNEL}; every write's NOTIFY is delivered at its commit, from
 * this or any other instance. Watchers also wake once a second on their own, so a lost
 * connection delays them by at most that while this thread reconnects.
 */
@ApplicationScoped
public class FeedNotifier {

    private static final Logger LOG = Logger.getLogger(FeedNotifier.class);

    private final String url;
    private final String user;
    private final String password;
    private final Object monitor = new Object();
    private long generation;
    private volatile boolean running;
    private volatile boolean listening;
    private Thread thread;

    FeedNotifier(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "postgres") String user,
            @ConfigProperty(name = "quarkus.datasource.password") java.util.Optional<String> password) {
        this.url = url;
        this.user = user;
        this.password = password.orElse(null);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::listen, "feed-listener");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
        wakeAll();
    }

    /** Whether the listener is connected now (health). */
    public boolean isListening() {
        return listening;
    }

    /** A counter that moves on every notification; pass it to {@link #awaitAfter}. */
    public long generation() {
        synchronized (monitor) {
            return generation;
        }
    }

    /** Waits until a notification arrives after {@code seen} was read, or the timeout passes. */
    public void awaitAfter(long seen, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (monitor) {
            while (generation == seen && running) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return;
                }
                monitor.wait(left);
            }
        }
    }

    /** Wakes every waiting watcher (also used when a watcher is cancelled). */
    public void wakeAll() {
        synchronized (monitor) {
            generation++;
            monitor.notifyAll();
        }
    }

    private void listen() {
        long backoff = 100;
        while (running) {
            Properties props = new Properties();
            props.setProperty("user", user);
            if (password != null && !password.isEmpty()) {
                props.setProperty("password", password);
            }
            props.setProperty("ApplicationName", "qingliu-feed-listener");
            props.setProperty("tcpKeepAlive", "true");
            try (Connection connection = DriverManager.getConnection(url, props)) {
                try (Statement st = connection.createStatement()) {
                    st.execute("LISTEN " + ChangeLog.CHANNEL);
                }
                listening = true;
                backoff = 100;
                wakeAll(); // changes may have committed while we were away
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null && notifications.length > 0) {
                        wakeAll();
                    } else if (!connection.isValid(2)) {
                        throw new SQLException("listener connection lost");
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warnf("feed listener disconnected (%s); retrying in %d ms", e.getMessage(), backoff);
                }
            } finally {
                listening = false;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = Math.min(backoff * 2, 5000);
        }
    }
}
