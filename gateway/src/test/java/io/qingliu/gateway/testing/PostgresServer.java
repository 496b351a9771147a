package io.qingliu.gateway.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL server the services under test use: the one {@code QUARKUS_DATASOURCE_JDBC_URL}
 * names (as in CI; its database part is ignored), else an embedded PostgreSQL started for the run.
 */
public final class PostgresServer implements AutoCloseable {

    private final EmbeddedPostgres embedded;
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
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
