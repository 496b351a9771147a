package io.qingliu.project.testing;

import java.nio.file.Path;

/**
 * Where the shared reference data lies: {@code QINGLIU_DIVISIONS_DIR} (or the system property
 * {@code qingliu.divisions.dir}) when set, else {@code shared/data/divisions} beside the
 * checkout, as on every machine of this project (tests run in the module's folder).
 */
public final class SharedData {

    private SharedData() {
    }

    public static Path divisionsDir() {
        String configured = System.getProperty("qingliu.divisions.dir", System.getenv("QINGLIU_DIVISIONS_DIR"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of("..", "..", "shared", "data", "divisions").toAbsolutePath().normalize();
    }
}
