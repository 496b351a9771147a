package io.qingliu.capacity.testing;

import com.google.protobuf.FieldMask;
import com.google.type.Date;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc.CapacityServiceBlockingStub;
import io.qingliu.api.capacity.v1.ListPlansRequest;
import io.qingliu.api.capacity.v1.Plan;
import io.qingliu.api.project.v1.Division;
import io.qingliu.api.project.v1.ListDivisionsRequest;
import io.qingliu.api.project.v1.ListDivisionsResponse;
import io.qingliu.api.project.v1.ProjectServiceGrpc.ProjectServiceBlockingStub;
import io.qingliu.api.project.v1.UpdateDivisionRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What tests of the running suite share: waiting for the feed, reading the registry, dates. */
public final class Suite {

    private Suite() {
    }

    public static Date date(int year, int month, int day) {
        return Date.newBuilder().setYear(year).setMonth(month).setDay(day).build();
    }

    public static Date date(LocalDate d) {
        return date(d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    public static FieldMask mask(String... paths) {
        return FieldMask.newBuilder().addAllPaths(List.of(paths)).build();
    }

    /** The last sequence committed in project-service's feed. */
    public static long projectHead() {
        return single(SuiteResource.PROJECT_DB, "SELECT last_seq FROM feed_head");
    }

    /** The last sequence capacity-service has applied. */
    public static long appliedSequence() {
        return single(SuiteResource.CAPACITY_DB, "SELECT sequence FROM feed_position");
    }

    /** The last sequence capacity-service's derived tables, and so its answers, reflect. */
    public static long derivedSequence() {
        return single(SuiteResource.CAPACITY_DB, "SELECT derived_sequence FROM feed_position");
    }

    /** Waits until capacity-service has applied and derived everything project-service has committed. */
    public static void awaitCaughtUp() {
        long head = projectHead();
        await("capacity-service to apply and derive the feed up to " + head, Duration.ofSeconds(120),
                () -> appliedSequence() >= head && derivedSequence() >= head);
    }

    public static long single(String database, String sql) {
        try (Connection c = SuiteResource.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Every division the filter matches, from project-service (the registry of record). */
    public static List<Division> divisions(ProjectServiceBlockingStub project, String filter) {
        List<Division> all = new ArrayList<>();
        String token = "";
        do {
            ListDivisionsResponse page = project.listDivisions(ListDivisionsRequest.newBuilder().setFilter(filter)
                    .setPageSize(1000).setPageToken(token).build());
            all.addAll(page.getDivisionsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return all;
    }

    public static Division setBasin(ProjectServiceBlockingStub project, String code, String basin) {
        return project.updateDivision(UpdateDivisionRequest.newBuilder()
                .setDivision(Division.newBuilder().setName("divisions/" + code).setBasin(basin))
                .setUpdateMask(mask("basin")).build());
    }

    /** The plan with this code, once capacity-service has it. */
    public static Optional<Plan> planByCode(CapacityServiceBlockingStub capacity, String code) {
        String token = "";
        do {
            var page = capacity.listPlans(ListPlansRequest.newBuilder().setPageSize(1000).setPageToken(token).build());
            for (Plan p : page.getPlansList()) {
                if (p.getCode().equals(code)) {
                    return Optional.of(p);
                }
            }
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return Optional.empty();
    }
}
