package io.qingliu.capacity.testing;

import io.qingliu.kit.testing.AdminTokenByDefault;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/** The suite's injected clients call as an admin unless a test gives a call its own token. */
@GlobalInterceptor
@ApplicationScoped
public class TestCaller extends AdminTokenByDefault {
}
