package io.qingliu.capacity.plan;

import io.qingliu.kit.support.IdName;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.BatchSize;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A programme with a code, a period, targets and coverage goals. */
@Entity
@Table(name = "plan")
public class Plan extends PanacheEntityBase {

    /**
     * A target on the number of projects commissioned, as stored in the JSON column: proto enum
     * numbers ({@link ProjectKind#number()}, {@link FacilityType#number()}), facility type 0 for
     * every type the kind acts on.
     */
    public record ProjectCountTarget(int projectKind, int facilityType, int count) {
    }

    /** A target on the capacity added, as stored in the JSON column: the facility type's proto number. */
    public record CapacityTarget(int facilityType, BigDecimal addedTonnesPerDay) {
    }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "plan_id")
    @SequenceGenerator(name = "plan_id", sequenceName = "plan_id_seq", allocationSize = 1)
    public Long id;

    /** The code projects carry in their plan_code; never changes. */
    public String code;

    @Column(name = "display_name")
    public String displayName;

    /** A city or county; empty for the whole registry. */
    @Column(name = "area_code")
    public String areaCode = "";

    @Column(name = "start_date")
    public LocalDate startDate;

    /** The last day of the period: the deadline of the count and capacity targets. */
    @Column(name = "end_date")
    public LocalDate endDate;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "project_count_targets")
    public List<ProjectCountTarget> projectCountTargets = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "capacity_targets")
    public List<CapacityTarget> capacityTargets = new ArrayList<>();

    @OneToMany(mappedBy = "plan", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("ordinal")
    @BatchSize(size = 100)
    public List<CoverageGoal> goals = new ArrayList<>();

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Subject of the token that created the plan, or {@code system}. */
    @Column(name = "created_by")
    public String createdBy = "system";

    @Column(name = "created_by_role")
    public String createdByRole;

    /** Subject of the token that changed the plan last, or {@code system}. */
    @Column(name = "updated_by")
    public String updatedBy = "system";

    @Column(name = "updated_by_role")
    public String updatedByRole;

    @Version
    public long version;

    public String resourceName() {
        return IdName.PLAN.format(id);
    }
}
