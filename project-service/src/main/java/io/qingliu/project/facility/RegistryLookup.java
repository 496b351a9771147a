package io.qingliu.project.facility;

import io.qingliu.project.division.Division;

/**
 * Where validation finds the records a request refers to: straight from the database for a
 * single call, from maps loaded in one query each for an import.
 */
public interface RegistryLookup {

    Division division(String code);

    Facility facility(long id);

    /** A lookup made of two functions. */
    static RegistryLookup of(java.util.function.Function<String, Division> divisions,
            java.util.function.LongFunction<Facility> facilities) {
        return new RegistryLookup() {
            @Override
            public Division division(String code) {
                return divisions.apply(code);
            }

            @Override
            public Facility facility(long id) {
                return facilities.apply(id);
            }
        };
    }
}
