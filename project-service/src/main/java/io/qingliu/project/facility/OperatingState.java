package io.qingliu.project.facility;

/** Where a facility stands in its life. */
public enum OperatingState {
    PLANNED,
    UNDER_CONSTRUCTION,
    IN_OPERATION,
    OUT_OF_SERVICE
}
