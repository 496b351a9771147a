package io.qingliu.gateway.testing;

import static io.qingliu.gateway.testing.ServiceProcess.freePort;

import io.qingliu.kit.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The suite behind the gateway, for real: a PostgreSQL server (the one named by
 * {@code QUARKUS_DATASOURCE_JDBC_URL} when set, as in CI, else an embedded one), fresh databases,
 * and project-service and capacity-service running from their packaged jars as separate
 * processes. project-service imports Ziyang's divisions at first start; capacity-service then
 * loads the shipped Ziyang plan once the divisions reach its read model. All three verify tokens
 * with the public key of the suite's test tokens; capacity-service reads the feed as a viewer.
 */
public class SuiteResource implements QuarkusTestResourceLifecycleManager {

    static final String PROJECT_DB = "qingliu_gw_project";
    static final String CAPACITY_DB = "qingliu_gw_capacity";

    private static PostgresServer postgres;
    private static String projectJdbcUrl;
    private static ServiceProcess projectService;
    private static ServiceProcess capacityService;

    @Override
    public Map<String, String> start() {
        postgres = PostgresServer.configuredOrEmbedded();
        projectJdbcUrl = postgres.freshDatabase(PROJECT_DB);
        projectService = ServiceProcess.projectService(freePort(), postgres, projectJdbcUrl);
        projectService.start();
        capacityService = ServiceProcess.capacityService(freePort(), postgres, postgres.freshDatabase(CAPACITY_DB),
                projectService.port());
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
                "qingliu.gateway.health-timeout", "1s",
                // The gateway verifies the tests' tokens with the key the services verify them with.
                "qingliu.auth.public-key-location", TestTokens.publicKeyLocation());
    }

    @Override
    public void stop() {
        if (capacityService != null) {
            capacityService.stop();
        }
        if (projectService != null) {
            projectService.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    public static ServiceProcess projectService() {
        return projectService;
    }

    /** A connection to project-service's database, to see what its transactions hold. */
    public static java.sql.Connection projectDatabase() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(projectJdbcUrl, postgres.user(), postgres.password());
    }

    /** capacity-service's process, to stop and start it in tests of outages. */
    public static ServiceProcess capacityService() {
        return capacityService;
    }
}
