package io.qingliu.kit.grpc;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Time limits of a service's calls, under {@code qingliu.grpc.} (environment: {@code QINGLIU_GRPC_…}). */
@ConfigMapping(prefix = "qingliu.grpc")
public interface CallLimitsConfig {

    /** The longest a unary call may work, whatever deadline its client set (or none): then DEADLINE_EXCEEDED. */
    @WithDefault("60s")
    Duration maxCallDuration();
}
