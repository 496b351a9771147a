package io.qingliu.kit.auth;

/** What a method does, as far as who may call it is concerned. Each service lists its methods under one of these. */
public enum Access {
    /** Reads: every role. */
    READ,
    /** Writes to facilities and projects: planners and admins anywhere, a county within its own county. */
    WRITE_RECORDS,
    /** Writes to what the city as a whole plans (divisions' basins, plans): planners and admins. */
    WRITE_CITY,
    /** Imports of official division lists: admins. */
    ADMINISTER
}
