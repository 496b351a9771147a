package io.qingliu.gateway.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The PostgreSQL server the services under test use: the one {@code QUARKUS_DATASOURCE_JDBC_URL}
 * names (as in CI; its database part is ignored), else an embedded PostgreSQL started for the run.
 */
public final class PostgresServer implements AutoCloseable {

    private EmbeddedPostgres embedded;
    /** Where a restartable embedded server keeps its data (kept across restarts); null otherwise. */
    private Path dataDirectory;
    private int port;
    private final String serverUrl;
    private final String user;
    private final String password;

    private PostgresServer(EmbeddedPostgres embedded, String serverUrl, String user, String password) {
        this.embedded = embedded;
        this.serverUrl = serverUrl;
        this.user = user;
        this.password = password;
    }

    public static PostgresServer configuredOrEmbedded() {
        String configured = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        if (configured != null && !configured.isBlank()) {
            return new PostgresServer(null, configured.substring(0, configured.lastIndexOf('/') + 1),
                    System.getenv().getOrDefault("QUARKUS_DATASOURCE_USERNAME", "postgres"),
                    System.getenv().getOrDefault("QUARKUS_DATASOURCE_PASSWORD", ""));
        }
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            String url = embedded.getJdbcUrl("postgres", "postgres");
            return new PostgresServer(embedded, url.substring(0, url.lastIndexOf('/') + 1), "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an embedded PostgreSQL", e);
        }
    }

    /**
     * An embedded PostgreSQL of its own that the test can stop and start again ({@link #restart}):
     * its data in {@code dataDirectory} (emptied first) and kept across restarts, on the same port.
     */
    public static PostgresServer restartableEmbedded(Path dataDirectory) {
        try {
            deleteRecursively(dataDirectory);
            int port = ServiceProcess.freePort();
            EmbeddedPostgres embedded = startEmbedded(dataDirectory, port);
            String url = embedded.getJdbcUrl("postgres", "postgres");
            PostgresServer server = new PostgresServer(embedded, url.substring(0, url.lastIndexOf('/') + 1), "postgres", "");
            server.dataDirectory = dataDirectory;
            server.port = port;
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    private static EmbeddedPostgres startEmbedded(Path dataDirectory, int port) throws IOException {
        // Not cleaned: close() would delete the data, and a start on existing data would initdb afresh.
        return EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(port)
                .start();
    }

    /**
     * Stops the server (as an operator's restart does: every connection is closed), leaves it down
     * for {@code down}, and starts it again on the same data and port.
     */
    public synchronized void restart(Duration down) {
        if (dataDirectory == null) {
            throw new IllegalStateException("only a restartableEmbedded() server can be restarted");
        }
        try {
            embedded.close();
            Thread.sleep(down.toMillis());
            embedded = startEmbedded(dataDirectory, port);
        } catch (IOException e) {
            throw new UncheckedIOException("could not restart the embedded PostgreSQL", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Drops the database if it exists and creates it empty; returns its JDBC URL. */
    public String freshDatabase(String database) {
        try (Connection c = DriverManager.getConnection(serverUrl + "postgres", user, password);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
        return serverUrl + database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    @Override
    public synchronized void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
