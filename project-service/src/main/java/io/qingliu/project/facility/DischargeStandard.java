package io.qingliu.project.facility;

/** Effluent standards of sewage plants, declared from the least to the most strict. */
public enum DischargeStandard {
    GB18918_CLASS_3,
    GB18918_CLASS_2,
    GB18918_CLASS_1B,
    GB18918_CLASS_1A,
    DB51_2311_2016;

    public boolean isStricterThan(DischargeStandard other) {
        return other == null || ordinal() > other.ordinal();
    }
}
