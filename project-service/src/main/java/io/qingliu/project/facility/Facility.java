package io.qingliu.project.facility;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import io.qingliu.kit.support.IdName;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A plant, pipe network or link of the garbage chain. */
@Entity
@Table(name = "facility")
public class Facility extends PanacheEntityBase {

    @Id
    public Long id;

    @Column(name = "display_name")
    public String displayName;

    @Enumerated(EnumType.STRING)
    public FacilityType type;

    /** The township or village where it stands. */
    @Column(name = "location_code")
    public String locationCode;

    /** Derived from the location: the county that owns the record. */
    @Column(name = "county_code")
    public String countyCode;

    @Column(name = "township_code")
    public String townshipCode;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "served_codes")
    public String[] servedCodes = new String[0];

    @Column(name = "capacity_tpd")
    public BigDecimal capacityTpd = BigDecimal.ZERO;

    @Enumerated(EnumType.STRING)
    @Column(name = "discharge_standard")
    public DischargeStandard dischargeStandard;

    @Column(name = "length_km")
    public BigDecimal lengthKm = BigDecimal.ZERO;

    @Column(name = "downstream_id")
    public Long downstreamId;

    @Enumerated(EnumType.STRING)
    @Column(name = "operating_state")
    public OperatingState operatingState;

    @Column(name = "operation_date")
    public LocalDate operationDate;

    @Column(name = "out_of_service_date")
    public LocalDate outOfServiceDate;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;

    public String resourceName() {
        return IdName.FACILITY.format(id);
    }
}
