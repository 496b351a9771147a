package io.qingliu.capacity.grpc;

import io.qingliu.kit.grpc.CallLimitsConfig;
import io.qingliu.kit.grpc.CallTimeLimit;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.inject.Singleton;

/** Every unary call of the service ends by {@code qingliu.grpc.max-call-duration} at the latest, or by its client's deadline. */
@GlobalInterceptor
@Singleton
public class CapacityCallTimeLimit extends CallTimeLimit {

    CapacityCallTimeLimit(CallLimitsConfig config) {
        super(config.maxCallDuration());
    }
}
