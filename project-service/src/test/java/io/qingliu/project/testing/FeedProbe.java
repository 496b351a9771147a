package io.qingliu.project.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Context;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.WatchChangesRequest;
import io.qingliu.api.project.v1.WatchChangesResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads the change feed through WatchChanges, the way a consumer does. */
public final class FeedProbe {

    private FeedProbe() {
    }

    /** The highest committed sequence, as WatchChanges reports it. */
    public static long head(ProjectServiceGrpc.ProjectServiceBlockingStub stub) {
        Context.CancellableContext context = Context.current().withCancellation();
        try {
            return context.call(() -> {
                Iterator<WatchChangesResponse> it = stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                        .watchChanges(WatchChangesRequest.newBuilder().setAfterSequence(0).setMaxBatchSize(1).build());
                return it.next().getHeadSequence();
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            context.cancel(null);
        }
    }

    /** Every change with {@code after < sequence <= upTo}, in order; asserts they are consecutive. */
    public static List<Change> changes(ProjectServiceGrpc.ProjectServiceBlockingStub stub, long after, long upTo) {
        List<Change> changes = new ArrayList<>();
        if (upTo <= after) {
            return changes;
        }
        Context.CancellableContext context = Context.current().withCancellation();
        try {
            context.run(() -> {
                Iterator<WatchChangesResponse> it = stub.withDeadlineAfter(60, TimeUnit.SECONDS)
                        .watchChanges(WatchChangesRequest.newBuilder().setAfterSequence(after).setMaxBatchSize(10_000).build());
                while (changes.isEmpty() || changes.get(changes.size() - 1).getSequence() < upTo) {
                    for (Change c : it.next().getChangesList()) {
                        if (c.getSequence() <= upTo) {
                            changes.add(c);
                        }
                    }
                }
            });
        } finally {
            context.cancel(null);
        }
        for (int i = 0; i < changes.size(); i++) {
            assertEquals(after + 1 + i, changes.get(i).getSequence(), "feed sequences are consecutive");
        }
        return changes;
    }
}
