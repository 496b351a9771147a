package io.qingliu.capacity.plan;

import com.google.protobuf.ProtocolMessageEnum;
import io.qingliu.api.common.v1.DivisionKind;
import io.qingliu.api.common.v1.DivisionLevel;
import io.qingliu.kit.grpc.Violations;
import io.qingliu.kit.support.EnumMapping;
import io.qingliu.kit.support.Fields;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a plan as the API describes it and turns it into a {@link Draft} of what to store.
 * Every problem is recorded in the violations, named by its proto path relative to the plan
 * (e.g. {@code coverage_goals[1].unit_kind}); the caller throws before anything is stored. The
 * same rules serve create and update (on the merged state).
 */
public final class PlanRules {

    public static final int MAX_GOALS = 50;
    public static final int MAX_DISPLAY_NAME = 200;
    public static final int MAX_BASIN = 50;

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern DIVISION_CODE = Pattern.compile("[0-9]{12}");

    /** What a valid plan stores, goals in the plan's order. */
    public record Draft(String code, String displayName, String areaCode, LocalDate startDate, LocalDate endDate,
            List<Plan.ProjectCountTarget> projectCountTargets, List<Plan.CapacityTarget> capacityTargets,
            List<GoalDraft> goals) {
    }

    /** What a valid coverage goal stores. */
    public record GoalDraft(String goalId, String displayName, CoverageGoal.Definition definition, LocalDate deadline) {
    }

    private PlanRules() {
    }

    /**
     * @param in the plan as requested (for an update: the stored plan with the masked fields replaced, and the
     *        code the request carries, if any)
     * @param stored the stored plan, for an update; null when creating
     * @param divisions the read model's division of a code, or null
     * @return the draft; meaningful only when no violation was recorded
     */
    public static Draft check(io.qingliu.api.capacity.v1.Plan in, io.qingliu.api.capacity.v1.Plan stored,
            Function<String, Area> divisions, Violations v) {
        String code = in.getCode();
        if (stored == null) {
            if (code.isEmpty()) {
                v.add("code", "is required");
            } else if (!CODE.matcher(code).matches()) {
                v.add("code", "must be 1 to 64 letters, digits, '-' or '_'");
            }
        } else if (!code.equals(stored.getCode())) {
            v.add("code", "cannot change after create (it is " + stored.getCode() + ")");
            code = stored.getCode();
        }
        String displayName = Fields.text(v, "display_name", in.getDisplayName(), true, MAX_DISPLAY_NAME);

        AreaRule areas = new AreaRule(divisions);
        Area planArea = areas.check(v, "area_code", in.getAreaCode(), stored == null ? "" : stored.getAreaCode(),
                Area.CITY, Area.COUNTY, "a city or county");

        LocalDate start = requiredDate(v, "start_date", in.hasStartDate() ? in.getStartDate() : null);
        LocalDate end = requiredDate(v, "end_date", in.hasEndDate() ? in.getEndDate() : null);
        Fields.ordered(v, "end_date", start, "start_date", end);

        List<Plan.ProjectCountTarget> counts = new ArrayList<>();
        for (int i = 0; i < in.getProjectCountTargetsCount(); i++) {
            counts.add(countTarget(in.getProjectCountTargets(i), v.under("project_count_targets[" + i + "]")));
        }
        List<Plan.CapacityTarget> capacities = new ArrayList<>();
        for (int i = 0; i < in.getCapacityTargetsCount(); i++) {
            capacities.add(capacityTarget(in.getCapacityTargets(i), v.under("capacity_targets[" + i + "]")));
        }

        List<GoalDraft> goals = new ArrayList<>();
        if (in.getCoverageGoalsCount() > MAX_GOALS) {
            v.add("coverage_goals", "has " + in.getCoverageGoalsCount() + " goals; a plan has at most " + MAX_GOALS);
        } else {
            Map<String, String> storedAreas = new HashMap<>();
            if (stored != null) {
                stored.getCoverageGoalsList().forEach(g -> storedAreas.put(g.getGoalId(), g.getAreaCode()));
            }
            Map<String, Integer> firstIndex = new HashMap<>();
            for (int i = 0; i < in.getCoverageGoalsCount(); i++) {
                var goal = in.getCoverageGoals(i);
                Integer sameId = firstIndex.putIfAbsent(goal.getGoalId(), i);
                goals.add(goal(goal, sameId, storedAreas.getOrDefault(goal.getGoalId(), ""), planArea, areas,
                        v.under("coverage_goals[" + i + "]")));
            }
        }
        return new Draft(code, displayName, in.getAreaCode(), start, end, counts, capacities, goals);
    }

    private static Plan.ProjectCountTarget countTarget(io.qingliu.api.capacity.v1.ProjectCountTarget in, Violations v) {
        ProjectKind kind = EnumMapping.fromProto(in.getProjectKind(), ProjectKind.class);
        if (kind == null) {
            v.add("project_kind", in.getProjectKindValue() == 0 ? "is required" : "unknown value " + in.getProjectKindValue());
        }
        FacilityType type = EnumMapping.fromProto(in.getFacilityType(), FacilityType.class);
        if (type == null && in.getFacilityTypeValue() != 0) {
            v.add("facility_type", "unknown value " + in.getFacilityTypeValue());
        } else if (type != null && kind != null && !kind.actsOn().contains(type)) {
            v.add("facility_type", protoName(kind) + " projects act on "
                    + kind.actsOn().stream().map(PlanRules::protoName).collect(Collectors.joining(", "))
                    + ", not on " + protoName(type) + "; leave it unspecified to count them all");
        }
        if (in.getCount() < 1) {
            v.add("count", "must be at least 1");
        }
        return new Plan.ProjectCountTarget(kind == null ? 0 : kind.number(), type == null ? 0 : type.number(),
                in.getCount());
    }

    private static Plan.CapacityTarget capacityTarget(io.qingliu.api.capacity.v1.CapacityTarget in, Violations v) {
        FacilityType type = EnumMapping.fromProto(in.getFacilityType(), FacilityType.class);
        if (type == null) {
            v.add("facility_type", in.getFacilityTypeValue() == 0 ? "is required" : "unknown value " + in.getFacilityTypeValue());
        } else if (!type.hasCapacity()) {
            v.add("facility_type", "a pipe network has a length, not a treatment capacity");
        }
        BigDecimal added = BigDecimal.ZERO;
        if (in.getAddedTonnesPerDay() <= 0) {
            v.add("added_tonnes_per_day", "must be greater than 0");
        } else {
            added = Fields.quantity(v, "added_tonnes_per_day", in.getAddedTonnesPerDay(), Fields.MAX_CAPACITY);
        }
        return new Plan.CapacityTarget(type == null ? 0 : type.number(), added);
    }

    /**
     * @param sameId the index of an earlier goal with the same id, or null
     * @param storedArea the area code of the stored goal with this id; empty when there is none
     * @param planArea the plan's area; null when it has none or it is invalid
     */
    private static GoalDraft goal(io.qingliu.api.capacity.v1.CoverageGoal in, Integer sameId, String storedArea,
            Area planArea, AreaRule areas, Violations v) {
        String goalId = in.getGoalId();
        if (goalId.isEmpty()) {
            v.add("goal_id", "is required");
        } else if (!GoalName.GOAL_ID.matcher(goalId).matches()) {
            v.add("goal_id", "must be 1 to 40 lowercase letters, digits and '-', starting with a letter, e.g. town-sewage");
        } else if (sameId != null) {
            v.add("goal_id", "'" + goalId + "' is already the id of coverage_goals[" + sameId
                    + "]; goal ids are unique within a plan");
        }
        String displayName = Fields.text(v, "display_name", in.getDisplayName(), true, MAX_DISPLAY_NAME);

        UnitLevel level = EnumMapping.fromProto(in.getUnitLevel(), UnitLevel.class);
        if (level == null) {
            v.add("unit_level", problem(in.getUnitLevel(), in.getUnitLevelValue(), protoNames(UnitLevel.values())));
        }
        UnitKind kind = EnumMapping.fromProto(in.getUnitKind(), UnitKind.class);
        if (kind == null) {
            v.add("unit_kind", problem(in.getUnitKind(), in.getUnitKindValue(), protoNames(UnitKind.values())));
        } else if (level != null && kind.level() != level) {
            v.add("unit_kind", protoName(kind) + " is a kind of " + kind.level().name().toLowerCase()
                    + "-level unit; " + protoName(level) + " units are "
                    + protoNames(Arrays.stream(UnitKind.values()).filter(k -> k.level() == level).toArray(UnitKind[]::new)));
        }

        ServiceType service = EnumMapping.fromProto(in.getServiceType(), ServiceType.class);
        if (service == null) {
            v.add("service_type", in.getServiceTypeValue() == 0 ? "is required" : "unknown value " + in.getServiceTypeValue());
        }
        LocalDate deadline = requiredDate(v, "deadline", in.hasDeadline() ? in.getDeadline() : null);

        Area area = areas.check(v, "area_code", in.getAreaCode(), storedArea, Area.PROVINCE, Area.COUNTY,
                "a province, city or county");
        if (planArea != null) {
            if (in.getAreaCode().isEmpty()) {
                v.add("area_code", "is empty, which means the whole registry; the plan is for "
                        + planArea.label() + ": name it or an area inside it");
            } else if (area != null && !planArea.contains(area)) {
                v.add("area_code", area.label() + " is not inside the plan's area " + planArea.label());
            }
        }
        String basin = Fields.text(v, "basin", in.getBasin(), false, MAX_BASIN);

        var definition = new CoverageGoal.Definition(level, kind, in.getAreaCode(), area == null ? "" : area.prefix(),
                basin == null ? "" : basin, service);
        return new GoalDraft(goalId, displayName, definition, deadline);
    }

    /** Checks the areas a plan names, each division looked up once. */
    private static final class AreaRule {
        private final Function<String, Area> divisions;
        private final Map<String, Area> seen = new HashMap<>();

        AreaRule(Function<String, Area> divisions) {
            this.divisions = divisions;
        }

        /**
         * The division an area code names, when it is empty (null, no violation) or a known
         * division of a level between {@code minLevel} and {@code maxLevel} and not retired, unless
         * it is {@code storedCode}, what the field held already: an update never fails on a merger
         * it did not cause.
         */
        Area check(Violations v, String field, String code, String storedCode, int minLevel, int maxLevel,
                String expected) {
            if (code.isEmpty()) {
                return null;
            }
            if (!DIVISION_CODE.matcher(code).matches()) {
                v.add(field, quote(code) + " is not a 12-digit division code");
                return null;
            }
            Area area = seen.computeIfAbsent(code, divisions);
            if (area == null) {
                v.add(field, code + " is not a known division");
                return null;
            }
            if (area.level() < minLevel || area.level() > maxLevel) {
                v.add(field, area.label() + " is a " + Area.levelWord(area.level()) + "; expected " + expected);
                return null;
            }
            if (area.retired() && !code.equals(storedCode)) {
                v.add(field, area.label() + " was retired from the division list");
                return null;
            }
            return area;
        }
    }

    private static LocalDate requiredDate(Violations v, String field, com.google.type.Date value) {
        LocalDate date = Fields.date(v, field, value);
        if (date == null && !v.has(field)) {
            v.add(field, "is required");
        }
        return date;
    }

    /** Why an enum value of a request is not one of {@code allowed}. */
    private static String problem(ProtocolMessageEnum value, int number, String allowed) {
        if (number == 0) {
            return "is required";
        }
        boolean known = !(value instanceof Enum<?> e && e.name().equals("UNRECOGNIZED"));
        return (known ? value.getValueDescriptor().getName() + " is not allowed" : "unknown value " + number)
                + "; expected " + allowed;
    }

    private static String protoName(ProjectKind kind) {
        return EnumMapping.toProto(kind, io.qingliu.api.project.v1.ProjectKind.class).name();
    }

    private static String protoName(FacilityType type) {
        return EnumMapping.toProto(type, io.qingliu.api.common.v1.FacilityType.class).name();
    }

    private static String protoName(UnitLevel level) {
        return EnumMapping.toProto(level, DivisionLevel.class).name();
    }

    private static String protoName(UnitKind kind) {
        return EnumMapping.toProto(kind, DivisionKind.class).name();
    }

    private static String protoNames(UnitLevel[] values) {
        return oneOf(Arrays.stream(values).map(PlanRules::protoName).toList());
    }

    private static String protoNames(UnitKind[] values) {
        return oneOf(Arrays.stream(values).map(PlanRules::protoName).toList());
    }

    private static String oneOf(List<String> names) {
        return names.size() <= 2 ? String.join(" or ", names) : String.join(", ", names.subList(0, names.size() - 1))
                + " or " + names.get(names.size() - 1);
    }

    private static String quote(String s) {
        return "'" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'";
    }
}
