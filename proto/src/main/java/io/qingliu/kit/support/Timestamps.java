package io.qingliu.kit.support;

import com.google.protobuf.Timestamp;
import com.google.type.Date;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/** Conversions between java.time and the proto time types. */
public final class Timestamps {

    private Timestamps() {
    }

    public static Timestamp of(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    public static Instant toInstant(Timestamp ts) {
        return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
    }

    public static Date date(LocalDate date) {
        return Date.newBuilder().setYear(date.getYear()).setMonth(date.getMonthValue()).setDay(date.getDayOfMonth())
                .build();
    }

    /** True when the proto date is entirely unset (0-0-0). */
    public static boolean isUnset(Date date) {
        return date.getYear() == 0 && date.getMonth() == 0 && date.getDay() == 0;
    }

    /**
     * The calendar date of a proto date; null when unset. A partial or impossible date (a year of
     * 0, February 30th) throws {@link DateTimeException}.
     */
    public static LocalDate toLocalDate(Date date) {
        if (isUnset(date)) {
            return null;
        }
        if (date.getYear() < 1900 || date.getYear() > 2200) {
            throw new DateTimeException("year must be between 1900 and 2200");
        }
        return LocalDate.of(date.getYear(), date.getMonth(), date.getDay());
    }
}
