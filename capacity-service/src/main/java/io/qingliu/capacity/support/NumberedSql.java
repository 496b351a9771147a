package io.qingliu.capacity.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Statements with numbered parameters ({@code ?1}, {@code ?2}, …) that may repeat, bound by number:
 * JDBC knows only positional {@code ?}, and long queries that use one date five times read better
 * with names that do not drift when the query changes.
 */
public final class NumberedSql {

    private static final Pattern PARAMETER = Pattern.compile("\\?(\\d)");

    private NumberedSql() {
    }

    /** Prepares {@code sql}, binding each {@code ?N} to {@code values[N - 1]}. */
    public static PreparedStatement prepare(Connection c, String sql, Object... values) throws SQLException {
        PreparedStatement s = c.prepareStatement(PARAMETER.matcher(sql).replaceAll("?"));
        try {
            Matcher m = PARAMETER.matcher(sql);
            int position = 1;
            while (m.find()) {
                s.setObject(position++, values[Integer.parseInt(m.group(1)) - 1]);
            }
            return s;
        } catch (SQLException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
