package io.qingliu.project.support;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/** The service's notion of now and of today, in the programme's time zone. */
@ApplicationScoped
public class Clock {

    private final ZoneId zone;

    Clock(QingliuConfig config) {
        this.zone = config.timeZone();
    }

    public LocalDate today() {
        return LocalDate.now(zone);
    }

    /** Now, at the microsecond precision PostgreSQL keeps, so a stored time reads back equal. */
    public Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
