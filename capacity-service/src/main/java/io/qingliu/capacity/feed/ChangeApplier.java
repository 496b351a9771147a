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

/**
 * Applies a batch of consecutive changes in one transaction: the mirror rows, everything derived
 * from them, and the feed position. A crash before the commit leaves the position where it was,
 * so the batch is read and applied again; changes at or below the position are skipped, so none
 * counts twice.
 */
@ApplicationScoped
public class ChangeApplier {

    /** Where the read model stands: the last change applied and when it was recorded. */
    public record Position(long sequence, Instant recordTime) {
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
    private long sinceAnalyze;

    ChangeApplier(DataSource dataSource, CoverageMaintainer coverage, Clock clock) {
        this.dataSource = dataSource;
        this.coverage = coverage;
        this.clock = clock;
    }

    public Position position() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT sequence, record_time FROM feed_position WHERE id = 1");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            Timestamp t = rs.getTimestamp(2);
            return new Position(rs.getLong(1), t == null ? null : t.toInstant());
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the feed position", e);
        }
    }

    /** Applies the changes after the stored position; returns the new position. */
    @Transactional
    public Position apply(List<Change> changes) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            ReadModelLock.acquire(c);
            long position;
            try (PreparedStatement s = c.prepareStatement("SELECT sequence FROM feed_position WHERE id = 1");
                    ResultSet rs = s.executeQuery()) {
                rs.next();
                position = rs.getLong(1);
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
                return position();
            }
            sinceAnalyze += last.getSequence() - position;
            if (sinceAnalyze >= ANALYZE_EVERY) {
                sinceAnalyze = 0;
                try (PreparedStatement s = c.prepareStatement("""
                        ANALYZE division, facility, facility_served_unit, project, project_transition, facility_capacity,
                                facility_service, goal_unit, goal_township_total, coverage_delta""")) {
                    s.execute();
                }
            }
            RegistryMirror mirror = new RegistryMirror(c, clock.zone());
            mirror.putDivisions(divisions.values());
            DirtyUnits units = new DirtyUnits();
            mirror.putFacilities(facilities.values(), units);
            mirror.removeFacilities(deletedFacilities, units);
            mirror.putProjects(projects.values());
            mirror.removeProjects(deletedProjects);
            CapacityPeriods.recompute(c, dirtyFacilities);
            ServicePeriods.recompute(c, dirtyFacilities, units);
            coverage.divisionsChanged(c, divisions.keySet());
            units.addForEveryService(divisions.keySet());
            coverage.unitsChanged(c, units);
            Instant recorded = Instant.ofEpochSecond(last.getRecordTime().getSeconds(), last.getRecordTime().getNanos());
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE feed_position SET sequence = ?, record_time = ?, applied_at = now() WHERE id = 1")) {
                s.setLong(1, last.getSequence());
                s.setTimestamp(2, Timestamp.from(recorded));
                s.executeUpdate();
            }
            return new Position(last.getSequence(), recorded);
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
                             facility_service, goal_unit, goal_township_total, coverage_delta""")) {
                s.execute();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE feed_position SET sequence = 0, record_time = NULL, applied_at = now() WHERE id = 1")) {
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
