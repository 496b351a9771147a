package io.qingliu.capacity.plan;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.LocalDate;

/**
 * A coverage goal of a plan. Its row id keys the derived coverage tables ({@code goal_unit} …),
 * which {@link io.qingliu.capacity.coverage.CoverageMaintainer#goalDefined} fills from its
 * {@link Definition}; a goal keeps its row as long as it stays in its plan.
 */
@Entity
@Table(name = "coverage_goal")
public class CoverageGoal extends PanacheEntityBase {

    /**
     * What decides which units the goal counts and what covers them: a change of any of these
     * recomputes the goal's coverage. {@code areaPrefix} is the code prefix of the area's units,
     * empty for the whole registry.
     */
    public record Definition(UnitLevel unitLevel, UnitKind unitKind, String areaCode, String areaPrefix, String basin,
            ServiceType serviceType) {
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "plan_id")
    public Plan plan;

    /** The id within the plan, e.g. {@code town-sewage}. */
    @Column(name = "goal_id")
    public String goalId;

    /** The goal's position in the plan's list. */
    public int ordinal;

    @Column(name = "display_name")
    public String displayName;

    @Convert(converter = UnitLevel.Column.class)
    @Column(name = "unit_level")
    public UnitLevel unitLevel;

    @Convert(converter = UnitKind.Column.class)
    @Column(name = "unit_kind")
    public UnitKind unitKind;

    /** A province, city or county; empty for the whole registry. */
    @Column(name = "area_code")
    public String areaCode = "";

    @Column(name = "area_prefix")
    public String areaPrefix = "";

    /** Empty: every basin. */
    public String basin = "";

    @Convert(converter = ServiceType.Column.class)
    @Column(name = "service_type")
    public ServiceType serviceType;

    public LocalDate deadline;

    public Definition definition() {
        return new Definition(unitLevel, unitKind, areaCode, areaPrefix, basin, serviceType);
    }

    public void define(Definition d) {
        unitLevel = d.unitLevel();
        unitKind = d.unitKind();
        areaCode = d.areaCode();
        areaPrefix = d.areaPrefix();
        basin = d.basin();
        serviceType = d.serviceType();
    }

    /** {@code plans/{plan_id}/coverageGoals/{goal_id}}. */
    public String resourceName() {
        return GoalName.format(plan.id, goalId);
    }
}
