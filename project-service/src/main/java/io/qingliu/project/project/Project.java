package io.qingliu.project.project;

import io.qingliu.project.facility.DischargeStandard;
import io.qingliu.project.facility.FacilityType;
import io.qingliu.kit.support.IdName;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A work of the programme acting on one facility. */
@Entity
@Table(name = "project")
public class Project extends PanacheEntityBase {

    /** One source of the investment. */
    public record Funding(String source, long amountFen) {
    }

    /**
     * One lifecycle move. Dates are ISO-8601 text, so the JSON column reads the same whatever
     * JSON mapper settings are in force.
     */
    public record Transition(ProjectState from, ProjectState to, String effectiveDate, String recordedAt,
            String reason) {
    }

    @Id
    public Long id;

    @Column(name = "display_name")
    public String displayName;

    @Enumerated(EnumType.STRING)
    public ProjectKind kind;

    @Column(name = "facility_id")
    public Long facilityId;

    /** Copied from the facility, which cannot change type. */
    @Enumerated(EnumType.STRING)
    @Column(name = "facility_type")
    public FacilityType facilityType;

    /** Derived from the facility's location. */
    @Column(name = "county_code")
    public String countyCode;

    @Column(name = "township_code")
    public String townshipCode;

    @Column(name = "plan_code")
    public String planCode;

    @Column(name = "capacity_before_tpd")
    public BigDecimal capacityBeforeTpd = BigDecimal.ZERO;

    @Column(name = "capacity_after_tpd")
    public BigDecimal capacityAfterTpd = BigDecimal.ZERO;

    @Enumerated(EnumType.STRING)
    @Column(name = "standard_before")
    public DischargeStandard standardBefore;

    @Enumerated(EnumType.STRING)
    @Column(name = "standard_after")
    public DischargeStandard standardAfter;

    @Column(name = "length_km")
    public BigDecimal lengthKm = BigDecimal.ZERO;

    @Column(name = "planned_start_date")
    public LocalDate plannedStartDate;

    @Column(name = "planned_completion_date")
    public LocalDate plannedCompletionDate;

    @Column(name = "planned_commissioning_date")
    public LocalDate plannedCommissioningDate;

    @Column(name = "actual_start_date")
    public LocalDate actualStartDate;

    @Column(name = "actual_completion_date")
    public LocalDate actualCompletionDate;

    @Column(name = "actual_commissioning_date")
    public LocalDate actualCommissioningDate;

    @Column(name = "investment_fen")
    public long investmentFen;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<Funding> funding = new ArrayList<>();

    @Column(name = "responsible_unit")
    public String responsibleUnit;

    @Column(name = "progress_percent")
    public int progressPercent;

    public String notes;

    @Enumerated(EnumType.STRING)
    public ProjectState state;

    /** The state a suspended project resumes to. */
    @Enumerated(EnumType.STRING)
    @Column(name = "suspended_from")
    public ProjectState suspendedFrom;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<Transition> transitions = new ArrayList<>();

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;

    public String resourceName() {
        return IdName.PROJECT.format(id);
    }

    /** The effective date of the latest move. */
    public LocalDate lastEffectiveDate() {
        return transitions.isEmpty() ? null : LocalDate.parse(transitions.get(transitions.size() - 1).effectiveDate());
    }
}
