package io.qingliu.capacity.feed;

import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.ChangeType;
import io.qingliu.api.project.v1.Division;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.Project;
import io.qingliu.capacity.capacity.CapacityPeriods;
import io.qingliu.capacity.coverage.CoverageMaintainer;
import io.qingliu.capacity.coverage.DirtyUnits;
import io.qingliu.capacity.coverage.ServicePeriods;
import io.qingliu.capacity.registry.RegistryMirror;
import io.qingliu.capacity.support.CatalogGeneration;
import io.qingliu.capacity.support.ReadModelLock;
import io.qingliu.kit.support.Clock;
import io.qingliu.kit.support.IdName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Applies a batch of consecutive changes in one transaction: the mirror rows, everything derived
 * from them, and the feed position. A crash before the commit leaves the position where it was,
 * so the batch is read and applied again; changes at or below the position are skipped, so none
 * counts twice.
 */
@ApplicationScoped
public class ChangeApplier {

    private static final Logger LOG = Logger.getLogger(ChangeApplier.class);

    /**
     * Where the read model stands: the last change applied to the mirror and when it was recorded,
     * and the last change the derived tables (and so the answers) reflect.
     */
    public record Position(long sequence, Instant recordTime, long derivedSequence) {

        /** Whether the derived tables lag the mirror (a catch-up deferred them). */
        public boolean derivedBehind() {
            return derivedSequence < sequence;
        }
    }

    /**
     * Changes applied between two ANALYZEs of the read model. A catch-up from 0 fills tables that
     * the planner last saw empty (after a rebuild's TRUNCATE, or in a new database), and plans made
     * for empty tables scan them whole for every batch; autovacuum's analyze comes too late.
     */
    static final long ANALYZE_EVERY = 50_000;

    private final DataSource dataSource;
    private final CoverageMaintainer coverage;
    private final Clock clock;
    private final CatalogGeneration catalog;
    private long sinceAnalyze;

    ChangeApplier(DataSource dataSource, CoverageMaintainer coverage, Clock clock, CatalogGeneration catalog) {
        this.catalog = catalog;
        this.dataSource = dataSource;
        this.coverage = coverage;
        this.clock = clock;
    }

    public Position position() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT sequence, record_time, derived_sequence FROM feed_position WHERE id = 1");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            Timestamp t = rs.getTimestamp(2);
            return new Position(rs.getLong(1), t == null ? null : t.toInstant(), rs.getLong(3));
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the feed position", e);
        }
    }

    /**
     * Applies the changes after the stored position; returns the new position. With
     * {@code deferDerived} only the mirror is written (a catch-up far behind the head); otherwise
     * the derived tables follow, derived whole from the mirror if an earlier batch deferred them.
     * An empty batch that does not defer derives what was deferred.
     */
    @Transactional
    public Position apply(List<Change> changes, boolean deferDerived) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            ReadModelLock.acquire(c);
            // The position commits with what the batch did: a commit lost in a crash of PostgreSQL
            // loses both, and the batch is read again. So the commit need not wait for the disk.
            try (PreparedStatement s = c.prepareStatement("SET LOCAL synchronous_commit = off")) {
                s.execute();
            }
            long position;
            long derived;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT sequence, derived_sequence FROM feed_position WHERE id = 1");
                    ResultSet rs = s.executeQuery()) {
                rs.next();
                position = rs.getLong(1);
                derived = rs.getLong(2);
            }
            Map<String, Division> divisions = new LinkedHashMap<>();
            Map<Long, Facility> facilities = new LinkedHashMap<>();
            Set<Long> deletedFacilities = new HashSet<>();
            Map<Long, Project> projects = new LinkedHashMap<>();
            Set<Long> deletedProjects = new HashSet<>();
            Set<Long> dirtyFacilities = new HashSet<>();
            Change last = null;
            for (Change change : changes) {
                if (change.getSequence() <= position) {
                    continue;
                }
                long expected = (last == null ? position : last.getSequence()) + 1;
                if (change.getSequence() != expected) {
                    throw new FeedGapException(expected, change.getSequence());
                }
                last = change;
                boolean deleted = change.getType() == ChangeType.CHANGE_TYPE_DELETED;
                switch (change.getResourceCase()) {
                    case DIVISION -> divisions.put(change.getDivision().getCode(), change.getDivision());
                    case FACILITY -> {
                        long id = IdName.FACILITY.tryParse(change.getFacility().getName());
                        dirtyFacilities.add(id);
                        if (deleted) {
                            facilities.remove(id);
                            deletedFacilities.add(id);
                        } else {
                            facilities.put(id, change.getFacility());
                            deletedFacilities.remove(id);
                        }
                    }
                    case PROJECT -> {
                        long id = IdName.PROJECT.tryParse(change.getProject().getName());
                        dirtyFacilities.add(IdName.FACILITY.tryParse(change.getProject().getFacility()));
                        if (deleted) {
                            projects.remove(id);
                            deletedProjects.add(id);
                        } else {
                            projects.put(id, change.getProject());
                            deletedProjects.remove(id);
                        }
                    }
                    default -> {
                        // A resource this version does not know: nothing of ours derives from it.
                    }
                }
            }
            if (last == null) {
                if (!deferDerived && derived < position) {
                    deriveAll(c);
                    setPosition(c, position, null, position);
                }
                return position();
            }
            sinceAnalyze += last.getSequence() - position;
            // A batch that defers derivation only upserts by primary key: no plan to keep fresh; one
            // that derives everything analyzes what it reads itself.
            if (sinceAnalyze >= ANALYZE_EVERY && !deferDerived && derived >= position) {
                sinceAnalyze = 0;
                try (PreparedStatement s = c.prepareStatement("""
                        ANALYZE division, facility, facility_served_unit, project, project_transition, facility_capacity,
                                facility_service, goal_unit, goal_township_total, coverage_delta, goal_county_total,
                                coverage_county""")) {
                    s.execute();
                }
            }
            RegistryMirror mirror = new RegistryMirror(c, clock.zone());
            mirror.putDivisions(divisions.values());
            if (!divisions.isEmpty()) {
                catalog.advanceAfterCommit();
            }
            DirtyUnits units = new DirtyUnits();
            mirror.putFacilities(facilities.values(), units);
            mirror.removeFacilities(deletedFacilities, units);
            mirror.putProjects(projects.values());
            mirror.removeProjects(deletedProjects);
            if (!deferDerived) {
                if (derived < position) {
                    deriveAll(c);
                } else {
                    CapacityPeriods.recompute(c, dirtyFacilities);
                    ServicePeriods.recompute(c, dirtyFacilities, units);
                    coverage.divisionsChanged(c, divisions.keySet());
                    units.addForEveryService(divisions.keySet());
                    coverage.unitsChanged(c, units);
                }
                derived = last.getSequence();
            }
            Instant recorded = Instant.ofEpochSecond(last.getRecordTime().getSeconds(), last.getRecordTime().getNanos());
            setPosition(c, last.getSequence(), recorded, derived);
            return new Position(last.getSequence(), recorded, derived);
        }
    }

    /**
     * Derives every derived table again from the mirror, in the caller's transaction: capacity and
     * service periods of all facilities, then every goal. Cheaper once than the same work spread
     * over the batches of a catch-up, where each batch recomputes what the next changes again.
     */
    private void deriveAll(Connection c) throws SQLException {
        long started = System.nanoTime();
        try (PreparedStatement s = c.prepareStatement("ANALYZE division, facility, facility_served_unit, project")) {
            s.execute();
        }
        List<Long> all = new java.util.ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM facility"); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                all.add(rs.getLong(1));
            }
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM facility_capacity")) {
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM facility_service")) {
            s.executeUpdate();
        }
        CapacityPeriods.recompute(c, all);
        ServicePeriods.recomputeAll(c);
        try (PreparedStatement s = c.prepareStatement("ANALYZE facility_capacity, facility_service")) {
            s.execute();
        }
        coverage.recomputeAll(c);
        sinceAnalyze = 0;
        LOG.infof("derived the read model whole from its mirror (after a catch-up that deferred it) in %d ms",
                (System.nanoTime() - started) / 1_000_000);
    }

    private static void setPosition(Connection c, long sequence, Instant recorded, long derived) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(recorded == null
                ? "UPDATE feed_position SET sequence = ?, derived_sequence = ?, applied_at = now() WHERE id = 1"
                : "UPDATE feed_position SET sequence = ?, derived_sequence = ?, applied_at = now(), record_time = ? WHERE id = 1")) {
            s.setLong(1, sequence);
            s.setLong(2, derived);
            if (recorded != null) {
                s.setTimestamp(3, Timestamp.from(recorded));
            }
            s.executeUpdate();
        }
    }

    /**
     * Forgets everything read from the feed (not the plans and goals), so that the next read starts
     * from sequence 0 and derives it all again.
     */
    @Transactional
    public void reset() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            ReadModelLock.acquire(c);
            try (PreparedStatement s = c.prepareStatement("""
                    TRUNCATE division, facility, facility_served_unit, project, project_transition, facility_capacity,
                             facility_service, goal_unit, goal_township_total, coverage_delta, goal_county_total,
                             coverage_county""")) {
                s.execute();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE feed_position SET sequence = 0, derived_sequence = 0, record_time = NULL, applied_at = now() WHERE id = 1")) {
                s.executeUpdate();
            }
        }
    }

    /** The feed skipped a sequence number: read again from the position. */
    public static final class FeedGapException extends IllegalStateException {
        FeedGapException(long expected, long got) {
            super("change feed gap: expected sequence " + expected + ", got " + got);
        }
    }
}
