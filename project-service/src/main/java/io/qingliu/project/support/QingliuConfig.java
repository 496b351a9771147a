package io.qingliu.project.support;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.ZoneId;

/** Qingliu's own settings, under {@code qingliu.} (environment: {@code QINGLIU_…}). */
@ConfigMapping(prefix = "qingliu")
public interface QingliuConfig {

    /** Time zone of the programme: effective dates may not lie after today there. */
    @WithDefault("Asia/Shanghai")
    ZoneId timeZone();

    /** Division list handling. */
    Divisions divisions();

    /** Limits of the client-streaming imports (ImportDivisions, ImportProjects). */
    Uploads uploads();

    /** Limits of the change feed's streams. */
    Feed feed();

    /** The non-blocking reads (GetProject). */
    Reads reads();

    /** The non-blocking reads: their own small pool of connections to the same database. */
    interface Reads {
        /**
         * Connections of the non-blocking pool, opened as reads need them: one per read in flight.
         * Measured with 16 callers on the 2-core bench machine: 4 gave 6,500 calls/s, 8 gave 7,600,
         * 16 gave 8,300.
         */
        @WithDefault("16")
        int poolSize();

        /** A read that waits this long for a connection fails UNAVAILABLE (busy; retry). */
        @WithDefault("5s")
        Duration connectionTimeout();
    }

    /** Limits of the client-streaming imports. */
    interface Uploads {
        /** A stream whose client sends no message for this long is cut off (RESOURCE_EXHAUSTED, UPLOAD_IDLE). */
        @WithDefault("60s")
        Duration idleTimeout();

        /** A stream not completed by its client within this time is cut off (RESOURCE_EXHAUSTED, UPLOAD_TOO_LONG). */
        @WithDefault("30m")
        Duration maxDuration();

        /**
         * ImportProjects streams in progress at most: each holds a transaction and a connection
         * (of {@code quarkus.datasource.jdbc.max-size}) while its client sends, plus a second one
         * for moments; a stream beyond them is refused at once (RESOURCE_EXHAUSTED, IMPORTS_BUSY).
         */
        @WithDefault("8")
        int maxConcurrentImports();
    }

    /** Limits of WatchChanges. */
    interface Feed {
        /** A watcher whose client takes no message for this long is cut off (it may reconnect with its last sequence). */
        @WithDefault("10m")
        Duration stallLimit();
    }

    /** Division list handling. */
    interface Divisions {
        /**
         * The list imported at first start, when the registry holds no division yet:
         * {@code classpath:…} or a file path of a 4-column list, a directory holding the national
         * five-file list, or {@code none}.
         */
        @WithDefault("classpath:divisions/ziyang-5120.csv")
        String initialImport();
    }
}
