package io.qingliu.kit.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;

/** An answer naming many violations stays small enough for a client's trailers, and says how many there were. */
class GrpcErrorsTest {

    @Test
    void hundredsOfViolationsAreCutToTheFirstOnesAndCounted() throws Exception {
        Violations v = new Violations();
        for (int i = 0; i < 300; i++) {
            v.add("update_mask.paths[" + i + "]", "unknown field '" + "x".repeat(100) + "'");
        }
        StatusRuntimeException e = GrpcErrors.toStatus(v.toException());
        com.google.rpc.Status rich = StatusProto.fromThrowable(e);
        BadRequest bad = rich.getDetails(1).unpack(BadRequest.class);
        ErrorInfo info = rich.getDetails(0).unpack(ErrorInfo.class);
        assertTrue(bad.getFieldViolationsCount() > 0 && bad.getFieldViolationsCount() <= GrpcErrors.MAX_VIOLATIONS,
                "violations listed: " + bad.getFieldViolationsCount());
        assertEquals("update_mask.paths[0]", bad.getFieldViolations(0).getField());
        assertEquals("300", info.getMetadataOrThrow("violations_total"));
        assertTrue(rich.toByteArray().length < 6 * 1024, "trailer bytes: " + rich.toByteArray().length);
    }

    @Test
    void aFewViolationsAreAllListedAndNotCounted() throws Exception {
        Violations v = new Violations();
        v.add("plan.code", "is required");
        v.add("plan.end_date", "must not be before start_date");
        com.google.rpc.Status rich = StatusProto.fromThrowable(GrpcErrors.toStatus(v.toException()));
        assertEquals(2, rich.getDetails(1).unpack(BadRequest.class).getFieldViolationsCount());
        assertTrue(!rich.getDetails(0).unpack(ErrorInfo.class).containsMetadata("violations_total"));
    }
}
