package io.qingliu.capacity.support;

import com.google.type.Date;
import io.qingliu.capacity.feed.FeedStatus;
import io.qingliu.kit.grpc.ApiException;
import io.qingliu.kit.support.Clock;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.LocalDate;
import javax.sql.DataSource;

/**
 * The effective date a question is asked for: today when unset; never after today (what will be
 * is a forecast, not an answer) nor before the earliest effective date the registry holds (an
 * answer there would be an empty success that means nothing).
 */
@ApplicationScoped
public class AsOfDates {

    /** The earliest date, as read at a feed position; read again once the feed has moved on. */
    private record Earliest(long sequence, LocalDate date) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final FeedStatus feed;
    private volatile Earliest earliest;

    AsOfDates(DataSource dataSource, Clock clock, FeedStatus feed) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.feed = feed;
    }

    public LocalDate today() {
        return clock.today();
    }

    /** The date asked for in {@code field}, checked; INVALID_ARGUMENT naming the field otherwise. */
    public LocalDate resolve(boolean given, Date date, String field) {
        if (!given) {
            return clock.today();
        }
        LocalDate d;
        try {
            d = LocalDate.of(date.getYear(), date.getMonth(), date.getDay());
        } catch (DateTimeException e) {
            throw ApiException.invalidArgument(field, "is not a valid date (year, month and day all required)");
        }
        LocalDate today = clock.today();
        if (d.isAfter(today)) {
            throw ApiException.invalidArgument(field, "is after today (" + today + "); answers are as of a past date or today");
        }
        LocalDate earliest = earliest();
        if (earliest != null && d.isBefore(earliest)) {
            throw ApiException.invalidArgument(field, "is before any data: the earliest effective date in the registry is "
                    + earliest);
        }
        return d;
    }

    /**
     * The earliest effective date the read model holds, or null when it holds none. It changes only
     * when the feed applies changes, so it is read again only then.
     */
    LocalDate earliest() {
        long sequence = feed.snapshot().appliedSequence();
        Earliest known = earliest;
        if (known != null && known.sequence() == sequence && sequence > 0) {
            return known.date();
        }
        LocalDate date = readEarliest();
        earliest = new Earliest(sequence, date);
        return date;
    }

    private LocalDate readEarliest() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("""
                        SELECT least((SELECT min(operation_date) FROM facility),
                                     (SELECT min(entered_on) FROM project))""");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            java.sql.Date d = rs.getDate(1);
            return d == null ? null : d.toLocalDate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A google.type.Date of a LocalDate. */
    public static Date toProto(LocalDate d) {
        return Date.newBuilder().setYear(d.getYear()).setMonth(d.getMonthValue()).setDay(d.getDayOfMonth()).build();
    }
}
