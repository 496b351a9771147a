package io.qingliu.kit.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;

/**
 * A position in a keyset-paginated listing: a row's sort value and its id.
 *
 * <p>The sort value is a {@link Long}, {@link String}, {@link LocalDate} or {@link Instant}; as a convenience for
 * values read from JDBC, {@link Integer}/{@link Short}, {@link OffsetDateTime}/{@link ZonedDateTime},
 * {@link java.sql.Timestamp} and {@link java.sql.Date} are converted to those. Null is not allowed (sort columns are
 * NOT NULL), nor are Instants finer than a microsecond (PostgreSQL's precision; pass values as read back from the
 * database).
 */
public record Keyset(Object sortValue, long id) {

    public Keyset {
        sortValue = normalize(sortValue);
    }

    private static Object normalize(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("null sort value; sortable columns must be NOT NULL");
        }
        Object v = value;
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            v = ((Number) v).longValue();
        } else if (v instanceof OffsetDateTime odt) {
            v = odt.toInstant();
        } else if (v instanceof ZonedDateTime zdt) {
            v = zdt.toInstant();
        } else if (v instanceof java.sql.Timestamp ts) {
            v = ts.toInstant();
        } else if (v instanceof java.sql.Date d) {
            v = d.toLocalDate();
        }
        SortValueType.ofValue(v); // rejects unsupported types
        if (v instanceof Instant instant && instant.getNano() % 1000 != 0) {
            throw new IllegalArgumentException("sort value " + instant + " is finer than a microsecond");
        }
        return v;
    }
}
