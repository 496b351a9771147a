package io.qingliu.project.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * Every binary form an import writes, read back by PostgreSQL as text: numerics of every shape
 * (zero, below one, whole thousands, many groups, negative, trailing zeros of the scale), dates on
 * both sides of PostgreSQL's epoch, arrays empty and not, jsonb, and NULL for each type.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class BinaryCopyWriterTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void eachValueReadsBackAsPostgreSQLWritesIt() throws Exception {
        List<BigDecimal> numbers = List.of(new BigDecimal("0"), new BigDecimal("0.000"), new BigDecimal("0.001"),
                new BigDecimal("0.5"), new BigDecimal("1"), new BigDecimal("1000"), new BigDecimal("10000.000"),
                new BigDecimal("12345.678"), new BigDecimal("99999.999"), new BigDecimal("123456789.123"),
                new BigDecimal("-20000.250"), new BigDecimal("0.0001"), new BigDecimal("1E+4"), new BigDecimal("7.10"));
        List<LocalDate> dates = List.of(LocalDate.of(2000, 1, 1), LocalDate.of(1999, 12, 31), LocalDate.of(2019, 6, 30),
                LocalDate.of(1970, 1, 1));
        Instant at = Instant.parse("2026-12-05T01:02:03.456789Z");
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE binary_forms (n numeric(13,3), m numeric, d date, a varchar(12)[], j jsonb, "
                    + "i integer, b bigint, t text, ts timestamptz)");
            // A small first buffer, so that it has to grow.
            BinaryCopyWriter rows = BinaryCopyWriter.inMemory(64);
            List<String> expected = new ArrayList<>();
            for (int k = 0; k < numbers.size(); k++) {
                BigDecimal n = numbers.get(k);
                LocalDate d = dates.get(k % dates.size());
                List<String> codes = k % 3 == 0 ? List.of() : List.of("512002104000", "51200210400" + k % 10);
                rows.row(9).numeric(n.setScale(3, RoundingMode.HALF_EVEN)).numeric(n).date(d).varcharArray(codes)
                        .jsonb("{\"k\": " + k + ", \"名\": \"安岳\"}").integer(k).bigint((long) -k).text("行" + k).timestamptz(at);
                expected.add(String.join("|", n.setScale(3, RoundingMode.HALF_EVEN).toPlainString(), n.toPlainString(), d.toString(),
                        "{" + String.join(",", codes) + "}", "{\"k\": " + k + ", \"名\": \"安岳\"}", Integer.toString(k),
                        Long.toString(-k), "行" + k, "2026-12-05 01:02:03.456789+00"));
            }
            rows.row(9).numeric(null).numeric(null).date(null).varcharArray(List.of()).jsonb(null).integer(null)
                    .bigint((Long) null).text(null).timestamptz(null);
            expected.add("null|null|null|{}|null|null|null|null|null");

            long copied = BinaryCopyWriter.copyIn(c.unwrap(PGConnection.class),
                    "COPY binary_forms FROM STDIN (FORMAT binary)", rows.toByteArray());
            assertEquals(numbers.size() + 1, copied);

            st.execute("SET TIME ZONE 'UTC'");
            List<String> read = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT n::text, m::text, d::text, a::text, j::text, i::text, b::text, t, "
                    + "ts::text FROM binary_forms")) {
                while (rs.next()) {
                    List<String> values = new ArrayList<>();
                    for (int col = 1; col <= 9; col++) {
                        values.add(String.valueOf(rs.getString(col)));
                    }
                    read.add(String.join("|", values));
                }
            }
            assertEquals(expected, read);
        }
    }
}
