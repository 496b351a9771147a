package io.qingliu.capacity.feed;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** How far the read model is behind project-service's feed, for health and for answers. */
@ApplicationScoped
public class FeedStatus {

    /** A consistent view of the status. */
    public record Snapshot(long appliedSequence, Instant recordTime, long headSequence, boolean connected,
            String lastError, Instant since, long derivedSequence) {

        /** Changes committed in project-service that the answers do not reflect yet. */
        public long lagChanges() {
            return Math.max(0, headSequence - Math.min(appliedSequence, derivedSequence));
        }

        /**
         * Seconds between the newest change applied and now, while changes are waiting; 0 when caught
         * up with the head last seen.
         */
        public long lagSeconds(Instant now) {
            if (lagChanges() == 0 || recordTime == null) {
                return 0;
            }
            return Math.max(0, now.getEpochSecond() - recordTime.getEpochSecond());
        }
    }

    private volatile Snapshot snapshot = new Snapshot(0, null, 0, false, "not started", Instant.now(), 0);

    synchronized void applied(ChangeApplier.Position position, Long head) {
        Snapshot s = snapshot;
        snapshot = new Snapshot(position.sequence(), position.recordTime(),
                Math.max(head == null ? s.headSequence() : head, position.sequence()), s.connected(), s.lastError(),
                s.since(), position.derivedSequence());
    }

    synchronized void connected(long head) {
        Snapshot s = snapshot;
        snapshot = new Snapshot(s.appliedSequence(), s.recordTime(), Math.max(head, s.headSequence()), true, null,
                s.connected() ? s.since() : Instant.now(), s.derivedSequence());
    }

    synchronized void disconnected(String why) {
        Snapshot s = snapshot;
        snapshot = new Snapshot(s.appliedSequence(), s.recordTime(), s.headSequence(), false, why,
                s.connected() ? Instant.now() : s.since(), s.derivedSequence());
    }

    public Snapshot snapshot() {
        return snapshot;
    }
}
