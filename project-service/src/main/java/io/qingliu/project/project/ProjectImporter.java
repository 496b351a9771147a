package io.qingliu.project.project;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.grpc.Context;
import io.grpc.Status;
import io.qingliu.api.project.v1.AuditAction;
import io.qingliu.api.project.v1.ChangeType;
import io.qingliu.api.project.v1.ImportProjectsRequest;
import io.qingliu.api.project.v1.ImportProjectsResponse;
import io.qingliu.api.project.v1.ProjectImportEntry;
import io.qingliu.api.project.v1.RejectedEntry;
import io.qingliu.api.project.v1.RejectedField;
import io.qingliu.project.division.DivisionDirectory;
import io.qingliu.project.facility.Facility;
import io.qingliu.project.facility.FacilityMapper;
import io.qingliu.project.feed.ChangeLog;
import io.qingliu.project.feed.ChangeLog.EncodedChange;
import io.qingliu.project.grpc.ApiException;
import io.qingliu.project.grpc.GrowingSpool;
import io.qingliu.project.grpc.Violations;
import io.qingliu.project.idempotency.RequestLog;
import io.qingliu.project.support.BinaryCopy;
import io.qingliu.project.support.Clock;
import io.qingliu.project.support.IdName;
import io.qingliu.project.support.Ids;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hibernate.Session;

/**
 * ImportProjects: many new projects in one transaction, all or nothing unless told to skip the
 * invalid ones.
 *
 * <p>The import starts with the stream's first message and reads the entries from the upload's
 * spool as they arrive, so that the database is writing while the client still sends. The work
 * goes a chunk of entries at a time through three threads, so that the database writes one
 * chunk while the next is checked: one reads (on a connection of its own) the records a chunk
 * refers to, one query each, and ids for it; a {@link Checker} checks each entry by the same
 * rules as CreateProject and encodes the valid ones as binary COPY rows; the thread that holds
 * the transaction COPYs them. The changes are encoded as the entries are checked, spooled, and
 * written to the change log at the end, when their number is known.
 *
 * <p>The transaction is open from the first message to the end: a stream must be sent within
 * the transaction timeout, and one that stalls ({@link GrowingSpool#MAX_IDLE}) fails.
 */
@ApplicationScoped
public class ProjectImporter {

    /** The most entries one import may hold. */
    public static final int MAX_ENTRIES = 200_000;
    /**
     * Entries checked and written together: large, because every COPY statement costs the
     * database something; but the first chunks are smaller, so that it starts writing early
     * while the code is still cold.
     */
    private static final int CHUNK = 5_000;
    private static final int FIRST_CHUNK = 1_000;
    private static final int MAX_REPORTED = 1_000;
    /** Chunks checked ahead of the writer: enough to keep it busy, few enough to bound memory (~3 MB each). */
    private static final int CHUNKS_AHEAD = 2;
    private static final String METHOD = "ImportProjects";
    /** Changes written to the change log per COPY at the end. */
    private static final int FEED_BATCH = 20_000;

    private static final String COPY_FACILITIES = """
            COPY facility (id, display_name, type, location_code, county_code, township_code, served_codes,
                capacity_tpd, discharge_standard, length_km, downstream_id, operating_state, operation_date,
                out_of_service_date, created_at, updated_at, version) FROM STDIN (FORMAT binary)""";
    private static final int FACILITY_COLUMNS = 17;
    private static final String COPY_PROJECTS = """
            COPY project (id, display_name, kind, facility_id, facility_type, county_code, township_code, plan_code,
                capacity_before_tpd, capacity_after_tpd, standard_before, standard_after, length_km,
                planned_start_date, planned_completion_date, planned_commissioning_date, investment_fen, funding,
                responsible_unit, progress_percent, notes, state, transitions, created_at, updated_at, version)
            FROM STDIN (FORMAT binary)""";
    private static final int PROJECT_COLUMNS = 26;

    private final EntityManager em;
    private final AgroalDataSource dataSource;
    private final ChangeLog changeLog;
    private final RequestLog requestLog;
    private final Clock clock;
    private final ObjectMapper json;
    /** For each running import: its transaction's thread, its checker's, and one reading ahead. */
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "project-import");
        t.setDaemon(true);
        return t;
    });

    ProjectImporter(EntityManager em, AgroalDataSource dataSource, ChangeLog changeLog, RequestLog requestLog,
            Clock clock, ObjectMapper json) {
        this.em = em;
        this.dataSource = dataSource;
        this.changeLog = changeLog;
        this.requestLog = requestLog;
        this.clock = clock;
        this.json = json;
    }

    void stop(@Observes ShutdownEvent event) {
        threads.shutdownNow();
    }

    /**
     * Starts the import of a stream as it arrives in {@code spool}; the result completes once the
     * spool has, and the import is committed or has failed (rolled back).
     *
     * @param first the stream's first message, whose options apply
     */
    public CompletableFuture<ImportProjectsResponse> start(ImportProjectsRequest first, GrowingSpool spool) {
        CompletableFuture<ImportProjectsResponse> result = new CompletableFuture<>();
        // Context.wrap: the caller (the change log's actor) is in the gRPC context of this thread.
        threads.execute(Context.current().wrap(() -> {
            try {
                result.complete(QuarkusTransaction.requiringNew().call(() -> importStream(first, spool)));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }));
        return result;
    }

    private ImportProjectsResponse importStream(ImportProjectsRequest first, GrowingSpool spool) throws Exception {
        UUID requestId = RequestLog.parse(first.getRequestId(), "request_id");
        if (requestId != null) {
            Optional<RequestLog.Earlier> earlier = requestLog.claimBeforeContent(requestId, METHOD);
            if (earlier.isPresent()) {
                return ImportProjectsResponse.parseFrom(earlier.get().replay(METHOD, spool.awaitFingerprint()));
            }
        }
        boolean skipInvalid = first.getSkipInvalid();
        boolean validateOnly = first.getValidateOnly();
        Path changes = Files.createTempFile("qingliu-import-changes", ".bin");
        try (GrowingSpool.MessageReader messages = spool.reader()) {
            Checker checker = new Checker(messages, skipInvalid, validateOnly, changes);
            Future<?> checking = threads.submit(checker);
            try {
                Session session = em.unwrap(Session.class);
                for (Batch batch = checker.next(); batch != null; batch = checker.next()) {
                    session.doWork(batch::copyInto);
                }
            } finally {
                checking.cancel(true); // when the writing failed: stop checking
            }
            if (checker.received == 0) {
                throw ApiException.invalidArgument("entries", "the import holds no entry");
            }
            if (!skipInvalid && !validateOnly && checker.rejectedCount > 0) {
                throw checker.rejection();
            }
            ImportProjectsResponse.Builder response = ImportProjectsResponse.newBuilder()
                    .setReceivedCount(checker.received).setCreatedCount(validateOnly ? 0 : checker.created.size())
                    .addAllRejected(checker.rejected);
            if (!validateOnly) {
                response.addAllProjects(checker.created);
                response.setLastSequence(writeFeed(changes, checker.changeCount));
            }
            ImportProjectsResponse answer = response.build();
            if (requestId != null) {
                requestLog.complete(requestId, spool.awaitFingerprint(), answer);
            }
            return answer;
        } finally {
            Files.deleteIfExists(changes);
        }
    }

    /** The COPY rows of one chunk's new facilities and projects (facilities first, for the foreign key). */
    private record Batch(BinaryCopy facilities, BinaryCopy projects) {

        void copyInto(Connection c) throws SQLException {
            if (facilities.rows() > 0) {
                facilities.copyInto(c, COPY_FACILITIES);
            }
            projects.copyInto(c, COPY_PROJECTS);
        }
    }

    /** Tells the writer that checking ended, normally or not. */
    private static final Batch END = new Batch(null, null);

    private record Indexed(int position, ProjectImportEntry entry) {
    }

    /** Entries to check, and what is being read for them meanwhile. */
    private record Chunk(List<Indexed> entries, CompletableFuture<Prefetched> prefetched) {
    }

    /** Read for a chunk ahead of its checking: the records it refers to that were not known, and ids. */
    private record Prefetched(ReferencedRecords.Found found, long[] facilityIds, long[] projectIds) {
    }

    /**
     * Reads the entries from the spool, checks them and encodes what is to be written, a chunk at
     * a time, ahead of the writer. It works outside the transaction (whose connection is busy
     * with the COPYs): the records it reads are committed ones, as the transaction would read
     * them, and ids come from sequences, which no transaction owns.
     */
    private final class Checker implements Runnable {
        final GrowingSpool.MessageReader messages;
        final boolean skipInvalid;
        final boolean validateOnly;
        final DataOutputStream changes;
        final LocalDate today = clock.today();
        final Instant now = clock.now();
        final BlockingQueue<Batch> ready = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
        final ReferencedRecords records = new ReferencedRecords();
        /** The last of the reads {@link #prefetch} started. */
        CompletableFuture<Prefetched> prefetching = CompletableFuture.completedFuture(null);
        // Read by the writer once it has taken END, which orders them after the checker's writes.
        final List<String> created = new ArrayList<>();
        final List<RejectedEntry> rejected = new ArrayList<>();
        int rejectedCount;
        long changeCount;
        int received;
        Throwable failure;

        Checker(GrowingSpool.MessageReader messages, boolean skipInvalid, boolean validateOnly, Path changesFile) throws IOException {
            this.messages = messages;
            this.skipInvalid = skipInvalid;
            this.validateOnly = validateOnly;
            this.changes = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(changesFile), 1 << 16));
        }

        @Override
        public void run() {
            try (changes) {
                int chunkSize = FIRST_CHUNK;
                List<Indexed> entries = new ArrayList<>(chunkSize);
                Chunk previous = null;
                int position = 0;
                while (true) {
                    byte[] bytes = messages.next();
                    if (bytes == null) {
                        break;
                    }
                    ImportProjectsRequest message = ImportProjectsRequest.parseFrom(bytes);
                    for (ProjectImportEntry entry : message.getEntriesList()) {
                        if (position >= MAX_ENTRIES) {
                            throw ApiException.invalidArgument("entries",
                                    "an import holds at most " + MAX_ENTRIES + " entries; split it");
                        }
                        entries.add(new Indexed(position++, entry));
                        if (entries.size() == chunkSize) {
                            Chunk chunk = prefetch(entries);
                            process(previous);
                            previous = chunk;
                            chunkSize = Math.min(CHUNK, 2 * chunkSize);
                            entries = new ArrayList<>(chunkSize);
                        }
                    }
                }
                Chunk last = prefetch(entries);
                process(previous);
                process(last);
                received = position;
            } catch (Throwable e) {
                failure = e;
            }
            if (Thread.currentThread().isInterrupted() || failure instanceof InterruptedException) {
                return; // the writer failed and stopped waiting (see importStream)
            }
            try {
                ready.put(END);
            } catch (InterruptedException e) {
                // likewise
            }
        }

        /** The next batch to write, or null when there is none left; rethrows what stopped the checking. */
        Batch next() throws Exception {
            Batch batch = ready.take();
            if (batch != END) {
                return batch;
            }
            if (failure instanceof Exception e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return null;
        }

        /**
         * Starts reading, on another thread, what the entries refer to and ids for them, so that
         * this thread checks the previous chunk meanwhile instead of waiting for the database.
         * The reads run one after the other, so ids increase with the entries' positions. Ids
         * are taken for every entry that may need one; those of entries found invalid are
         * never used, like the ids of a transaction that rolls back.
         */
        private Chunk prefetch(List<Indexed> entries) {
            Set<String> codes = records.unknownCodes(codesOf(entries));
            Set<Long> facilityIds = records.unknownFacilities(facilityIdsOf(entries));
            boolean writing = !validateOnly && (skipInvalid || rejectedCount == 0);
            int[] idCounts = {writing ? (int) entries.stream().filter(e -> e.entry().hasNewFacility()).count() : 0,
                    writing ? entries.size() : 0};
            prefetching = prefetching.thenApplyAsync(previous -> {
                try (Connection c = dataSource.getConnection()) {
                    ReferencedRecords.Found found = ReferencedRecords.read(c, codes, facilityIds);
                    long[][] ids = Ids.next(c, List.of(Ids.FACILITY, Ids.PROJECT), idCounts);
                    return new Prefetched(found, ids[0], ids[1]);
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            }, threads);
            return new Chunk(entries, prefetching);
        }

        private void process(Chunk chunk) throws Exception {
            if (chunk == null || chunk.entries().isEmpty()) {
                return;
            }
            Prefetched prefetched;
            try {
                prefetched = chunk.prefetched().get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
            records.add(prefetched.found());
            List<ProjectDrafts.Draft> valid = new ArrayList<>(chunk.entries().size());
            for (Indexed item : chunk.entries()) {
                Violations v = new Violations();
                ProjectDrafts.Draft draft = ProjectDrafts.draft(item.entry().getProject(), item.entry().getNewFacility(),
                        item.entry().hasNewFacility(), records, today, v);
                if (!v.isEmpty()) {
                    reject(item.position(), v);
                } else {
                    valid.add(draft);
                }
            }
            if (validateOnly || valid.isEmpty() || rejectedCount > 0 && !skipInvalid) {
                return;
            }
            ready.put(encode(valid, prefetched.facilityIds(), prefetched.projectIds()));
        }

        private Set<String> codesOf(List<Indexed> chunk) {
            Set<String> codes = new HashSet<>();
            for (Indexed item : chunk) {
                var f = item.entry().getNewFacility();
                codes.add(f.getLocationCode());
                codes.addAll(f.getServedDivisionCodesList());
            }
            codes.removeIf(c -> !DivisionDirectory.isWellFormed(c));
            return codes;
        }

        private Set<Long> facilityIdsOf(List<Indexed> chunk) {
            Set<Long> ids = new HashSet<>();
            for (Indexed item : chunk) {
                Long downstream = IdName.FACILITY.tryParse(item.entry().getNewFacility().getDownstreamFacility());
                if (downstream != null) {
                    ids.add(downstream);
                }
                Long acted = IdName.FACILITY.tryParse(item.entry().getProject().getFacility());
                if (acted != null) {
                    ids.add(acted);
                }
            }
            return ids;
        }

        private void reject(int position, Violations v) {
            rejectedCount++;
            if (rejected.size() < MAX_REPORTED) {
                RejectedEntry.Builder r = RejectedEntry.newBuilder().setPosition(position);
                v.all().forEach(x -> r.addViolations(RejectedField.newBuilder().setField(x.field()).setDescription(x.description())));
                rejected.add(r.build());
            }
        }

        ApiException rejection() {
            Violations v = new Violations();
            for (RejectedEntry r : rejected) {
                for (RejectedField f : r.getViolationsList()) {
                    v.add("entries[" + r.getPosition() + "]." + f.getField(), f.getDescription());
                }
            }
            ApiException listed = v.toException();
            return new ApiException(Status.Code.INVALID_ARGUMENT, "INVALID_ENTRIES", rejectedCount
                    + " of the entries are invalid; nothing was imported. First: " + listed.getMessage(),
                    Map.of("rejected_count", Integer.toString(rejectedCount)), listed.violations());
        }

        /** Gives the chunk's valid drafts their ids, encodes their rows, and spools their changes. */
        private Batch encode(List<ProjectDrafts.Draft> drafts, long[] facilityIds, long[] projectIds) throws IOException {
            BinaryCopy facilityRows = new BinaryCopy(facilityIds.length * 320);
            BinaryCopy projectRows = new BinaryCopy(drafts.size() * 440);
            int f = 0;
            for (int i = 0; i < drafts.size(); i++) {
                ProjectDrafts.Draft d = drafts.get(i);
                Facility facility = d.facility();
                if (d.facilityIsNew()) {
                    facility.id = facilityIds[f++];
                    facility.createdAt = facility.updatedAt = now;
                    addRow(facilityRows, facility);
                    var snapshot = FacilityMapper.toProto(facility);
                    spoolChange(snapshot.getName(), snapshot);
                }
                Project p = d.project();
                p.id = projectIds[i];
                p.facilityId = facility.id;
                p.createdAt = p.updatedAt = now;
                addRow(projectRows, p);
                var snapshot = ProjectMapper.toProto(p);
                spoolChange(snapshot.getName(), snapshot);
                created.add(snapshot.getName());
            }
            return new Batch(facilityRows, projectRows);
        }

        private void spoolChange(String name, com.google.protobuf.Message snapshot) throws IOException {
            byte[] body = EncodedChange.of(new ChangeLog.Entry(name, ChangeType.CHANGE_TYPE_CREATED,
                    AuditAction.AUDIT_ACTION_CREATED, snapshot)).body();
            changes.writeUTF(name);
            changes.writeInt(body.length);
            changes.write(body);
            changeCount++;
        }
    }

    /** Writes the spooled changes to the change log, in the order they were checked; returns the last sequence. */
    private long writeFeed(Path changesFile, long changeCount) {
        if (changeCount == 0) {
            return 0;
        }
        return em.unwrap(Session.class).doReturningWork(c -> {
            ChangeLog.Appender writer = changeLog.open(c, changeCount);
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(changesFile), 1 << 16))) {
                List<EncodedChange> batch = new ArrayList<>(FEED_BATCH);
                while (true) {
                    String name;
                    try {
                        name = in.readUTF();
                    } catch (EOFException end) {
                        break;
                    }
                    byte[] body = new byte[in.readInt()];
                    in.readFully(body);
                    batch.add(new EncodedChange(name, ChangeType.CHANGE_TYPE_CREATED, AuditAction.AUDIT_ACTION_CREATED, body));
                    if (batch.size() == FEED_BATCH) {
                        writer.writeEncoded(batch);
                        batch.clear();
                    }
                }
                writer.writeEncoded(batch);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return writer.finish();
        });
    }

    private static void addRow(BinaryCopy rows, Facility f) {
        rows.row(FACILITY_COLUMNS).int8(f.id).text(f.displayName).text(f.type).text(f.locationCode).text(f.countyCode)
                .text(f.townshipCode).varcharArray(f.servedCodes).numeric(f.capacityTpd).text(f.dischargeStandard)
                .numeric(f.lengthKm).int8(f.downstreamId).text(f.operatingState).date(f.operationDate)
                .date(f.outOfServiceDate).timestamp(f.createdAt).timestamp(f.updatedAt).int8(f.version);
    }

    private void addRow(BinaryCopy rows, Project p) {
        rows.row(PROJECT_COLUMNS).int8(p.id).text(p.displayName).text(p.kind).int8(p.facilityId).text(p.facilityType)
                .text(p.countyCode).text(p.townshipCode).text(p.planCode).numeric(p.capacityBeforeTpd)
                .numeric(p.capacityAfterTpd).text(p.standardBefore).text(p.standardAfter).numeric(p.lengthKm)
                .date(p.plannedStartDate).date(p.plannedCompletionDate).date(p.plannedCommissioningDate)
                .int8(p.investmentFen).jsonb(p.funding.isEmpty() ? "[]" : toJson(p.funding)).text(p.responsibleUnit).int4(p.progressPercent)
                .text(p.notes).text(p.state).jsonb("[]") // transitions: a new project has made no move yet
                .timestamp(p.createdAt).timestamp(p.updatedAt).int8(p.version);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
