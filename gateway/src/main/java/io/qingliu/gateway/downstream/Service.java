package io.qingliu.gateway.downstream;

/** The services the gateway calls, by the names people see in errors and health. */
public enum Service {
    PROJECT("project-service"),
    CAPACITY("capacity-service");

    private final String displayName;

    Service(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
