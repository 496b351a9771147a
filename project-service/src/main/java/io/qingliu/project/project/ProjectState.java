package io.qingliu.project.project;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a project: planned → approved → under construction → completed →
 * commissioned; any state before commissioned may be suspended (and resumed to the state it was
 * suspended from) or cancelled. Commissioned and cancelled are final.
 */
public enum ProjectState {
    PLANNED,
    APPROVED,
    UNDER_CONSTRUCTION,
    COMPLETED,
    COMMISSIONED,
    SUSPENDED,
    CANCELLED;

    public boolean isFinal() {
        return this == COMMISSIONED || this == CANCELLED;
    }

    /** The next state along the main line, or null. */
    public ProjectState next() {
        return switch (this) {
            case PLANNED -> APPROVED;
            case APPROVED -> UNDER_CONSTRUCTION;
            case UNDER_CONSTRUCTION -> COMPLETED;
            case COMPLETED -> COMMISSIONED;
            default -> null;
        };
    }

    /**
     * The states a project in this state may move to; {@code suspendedFrom} is the state a
     * suspended project resumes to.
     */
    public Set<ProjectState> legalTargets(ProjectState suspendedFrom) {
        if (isFinal()) {
            return EnumSet.noneOf(ProjectState.class);
        }
        if (this == SUSPENDED) {
            return EnumSet.of(suspendedFrom, CANCELLED);
        }
        return EnumSet.of(next(), SUSPENDED, CANCELLED);
    }
}
