package io.qingliu.project.testing;

import io.qingliu.kit.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The PostgreSQL the tests run against: the one configured through
 * {@code QUARKUS_DATASOURCE_JDBC_URL} when set (CI points it at the machine's server), otherwise
 * an embedded server started for the run, so the tests pass on a machine with only a JDK and Maven.
 * It also points the service at the public key of the suite's test tokens.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres embedded;

    @Override
    public Map<String, String> start() {
        // The service verifies the tests' tokens with the suite's test key.
        Map<String, String> keys = Map.of("qingliu.auth.public-key-location", TestTokens.publicKeyLocation());
        String configured = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        if (configured != null && !configured.isBlank()) {
            return keys;
        }
        try {
            embedded = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an embedded PostgreSQL", e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", embedded.getJdbcUrl("postgres", "postgres"),
                "quarkus.datasource.username", "postgres",
                "qingliu.auth.public-key-location", TestTokens.publicKeyLocation());
    }

    @Override
    public void stop() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
