package io.qingliu.project.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a PostgreSQL server from Maven artifacts for the local one-command run on a machine that
 * has none: {@code EmbeddedPostgresMain <data-dir> <port> <database>...}. Keeps its data
 * between runs, creates the databases that are missing, prints {@code READY <jdbc-url>} and
 * serves until it is stopped (SIGTERM or Ctrl-C).
 */
public final class EmbeddedPostgresMain {

    private EmbeddedPostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: EmbeddedPostgresMain <data-dir> <port> <database>...");
            System.exit(2);
        }
        Path data = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(data);
        int port = Integer.parseInt(args[1]);
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setPort(port).start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            for (int i = 2; i < args.length; i++) {
                try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + args[i].replace("'", "") + "'")) {
                    if (!rs.next()) {
                        st.execute("CREATE DATABASE \"" + args[i].replace("\"", "") + "\"");
                    }
                }
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (Exception e) {
                System.err.println("stopping PostgreSQL: " + e.getMessage());
            }
            stopped.countDown();
        }));
        System.out.println("READY jdbc:postgresql://127.0.0.1:" + port + "/");
        System.out.flush();
        stopped.await();
    }
}
