package io.qingliu.project.support;

import org.hibernate.engine.spi.SelfDirtinessTracker;

/**
 * Hibernate's bytecode enhancement records every field write of an entity, each time searching
 * the names written so far: filling a new entity field by field costs quadratic time in its
 * fields, a noticeable part of an import's work. A new entity needs no such record before it is
 * persisted (its insert writes every column), so the rules fill it untracked.
 */
public final class Entities {

    private Entities() {
    }

    /** The new entity, its field writes not tracked until {@link #tracked}. */
    public static <T> T untracked(T entity) {
        if (entity instanceof SelfDirtinessTracker t) {
            t.$$_hibernate_suspendDirtyTracking(true);
        }
        return entity;
    }

    /** Tracks the entity's field writes again, so that a change after it is persisted is written. */
    public static <T> T tracked(T entity) {
        if (entity instanceof SelfDirtinessTracker t) {
            t.$$_hibernate_suspendDirtyTracking(false);
        }
        return entity;
    }
}
