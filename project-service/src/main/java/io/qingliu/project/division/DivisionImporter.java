package io.qingliu.project.division;

import io.qingliu.api.project.v1.AuditAction;
import io.qingliu.api.project.v1.ChangeType;
import io.qingliu.api.project.v1.ImportDivisionsResponse;
import io.qingliu.api.project.v1.RetiredDivisionReference;
import io.qingliu.project.feed.ChangeLog;
import io.qingliu.kit.grpc.Violations;
import io.qingliu.kit.support.Clock;
import io.qingliu.project.support.CopyWriter;
import io.qingliu.kit.support.IdName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;
import org.postgresql.PGConnection;

/**
 * Imports an official division list in one transaction: all of it or none of it.
 *
 * <p>Rows stream from the files into a temporary table by COPY and are checked there (parents,
 * levels, duplicates), merged into {@code division} by one upsert, and units of the import's
 * area that it no longer lists are retired, never deleted: facilities keep their references and
 * the answer lists them. Every added, changed or retired unit is a change of the feed, written
 * in code order so that parents come before their children.
 *
 * <p>Two quirks of the national list are folded away: a few units repeat their parent's code
 * (a county placeholder of a city without counties, such as 东莞市, and 金门县's placeholder
 * township and village); such a row is the same unit as its parent and is skipped.
 */
@ApplicationScoped
public class DivisionImporter {

    private static final int MAX_REPORTED = 100;
    private static final int CHUNK = 10_000;

    /** One file of an import, and the layout it has. */
    public record ImportFile(DivisionFileFormat format, String name, Path path) {
    }

    private final EntityManager em;
    private final ChangeLog changeLog;
    private final Clock clock;

    DivisionImporter(EntityManager em, ChangeLog changeLog, Clock clock) {
        this.em = em;
        this.changeLog = changeLog;
        this.clock = clock;
    }

    @Transactional
    public ImportDivisionsResponse importFiles(List<ImportFile> files, List<String> completeUnderCodes,
            boolean validateOnly) {
        Violations v = new Violations();
        if (files.isEmpty()) {
            v.add("content", "the import holds no file");
        }
        boolean fourColumn = files.stream().anyMatch(f -> f.format() == DivisionFileFormat.FOUR_COLUMN);
        if (fourColumn && files.size() > 1) {
            v.add("role", "a four-column division list cannot be combined with other files in one import");
        }
        for (int i = 0; i < completeUnderCodes.size(); i++) {
            if (!DivisionDirectory.isWellFormed(completeUnderCodes.get(i))) {
                v.add("complete_under_codes[" + i + "]", "'" + completeUnderCodes.get(i) + "' is not a 12-digit division code");
            }
        }
        v.throwIfAny();
        List<ImportFile> ordered = new ArrayList<>(files);
        ordered.sort(Comparator.comparingInt(f -> f.format().ordinal()));
        Instant now = clock.now();
        return em.unwrap(Session.class).doReturningWork(c -> run(c, ordered, completeUnderCodes, validateOnly, now));
    }

    private ImportDivisionsResponse run(Connection c, List<ImportFile> files, List<String> completeUnder,
            boolean validateOnly, Instant now) throws SQLException {
        exec(c, """
                CREATE TEMP TABLE division_import (
                    code varchar(12) NOT NULL, name text NOT NULL, level text NOT NULL, rank int NOT NULL,
                    kind text NOT NULL, parent_code varchar(12), county_code varchar(12), township_code varchar(12),
                    file text NOT NULL, line bigint NOT NULL) ON COMMIT DROP""");
        long rowsRead = load(c, files);

        Violations v = new Violations();
        report(c, v, """
                SELECT min(file || ':' || line), code, count(*) FROM division_import GROUP BY code HAVING count(*) > 1
                ORDER BY 1 LIMIT 100""", r -> new String[] {"code",
                        r.getString(2) + " appears " + r.getLong(3) + " times in the import"});
        v.throwIfAny();
        exec(c, "CREATE UNIQUE INDEX ON division_import (code)");
        exec(c, "ANALYZE division_import");
        report(c, v, """
                SELECT i.file || ':' || i.line, i.parent_code, p.rank, i.rank FROM division_import i
                LEFT JOIN (SELECT code, rank FROM division_import
                           UNION ALL SELECT code, %s FROM division WHERE retired_at IS NULL) p ON p.code = i.parent_code
                WHERE i.parent_code IS NOT NULL AND (p.code IS NULL OR p.rank >= i.rank)
                ORDER BY i.file, i.line LIMIT 100""".formatted(rankOf("level")),
                r -> new String[] {"parent_code", r.getObject(3) == null
                        ? "parent " + r.getString(2) + " is neither in the import nor an active unit of the registry"
                        : "parent " + r.getString(2) + " is not above the unit's level"});
        completeUnderCodesExist(c, completeUnder, v);
        v.throwIfAny();

        exec(c, "UPDATE division_import SET county_code = code WHERE level = 'COUNTY'");
        exec(c, "UPDATE division_import SET township_code = code, county_code = parent_code WHERE level = 'TOWNSHIP'");
        exec(c, """
                UPDATE division_import i SET township_code = i.parent_code, county_code = p.county_code
                FROM division_import p WHERE p.code = i.parent_code AND i.level = 'VILLAGE'""");
        exec(c, """
                UPDATE division_import i SET township_code = i.parent_code, county_code = d.county_code
                FROM division d WHERE d.code = i.parent_code AND i.level = 'VILLAGE' AND i.township_code IS NULL""");

        scope(c, completeUnder);
        ImportDivisionsResponse.Builder response = ImportDivisionsResponse.newBuilder().setRowsRead(rowsRead);
        long total = count(c, "SELECT count(*) FROM division_import");
        response.setAddedCount(count(c,
                "SELECT count(*) FROM division_import i WHERE NOT EXISTS (SELECT 1 FROM division d WHERE d.code = i.code)"));
        response.setUpdatedCount(count(c, "SELECT count(*) FROM division_import i JOIN division d ON d.code = i.code WHERE "
                + DIFFERS));
        response.setUnchangedCount(total - response.getAddedCount() - response.getUpdatedCount());
        exec(c, "CREATE TEMP TABLE division_retiring ON COMMIT DROP AS " + RETIRING);
        response.setRetiredCount(count(c, "SELECT count(*) FROM division_retiring"));
        response.addAllRetiredInUse(retiredInUse(c));
        if (validateOnly) {
            return response.build();
        }

        exec(c, "CREATE TEMP TABLE division_changed (code varchar(12) PRIMARY KEY, change_type text NOT NULL) ON COMMIT DROP");
        try (PreparedStatement upsert = c.prepareStatement("""
                WITH up AS (
                    INSERT INTO division AS d (code, name, level, kind, parent_code, county_code, township_code, updated_at, version)
                    SELECT code, name, level, kind, parent_code, county_code, township_code, ?, 0 FROM division_import
                    ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, kind = excluded.kind,
                        parent_code = excluded.parent_code, county_code = excluded.county_code,
                        township_code = excluded.township_code, retired_at = NULL, updated_at = excluded.updated_at,
                        version = d.version + 1
                    WHERE (d.name, d.level, d.kind, d.parent_code, d.county_code, d.township_code, d.retired_at IS NOT NULL)
                        IS DISTINCT FROM (excluded.name, excluded.level, excluded.kind, excluded.parent_code,
                            excluded.county_code, excluded.township_code, false)
                    RETURNING d.code, (xmax = 0) AS inserted)
                INSERT INTO division_changed SELECT code, CASE WHEN inserted THEN 'CREATED' ELSE 'UPDATED' END FROM up""")) {
            upsert.setTimestamp(1, Timestamp.from(now));
            upsert.executeUpdate();
        }
        try (PreparedStatement retire = c.prepareStatement("""
                WITH r AS (UPDATE division d SET retired_at = ?, updated_at = ?, version = d.version + 1
                           FROM division_retiring x WHERE x.code = d.code RETURNING d.code)
                INSERT INTO division_changed SELECT code, 'UPDATED' FROM r""")) {
            retire.setTimestamp(1, Timestamp.from(now));
            retire.setTimestamp(2, Timestamp.from(now));
            retire.executeUpdate();
        }
        response.setLastSequence(writeFeed(c));
        return response.build();
    }

    /** An existing unit differs from its imported row (or comes back from retirement). */
    private static final String DIFFERS = """
            (d.name, d.level, d.kind, d.parent_code, d.county_code, d.township_code, d.retired_at IS NOT NULL)
            IS DISTINCT FROM (i.name, i.level, i.kind, i.parent_code, i.county_code, i.township_code, false)""";

    /** Active units of the import's area that it does not list. */
    private static final String RETIRING = """
            SELECT d.code FROM division d
            WHERE d.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM division_import i WHERE i.code = d.code)
              AND ((left(d.code, 4) IN (SELECT prefix FROM division_scope WHERE length(prefix) = 4)
                    AND d.level IN ('COUNTY', 'TOWNSHIP', 'VILLAGE'))
                OR (left(d.code, 6) IN (SELECT prefix FROM division_scope WHERE length(prefix) = 6)
                    AND d.level IN ('TOWNSHIP', 'VILLAGE')))""";

    /** Streams every file into the temporary table; bad rows are reported together at the end. */
    private long load(Connection c, List<ImportFile> files) throws SQLException {
        Violations v = new Violations();
        long rows = 0;
        long problems = 0;
        var copy = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY division_import (code, name, level, rank, kind, parent_code, file, line) FROM STDIN");
        try (Writer out = new CopyWriter(copy)) {
            for (ImportFile file : files) {
                DivisionFileParser parser = new DivisionFileParser(file.format());
                ParseResult result;
                try (InputStream in = Files.newInputStream(file.path())) {
                    result = parser.parse(in, file.name(), row -> {
                        if (row.code().equals(row.parentCode())) {
                            return; // a placeholder repeating its parent: the same unit
                        }
                        writeRow(out, row);
                    });
                }
                rows += result.rows();
                problems += result.problemCount();
                for (ParseProblem p : result.problems()) {
                    if (v.size() < MAX_REPORTED) {
                        v.add(p.file() + ":" + p.line() + "." + p.field(), p.message());
                    }
                }
            }
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new UncheckedIOException(e);
        }
        if (problems > v.size()) {
            v.add("content", (problems - v.size()) + " further problems not listed");
        }
        v.throwIfAny();
        return rows;
    }

    private static void writeRow(Writer out, DivisionRow row) {
        try {
            out.write(row.code());
            out.write('\t');
            out.write(CopyWriter.escape(row.name()));
            out.write('\t');
            out.write(row.level().name());
            out.write('\t');
            out.write(Integer.toString(row.level().ordinal()));
            out.write('\t');
            out.write(row.kind().name());
            out.write('\t');
            out.write(row.parentCode() == null ? "\\N" : row.parentCode());
            out.write('\t');
            out.write(CopyWriter.escape(row.file()));
            out.write('\t');
            out.write(Long.toString(row.line()));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The area the import describes completely: the given units, or else every city it lists. */
    private void scope(Connection c, List<String> completeUnder) throws SQLException {
        exec(c, "CREATE TEMP TABLE division_scope (prefix text PRIMARY KEY) ON COMMIT DROP");
        if (completeUnder.isEmpty()) {
            exec(c, "INSERT INTO division_scope SELECT DISTINCT left(code, 4) FROM division_import WHERE level = 'CITY'");
            return;
        }
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO division_scope
                SELECT DISTINCT left(u.code, CASE u.level WHEN 'CITY' THEN 4 ELSE 6 END)
                FROM (SELECT code, level FROM division_import UNION ALL SELECT code, level FROM division) u
                WHERE u.code = ANY (?) ON CONFLICT DO NOTHING""")) {
            st.setArray(1, c.createArrayOf("varchar", completeUnder.toArray()));
            st.executeUpdate();
        }
    }

    private void completeUnderCodesExist(Connection c, List<String> codes, Violations v) throws SQLException {
        for (int i = 0; i < codes.size(); i++) {
            try (PreparedStatement st = c.prepareStatement("""
                    SELECT level FROM division_import WHERE code = ?1
                    UNION ALL SELECT level FROM division WHERE code = ?1 LIMIT 1""".replace("?1", "?"))) {
                st.setString(1, codes.get(i));
                st.setString(2, codes.get(i));
                try (ResultSet rs = st.executeQuery()) {
                    String field = "complete_under_codes[" + i + "]";
                    if (!rs.next()) {
                        v.add(field, codes.get(i) + " is neither in the import nor in the registry");
                    } else if (!rs.getString(1).equals("CITY") && !rs.getString(1).equals("COUNTY")) {
                        v.add(field, codes.get(i) + " is a " + rs.getString(1).toLowerCase() + "; expected a city or county");
                    }
                }
            }
        }
    }

    private List<RetiredDivisionReference> retiredInUse(Connection c) throws SQLException {
        Map<String, RetiredDivisionReference.Builder> refs = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT r.code, f.id FROM division_retiring r
                JOIN facility f ON f.location_code = r.code OR f.served_codes @> ARRAY[r.code]::varchar(12)[]
                ORDER BY r.code, f.id LIMIT 10000""")) {
            while (rs.next()) {
                refs.computeIfAbsent(rs.getString(1), code -> RetiredDivisionReference.newBuilder().setDivisionCode(code))
                        .addFacilities(IdName.FACILITY.format(rs.getLong(2)));
            }
        }
        return refs.values().stream().map(RetiredDivisionReference.Builder::build).toList();
    }

    /** Writes every changed unit to the feed, in code order (parents first), a chunk at a time. */
    private long writeFeed(Connection c) throws SQLException {
        long changed = count(c, "SELECT count(*) FROM division_changed");
        if (changed == 0) {
            return 0;
        }
        ChangeLog.Appender writer = changeLog.open(c, changed);
        String after = "";
        try (PreparedStatement st = c.prepareStatement("""
                SELECT d.code, d.name, d.level, d.kind, d.parent_code, d.county_code, d.township_code, d.basin,
                       d.retired_at, d.updated_at, d.version, coalesce(d.basin, t.basin), x.change_type
                FROM division_changed x JOIN division d ON d.code = x.code
                LEFT JOIN division t ON t.code = d.township_code
                WHERE x.code > ? ORDER BY x.code LIMIT ?""")) {
            while (true) {
                st.setString(1, after);
                st.setInt(2, CHUNK);
                List<ChangeLog.Entry> entries = new ArrayList<>(CHUNK);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        Division d = DivisionDirectory.fromRow(rs);
                        var snapshot = DivisionMapper.toProto(d, rs.getString(12));
                        boolean created = rs.getString(13).equals("CREATED");
                        entries.add(new ChangeLog.Entry(snapshot.getName(),
                                created ? ChangeType.CHANGE_TYPE_CREATED : ChangeType.CHANGE_TYPE_UPDATED,
                                created ? AuditAction.AUDIT_ACTION_CREATED : AuditAction.AUDIT_ACTION_UPDATED, snapshot));
                        after = d.code;
                    }
                }
                if (entries.isEmpty()) {
                    break;
                }
                writer.write(entries);
            }
        }
        return writer.finish();
    }

    private interface RowReport {
        String[] describe(ResultSet rs) throws SQLException;
    }

    /** Runs a check query; each row is a violation at "file:line.field" (column 1 is "file:line"). */
    private static void report(Connection c, Violations v, String sql, RowReport describe) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String[] fieldAndMessage = describe.describe(rs);
                v.add(rs.getString(1) + "." + fieldAndMessage[0], fieldAndMessage[1]);
            }
        }
    }

    /** SQL giving the rank (province 0 … village 4) of a level column. */
    private static String rankOf(String column) {
        StringBuilder sql = new StringBuilder("CASE " + column);
        for (DivisionLevel level : DivisionLevel.values()) {
            sql.append(" WHEN '").append(level.name()).append("' THEN ").append(level.ordinal());
        }
        return sql.append(" END").toString();
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
