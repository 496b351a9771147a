package io.qingliu.kit.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client's deadline as its grpc-timeout header carries it, read where the transport leaves it unread. */
class GrpcTimeoutHeaderTest {

    @Test
    void everyUnitIsRead() {
        assertEquals(TimeUnit.HOURS.toNanos(2), CallTimeLimit.timeoutNanos("2H"));
        assertEquals(TimeUnit.MINUTES.toNanos(3), CallTimeLimit.timeoutNanos("3M"));
        assertEquals(TimeUnit.SECONDS.toNanos(10), CallTimeLimit.timeoutNanos("10S"));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(250), CallTimeLimit.timeoutNanos("250m"));
        assertEquals(TimeUnit.MICROSECONDS.toNanos(996974), CallTimeLimit.timeoutNanos("996974u"));
        assertEquals(99999999L, CallTimeLimit.timeoutNanos("99999999n"));
    }

    @Test
    void anUnreadableValueSetsNoDeadline() {
        for (String bad : new String[] {"", "S", "10", "10x", "-5S", "123456789S", "1.5S"}) {
            assertEquals(Long.MAX_VALUE, CallTimeLimit.timeoutNanos(bad), bad);
        }
    }
}
