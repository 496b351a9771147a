package io.qingliu.capacity.progress;

import io.qingliu.api.capacity.v1.CapacityTarget;
import io.qingliu.api.capacity.v1.GetPlanProgressRequest;
import io.qingliu.api.capacity.v1.LateProject;
import io.qingliu.api.capacity.v1.Milestone;
import io.qingliu.api.capacity.v1.Plan;
import io.qingliu.api.capacity.v1.PlanProgress;
import io.qingliu.api.capacity.v1.ProjectCountTarget;
import io.qingliu.api.capacity.v1.SeriesPoint;
import io.qingliu.api.capacity.v1.TargetProgress;
import io.qingliu.api.capacity.v1.TargetType;
import io.qingliu.api.common.v1.DivisionLevel;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.capacity.capacity.CapacityQueries;
import io.qingliu.capacity.coverage.CoverageQueries;
import io.qingliu.capacity.coverage.Goals;
import io.qingliu.capacity.coverage.Goals.Goal;
import io.qingliu.capacity.plan.PlanService;
import io.qingliu.capacity.registry.RegistryMirror;
import io.qingliu.capacity.support.Areas;
import io.qingliu.capacity.support.Areas.Area;
import io.qingliu.capacity.support.AsOfDates;
import io.qingliu.capacity.support.Snapshot;
import io.qingliu.capacity.support.NumberedSql;
import io.qingliu.kit.grpc.ApiException;
import io.qingliu.kit.support.IdName;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * Progress of a plan as of a date: every target with what is achieved, what the pipeline holds and
 * whether the planned dates would meet it; the late projects; monthly series for charts.
 */
@ApplicationScoped
public class ProgressQueries {

    /** A plan project as it stood on the as-of date. */
    record PlanProject(long id, String name, ProjectKind kind, FacilityType type, String county, ProjectState state,
            LocalDate commissionedOn, BigDecimal added, LocalDate plannedStart, LocalDate plannedCompletion,
            LocalDate plannedCommissioning) {

        boolean inPipeline() {
            return state != ProjectState.PROJECT_STATE_COMMISSIONED && state != ProjectState.PROJECT_STATE_CANCELLED;
        }

        /** In the pipeline, planned to be commissioned between the as-of date and the deadline. */
        boolean expectedBy(LocalDate asOf, LocalDate deadline) {
            return inPipeline() && plannedCommissioning != null && !plannedCommissioning.isBefore(asOf)
                    && !plannedCommissioning.isAfter(deadline);
        }
    }

    private final DataSource dataSource;
    private final PlanService plans;
    private final Goals goals;
    private final Areas areas;
    private final AsOfDates dates;

    ProgressQueries(DataSource dataSource, PlanService plans, Goals goals, Areas areas, AsOfDates dates) {
        this.dataSource = dataSource;
        this.plans = plans;
        this.goals = goals;
        this.areas = areas;
        this.dates = dates;
    }

    public PlanProgress progress(GetPlanProgressRequest request) {
        Plan plan = plans.get(request.getName());
        long planId = IdName.PLAN.parse(plan.getName(), "name");
        Area planArea = plan.getAreaCode().isEmpty() ? Area.EVERYWHERE
                : areas.resolve(plan.getAreaCode(), "name", Area.EVERYWHERE,
                        Set.of(DivisionLevel.DIVISION_LEVEL_CITY, DivisionLevel.DIVISION_LEVEL_COUNTY));
        Area area = areas.resolve(request.getAreaCode(), "area_code", planArea,
                Set.of(DivisionLevel.DIVISION_LEVEL_CITY, DivisionLevel.DIVISION_LEVEL_COUNTY));
        if (!planArea.contains(area)) {
            throw ApiException.invalidArgument("area_code", request.getAreaCode() + " lies outside the plan's area "
                    + plan.getAreaCode());
        }
        LocalDate date = dates.resolve(request.hasAsOfDate(), request.getAsOfDate(), "as_of_date");
        LocalDate start = RegistryMirror.toLocalDate(plan.getStartDate());
        LocalDate end = RegistryMirror.toLocalDate(plan.getEndDate());
        List<LocalDate> months = monthEnds(start, date);
        return Snapshot.read(dataSource, c -> {
            PlanProgress.Builder out = PlanProgress.newBuilder().setPlan(plan.getName())
                    .setAsOfDate(AsOfDates.toProto(date)).setAreaCode(area.code())
                    .setFeedSequence(CoverageQueries.feedSequenceOf(c));
            List<PlanProject> projects = projects(c, plan.getCode(), area, date);
            for (ProjectCountTarget t : plan.getProjectCountTargetsList()) {
                Predicate<PlanProject> counts = p -> p.kind() == t.getProjectKind()
                        && (t.getFacilityType() == FacilityType.FACILITY_TYPE_UNSPECIFIED || p.type() == t.getFacilityType());
                out.addTargets(line(TargetType.TARGET_TYPE_PROJECT_COUNT, Labels.count(t), t.getCount(), end, date,
                        months, projects.stream().filter(counts).toList(), p -> BigDecimal.ONE));
            }
            for (CapacityTarget t : plan.getCapacityTargetsList()) {
                out.addTargets(line(TargetType.TARGET_TYPE_ADDED_CAPACITY, Labels.capacity(t), t.getAddedTonnesPerDay(),
                        end, date, months, projects.stream().filter(p -> p.type() == t.getFacilityType()).toList(),
                        PlanProject::added));
            }
            for (Goal goal : goals.ofPlan(planId)) {
                out.addTargets(coverageLine(c, goal, area, date, months));
            }
            projects.stream().map(p -> late(p, date)).filter(java.util.Objects::nonNull)
                    .sorted(Comparator.comparingInt(LateProject::getDaysLate).reversed()
                            .thenComparing(LateProject::getProject))
                    .forEach(out::addLateProjects);
            return out.build();
        });
    }

    /** A project-count or capacity line: each project weighs {@code weight} (1, or the capacity it adds). */
    private static TargetProgress line(TargetType type, String label, double target, LocalDate deadline, LocalDate date,
            List<LocalDate> months, List<PlanProject> projects, java.util.function.Function<PlanProject, BigDecimal> weight) {
        BigDecimal achieved = sum(projects, p -> p.state() == ProjectState.PROJECT_STATE_COMMISSIONED, weight);
        BigDecimal pipeline = sum(projects, PlanProject::inPipeline, weight);
        BigDecimal forecast = achieved.add(sum(projects, p -> p.expectedBy(date, deadline), weight));
        TargetProgress.Builder b = TargetProgress.newBuilder().setType(type).setLabel(label).setTarget(target)
                .setAchieved(achieved.doubleValue()).setPipeline(pipeline.doubleValue())
                .setPercent(percent(achieved.doubleValue(), target)).setDeadline(AsOfDates.toProto(deadline))
                .setForecast(forecast.doubleValue()).setForecastMet(forecast.doubleValue() >= target);
        for (LocalDate month : months) {
            BigDecimal value = sum(projects, p -> p.commissionedOn() != null && !p.commissionedOn().isAfter(month), weight);
            b.addMonthly(SeriesPoint.newBuilder().setDate(AsOfDates.toProto(month)).setValue(value.doubleValue()));
        }
        return b.build();
    }

    private TargetProgress coverageLine(Connection c, Goal goal, Area area, LocalDate date, List<LocalDate> months)
            throws SQLException {
        Area scope = goal.area().contains(area) ? area : goal.area();
        long total = 0;
        try (PreparedStatement s = c.prepareStatement("""
                SELECT COALESCE(sum(total), 0) FROM goal_township_total
                 WHERE goal_id = ? AND township_code >= ? AND township_code < ?""")) {
            s.setLong(1, goal.id());
            s.setString(2, scope.low());
            s.setString(3, scope.high());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        NavigableMap<LocalDate, Long> cumulative = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT day, sum(sum(delta)) OVER (ORDER BY day) FROM coverage_delta
                 WHERE goal_id = ? AND township_code >= ? AND township_code < ? AND day <= ?
                 GROUP BY day ORDER BY day""")) {
            s.setLong(1, goal.id());
            s.setString(2, scope.low());
            s.setString(3, scope.high());
            s.setObject(4, date);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    cumulative.put(rs.getDate(1).toLocalDate(), rs.getLong(2));
                }
            }
        }
        long achieved = covered(cumulative, date);
        long expected = expectedCoverage(c, goal, scope, date);
        TargetProgress.Builder b = TargetProgress.newBuilder().setType(TargetType.TARGET_TYPE_COVERAGE)
                .setLabel(goal.displayName()).setGoal(goal.name()).setTarget(total).setAchieved(achieved)
                .setPipeline(expected).setPercent(percent(achieved, total))
                .setDeadline(AsOfDates.toProto(goal.deadline())).setForecast(achieved + expected)
                .setForecastMet(achieved + expected >= total);
        for (LocalDate month : months) {
            b.addMonthly(SeriesPoint.newBuilder().setDate(AsOfDates.toProto(month)).setValue(covered(cumulative, month)));
        }
        return b.build();
    }

    private static long covered(NavigableMap<LocalDate, Long> cumulative, LocalDate on) {
        Map.Entry<LocalDate, Long> e = cumulative.floorEntry(on);
        return e == null ? 0 : e.getValue();
    }

    /**
     * Units uncovered on the date that would be covered by the goal's deadline if every facility
     * serving them entered operation on its projects' planned commissioning date (for garbage, the
     * latest such date along the chain).
     */
    private static long expectedCoverage(Connection c, Goal goal, Area scope, LocalDate date) throws SQLException {
        try (PreparedStatement s = NumberedSql.prepare(c, """
                WITH uncovered AS (
                  SELECT code, township_code FROM goal_unit
                   WHERE goal_id = ?1 AND code >= ?2 AND code < ?3 AND NOT covered @> ?4::date),
                candidates AS (
                  SELECT DISTINCT u.code, su.facility_id FROM uncovered u
                    JOIN facility_served_unit su ON su.division_code IN (u.code, u.township_code)
                    JOIN facility_service fs ON fs.facility_id = su.facility_id AND fs.service_type = ?5),
                chain AS (
                  SELECT facility_id AS id FROM candidates
                  UNION
                  SELECT cp.downstream_id FROM candidates c JOIN facility cp ON cp.id = c.facility_id
                   WHERE cp.downstream_id IS NOT NULL
                  UNION
                  SELECT ts.downstream_id FROM candidates c JOIN facility cp ON cp.id = c.facility_id
                    JOIN facility ts ON ts.id = cp.downstream_id
                   WHERE ts.downstream_id IS NOT NULL),
                starts AS (
                  -- Joined by id: "id IN (…) OR id IN (…)" made PostgreSQL scan every facility
                  -- (~0.5 s a goal on the national registry).
                  SELECT f.id, f.downstream_id,
                         CASE WHEN f.state = 3 AND f.operation_date <= ?4 THEN f.operation_date
                              ELSE (SELECT min(p.planned_commissioning_date) FROM project p
                                     WHERE p.facility_id = f.id AND p.state NOT IN (5, 7)
                                       AND p.planned_commissioning_date >= ?4) END AS start
                    FROM chain JOIN facility f ON f.id = chain.id)
                SELECT count(DISTINCT c.code)
                  FROM candidates c
                  JOIN starts f ON f.id = c.facility_id
                  LEFT JOIN starts ts ON ts.id = f.downstream_id
                  LEFT JOIN starts ds ON ds.id = ts.downstream_id
                 WHERE CASE WHEN ?5 = 1 THEN f.start
                            ELSE greatest(f.start, ts.start, ds.start)
                                 + CASE WHEN ts.start IS NULL OR ds.start IS NULL THEN NULL ELSE 0 END END <= ?6""",
                goal.id(), scope.low(), scope.high(), date, (short) goal.service().getNumber(), goal.deadline())) {
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The plan's projects inside the area, as they stood on the date. */
    private static List<PlanProject> projects(Connection c, String planCode, Area area, LocalDate date)
            throws SQLException {
        List<PlanProject> out = new ArrayList<>();
        try (PreparedStatement s = NumberedSql.prepare(c, """
                WITH p AS (%s AND p.plan_code = ?2 AND p.county_code >= ?3 AND p.county_code < ?4)
                SELECT p.id, x.name, p.kind, p.facility_type, p.county_code, p.state_on, p.commissioned_on, p.added,
                       x.planned_start_date, x.planned_completion_date, x.planned_commissioning_date
                  FROM p JOIN project x ON x.id = p.id""".formatted(CapacityQueries.PROJECTS_ON_DATE),
                date, planCode, area.low(), area.high())) {
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new PlanProject(rs.getLong(1), rs.getString(2), ProjectKind.forNumber(rs.getShort(3)),
                            FacilityType.forNumber(rs.getShort(4)), rs.getString(5),
                            ProjectState.forNumber(rs.getShort(6)), localDate(rs.getDate(7)), rs.getBigDecimal(8),
                            localDate(rs.getDate(9)), localDate(rs.getDate(10)), localDate(rs.getDate(11))));
                }
            }
        }
        return out;
    }

    /** The first planned date a pipeline project has missed by the as-of date, or null when it is on time. */
    static LateProject late(PlanProject p, LocalDate date) {
        if (!p.inPipeline()) {
            return null;
        }
        boolean started = p.state() == ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION
                || p.state() == ProjectState.PROJECT_STATE_COMPLETED;
        boolean completed = p.state() == ProjectState.PROJECT_STATE_COMPLETED;
        Milestone missed = null;
        LocalDate planned = null;
        if (!started && p.plannedStart() != null && p.plannedStart().isBefore(date)) {
            missed = Milestone.MILESTONE_START;
            planned = p.plannedStart();
        } else if (!completed && p.plannedCompletion() != null && p.plannedCompletion().isBefore(date)) {
            missed = Milestone.MILESTONE_COMPLETION;
            planned = p.plannedCompletion();
        } else if (p.plannedCommissioning() != null && p.plannedCommissioning().isBefore(date)) {
            missed = Milestone.MILESTONE_COMMISSIONING;
            planned = p.plannedCommissioning();
        }
        if (missed == null) {
            return null;
        }
        return LateProject.newBuilder().setProject(IdName.PROJECT.format(p.id())).setDisplayName(p.name())
                .setKind(p.kind()).setCountyCode(p.county()).setState(p.state()).setMissed(missed)
                .setPlannedDate(AsOfDates.toProto(planned)).setDaysLate((int) ChronoUnit.DAYS.between(planned, date))
                .build();
    }

    /** The last day of each month from the plan's start up to the date (the date itself for its month). */
    static List<LocalDate> monthEnds(LocalDate start, LocalDate date) {
        List<LocalDate> out = new ArrayList<>();
        for (YearMonth m = YearMonth.from(start); !m.isAfter(YearMonth.from(date)); m = m.plusMonths(1)) {
            LocalDate end = m.atEndOfMonth();
            out.add(end.isAfter(date) ? date : end);
        }
        return out;
    }

    private static BigDecimal sum(List<PlanProject> projects, Predicate<PlanProject> which,
            java.util.function.Function<PlanProject, BigDecimal> weight) {
        return projects.stream().filter(which).map(weight).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    static double percent(double achieved, double target) {
        return target == 0 ? 100.0 : Math.round(achieved * 10000.0 / target) / 100.0;
    }

    private static LocalDate localDate(java.sql.Date d) {
        return d == null ? null : d.toLocalDate();
    }
}
