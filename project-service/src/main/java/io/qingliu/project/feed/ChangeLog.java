package io.qingliu.project.feed;

import com.google.protobuf.Message;
import io.qingliu.api.project.v1.AuditAction;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.ChangeType;
import io.qingliu.api.project.v1.Division;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.Project;
import io.qingliu.kit.auth.Caller;
import io.qingliu.kit.support.Clock;
import io.qingliu.project.support.BinaryCopyWriter;
import io.qingliu.kit.support.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.hibernate.Session;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes changes to the change log in the caller's transaction: the outbox behind the change
 * feed and the audit trail. Sequence numbers come from the single {@code feed_head} row, whose
 * lock the transaction holds until it commits, so they are gap-free and increase in commit order.
 * Call {@link #append} last in a transaction, to hold that lock as briefly as possible.
 */
@ApplicationScoped
public class ChangeLog {

    /** The channel a commit notifies, so that watchers wake at once. */
    public static final String CHANNEL = "qingliu_feed";

    private static final int COPY_THRESHOLD = 64;

    /** One change to record: the resource's state after it (its last state, for a deletion). */
    public record Entry(String resourceName, ChangeType type, AuditAction action, Message snapshot) {
    }

    private final EntityManager em;
    private final Clock clock;

    ChangeLog(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /** Records the changes; returns them as the feed will serve them (the last one's sequence is the highest). */
    public List<Change> append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        em.flush();
        return em.unwrap(Session.class).doReturningWork(connection -> {
            Appender appender = open(connection, entries.size());
            List<Change> changes = appender.write(entries);
            appender.finish();
            return changes;
        });
    }

    public Change append(Entry entry) {
        return append(List.of(entry)).get(0);
    }

    /**
     * Reserves {@code count} sequence numbers on the transaction's connection, for changes too
     * many to hold in memory at once: write them in chunks, then {@link Appender#finish}. From here
     * on the transaction holds the feed's lock, so only the change log should be written after.
     */
    public Appender open(Connection connection, long count) throws SQLException {
        long last = reserve(connection, count);
        return new Appender(connection, last - count + 1, last, clock.now(), Caller.current());
    }

    /** Writes reserved changes in order. */
    public static final class Appender {
        private final Connection connection;
        private final long last;
        private final Instant now;
        private final Caller caller;
        private long next;

        private Appender(Connection connection, long first, long last, Instant now, Caller caller) {
            this.connection = connection;
            this.next = first;
            this.last = last;
            this.now = now;
            this.caller = caller;
        }

        /** Writes the next changes; they take the next reserved sequence numbers. */
        public List<Change> write(List<Entry> entries) throws SQLException {
            if (next + entries.size() - 1 > last) {
                throw new IllegalStateException("more changes than reserved");
            }
            List<Change> changes = new java.util.ArrayList<>(entries.size());
            for (Entry entry : entries) {
                changes.add(toChange(next++, now, caller, entry));
            }
            if (entries.size() < COPY_THRESHOLD) {
                insert(connection, changes, entries, caller);
            } else {
                copy(connection, changes, entries, caller);
            }
            return changes;
        }

        /**
         * Writes the next changes from their encoded bodies: {@link Change} messages that leave
         * out sequence, record time and actor, which this writer supplies by prefixing them
         * (protobuf concatenation merges messages). Imports encode their changes as they check
         * them, so none has to be kept in memory or encoded twice.
         */
        public void writeEncoded(List<EncodedChange> encoded) throws SQLException {
            if (next + encoded.size() - 1 > last) {
                throw new IllegalStateException("more changes than reserved");
            }
            List<byte[]> payloads = new java.util.ArrayList<>(encoded.size());
            List<Entry> meta = new java.util.ArrayList<>(encoded.size());
            List<Long> sequences = new java.util.ArrayList<>(encoded.size());
            for (EncodedChange e : encoded) {
                byte[] prefix = Change.newBuilder().setSequence(next).setRecordTime(Timestamps.of(now))
                        .setActor(caller.subject()).build().toByteArray();
                byte[] payload = new byte[prefix.length + e.body().length];
                System.arraycopy(prefix, 0, payload, 0, prefix.length);
                System.arraycopy(e.body(), 0, payload, prefix.length, e.body().length);
                payloads.add(payload);
                meta.add(new Entry(e.resourceName(), e.type(), e.action(), null));
                sequences.add(next++);
            }
            copyRows(connection, sequences, now, meta, payloads, caller);
        }

        /** Checks that every reserved number was used, and wakes the watchers at commit. */
        public long finish() throws SQLException {
            if (next != last + 1) {
                throw new IllegalStateException("reserved " + (last - next + 1) + " sequence numbers more than written");
            }
            try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                notify.setString(1, CHANNEL);
                notify.setString(2, Long.toString(last));
                notify.execute();
            }
            return last;
        }
    }

    /** A change encoded ahead of its sequence number; see {@link Appender#writeEncoded}. */
    public record EncodedChange(String resourceName, ChangeType type, AuditAction action, byte[] body) {

        /** Encodes the body of a change of {@code entry}'s resource. */
        public static EncodedChange of(Entry entry) {
            Change body = toChange(0, null, null, entry);
            return new EncodedChange(entry.resourceName(), entry.type(), entry.action(), body.toByteArray());
        }
    }

    private static long reserve(Connection connection, long count) throws SQLException {
        try (PreparedStatement head = connection
                .prepareStatement("UPDATE feed_head SET last_seq = last_seq + ? WHERE id = 1 RETURNING last_seq")) {
            head.setLong(1, count);
            try (ResultSet rs = head.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Change toChange(long sequence, Instant now, Caller caller, Entry entry) {
        Change.Builder change = Change.newBuilder().setSequence(sequence).setType(entry.type())
                .setResourceName(entry.resourceName());
        if (now != null) {
            change.setRecordTime(Timestamps.of(now)).setActor(caller.subject());
        }
        Message snapshot = entry.snapshot();
        if (snapshot instanceof Project p) {
            change.setProject(p);
        } else if (snapshot instanceof Facility f) {
            change.setFacility(f);
        } else if (snapshot instanceof Division d) {
            change.setDivision(d);
        } else {
            throw new IllegalArgumentException("not a registry resource: " + snapshot.getClass());
        }
        return change.build();
    }

    private static void insert(Connection connection, List<Change> changes, List<Entry> entries, Caller caller)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO change_log (seq, recorded_at, resource_name, change_type, action, actor, actor_role, payload)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < changes.size(); i++) {
                Change c = changes.get(i);
                insert.setLong(1, c.getSequence());
                insert.setTimestamp(2, Timestamp.from(Timestamps.toInstant(c.getRecordTime())));
                insert.setString(3, c.getResourceName());
                insert.setString(4, c.getType().name());
                insert.setString(5, entries.get(i).action().name());
                insert.setString(6, caller.subject());
                insert.setString(7, caller.roleName());
                insert.setBytes(8, c.toByteArray());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Large batches (imports) go through COPY: an order of magnitude faster than inserts. */
    private static void copy(Connection connection, List<Change> changes, List<Entry> entries, Caller caller)
            throws SQLException {
        List<Long> sequences = new java.util.ArrayList<>(changes.size());
        List<byte[]> payloads = new java.util.ArrayList<>(changes.size());
        for (Change c : changes) {
            sequences.add(c.getSequence());
            payloads.add(c.toByteArray());
        }
        copyRows(connection, sequences, Timestamps.toInstant(changes.get(0).getRecordTime()), entries, payloads, caller);
    }

    private static void copyRows(Connection connection, List<Long> sequences, Instant recordedAt, List<Entry> entries,
            List<byte[]> payloads, Caller caller) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                "COPY change_log (seq, recorded_at, resource_name, change_type, action, actor, actor_role, payload)"
                        + " FROM STDIN (FORMAT binary)");
        BinaryCopyWriter out = new BinaryCopyWriter(copy);
        boolean written = false;
        try {
            byte[] actor = caller.subject().getBytes(StandardCharsets.UTF_8);
            String role = caller.roleName();
            for (int i = 0; i < sequences.size(); i++) {
                Entry entry = entries.get(i);
                out.row(8).bigint(sequences.get(i)).timestamptz(recordedAt).text(entry.resourceName())
                        .text(entry.type().name()).text(entry.action().name()).bytes(actor).text(role)
                        .bytes(payloads.get(i));
            }
            out.close();
            written = true;
        } finally {
            if (!written) {
                out.cancel();
            }
        }
    }
}
