package io.qingliu.capacity.coverage;

import io.qingliu.api.capacity.v1.ServiceType;
import io.qingliu.api.common.v1.DivisionKind;
import io.qingliu.api.common.v1.DivisionLevel;
import io.qingliu.capacity.plan.GoalName;
import io.qingliu.capacity.support.Areas.Area;
import io.qingliu.capacity.support.CatalogGeneration;
import io.qingliu.kit.grpc.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Finds coverage goals by resource name, as the queries need them. Definitions are kept in memory
 * while the {@link CatalogGeneration} they were read under is current: every answer names its
 * goal, and a query for the definition cost a round trip of each answer.
 */
@ApplicationScoped
public class Goals {

    /** A goal as stored: its row id, resource name and definition. */
    public record Goal(long id, String name, String displayName, DivisionLevel level, DivisionKind kind,
            String areaCode, String areaName, String areaPrefix, String basin, ServiceType service, LocalDate deadline) {

        /** The goal's area. */
        public Area area() {
            return areaCode.isEmpty() ? Area.EVERYWHERE : new Area(areaCode, areaName, null, areaPrefix);
        }
    }

    private static final String SELECT = """
            SELECT g.id, g.plan_id, g.goal_id, g.display_name, g.unit_level, g.unit_kind, g.area_code,
                   COALESCE(d.name, ''), g.area_prefix, g.basin, g.service_type, g.deadline
              FROM coverage_goal g LEFT JOIN division d ON d.code = g.area_code""";

    /** More names than any deployment defines goals: past it, the cache starts afresh. */
    private static final int MAX_KNOWN = 10_000;

    private final DataSource dataSource;
    private final CatalogGeneration.Cache<GoalName, Goal> known;

    Goals(DataSource dataSource, CatalogGeneration catalog) {
        this.dataSource = dataSource;
        this.known = catalog.cache(MAX_KNOWN);
    }

    /** The goal named in {@code field}; INVALID_ARGUMENT when malformed, NOT_FOUND when unknown. */
    public Goal byName(String name, String field) {
        GoalName parsed = GoalName.parse(name, field);
        Goal goal = known.get(parsed, p -> query(SELECT + " WHERE g.plan_id = ? AND g.goal_id = ?", p.planId(), p.goalId())
                .stream().findFirst().orElse(null));
        if (goal == null) {
            throw ApiException.notFound(name);
        }
        return goal;
    }

    /** The goals of a plan, in the plan's order. */
    public List<Goal> ofPlan(long planId) {
        return query(SELECT + " WHERE g.plan_id = ? ORDER BY g.ordinal", planId);
    }

    private List<Goal> query(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            List<Goal> goals = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    goals.add(new Goal(rs.getLong(1), GoalName.format(rs.getLong(2), rs.getString(3)),
                            rs.getString(4), DivisionLevel.forNumber(rs.getShort(5)), DivisionKind.forNumber(rs.getShort(6)),
                            rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                            ServiceType.forNumber(rs.getShort(11)), rs.getDate(12).toLocalDate()));
                }
            }
            return goals;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
