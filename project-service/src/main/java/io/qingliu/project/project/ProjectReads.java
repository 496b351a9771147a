package io.qingliu.project.project;

import io.qingliu.kit.grpc.ApiException;
import io.qingliu.kit.support.IdName;
import io.qingliu.project.facility.DischargeStandard;
import io.qingliu.project.facility.FacilityType;
import io.qingliu.project.support.QingliuConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * GetProject without a worker thread: the row is read by PostgreSQL's non-blocking client on the
 * event loop that received the call, and the answer leaves from there. GetProject is the API's
 * hottest call, and on the blocking path (a worker thread, a Hibernate session, JDBC) the hand-offs
 * between threads cost more than everything else: on the 2-core bench machine the service spent
 * about 470 µs of CPU per call that way (178 µs with a constant answer on a worker thread, 26 µs with
 * one on the event loop), 105 µs this way. The pool is its own ({@code qingliu.reads.pool-size}), on
 * the same database and account as the JDBC pool; a read sees every write committed before it.
 *
 * The row becomes a {@link Project} as Hibernate would load it and is mapped by
 * {@link ProjectMapper}, so both paths answer alike ({@code ProjectReadsTest} holds them to it).
 */
@ApplicationScoped
// Made at start: a URL the non-blocking client cannot read stops the service there, naming the setting.
@Startup
public class ProjectReads {

    /** Every column {@link ProjectMapper#toProto} reads. */
    private static final String SELECT = """
            SELECT id, display_name, kind, facility_id, facility_type, county_code, township_code, plan_code,
                   capacity_before_tpd, capacity_after_tpd, standard_before, standard_after, length_km,
                   planned_start_date, planned_completion_date, planned_commissioning_date, actual_start_date,
                   actual_completion_date, actual_commissioning_date, investment_fen, funding, responsible_unit,
                   progress_percent, notes, state, suspended_from, transitions, created_at, updated_at, version
            FROM project WHERE id = $1""";

    private final Pool pool;

    ProjectReads(Vertx vertx, QingliuConfig config, @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        PgConnectOptions connect = connectOptions(jdbcUrl);
        user.ifPresent(connect::setUser);
        connect.setPassword(password.orElse(""));
        connect.setCachePreparedStatements(true);
        PoolOptions options = new PoolOptions().setMaxSize(config.reads().poolSize())
                .setConnectionTimeout((int) config.reads().connectionTimeout().toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        this.pool = PgBuilder.pool().with(options).connectingTo(connect).using(vertx).build();
    }

    /**
     * The client's options for the service's JDBC URL, which must name one host
     * ({@code jdbc:postgresql://host[:port]/database[?parameters]}): the service does not start with
     * another form rather than read from somewhere else than it writes to.
     */
    static PgConnectOptions connectOptions(String jdbcUrl) {
        String prefix = "jdbc:postgresql://";
        String problem = "quarkus.datasource.jdbc.url must be jdbc:postgresql://host[:port]/database[?parameters] "
                + "(one host: GetProject's non-blocking client reads the same URL), not " + jdbcUrl;
        if (jdbcUrl == null || !jdbcUrl.startsWith(prefix)) {
            throw new IllegalStateException(problem);
        }
        String rest = jdbcUrl.substring(prefix.length());
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        if (hostPort.isEmpty() || hostPort.contains(",")) {
            throw new IllegalStateException(problem);
        }
        try {
            // The same URL without "jdbc:", parameters (sslmode…) included; one it does not know throws.
            return PgConnectOptions.fromUri("postgresql://" + rest);
        } catch (RuntimeException e) {
            throw new IllegalStateException(problem + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The project called {@code name}. Fails with an {@link ApiException} (a malformed name, NOT_FOUND)
     * or with a {@link SQLException} carrying the database's SQL state (a lost connection is
     * {@code 08006}), which {@code GrpcErrors} turns into what the client hears.
     */
    public Future<io.qingliu.api.project.v1.Project> get(String name) {
        long id;
        try {
            id = IdName.PROJECT.parse(name, "name");
        } catch (ApiException e) {
            return Future.failedFuture(e);
        }
        return pool.preparedQuery(SELECT).execute(Tuple.of(id)).transform(read -> {
            if (read.failed()) {
                return Future.failedFuture(asSqlException(read.cause()));
            }
            RowSet<Row> rows = read.result();
            if (rows.size() == 0) {
                return Future.failedFuture(ApiException.notFound(name));
            }
            return Future.succeededFuture(ProjectMapper.toProto(project(rows.iterator().next())));
        });
    }

    /** The database's refusal as JDBC would have said it; a failure to reach it as a lost connection. */
    private static SQLException asSqlException(Throwable failure) {
        if (failure instanceof PgException pg) {
            return new SQLException(pg.getErrorMessage(), pg.getSqlState(), failure);
        }
        return new SQLTransientConnectionException("the database could not be reached: " + failure.getMessage(), "08006",
                failure);
    }

    /**
     * The row as the entity Hibernate would load. Columns are read by position, in the order of
     * {@link #SELECT}: a lookup by name hashes the name on every call.
     */
    static Project project(Row r) {
        int c = 0;
        Project p = new Project();
        p.id = r.getLong(c++);
        p.displayName = r.getString(c++);
        p.kind = ProjectKind.valueOf(r.getString(c++));
        p.facilityId = r.getLong(c++);
        p.facilityType = FacilityType.valueOf(r.getString(c++));
        p.countyCode = r.getString(c++);
        p.townshipCode = r.getString(c++);
        p.planCode = r.getString(c++);
        p.capacityBeforeTpd = r.getBigDecimal(c++);
        p.capacityAfterTpd = r.getBigDecimal(c++);
        p.standardBefore = enumOrNull(DischargeStandard.class, r.getString(c++));
        p.standardAfter = enumOrNull(DischargeStandard.class, r.getString(c++));
        p.lengthKm = r.getBigDecimal(c++);
        p.plannedStartDate = r.getLocalDate(c++);
        p.plannedCompletionDate = r.getLocalDate(c++);
        p.plannedCommissioningDate = r.getLocalDate(c++);
        p.actualStartDate = r.getLocalDate(c++);
        p.actualCompletionDate = r.getLocalDate(c++);
        p.actualCommissioningDate = r.getLocalDate(c++);
        p.investmentFen = r.getLong(c++);
        p.funding = funding((JsonArray) r.getJson(c++));
        p.responsibleUnit = r.getString(c++);
        p.progressPercent = r.getInteger(c++);
        p.notes = r.getString(c++);
        p.state = ProjectState.valueOf(r.getString(c++));
        p.suspendedFrom = enumOrNull(ProjectState.class, r.getString(c++));
        p.transitions = transitions((JsonArray) r.getJson(c++));
        p.createdAt = r.getOffsetDateTime(c++).toInstant();
        p.updatedAt = r.getOffsetDateTime(c++).toInstant();
        p.version = r.getLong(c++);
        if (c != r.size()) {
            throw new IllegalStateException("SELECT has " + r.size() + " columns, the mapping reads " + c);
        }
        return p;
    }

    /** {@code [{"source", "amountFen"}]}, as the entity's JSON column holds it. */
    private static List<Project.Funding> funding(JsonArray json) {
        List<Project.Funding> out = new ArrayList<>(json.size());
        for (int i = 0; i < json.size(); i++) {
            JsonObject f = json.getJsonObject(i);
            out.add(new Project.Funding(f.getString("source"), f.getLong("amountFen")));
        }
        return out;
    }

    /** {@code [{"from", "to", "effectiveDate", "recordedAt", "reason"}]}, oldest first. */
    private static List<Project.Transition> transitions(JsonArray json) {
        List<Project.Transition> out = new ArrayList<>(json.size());
        for (int i = 0; i < json.size(); i++) {
            JsonObject t = json.getJsonObject(i);
            out.add(new Project.Transition(enumOrNull(ProjectState.class, t.getString("from")),
                    enumOrNull(ProjectState.class, t.getString("to")), t.getString("effectiveDate"),
                    t.getString("recordedAt"), t.getString("reason")));
        }
        return out;
    }

    private static <E extends Enum<E>> E enumOrNull(Class<E> type, String name) {
        return name == null ? null : Enum.valueOf(type, name);
    }

    @PreDestroy
    void close() {
        pool.close();
    }
}
