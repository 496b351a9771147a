package io.qingliu.capacity.testing;

import io.qingliu.kit.auth.Role;
import io.qingliu.kit.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The suite under test, for real: a PostgreSQL server (the one named by
 * {@code QUARKUS_DATASOURCE_JDBC_URL} when set, as in CI, else an embedded one), fresh databases
 * for both services, and project-service's packaged jar running as a separate process, whose
 * change feed the capacity-service under test reads.
 */
public class SuiteResource implements QuarkusTestResourceLifecycleManager {

    static final String PROJECT_DB = "qingliu_it_project";
    static final String CAPACITY_DB = "qingliu_it_capacity";

    private static EmbeddedPostgres embedded;
    private static String serverUrl;
    private static String user;
    private static String password;
    private static ProjectServiceProcess projectService;

    @Override
    public Map<String, String> start() {
        String configured = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        if (configured != null && !configured.isBlank()) {
            serverUrl = configured.substring(0, configured.lastIndexOf('/') + 1);
            user = System.getenv().getOrDefault("QUARKUS_DATASOURCE_USERNAME", "postgres");
            password = System.getenv().getOrDefault("QUARKUS_DATASOURCE_PASSWORD", "");
        } else {
            try {
                embedded = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start an embedded PostgreSQL", e);
            }
            String url = embedded.getJdbcUrl("postgres", "postgres");
            serverUrl = url.substring(0, url.lastIndexOf('/') + 1);
            user = "postgres";
            password = "";
        }
        recreate(PROJECT_DB);
        recreate(CAPACITY_DB);
        projectService = new ProjectServiceProcess(serverUrl + PROJECT_DB, user, password, freePort());
        projectService.start();
        return Map.ofEntries(
                // Both services verify the tests' tokens with the suite's test key; the feed is read as a viewer.
                Map.entry("qingliu.auth.public-key-location", TestTokens.publicKeyLocation()),
                Map.entry("qingliu.feed.token", TestTokens.token("capacity-service", Role.VIEWER, null, Duration.ofHours(12))),
                Map.entry("quarkus.datasource.jdbc.url", serverUrl + CAPACITY_DB),
                Map.entry("quarkus.datasource.username", user),
                Map.entry("quarkus.datasource.password", password),
                Map.entry("quarkus.grpc.clients.project.host", "127.0.0.1"),
                Map.entry("quarkus.grpc.clients.project.port", Integer.toString(projectService.port())),
                // In test mode gRPC clients use test-port (else 9001).
                Map.entry("quarkus.grpc.clients.project.test-port", Integer.toString(projectService.port())),
                // Quick reconnection in tests that stop project-service.
                // Small batches, so that a catch-up spans many transactions (and can be cut in the middle).
                Map.entry("qingliu.feed.max-batch", "100"),
                // Catch-ups (the first, and every rebuild) write only the mirror until 500 changes
                // from the head, then derive it all at once: both ways of deriving are exercised.
                Map.entry("qingliu.feed.defer-derived-beyond", "500"),
                Map.entry("qingliu.feed.min-backoff", "100ms"),
                Map.entry("qingliu.feed.max-backoff", "1s"));
    }

    @Override
    public void stop() {
        if (projectService != null) {
            projectService.stop();
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The project-service process, to stop and start it in tests of outages. */
    public static ProjectServiceProcess projectService() {
        return projectService;
    }

    /** A connection to a database of the suite's server (for tests that compare with SQL). */
    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(serverUrl + database, user, password);
    }

    private static void recreate(String database) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** project-service's packaged jar, run as its own JVM. */
    public static final class ProjectServiceProcess {

        private static final Path JAR = Path.of("../project-service/target/quarkus-app/quarkus-run.jar");

        private final String jdbcUrl;
        private final String user;
        private final String password;
        private final int port;
        private final Path log = Path.of("target/project-service.log");
        private Process process;

        ProjectServiceProcess(String jdbcUrl, String user, String password, int port) {
            this.jdbcUrl = jdbcUrl;
            this.user = user;
            this.password = password;
            this.port = port;
        }

        public int port() {
            return port;
        }

        /** Starts the process and waits until it is ready (its first start imports Ziyang's divisions). */
        public synchronized void start() {
            if (!Files.isRegularFile(JAR)) {
                throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: build project-service first "
                        + "(mvn -B verify from the repository root builds it before capacity-service)");
            }
            ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-jar", JAR.toString()));
            Map<String, String> env = pb.environment();
            env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
            env.put("QUARKUS_DATASOURCE_USERNAME", user);
            env.put("QUARKUS_DATASOURCE_PASSWORD", password);
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("QINGLIU_AUTH_PUBLIC_KEY_LOCATION", TestTokens.publicKeyLocation());
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            awaitReady(Duration.ofSeconds(120));
        }

        /** Stops the process (SIGTERM, then SIGKILL after 20 s). */
        public synchronized void stop() {
            if (process == null) {
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }

        private void awaitReady(Duration timeout) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("project-service exited with " + process.exitValue() + "; see "
                            + log.toAbsolutePath());
                }
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            throw new IllegalStateException("project-service not ready after " + timeout + "; see " + log.toAbsolutePath());
        }
    }
}
