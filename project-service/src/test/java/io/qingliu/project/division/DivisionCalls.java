package io.qingliu.project.division;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.Division;
import io.qingliu.api.project.v1.DivisionFileRole;
import io.qingliu.api.project.v1.GetDivisionRequest;
import io.qingliu.api.project.v1.ImportDivisionsRequest;
import io.qingliu.api.project.v1.ImportDivisionsResponse;
import io.qingliu.api.project.v1.ListDivisionsRequest;
import io.qingliu.api.project.v1.ListDivisionsResponse;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.WatchChangesRequest;
import io.qingliu.api.project.v1.WatchChangesResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/** Calls of the division API that take more than one line: streamed imports, the feed, listing every page. */
final class DivisionCalls {

    static final Duration IMPORT_TIMEOUT = Duration.ofSeconds(120);
    static final Duration FEED_TIMEOUT = Duration.ofSeconds(60);

    private DivisionCalls() {
    }

    // --- ImportDivisions -------------------------------------------------------------------------

    /** One file's bytes cut into messages of at most {@code chunkSize} bytes (cuts may split a UTF-8 character). */
    static List<ImportDivisionsRequest> chunks(DivisionFileRole role, byte[] content, int chunkSize) {
        List<ImportDivisionsRequest> messages = new ArrayList<>();
        for (int from = 0; from < content.length; from += chunkSize) {
            messages.add(ImportDivisionsRequest.newBuilder().setRole(role)
                    .setContent(ByteString.copyFrom(content, from, Math.min(chunkSize, content.length - from))).build());
        }
        if (messages.isEmpty()) {
            messages.add(ImportDivisionsRequest.newBuilder().setRole(role).build());
        }
        return messages;
    }

    /** A four-column file from its lines (header included), as messages of {@code chunkSize} bytes. */
    static List<ImportDivisionsRequest> fourColumn(List<String> lines, int chunkSize) {
        return chunks(DivisionFileRole.DIVISION_FILE_ROLE_DIVISIONS,
                (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), chunkSize);
    }

    /** The same messages with the options set on the first one. */
    static List<ImportDivisionsRequest> withOptions(List<ImportDivisionsRequest> messages, boolean validateOnly,
            String... completeUnderCodes) {
        List<ImportDivisionsRequest> out = new ArrayList<>(messages);
        out.set(0, out.get(0).toBuilder().setValidateOnly(validateOnly).addAllCompleteUnderCodes(List.of(completeUnderCodes))
                .build());
        return out;
    }

    /**
     * Streams the messages, completes the stream and waits for the answer; a failure of the call is
     * rethrown as the {@link StatusRuntimeException} it ended with.
     */
    static ImportDivisionsResponse importDivisions(ProjectServiceGrpc.ProjectServiceStub stub,
            List<ImportDivisionsRequest> messages, Duration timeout) {
        CompletableFuture<ImportDivisionsResponse> answer = new CompletableFuture<>();
        StreamObserver<ImportDivisionsRequest> upload = stub.importDivisions(new StreamObserver<>() {
            @Override
            public void onNext(ImportDivisionsResponse value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                answer.completeExceptionally(new AssertionError("ImportDivisions completed without an answer"));
            }
        });
        for (ImportDivisionsRequest message : messages) {
            if (answer.isDone()) {
                break; // the server already ended the call
            }
            upload.onNext(message);
        }
        upload.onCompleted();
        return await(answer, timeout, "ImportDivisions");
    }

    static ImportDivisionsResponse importDivisions(ProjectServiceGrpc.ProjectServiceStub stub,
            List<ImportDivisionsRequest> messages) {
        return importDivisions(stub, messages, IMPORT_TIMEOUT);
    }

    // --- WatchChanges ----------------------------------------------------------------------------

    /** The highest committed sequence of the feed (the feed is never empty: the start-up import wrote it). */
    static long feedHead(ProjectServiceGrpc.ProjectServiceStub stub) {
        CompletableFuture<Long> head = new CompletableFuture<>();
        watch(stub, 0, 1, (response, call) -> {
            head.complete(response.getHeadSequence());
            call.cancel("got the head", null);
        }, head);
        return await(head, FEED_TIMEOUT, "WatchChanges");
    }

    /** The changes with sequence in ({@code after}, {@code through}], read from the feed. */
    static List<Change> changes(ProjectServiceGrpc.ProjectServiceStub stub, long after, long through) {
        List<Change> got = new ArrayList<>();
        if (through <= after) {
            return got;
        }
        CompletableFuture<List<Change>> done = new CompletableFuture<>();
        watch(stub, after, 10_000, (response, call) -> {
            for (Change c : response.getChangesList()) {
                if (c.getSequence() <= through) {
                    got.add(c);
                }
            }
            if (response.getChanges(response.getChangesCount() - 1).getSequence() >= through) {
                done.complete(got);
                call.cancel("read enough", null);
            }
        }, done);
        List<Change> changes = await(done, FEED_TIMEOUT, "WatchChanges");
        for (int i = 0; i < changes.size(); i++) {
            assertTrue(changes.get(i).getSequence() == after + 1 + i, "the feed is gap-free and in order");
        }
        return changes;
    }

    /** Reads the changes in ({@code after}, {@code through}] without keeping them; checks they are gap-free; returns their count. */
    static long countChanges(ProjectServiceGrpc.ProjectServiceStub stub, long after, long through, Duration timeout) {
        if (through <= after) {
            return 0;
        }
        long[] next = {after + 1};
        CompletableFuture<Long> done = new CompletableFuture<>();
        watch(stub, after, 10_000, (response, call) -> {
            for (Change c : response.getChangesList()) {
                if (c.getSequence() > through) {
                    break;
                }
                if (c.getSequence() != next[0]) {
                    done.completeExceptionally(new AssertionError("expected change " + next[0] + ", got " + c.getSequence()));
                    return;
                }
                next[0]++;
            }
            if (next[0] > through) {
                done.complete(next[0] - 1 - after);
            }
        }, done);
        return await(done, timeout, "WatchChanges");
    }

    private interface Batch {
        void accept(WatchChangesResponse response, ClientCallStreamObserver<WatchChangesRequest> call);
    }

    /**
     * Watches on a connection of its own, closed when done: a watch ends only by the client's
     * cancel (an RST_STREAM), and the server answers a burst of those on one connection with
     * GOAWAY, which would fail every other call sharing the tests' channel.
     */
    private static void watch(ProjectServiceGrpc.ProjectServiceStub shared, long after, int batch, Batch onBatch,
            CompletableFuture<?> done) {
        ManagedChannel own = ManagedChannelBuilder.forTarget(shared.getChannel().authority()).usePlaintext().build();
        ProjectServiceGrpc.ProjectServiceStub stub = ProjectServiceGrpc.newStub(own);
        done.whenComplete((r, e) -> own.shutdownNow());
        AtomicReference<ClientCallStreamObserver<WatchChangesRequest>> call = new AtomicReference<>();
        stub.watchChanges(WatchChangesRequest.newBuilder().setAfterSequence(after).setMaxBatchSize(batch).build(),
                new ClientResponseObserver<WatchChangesRequest, WatchChangesResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<WatchChangesRequest> requestStream) {
                        call.set(requestStream);
                    }

                    @Override
                    public void onNext(WatchChangesResponse value) {
                        if (!done.isDone()) {
                            onBatch.accept(value, call.get());
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.completeExceptionally(new AssertionError("WatchChanges ended"));
                    }
                });
        done.whenComplete((r, e) -> call.get().cancel("done", null));
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException sre) {
                throw sre;
            }
            throw new AssertionError(what + " failed", e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true); // ends the call, and closes a watch's connection
            throw new AssertionError(what + " gave no answer within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    // --- Get / List ------------------------------------------------------------------------------

    static Division get(ProjectServiceGrpc.ProjectServiceBlockingStub stub, String code) {
        return stub.getDivision(GetDivisionRequest.newBuilder().setName("divisions/" + code).build());
    }

    static boolean exists(ProjectServiceGrpc.ProjectServiceBlockingStub stub, String code) {
        try {
            get(stub, code);
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** Every division the filter matches, page by page, checking that no page is larger than asked and none repeats a unit. */
    static List<Division> listAll(ProjectServiceGrpc.ProjectServiceBlockingStub stub, String filter, String orderBy,
            int pageSize) {
        List<Division> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String token = "";
        int pages = 0;
        do {
            ListDivisionsResponse page = stub.listDivisions(ListDivisionsRequest.newBuilder().setFilter(filter)
                    .setOrderBy(orderBy).setPageSize(pageSize).setPageToken(token).build());
            int limit = pageSize == 0 ? 100 : pageSize;
            assertTrue(page.getDivisionsCount() <= limit, "a page holds at most page_size divisions");
            if (!page.getNextPageToken().isEmpty()) {
                assertTrue(page.getDivisionsCount() == limit, "a page followed by another is full");
            }
            for (Division d : page.getDivisionsList()) {
                assertTrue(seen.add(d.getCode()), () -> d.getCode() + " listed twice");
                all.add(d);
            }
            token = page.getNextPageToken();
            assertTrue(++pages < 100_000, "paging does not end");
        } while (!token.isEmpty());
        return all;
    }

    static List<String> codes(List<Division> divisions) {
        return divisions.stream().map(Division::getCode).toList();
    }
}
