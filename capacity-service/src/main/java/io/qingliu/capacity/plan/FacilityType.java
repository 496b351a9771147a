package io.qingliu.capacity.plan;

/** The type of facility a target counts; see {@code qingliu.common.v1.FacilityType}. */
public enum FacilityType implements Numbered {
    SEWAGE_TREATMENT_PLANT(1),
    PIPE_NETWORK(2),
    GARBAGE_COLLECTION_POINT(3),
    GARBAGE_TRANSFER_STATION(4),
    GARBAGE_DISPOSAL_SITE(5);

    private final int number;

    FacilityType(int number) {
        this.number = number;
    }

    @Override
    public int number() {
        return number;
    }

    /** Whether the type has a treatment capacity in tonnes a day (everything but pipe networks). */
    public boolean hasCapacity() {
        return this != PIPE_NETWORK;
    }
}
