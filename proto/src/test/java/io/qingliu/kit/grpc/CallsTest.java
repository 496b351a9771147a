package io.qingliu.kit.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.ErrorInfo;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A call answered by work that ends later hears exactly one answer: the result, the failure, or its deadline. */
class CallsTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    /** What a client would receive, in order. */
    private static final class Answers implements StreamObserver<String> {
        final List<Object> received = new CopyOnWriteArrayList<>();

        @Override
        public void onNext(String value) {
            received.add(value);
        }

        @Override
        public void onError(Throwable t) {
            received.add(Status.fromThrowable(t).getCode());
            received.add(StatusProto.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            received.add("completed");
        }
    }

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void aResultArrivingLaterIsTheAnswer() {
        Answers answers = new Answers();
        CompletableFuture<String> work = new CompletableFuture<>();
        Calls.unary(answers, work);
        assertEquals(List.of(), answers.received);
        work.complete("projects/1");
        assertEquals(List.of("projects/1", "completed"), answers.received);
    }

    @Test
    void aFailureIsAnsweredAsWhatItMeans() throws Exception {
        Answers answers = new Answers();
        CompletableFuture<String> work = new CompletableFuture<>();
        Calls.unary(answers, work);
        work.completeExceptionally(ApiException.notFound("projects/1"));
        assertEquals(Status.Code.NOT_FOUND, answers.received.get(0));
        assertEquals(2, answers.received.size());
    }

    @Test
    void workThatOutlivesTheDeadlineIsAnsweredDeadlineExceededAndItsLateResultDropped() throws Exception {
        Answers answers = new Answers();
        CompletableFuture<String> work = new CompletableFuture<>();
        Context.CancellableContext call = Context.current().withDeadlineAfter(50, TimeUnit.MILLISECONDS, timer);
        call.run(() -> Calls.unary(answers, work));
        long waited = 0;
        while (answers.received.isEmpty() && waited < 5_000) {
            Thread.sleep(10);
            waited += 10;
        }
        assertEquals(Status.Code.DEADLINE_EXCEEDED, answers.received.get(0));
        com.google.rpc.Status status = (com.google.rpc.Status) answers.received.get(1);
        assertEquals("CALL_TIME_EXCEEDED", status.getDetails(0).unpack(ErrorInfo.class).getReason());
        work.complete("too late");
        assertEquals(2, answers.received.size(), "nothing after the deadline's answer: " + answers.received);
    }

    @Test
    void aClientThatCancelledHearsNothing() {
        Answers answers = new Answers();
        CompletableFuture<String> work = new CompletableFuture<>();
        Context.CancellableContext call = Context.current().withCancellation();
        call.run(() -> Calls.unary(answers, work));
        call.cancel(null);
        work.complete("nobody listens");
        assertTrue(answers.received.isEmpty(), answers.received.toString());
    }
}
