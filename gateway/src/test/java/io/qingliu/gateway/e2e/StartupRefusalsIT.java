package io.qingliu.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qingliu.gateway.testing.PostgresServer;
import io.qingliu.gateway.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A service that cannot check its callers does not start: without the public key that verifies
 * tokens each of the three stops at start, saying which setting is missing, rather than serving
 * everyone or no one; capacity-service without its own token for the change feed stops too,
 * rather than run without a read model. (The packaged jars, as an operator starts them.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StartupRefusalsIT {

    private static final String KEY = "QINGLIU_AUTH_PUBLIC_KEY_LOCATION";

    private PostgresServer postgres;
    private String projectDb;
    private String capacityDb;

    @BeforeAll
    void databases() {
        postgres = PostgresServer.configuredOrEmbedded();
        projectDb = postgres.freshDatabase("qingliu_refusal_project");
        capacityDb = postgres.freshDatabase("qingliu_refusal_capacity");
    }

    @AfterAll
    void close() {
        postgres.close();
    }

    @Test
    void projectServiceWithoutTheTokenKeyDoesNotStart() {
        assertRefused(ServiceProcess.projectService(ServiceProcess.freePort(), postgres, projectDb).without(KEY),
                "qingliu.auth.public-key-location");
    }

    @Test
    void capacityServiceWithoutTheTokenKeyOrItsFeedTokenDoesNotStart() {
        // No project-service needs to run: it stops before it would call one.
        ServiceProcess capacity = ServiceProcess.capacityService(ServiceProcess.freePort(), postgres, capacityDb,
                ServiceProcess.freePort());
        assertRefused(capacity.without(KEY), "qingliu.auth.public-key-location");
        assertRefused(capacity.without("QINGLIU_FEED_TOKEN"), "qingliu.feed.token");
    }

    @Test
    void theGatewayWithoutTheTokenKeyDoesNotStart() {
        assertRefused(ServiceProcess.gateway(ServiceProcess.freePort(), ServiceProcess.freePort(), ServiceProcess.freePort(),
                "2s").without(KEY), "qingliu.auth.public-key-location");
    }

    private static void assertRefused(ServiceProcess process, String setting) {
        IllegalStateException refused = assertThrows(IllegalStateException.class, process::start,
                process.name() + " started without " + setting);
        assertTrue(refused.getMessage().contains("exited with"), refused.getMessage());
        assertFalse(process.running());
        String log = process.log();
        assertTrue(log.contains(setting), process.name() + " names the missing setting " + setting + ":\n" + tail(log));
    }

    private static String tail(String log) {
        return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
    }
}
