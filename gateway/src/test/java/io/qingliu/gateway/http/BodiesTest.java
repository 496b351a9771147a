package io.qingliu.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** What {@code If-Match} sends on to a service: the etag as the services write it, quotes included. */
class BodiesTest {

    @Test
    void anIfMatchIsTheEtagAsTheServicesWriteIt() {
        // As ETag and the body's etag give it (RFC 7232, AIP-154): unchanged.
        assertEquals("\"3\"", Bodies.ifMatch("\"3\""));
        assertEquals("\"3\"", Bodies.ifMatch("  \"3\" "));
        // What clients make of it: a weak tag, no quotes, the body's etag quoted once more.
        assertEquals("\"3\"", Bodies.ifMatch("W/\"3\""));
        assertEquals("\"3\"", Bodies.ifMatch("3"));
        assertEquals("\"3\"", Bodies.ifMatch("\"\"3\"\""));
        // A stale or foreign tag is passed on for the service to refuse (ABORTED, 409).
        assertEquals("\"stale\"", Bodies.ifMatch("\"stale\""));
        // No header, or any version: no check.
        assertNull(Bodies.ifMatch(null));
        assertNull(Bodies.ifMatch(" "));
        assertNull(Bodies.ifMatch("*"));
        // Without the header, the etag query parameter a transcoder sends.
        assertEquals("\"4\"", Bodies.ifMatch(null, "\"4\""));
        assertEquals("\"3\"", Bodies.ifMatch("\"3\"", "\"4\""));
    }
}
