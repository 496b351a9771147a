package io.qingliu.capacity.testing;

import io.qingliu.kit.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The PostgreSQL the tests run against: the one configured through
 * {@code QUARKUS_DATASOURCE_JDBC_URL} when set, otherwise an embedded server started for the run.
 * The service runs alone: it reads no change feed and loads no plan at start, and the tests put
 * the divisions they need into the read model themselves ({@link ReadModelFixtures}).
 *
 * <p>Every test class names this one resource, so that they all share one application start.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres embedded;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.put("qingliu.feed.enabled", "false");
        config.put("qingliu.plans.initial-load", "none");
        config.put("qingliu.auth.public-key-location", TestTokens.publicKeyLocation());
        String configured = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        if (configured != null && !configured.isBlank()) {
            return config;
        }
        try {
            embedded = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an embedded PostgreSQL", e);
        }
        config.put("quarkus.datasource.jdbc.url", embedded.getJdbcUrl("postgres", "postgres"));
        config.put("quarkus.datasource.username", "postgres");
        return config;
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
