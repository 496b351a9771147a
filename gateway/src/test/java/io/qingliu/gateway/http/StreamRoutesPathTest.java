package io.qingliu.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The streaming routes are found by path whether or not the client percent-encoded the colon of a custom method. */
class StreamRoutesPathTest {

    @Test
    void aPercentEncodedColonIsMatchedAsTheColonItStandsFor() {
        assertEquals("/api/v1/projects:import", StreamRoutes.decodedColons("/api/v1/projects%3Aimport"));
        assertEquals("/api/v1/changes:watch", StreamRoutes.decodedColons("/api/v1/changes%3awatch"));
        assertEquals("/api/v1/divisions:import", StreamRoutes.decodedColons("/api/v1/divisions:import"));
    }

    @Test
    void otherEscapesAreLeftAsTheyAreAndMatchNoRoute() {
        assertEquals("/api/v1/projects%2Fimport", StreamRoutes.decodedColons("/api/v1/projects%2Fimport"));
        assertEquals("/api/v1/projects%253Aimport", StreamRoutes.decodedColons("/api/v1/projects%253Aimport"));
    }
}
