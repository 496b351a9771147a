package io.qingliu.project.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The service with its time limits in seconds instead of minutes, for the tests that prove them:
 * a unary call ends after 3 s whatever its client's deadline, an upload is cut off after 2 s
 * without a message or 6 s without completing, a feed watcher whose client takes nothing after 3 s;
 * and two imports at once.
 */
public class ShortCallLimits implements QuarkusTestProfile {

    public static final int UPLOAD_IDLE_SECONDS = 2;
    public static final int UPLOAD_MAX_SECONDS = 6;
    public static final int FEED_STALL_SECONDS = 3;
    public static final int CALL_SECONDS = 3;
    public static final int CONCURRENT_IMPORTS = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "qingliu.uploads.idle-timeout", UPLOAD_IDLE_SECONDS + "s",
                "qingliu.uploads.max-duration", UPLOAD_MAX_SECONDS + "s",
                "qingliu.uploads.max-concurrent-imports", Integer.toString(CONCURRENT_IMPORTS),
                "qingliu.feed.stall-limit", FEED_STALL_SECONDS + "s",
                "qingliu.grpc.max-call-duration", CALL_SECONDS + "s");
    }
}
