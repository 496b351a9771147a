package io.qingliu.capacity.support;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** capacity-service's own settings, under {@code qingliu.} (environment: {@code QINGLIU_…}). */
@ConfigMapping(prefix = "qingliu")
public interface CapacityConfig {

    /** Time zone of the programme: "today" for as-of dates. */
    @WithDefault("Asia/Shanghai")
    java.time.ZoneId timeZone();

    /** Reading project-service's change feed. */
    Feed feed();

    /** Plans. */
    Plans plans();

    /** Reading project-service's change feed. */
    interface Feed {
        /** Whether to read the feed at all. */
        @WithDefault("true")
        boolean enabled();

        /**
         * The bearer token capacity-service reads the feed with (a viewer's is enough); required
         * while the feed is read, as project-service answers no call without one.
         */
        java.util.Optional<String> token();

        /**
         * Forget the read model at start and derive it again from sequence 0 (plans and goals stay):
         * for a rebuild after a change of derivation rules, and for the catch-up benchmark.
         */
        @WithDefault("false")
        boolean rebuildAtStart();

        /** At most this many changes are applied in one transaction. */
        @WithDefault("5000")
        int maxBatch();

        /**
         * While more changes than this wait behind a batch (a catch-up), batches write only the
         * mirror, and the derived tables are derived whole once the feed is this close to its head.
         * 0 derives with every batch.
         */
        @WithDefault("50000")
        long deferDerivedBeyond();

        /** First wait before reconnecting after the feed broke; doubles up to {@link #maxBackoff()}. */
        @WithDefault("200ms")
        Duration minBackoff();

        /** Longest wait between reconnection attempts. */
        @WithDefault("10s")
        Duration maxBackoff();
    }

    /** Plans. */
    interface Plans {
        /**
         * Plans loaded at first start, when there is none yet: {@code classpath:…} or a file path of
         * a JSON array of plans (proto JSON), or {@code none}.
         */
        @WithDefault("classpath:plans/ziyang-2018-2020.json")
        String initialLoad();
    }
}
