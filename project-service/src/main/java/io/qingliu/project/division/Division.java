package io.qingliu.project.division;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** An administrative division of the official code list, with the basin staff assign to it. */
@Entity
@Table(name = "division")
public class Division extends PanacheEntityBase {

    public static final String PREFIX = "divisions/";

    @Id
    public String code;

    public String name;

    @Enumerated(EnumType.STRING)
    public DivisionLevel level;

    @Enumerated(EnumType.STRING)
    public DivisionKind kind;

    @Column(name = "parent_code")
    public String parentCode;

    @Column(name = "county_code")
    public String countyCode;

    @Column(name = "township_code")
    public String townshipCode;

    /** Set on this unit itself; villages without one inherit their township's. */
    public String basin;

    @Column(name = "retired_at")
    public Instant retiredAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;

    public String resourceName() {
        return PREFIX + code;
    }

    public boolean isRetired() {
        return retiredAt != null;
    }
}
