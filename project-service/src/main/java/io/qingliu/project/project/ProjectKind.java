package io.qingliu.project.project;

import io.qingliu.project.facility.FacilityType;
import java.util.EnumSet;
import java.util.Set;

/** What a project does to its facility; see {@code qingliu.project.v1.ProjectKind}. */
public enum ProjectKind {
    NEW_BUILD(EnumSet.allOf(FacilityType.class), true),
    UPGRADE(EnumSet.of(FacilityType.SEWAGE_TREATMENT_PLANT), false),
    EXPANSION(EnumSet.of(FacilityType.SEWAGE_TREATMENT_PLANT, FacilityType.GARBAGE_TRANSFER_STATION,
            FacilityType.GARBAGE_DISPOSAL_SITE), false),
    PIPE_NETWORK(EnumSet.of(FacilityType.PIPE_NETWORK), true),
    GARBAGE_COLLECTION(EnumSet.of(FacilityType.GARBAGE_COLLECTION_POINT, FacilityType.GARBAGE_TRANSFER_STATION,
            FacilityType.GARBAGE_DISPOSAL_SITE), true);

    private final Set<FacilityType> facilityTypes;
    private final boolean maySpecifyNewFacility;

    ProjectKind(Set<FacilityType> facilityTypes, boolean maySpecifyNewFacility) {
        this.facilityTypes = facilityTypes;
        this.maySpecifyNewFacility = maySpecifyNewFacility;
    }

    /** The facility types a project of this kind may act on. */
    public Set<FacilityType> facilityTypes() {
        return facilityTypes;
    }

    /** Whether the project may build its facility (a new build must; networks and garbage systems may). */
    public boolean maySpecifyNewFacility() {
        return maySpecifyNewFacility;
    }

    /** Whether the project must build its facility rather than act on an existing one. */
    public boolean requiresNewFacility() {
        return this == NEW_BUILD;
    }
}
