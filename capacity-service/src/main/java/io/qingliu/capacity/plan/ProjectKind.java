package io.qingliu.capacity.plan;

import java.util.EnumSet;
import java.util.Set;

/**
 * What the projects a count target counts do; see {@code qingliu.project.v1.ProjectKind}. Each
 * kind acts on some facility types only, and a target may narrow itself to one of those.
 */
public enum ProjectKind implements Numbered {
    NEW_BUILD(1, EnumSet.of(FacilityType.SEWAGE_TREATMENT_PLANT, FacilityType.GARBAGE_TRANSFER_STATION,
            FacilityType.GARBAGE_DISPOSAL_SITE)),
    UPGRADE(2, EnumSet.of(FacilityType.SEWAGE_TREATMENT_PLANT)),
    EXPANSION(3, EnumSet.of(FacilityType.SEWAGE_TREATMENT_PLANT, FacilityType.GARBAGE_TRANSFER_STATION,
            FacilityType.GARBAGE_DISPOSAL_SITE)),
    PIPE_NETWORK(4, EnumSet.of(FacilityType.PIPE_NETWORK)),
    GARBAGE_COLLECTION(5, EnumSet.of(FacilityType.GARBAGE_COLLECTION_POINT, FacilityType.GARBAGE_TRANSFER_STATION,
            FacilityType.GARBAGE_DISPOSAL_SITE));

    private final int number;
    private final Set<FacilityType> actsOn;

    ProjectKind(int number, Set<FacilityType> actsOn) {
        this.number = number;
        this.actsOn = actsOn;
    }

    @Override
    public int number() {
        return number;
    }

    /** The facility types a target on projects of this kind may name. */
    public Set<FacilityType> actsOn() {
        return actsOn;
    }
}
