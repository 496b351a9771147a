package io.qingliu.project.project;

import io.qingliu.api.project.v1.FundingSource;
import io.qingliu.project.facility.DischargeStandard;
import io.qingliu.project.facility.Facility;
import io.qingliu.project.facility.FacilityRules;
import io.qingliu.project.facility.FacilityType;
import io.qingliu.kit.grpc.Violations;
import io.qingliu.kit.support.EnumMapping;
import io.qingliu.kit.support.Fields;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a project as the API describes it against its facility and, field by field, writes
 * what is valid into the entity. Every problem is recorded; the caller throws before anything
 * is stored. Create, update (on the merged state) and import share these rules.
 */
public final class ProjectRules {

    private static final Pattern PLAN_CODE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_FUNDING_SOURCES = 50;

    private ProjectRules() {
    }

    /**
     * @param in the project as requested (for an update: current state with the masked fields replaced)
     * @param target the entity to fill; for an update, its current state
     * @param facility the facility it acts on (already checked), or null when that reference is invalid
     * @param creating whether the project is new: its kind is set, and before-values default to the facility's
     * @param facilityIsNew whether the facility is built by this project (and so has nothing "before")
     */
    public static void apply(io.qingliu.api.project.v1.Project in, Project target, Facility facility, boolean creating,
            boolean facilityIsNew, Violations v) {
        target.displayName = Fields.text(v, "display_name", in.getDisplayName(), true, 200);
        ProjectKind kind = EnumMapping.fromProto(in.getKind(), ProjectKind.class);
        if (creating) {
            if (kind == null) {
                v.add("kind", in.getKindValue() == 0 ? "is required" : "unknown value " + in.getKindValue());
            }
            target.kind = kind;
        } else if (kind != target.kind) {
            v.add("kind", "cannot change after create");
        }
        kind = target.kind;

        String plan = Fields.text(v, "plan_code", in.getPlanCode(), false, 64);
        if (plan != null && !PLAN_CODE.matcher(plan).matches() && !v.has("plan_code")) {
            v.add("plan_code", "may hold only letters, digits, '-' and '_' (e.g. ZY-2018-2020)");
        }
        target.planCode = plan;

        BigDecimal before = Fields.quantity(v, "capacity_before_tonnes_per_day", in.getCapacityBeforeTonnesPerDay(), Fields.MAX_CAPACITY);
        BigDecimal after = Fields.quantity(v, "capacity_after_tonnes_per_day", in.getCapacityAfterTonnesPerDay(), Fields.MAX_CAPACITY);
        BigDecimal length = Fields.quantity(v, "length_km", in.getLengthKm(), Fields.MAX_LENGTH_KM);
        DischargeStandard standardBefore = standard(v, "standard_before", in.getStandardBefore(), in.getStandardBeforeValue());
        DischargeStandard standardAfter = standard(v, "standard_after", in.getStandardAfter(), in.getStandardAfterValue());
        if (creating && facility != null && !facilityIsNew) {
            // Acting on an existing facility: what it has now is what the works start from.
            if (before.signum() == 0) {
                before = facility.capacityTpd;
            }
            if (standardBefore == null) {
                standardBefore = facility.dischargeStandard;
            }
        }
        if (kind != null && facility != null) {
            checkQuantities(kind, facility.type, before, after, length, standardBefore, standardAfter, v);
        }
        if (kind == ProjectKind.UPGRADE && after.signum() == 0) {
            after = before;
        }
        target.capacityBeforeTpd = before;
        target.capacityAfterTpd = after;
        target.lengthKm = length;
        target.standardBefore = standardBefore;
        target.standardAfter = standardAfter;

        target.plannedStartDate = Fields.date(v, "planned_start_date", in.getPlannedStartDate());
        target.plannedCompletionDate = Fields.date(v, "planned_completion_date", in.getPlannedCompletionDate());
        target.plannedCommissioningDate = Fields.date(v, "planned_commissioning_date", in.getPlannedCommissioningDate());
        Fields.ordered(v, "planned_completion_date", target.plannedStartDate, "planned_start_date", target.plannedCompletionDate);
        Fields.ordered(v, "planned_commissioning_date", target.plannedCompletionDate != null ? target.plannedCompletionDate
                : target.plannedStartDate, target.plannedCompletionDate != null ? "planned_completion_date" : "planned_start_date",
                target.plannedCommissioningDate);

        if (in.getInvestmentFen() < 0) {
            v.add("investment_fen", "must not be negative");
        }
        target.investmentFen = Math.max(0, in.getInvestmentFen());
        target.funding = funding(in.getFundingSourcesList(), target.investmentFen, v);
        target.responsibleUnit = Fields.text(v, "responsible_unit", in.getResponsibleUnit(), false, 200);
        if (in.getProgressPercent() < 0 || in.getProgressPercent() > 100) {
            v.add("progress_percent", "must be between 0 and 100");
        }
        target.progressPercent = Math.max(0, Math.min(100, in.getProgressPercent()));
        target.notes = Fields.text(v, "notes", in.getNotes(), false, 2000);
    }

    /** What the kind of works implies for capacities, length and standards. */
    private static void checkQuantities(ProjectKind kind, FacilityType type, BigDecimal before, BigDecimal after,
            BigDecimal length, DischargeStandard standardBefore, DischargeStandard standardAfter, Violations v) {
        boolean plant = type == FacilityType.SEWAGE_TREATMENT_PLANT;
        if (!plant) {
            if (standardBefore != null) {
                v.add("standard_before", "only sewage treatment plants have a discharge standard");
            }
            if (standardAfter != null) {
                v.add("standard_after", "only sewage treatment plants have a discharge standard");
            }
        }
        if (type == FacilityType.PIPE_NETWORK) {
            if (before.signum() != 0 || after.signum() != 0) {
                v.add(before.signum() != 0 ? "capacity_before_tonnes_per_day" : "capacity_after_tonnes_per_day",
                        "must be 0: a pipe network has a length, not a capacity");
            }
            if (length.signum() == 0 && !v.has("length_km")) {
                v.add("length_km", "is required for pipe network works and must be more than 0");
            }
            return;
        }
        if (length.signum() != 0) {
            v.add("length_km", "only pipe network works have a length");
        }
        switch (kind) {
            case NEW_BUILD -> {
                if (before.signum() != 0) {
                    v.add("capacity_before_tonnes_per_day", "must be 0 for a new build");
                }
                if (after.signum() == 0 && !v.has("capacity_after_tonnes_per_day")) {
                    v.add("capacity_after_tonnes_per_day", "is required for a new build and must be more than 0");
                }
                if (standardBefore != null) {
                    v.add("standard_before", "must be unset for a new build");
                }
                if (plant && standardAfter == null && !v.has("standard_after")) {
                    v.add("standard_after", "is required for a new sewage treatment plant");
                }
            }
            case UPGRADE -> {
                if (standardAfter == null) {
                    if (!v.has("standard_after")) {
                        v.add("standard_after", "is required for an upgrade");
                    }
                } else if (!standardAfter.isStricterThan(standardBefore)) {
                    v.add("standard_after", "an upgrade must raise the standard: " + standardAfter + " is not stricter than "
                            + standardBefore);
                }
                if (after.signum() != 0 && after.compareTo(before) < 0) {
                    v.add("capacity_after_tonnes_per_day", "must not be below capacity_before_tonnes_per_day ("
                            + before.toPlainString() + ")");
                }
            }
            case EXPANSION -> {
                if (after.compareTo(before) <= 0 && !v.has("capacity_after_tonnes_per_day")) {
                    v.add("capacity_after_tonnes_per_day", "an expansion must add capacity: must be more than "
                            + before.toPlainString());
                }
                if (standardAfter != null && standardBefore != null && standardBefore.isStricterThan(standardAfter)) {
                    v.add("standard_after", "must not be looser than standard_before (" + standardBefore + ")");
                }
            }
            case GARBAGE_COLLECTION -> {
                if (after.signum() != 0 && after.compareTo(before) < 0) {
                    v.add("capacity_after_tonnes_per_day", "must not be below capacity_before_tonnes_per_day ("
                            + before.toPlainString() + ")");
                }
            }
            case PIPE_NETWORK -> {
                // A pipe network project acts only on a pipe network (checked with its facility).
            }
        }
    }

    private static DischargeStandard standard(Violations v, String field, io.qingliu.api.common.v1.DischargeStandard value,
            int number) {
        DischargeStandard s = EnumMapping.fromProto(value, DischargeStandard.class);
        if (s == null && number != 0) {
            v.add(field, "unknown value " + number);
        }
        return s;
    }

    private static List<Project.Funding> funding(List<FundingSource> sources, long investment, Violations v) {
        List<Project.Funding> funding = new ArrayList<>();
        if (sources.size() > MAX_FUNDING_SOURCES) {
            v.add("funding_sources", "lists more than " + MAX_FUNDING_SOURCES + " sources");
            return funding;
        }
        long sum = 0;
        for (int i = 0; i < sources.size(); i++) {
            FundingSource s = sources.get(i);
            Violations item = v.under("funding_sources[" + i + "]");
            String source = Fields.text(item, "source", s.getSource(), true, 100);
            if (s.getAmountFen() < 0) {
                item.add("amount_fen", "must not be negative");
            } else {
                sum = sum + s.getAmountFen() < 0 ? Long.MAX_VALUE : sum + s.getAmountFen();
            }
            funding.add(new Project.Funding(source, Math.max(0, s.getAmountFen())));
        }
        if (sum > investment) {
            v.add("funding_sources", "the amounts add up to " + sum + " fen, more than investment_fen (" + investment + ")");
        }
        return funding;
    }

    /** Checks that a project of {@code kind} may act on a facility of {@code type}. */
    public static void checkFacilityType(ProjectKind kind, FacilityType type, String field, Violations v) {
        if (kind != null && type != null && !kind.facilityTypes().contains(type)) {
            v.add(field, "a " + kind.name().toLowerCase().replace('_', ' ') + " project acts on "
                    + kind.facilityTypes().stream().map(FacilityRules::label).toList() + ", not on a " + FacilityRules.label(type));
        }
    }
}
