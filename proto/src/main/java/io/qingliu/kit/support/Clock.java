package io.qingliu.kit.support;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The service's notion of now and of today, in the programme's time zone ({@code qingliu.time-zone}). */
@ApplicationScoped
public class Clock {

    private final ZoneId zone;

    Clock(@ConfigProperty(name = "qingliu.time-zone", defaultValue = "Asia/Shanghai") ZoneId zone) {
        this.zone = zone;
    }

    public LocalDate today() {
        return LocalDate.now(zone);
    }

    public ZoneId zone() {
        return zone;
    }

    /** Now, at the microsecond precision PostgreSQL keeps, so a stored time reads back equal. */
    public Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
