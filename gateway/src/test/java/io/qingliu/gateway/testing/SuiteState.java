package io.qingliu.gateway.testing;

import io.grpc.Context;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc.CapacityServiceBlockingStub;
import io.qingliu.api.capacity.v1.ListPlansRequest;
import io.qingliu.api.project.v1.ProjectServiceGrpc.ProjectServiceBlockingStub;
import io.qingliu.api.project.v1.WatchChangesRequest;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the suite holds, in a few bytes, for tests of refused calls: the head of the registry's
 * change feed (every write project-service makes appends to it) and every plan with its etag.
 * Equal before and after a call: the call wrote nothing.
 */
public final class SuiteState {

    private SuiteState() {
    }

    public static String of(ProjectServiceBlockingStub registry, CapacityServiceBlockingStub capacity) {
        long head;
        // The feed is a stream that stays open: read its first answer (it carries the head), then cancel.
        try (Context.CancellableContext read = Context.current().withCancellation()) {
            head = read.call(() -> registry.watchChanges(WatchChangesRequest.newBuilder().setAfterSequence(0)
                    .setMaxBatchSize(1).build()).next().getHeadSequence());
        } catch (Exception e) {
            throw new IllegalStateException("could not read the feed's head", e);
        }
        Map<String, String> plans = new TreeMap<>();
        capacity.listPlans(ListPlansRequest.newBuilder().setPageSize(1000).build()).getPlansList()
                .forEach(p -> plans.put(p.getName(), p.getEtag()));
        return "feed head " + head + ", plans " + plans;
    }
}
