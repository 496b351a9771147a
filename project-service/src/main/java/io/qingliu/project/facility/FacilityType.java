package io.qingliu.project.facility;

/** The type of a facility; see {@code qingliu.common.v1.FacilityType}. */
public enum FacilityType {
    SEWAGE_TREATMENT_PLANT,
    PIPE_NETWORK,
    GARBAGE_COLLECTION_POINT,
    GARBAGE_TRANSFER_STATION,
    GARBAGE_DISPOSAL_SITE;

    /** Whether the type has a design capacity in tonnes a day (everything but pipe networks). */
    public boolean hasCapacity() {
        return this != PIPE_NETWORK;
    }

    /** The type this one must deliver to, or null when it delivers to nothing. */
    public FacilityType downstreamType() {
        return switch (this) {
            case PIPE_NETWORK -> SEWAGE_TREATMENT_PLANT;
            case GARBAGE_COLLECTION_POINT -> GARBAGE_TRANSFER_STATION;
            case GARBAGE_TRANSFER_STATION -> GARBAGE_DISPOSAL_SITE;
            default -> null;
        };
    }

    /**
     * Whether every unit it serves must lie in its own county: true for plants, networks and
     * collection points; transfer stations and disposal sites may serve several counties.
     */
    public boolean servesOwnCountyOnly() {
        return this != GARBAGE_TRANSFER_STATION && this != GARBAGE_DISPOSAL_SITE;
    }

}
