package io.qingliu.gateway.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The suite behind the gateway, for real: a PostgreSQL server (the one named by
 * {@code QUARKUS_DATASOURCE_JDBC_URL} when set, as in CI, else an embedded one), fresh databases,
 * and project-service and capacity-service running from their packaged jars as separate
 * processes. project-service imports Ziyang's divisions at first start; capacity-service then
 * loads the shipped Ziyang plan once the divisions reach its read model.
 */
public class SuiteResource implements QuarkusTestResourceLifecycleManager {

    static final String PROJECT_DB = "qingliu_gw_project";
    static final String CAPACITY_DB = "qingliu_gw_capacity";

    private static EmbeddedPostgres embedded;
    private static ServiceProcess projectService;
    private static ServiceProcess capacityService;

    @Override
    public Map<String, String> start() {
        String serverUrl;
        String user;
        String password;
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
        recreate(serverUrl, user, password, PROJECT_DB);
        recreate(serverUrl, user, password, CAPACITY_DB);

        int projectPort = freePort();
        projectService = new ServiceProcess("project-service", projectPort, Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", serverUrl + PROJECT_DB,
                "QUARKUS_DATASOURCE_USERNAME", user,
                "QUARKUS_DATASOURCE_PASSWORD", password));
        projectService.start();
        capacityService = new ServiceProcess("capacity-service", freePort(), Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", serverUrl + CAPACITY_DB,
                "QUARKUS_DATASOURCE_USERNAME", user,
                "QUARKUS_DATASOURCE_PASSWORD", password,
                "QUARKUS_GRPC_CLIENTS_PROJECT_HOST", "127.0.0.1",
                "QUARKUS_GRPC_CLIENTS_PROJECT_PORT", Integer.toString(projectPort)));
        capacityService.start();

        String project = Integer.toString(projectService.port());
        String capacity = Integer.toString(capacityService.port());
        return Map.of(
                "quarkus.grpc.clients.project.host", "127.0.0.1",
                "quarkus.grpc.clients.project.port", project,
                // In test mode gRPC clients use test-port (else 9001).
                "quarkus.grpc.clients.project.test-port", project,
                "quarkus.grpc.clients.capacity.host", "127.0.0.1",
                "quarkus.grpc.clients.capacity.port", capacity,
                "quarkus.grpc.clients.capacity.test-port", capacity,
                // A stopped service should be reported quickly.
                "qingliu.gateway.health-timeout", "1s");
    }

    @Override
    public void stop() {
        if (capacityService != null) {
            capacityService.stop();
        }
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

    public static ServiceProcess projectService() {
        return projectService;
    }

    /** capacity-service's process, to stop and start it in tests of outages. */
    public static ServiceProcess capacityService() {
        return capacityService;
    }

    private static void recreate(String serverUrl, String user, String password, String database) {
        try (Connection c = DriverManager.getConnection(serverUrl + "postgres", user, password);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
