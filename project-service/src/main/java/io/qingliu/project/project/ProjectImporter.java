package io.qingliu.project.project;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.qingliu.project.facility.RegistryLookup;
import io.qingliu.project.feed.ChangeLog;
import io.qingliu.project.feed.ChangeLog.EncodedChange;
import io.qingliu.kit.grpc.ApiException;
import io.qingliu.kit.auth.Caller;
import io.qingliu.project.facility.FacilityService;
import io.qingliu.kit.grpc.Violations;
import io.qingliu.kit.idempotency.RequestLog;
import io.qingliu.kit.support.Clock;
import io.qingliu.project.support.BinaryCopyWriter;
import io.qingliu.kit.support.IdName;
import io.grpc.Context;
import io.grpc.Status;
import io.qingliu.project.support.QingliuConfig;
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
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;
import org.hibernate.Session;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * ImportProjects: many new projects in one transaction, all or nothing unless told to skip the
 * invalid ones. The entries are read a chunk at a time as the client sends them
 * ({@link ProjectImportUpload}): the records they refer to are loaded in one query per
 * chunk (on a second connection, {@link ImportLookups}), each entry is checked by the same rules
 * as CreateProject, and the valid ones are written by binary COPY on the transaction's connection
 * by a writer thread, while the next chunk is checked. Their changes are encoded as they are
 * checked, spooled, and written to the change log at the end, when their number is known. Each
 * import logs where its time went (checking, waiting for the writer, each COPY, the change log).
 */
@ApplicationScoped
public class ProjectImporter {

    private static final Logger LOG = Logger.getLogger(ProjectImporter.class);

    /** The most entries one import may hold. */
    public static final int MAX_ENTRIES = 200_000;
    private static final int CHUNK = 2_000;
    private static final int MAX_REPORTED = 1_000;
    /** How long an import may take after its stream's longest allowed duration. */
    private static final Duration IMPORT_TIME = Duration.ofMinutes(10);

    private final EntityManager em;
    private final ImportLookups lookups;
    private final ChangeLog changeLog;
    private final RequestLog requestLog;
    private final Clock clock;
    private final ObjectMapper json;
    /** The imports' threads: one per import in progress, each holding its transaction while its client sends. */
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "project-import");
        t.setDaemon(true);
        return t;
    });
    private final int transactionTimeoutSeconds;
    /** Places for imports in progress, each taken from its first message until its transaction has ended. */
    private final Semaphore places;
    private final int maxConcurrent;

    ProjectImporter(EntityManager em, ImportLookups lookups, ChangeLog changeLog, RequestLog requestLog, Clock clock,
            ObjectMapper json, QingliuConfig config) {
        this.em = em;
        this.transactionTimeoutSeconds = (int) config.uploads().maxDuration().plus(IMPORT_TIME).toSeconds();
        this.maxConcurrent = config.uploads().maxConcurrentImports();
        this.places = new Semaphore(maxConcurrent);
        this.lookups = lookups;
        this.changeLog = changeLog;
        this.requestLog = requestLog;
        this.clock = clock;
        this.json = json;
    }

    /**
     * Starts an import on a thread of its own, in the call's context (its caller); {@code done}
     * gets the answer after the commit, or the failure after the rollback.
     *
     * @param first the stream's first message, whose options apply
     * @throws ApiException RESOURCE_EXHAUSTED when the most imports the service takes at once are in progress
     */
    public void start(Context call, ImportMessages messages, ImportProjectsRequest first,
            BiConsumer<ImportProjectsResponse, Throwable> done) {
        if (!places.tryAcquire()) {
            throw new ApiException(Status.Code.RESOURCE_EXHAUSTED, "IMPORTS_BUSY", maxConcurrent
                    + " imports are in progress, the most this service takes at once; nothing was imported, send it again"
                    + " in a moment", Map.of("max_concurrent_imports", Integer.toString(maxConcurrent)), List.of());
        }
        Runnable task = call.wrap(() -> {
            ImportProjectsResponse answer;
            try {
                answer = importStream(messages, first);
            } catch (Throwable e) {
                places.release();
                done.accept(null, e);
                return;
            }
            places.release();
            done.accept(answer, null);
        });
        try {
            threads.execute(task);
        } catch (RuntimeException e) {
            places.release(); // stopping
            throw e;
        }
    }

    void stop(@Observes ShutdownEvent event) {
        threads.shutdownNow();
    }

    private ImportProjectsResponse importStream(ImportMessages messages, ImportProjectsRequest first) throws IOException {
        UUID requestId = RequestLog.parse(first.getRequestId(), "request_id");
        if (requestId != null && QuarkusTransaction.requiringNew().call(() -> requestLog.isAnswered(requestId))) {
            // A retry of an import already done: its messages are only compared with the first ones.
            LOG.infof("ImportProjects: request %s was answered before; its retry is only compared with it", requestId);
            messages.skipToEnd();
            return QuarkusTransaction.requiringNew().call(() -> ImportProjectsResponse.parseFrom(
                    requestLog.claimFingerprint(requestId, "ImportProjects", messages.fingerprint()).orElseThrow()));
        }
        try {
            // The transaction is open while the client sends: as long as the stream may last, and its import.
            return QuarkusTransaction.requiringNew().timeout(transactionTimeoutSeconds)
                    .call(() -> importInTransaction(messages, first, requestId));
        } catch (AnsweredMeanwhile retry) {
            LOG.infof("ImportProjects: request %s was answered meanwhile by another stream; this one's work is rolled back",
                    requestId);
            return retry.answer;
        }
    }

    /**
     * A retry sent while the first attempt was still importing: the first attempt's answer, found
     * when this one came to claim the request id; thrown so that this one's work is rolled back.
     */
    private static final class AnsweredMeanwhile extends RuntimeException {
        final ImportProjectsResponse answer;

        AnsweredMeanwhile(ImportProjectsResponse answer) {
            super(null, null, false, false);
            this.answer = answer;
        }
    }

    private ImportProjectsResponse importInTransaction(ImportMessages messages, ImportProjectsRequest first, UUID requestId)
            throws IOException {
        boolean skipInvalid = first.getSkipInvalid();
        boolean validateOnly = first.getValidateOnly();
        Path changes = Files.createTempFile("qingliu-import-changes", ".bin");
        long started = System.nanoTime();
        Run run = null;
        try {
            run = new Run(skipInvalid, validateOnly, changes);
            List<Indexed> chunk = new ArrayList<>(CHUNK);
            int position = 0;
            while (true) {
                ImportProjectsRequest message = messages.next();
                if (message == null) {
                    break;
                }
                for (ProjectImportEntry entry : message.getEntriesList()) {
                    if (position >= MAX_ENTRIES) {
                        throw ApiException.invalidArgument("entries",
                                "an import holds at most " + MAX_ENTRIES + " entries; split it");
                    }
                    chunk.add(new Indexed(position++, entry));
                    if (chunk.size() == CHUNK) {
                        run.process(chunk);
                        chunk = new ArrayList<>(CHUNK);
                    }
                }
            }
            run.process(chunk);
            run.received = position;
            long checked = System.nanoTime();
            run.finishWrites();
            long written = System.nanoTime();
            // Claimed only now that the stream's fingerprint is known (a concurrent retry waits here for this one's commit).
            if (requestId != null) {
                Optional<byte[]> answered = requestLog.claimFingerprint(requestId, "ImportProjects", messages.fingerprint());
                if (answered.isPresent()) {
                    throw new AnsweredMeanwhile(ImportProjectsResponse.parseFrom(answered.get()));
                }
            }
            if (run.received == 0) {
                throw ApiException.invalidArgument("entries", "the import holds no entry");
            }
            if (!skipInvalid && !validateOnly && run.rejectedCount > 0) {
                throw run.rejection();
            }
            ImportProjectsResponse.Builder response = ImportProjectsResponse.newBuilder().setReceivedCount(run.received)
                    .setCreatedCount(validateOnly ? 0 : run.created.size()).addAllRejected(run.rejected);
            if (!validateOnly) {
                response.addAllProjects(run.created);
                response.setLastSequence(run.writeFeed());
            }
            ImportProjectsResponse answer = response.build();
            long logged = System.nanoTime();
            // Where an import's time goes, for whoever wonders why one took long: receiving and
            // checking (the previous chunk's rows written meanwhile; "waited" is the time the checks
            // stood still for the writer), the last chunk's rows, then the change log.
            LOG.infof("ImportProjects: %d entries, %d created, %d rejected in %d ms: received and checked in %d ms "
                    + "(waited %d ms for rows to be written), last rows %d ms, change log (%d changes) %d ms; COPY "
                    + "facility %d ms, project %d ms", run.received, validateOnly ? 0 : run.created.size(), run.rejectedCount,
                    millis(logged - started), millis(checked - started), millis(run.waitedNanos), millis(written - checked),
                    run.changeCount, millis(logged - written), millis(run.facilityCopyNanos), millis(run.projectCopyNanos));
            if (requestId != null) {
                requestLog.complete(requestId, answer);
            }
            return answer;
        } finally {
            if (run != null) {
                // Before the transaction ends, whichever way: no COPY may still be running on its connection.
                run.stopWriter();
            }
            Files.deleteIfExists(changes);
        }
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private record Indexed(int position, ProjectImportEntry entry) {
    }

    /** The state of one import as its chunks go by. */
    private final class Run {
        final boolean skipInvalid;
        final boolean validateOnly;
        final Path changesFile;
        final DataOutputStream changes;
        final LocalDate today = clock.today();
        final Instant now = clock.now();
        final List<String> created = new ArrayList<>();
        final List<RejectedEntry> rejected = new ArrayList<>();
        int rejectedCount;
        long changeCount;
        int received;
        /** Facilities already checked by an earlier chunk, and those this import builds. */
        final Map<Long, Facility> facilities = new HashMap<>();
        /**
         * Writes a chunk's rows while the next one is checked: the import's own thread, then its
         * connection, each worked alone and waited for the other (imports were ~60% service CPU and
         * ~60% PostgreSQL, one after the other). One COPY at a time, never beside a query of this
         * thread: {@link #awaitWrites} comes before every use of the connection here.
         */
        final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "project-import-writer");
            t.setDaemon(true);
            return t;
        });
        /** The COPY of the previous chunk's rows, running or done. */
        Future<?> writing;
        /** The rows of the last chunk checked, in COPY's binary form, not yet handed to the writer. */
        byte[] facilitiesToWrite;
        byte[] projectsToWrite;
        /** The transaction's connection, for the writer's COPYs. */
        PGConnection connection;
        /** How long the import's thread waited for the writer. */
        long waitedNanos;
        /** How long the writer's COPYs took (written by the writer, read after {@link #awaitWrites}). */
        long facilityCopyNanos;
        long projectCopyNanos;

        Run(boolean skipInvalid, boolean validateOnly, Path changesFile) throws IOException {
            this.skipInvalid = skipInvalid;
            this.validateOnly = validateOnly;
            this.changesFile = changesFile;
            this.changes = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(changesFile), 1 << 16));
        }

        void process(List<Indexed> chunk) throws IOException {
            if (chunk.isEmpty()) {
                return;
            }
            // The connection's turn: once the COPY before last is done, the last chunk's rows are
            // written while this chunk's references and ids are read (on another connection) and
            // its entries checked.
            awaitWrites();
            startWrites();
            int newFacilities = (int) chunk.stream().filter(item -> item.entry().hasNewFacility()).count();
            ImportLookups.Found found = preload(chunk, validateOnly ? 0 : newFacilities, validateOnly ? 0 : chunk.size());
            RegistryLookup lookup = RegistryLookup.of(found.divisions()::get, facilities::get);
            long[] facilityIds = found.facilityIds();
            long[] projectIds = found.projectIds();
            List<ProjectDrafts.Draft> valid = new ArrayList<>();
            for (Indexed item : chunk) {
                Violations v = new Violations();
                ProjectDrafts.Draft draft = ProjectDrafts.draft(item.entry().getProject(), item.entry().getNewFacility(),
                        item.entry().hasNewFacility(), lookup, today, v);
                if (!v.isEmpty()) {
                    reject(item.position(), v);
                } else {
                    requireCallerMayWrite(item.position(), draft);
                    valid.add(draft);
                }
            }
            if (validateOnly || valid.isEmpty() || rejectedCount > 0 && !skipInvalid) {
                em.clear();
                return;
            }
            prepare(valid, facilityIds, projectIds);
            em.clear();
        }

        /** Hands the rows of the last chunk checked to the writer. */
        private void startWrites() {
            if (projectsToWrite == null) {
                return;
            }
            if (connection == null) {
                connection = em.unwrap(Session.class).doReturningWork(c -> c.unwrap(PGConnection.class));
            }
            byte[] facilityRows = facilitiesToWrite;
            byte[] projectRows = projectsToWrite;
            PGConnection c = connection;
            facilitiesToWrite = null;
            projectsToWrite = null;
            writing = writer.submit(() -> {
                long from = System.nanoTime();
                if (facilityRows != null) {
                    BinaryCopyWriter.copyIn(c, COPY_FACILITY, facilityRows);
                }
                long between = System.nanoTime();
                BinaryCopyWriter.copyIn(c, COPY_PROJECT, projectRows);
                facilityCopyNanos += between - from;
                projectCopyNanos += System.nanoTime() - between;
                return null;
            });
        }

        /** Waits for the writer's COPY, and fails as it did. */
        private void awaitWrites() {
            if (writing == null) {
                return;
            }
            Future<?> done = writing;
            writing = null;
            long from = System.nanoTime();
            try {
                done.get();
                waitedNanos += System.nanoTime() - from;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the import's rows were written", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SQLException sql) {
                    throw new IllegalStateException("could not write the import's rows", sql);
                }
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException("could not write the import's rows", cause);
            }
        }

        /** After the last chunk: its rows written, and every COPY done. */
        void finishWrites() {
            awaitWrites();
            startWrites();
            awaitWrites();
        }

        /** Whatever happened: the writer idle and gone before the transaction ends. */
        void stopWriter() {
            writer.shutdown();
            try {
                if (writing != null) {
                    writing.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // The failure that ended the import is the one reported.
            }
            try {
                writer.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * A county system's import holds only its county's records: one entry of another county
         * refuses the whole import (whatever skip_invalid says), and the transaction takes back
         * what earlier chunks wrote.
         */
        private void requireCallerMayWrite(int position, ProjectDrafts.Draft draft) {
            String entry = "entries[" + position + "]";
            try {
                Caller.current().requireMayWriteIn(draft.project().countyCode, entry);
                if (draft.facilityIsNew()) {
                    FacilityService.requireCallerMayWrite(draft.facility(), entry + ".new_facility");
                }
            } catch (ApiException e) {
                Map<String, String> metadata = new java.util.HashMap<>(e.metadata());
                metadata.put("position", Integer.toString(position));
                throw new ApiException(e.code(), e.reason(), e.getMessage() + "; nothing was imported", metadata, List.of());
            }
        }

        /** Every division and facility the chunk refers to (one query each), and its ids. */
        private ImportLookups.Found preload(List<Indexed> chunk, int newFacilities, int projects) {
            Set<String> codes = new HashSet<>();
            Set<Long> facilityIds = new HashSet<>();
            for (Indexed item : chunk) {
                var f = item.entry().getNewFacility();
                codes.add(f.getLocationCode());
                codes.addAll(f.getServedDivisionCodesList());
                Long downstream = IdName.FACILITY.tryParse(f.getDownstreamFacility());
                if (downstream != null) {
                    facilityIds.add(downstream);
                }
                Long acted = IdName.FACILITY.tryParse(item.entry().getProject().getFacility());
                if (acted != null) {
                    facilityIds.add(acted);
                }
            }
            codes.removeIf(c -> !DivisionDirectory.isWellFormed(c));
            facilityIds.removeAll(facilities.keySet());
            ImportLookups.Found found = lookups.find(codes, facilityIds, newFacilities, projects);
            found.facilities().forEach(f -> facilities.put(f.id, f));
            return found;
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

        /**
         * Gives the chunk's valid drafts their ids (taken before the chunk was checked, as many as
         * it has entries: an invalid one leaves a gap), spools their changes, and keeps their rows
         * in COPY's binary form for the writer (formatted here, so that the writer's COPY streams
         * at PostgreSQL's pace).
         */
        private void prepare(List<ProjectDrafts.Draft> drafts, long[] facilityIds, long[] projectIds) throws IOException {
            BinaryCopyWriter facilityRows = null;
            int f = 0;
            BinaryCopyWriter projectRows = BinaryCopyWriter.inMemory(drafts.size() * 448);
            for (int i = 0; i < drafts.size(); i++) {
                ProjectDrafts.Draft d = drafts.get(i);
                Facility facility = d.facility();
                if (d.facilityIsNew()) {
                    facility.id = facilityIds[f++];
                    facility.createdAt = facility.updatedAt = now;
                    if (facilityRows == null) {
                        facilityRows = BinaryCopyWriter.inMemory(drafts.size() * 256);
                    }
                    facilityRow(facilityRows, facility);
                    encode(FacilityMapper.toProto(facility));
                }
                Project p = d.project();
                p.id = projectIds[i];
                p.facilityId = facility.id;
                p.createdAt = p.updatedAt = now;
                projectRow(projectRows, p);
                var snapshot = ProjectMapper.toProto(p);
                encode(snapshot);
                created.add(snapshot.getName());
            }
            facilitiesToWrite = facilityRows == null ? null : facilityRows.toByteArray();
            projectsToWrite = projectRows.toByteArray();
        }

        private void encode(com.google.protobuf.Message snapshot) throws IOException {
            String name = snapshot instanceof io.qingliu.api.project.v1.Project p ? p.getName()
                    : ((io.qingliu.api.project.v1.Facility) snapshot).getName();
            byte[] body = EncodedChange.of(new ChangeLog.Entry(name, ChangeType.CHANGE_TYPE_CREATED,
                    AuditAction.AUDIT_ACTION_CREATED, snapshot)).body();
            changes.writeUTF(name);
            changes.writeInt(body.length);
            changes.write(body);
            changeCount++;
        }

        /** Writes the spooled changes to the change log, in the order they were checked. */
        long writeFeed() throws IOException {
            changes.close();
            if (changeCount == 0) {
                return 0;
            }
            return em.unwrap(Session.class).doReturningWork(c -> {
                ChangeLog.Appender writer = changeLog.open(c, changeCount);
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(changesFile), 1 << 16))) {
                    List<EncodedChange> batch = new ArrayList<>(CHUNK);
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
                        if (batch.size() == CHUNK * 5) {
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
    }

    private static final String COPY_FACILITY = """
            COPY facility (id, display_name, type, location_code, county_code, township_code, served_codes,
                capacity_tpd, discharge_standard, length_km, downstream_id, operating_state, operation_date,
                out_of_service_date, created_at, updated_at, version) FROM STDIN (FORMAT binary)""";
    private static final int FACILITY_COLUMNS = 17;

    private static final String COPY_PROJECT = """
            COPY project (id, display_name, kind, facility_id, facility_type, county_code, township_code, plan_code,
                capacity_before_tpd, capacity_after_tpd, standard_before, standard_after, length_km,
                planned_start_date, planned_completion_date, planned_commissioning_date, investment_fen, funding,
                responsible_unit, progress_percent, notes, state, transitions, created_at, updated_at, version)
            FROM STDIN (FORMAT binary)""";
    private static final int PROJECT_COLUMNS = 26;

    /** One facility row, in {@link #COPY_FACILITY}'s column order. */
    private static void facilityRow(BinaryCopyWriter out, Facility f) {
        try {
            out.row(FACILITY_COLUMNS).bigint(f.id).text(f.displayName).text(name(f.type)).text(f.locationCode)
                    .text(f.countyCode).text(f.townshipCode).varcharArray(List.of(f.servedCodes)).numeric(f.capacityTpd)
                    .text(name(f.dischargeStandard)).numeric(f.lengthKm).bigint(f.downstreamId).text(name(f.operatingState))
                    .date(f.operationDate).date(f.outOfServiceDate).timestamptz(f.createdAt).timestamptz(f.updatedAt)
                    .bigint(f.version);
        } catch (SQLException e) {
            throw new IllegalStateException(e); // never: the rows go to memory
        }
    }

    /** One project row, in {@link #COPY_PROJECT}'s column order. */
    private void projectRow(BinaryCopyWriter out, Project p) {
        try {
            out.row(PROJECT_COLUMNS).bigint(p.id).text(p.displayName).text(name(p.kind)).bigint(p.facilityId)
                    .text(name(p.facilityType)).text(p.countyCode).text(p.townshipCode).text(p.planCode)
                    .numeric(p.capacityBeforeTpd).numeric(p.capacityAfterTpd).text(name(p.standardBefore))
                    .text(name(p.standardAfter)).numeric(p.lengthKm).date(p.plannedStartDate).date(p.plannedCompletionDate)
                    .date(p.plannedCommissioningDate).bigint(p.investmentFen).jsonb(toJson(p.funding))
                    .text(p.responsibleUnit).integer(p.progressPercent).text(p.notes).text(name(p.state)).jsonb("[]")
                    .timestamptz(p.createdAt).timestamptz(p.updatedAt).bigint(p.version);
        } catch (SQLException e) {
            throw new IllegalStateException(e); // never: the rows go to memory
        }
    }

    /** An enum as its column holds it (by name, as Hibernate maps it), or null. */
    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
