package io.qingliu.project.facility;

import io.qingliu.project.division.Division;

/**
 * Where validation finds the records a request refers to: straight from the database for a
 * single call, from maps loaded in one query each for an import.
 */
public interface RegistryLookup {

    Division division(String code);

    Facility facility(long id);
}
