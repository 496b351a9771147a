package io.qingliu.project.project;

import io.qingliu.api.common.v1.OperatingState;
import io.qingliu.project.facility.Facility;
import io.qingliu.project.facility.FacilityRules;
import io.qingliu.project.facility.RegistryLookup;
import io.qingliu.kit.grpc.Violations;
import io.qingliu.kit.support.EnumMapping;
import io.qingliu.kit.support.IdName;
import java.time.LocalDate;

/**
 * Turns a request for a new project (and, for a new build, its facility) into unsaved entities,
 * checking everything; shared by CreateProject and ImportProjects.
 */
final class ProjectDrafts {

    /** A checked new project; {@code newFacility} is set when the project builds its facility. */
    record Draft(Project project, Facility facility, boolean facilityIsNew) {
    }

    private ProjectDrafts() {
    }

    /**
     * @param v violations, with paths relative to the request (or import entry): {@code project.…},
     *          {@code new_facility.…}
     * @return the draft; meaningful only when no violation was added
     */
    static Draft draft(io.qingliu.api.project.v1.Project in, io.qingliu.api.project.v1.Facility newFacilitySpec,
            boolean hasNewFacility, RegistryLookup lookup, LocalDate today, Violations v) {
        ProjectKind kind = EnumMapping.fromProto(in.getKind(), ProjectKind.class);
        Facility facility = null;
        boolean builds = hasNewFacility || kind != null && kind.requiresNewFacility();
        if (kind != null && hasNewFacility && !kind.maySpecifyNewFacility()) {
            v.add("new_facility", "only new builds, pipe network and garbage collection projects build a facility; an "
                    + kind.name().toLowerCase() + " acts on an existing one named in project.facility");
            builds = false;
        }
        if (builds && hasNewFacility) {
            in = withDesignOf(in, newFacilitySpec);
        }
        if (builds) {
            if (!in.getFacility().isEmpty()) {
                v.add("project.facility", "must be empty when the project builds its facility (new_facility)");
            }
            if (!hasNewFacility) {
                v.add("new_facility", "is required for a new build: the facility the project will build");
            } else {
                facility = newFacility(in, newFacilitySpec, lookup, today, v);
                ProjectRules.checkFacilityType(kind, facility.type, "new_facility.type", v);
            }
        } else if (!v.has("new_facility")) {
            Long id = IdName.FACILITY.tryParse(in.getFacility());
            if (in.getFacility().isEmpty()) {
                v.add("project.facility", "is required: the facility the project acts on");
            } else if (id == null) {
                v.add("project.facility", "is malformed: expected a name such as facilities/42");
            } else {
                facility = lookup.facility(id);
                if (facility == null) {
                    v.add("project.facility", in.getFacility() + " does not exist");
                } else {
                    ProjectRules.checkFacilityType(kind, facility.type, "project.facility", v);
                }
            }
        }
        Project project = new Project();
        ProjectRules.apply(in, project, facility, true, builds, v.under("project"));
        if (facility != null) {
            project.facilityType = facility.type;
            project.countyCode = facility.countyCode;
            project.townshipCode = facility.townshipCode;
        }
        project.state = ProjectState.PLANNED;
        return new Draft(project, facility, builds);
    }

    /** Design values a project that builds its facility leaves out come from the facility spec. */
    private static io.qingliu.api.project.v1.Project withDesignOf(io.qingliu.api.project.v1.Project in,
            io.qingliu.api.project.v1.Facility spec) {
        var b = in.toBuilder();
        if (b.getCapacityAfterTonnesPerDay() == 0 && spec.getType() != io.qingliu.api.common.v1.FacilityType.FACILITY_TYPE_PIPE_NETWORK) {
            b.setCapacityAfterTonnesPerDay(spec.getCapacityTonnesPerDay());
        }
        if (b.getStandardAfterValue() == 0) {
            b.setStandardAfterValue(spec.getDischargeStandardValue());
        }
        if (b.getLengthKm() == 0) {
            b.setLengthKm(spec.getLengthKm());
        }
        return b.build();
    }

    /**
     * The facility a project will build: planned, and with the project's design values where the
     * facility spec leaves them out.
     */
    private static Facility newFacility(io.qingliu.api.project.v1.Project project, io.qingliu.api.project.v1.Facility spec,
            RegistryLookup lookup, LocalDate today, Violations v) {
        var b = spec.toBuilder();
        if (b.getOperatingState() != OperatingState.OPERATING_STATE_UNSPECIFIED
                && b.getOperatingState() != OperatingState.OPERATING_STATE_PLANNED) {
            v.add("new_facility.operating_state", "a facility the project builds starts as planned");
        }
        b.setOperatingState(OperatingState.OPERATING_STATE_PLANNED);
        if (b.getCapacityTonnesPerDay() == 0) {
            b.setCapacityTonnesPerDay(project.getCapacityAfterTonnesPerDay());
        }
        if (b.getLengthKm() == 0) {
            b.setLengthKm(project.getLengthKm());
        }
        if (b.getDischargeStandardValue() == 0) {
            b.setDischargeStandardValue(project.getStandardAfterValue());
        }
        Facility facility = new Facility();
        FacilityRules.apply(b.build(), facility, true, lookup, today, v.under("new_facility"));
        return facility;
    }
}
