package io.qingliu.project.project;

import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.project.v1.FundingSource;
import io.qingliu.api.project.v1.StateTransition;
import io.qingliu.kit.support.EnumMapping;
import io.qingliu.kit.support.Etags;
import io.qingliu.kit.support.IdName;
import io.qingliu.kit.support.Timestamps;
import java.time.Instant;
import java.time.LocalDate;

/** Project entity → API message. */
public final class ProjectMapper {

    private ProjectMapper() {
    }

    public static io.qingliu.api.project.v1.Project toProto(Project p) {
        var b = io.qingliu.api.project.v1.Project.newBuilder()
                .setName(p.resourceName())
                .setDisplayName(p.displayName)
                .setKind(EnumMapping.toProto(p.kind, io.qingliu.api.project.v1.ProjectKind.class))
                .setFacility(IdName.FACILITY.format(p.facilityId))
                .setCountyCode(p.countyCode)
                .setTownshipCode(p.townshipCode)
                .setFacilityType(EnumMapping.toProto(p.facilityType, FacilityType.class))
                .setCapacityBeforeTonnesPerDay(p.capacityBeforeTpd.doubleValue())
                .setCapacityAfterTonnesPerDay(p.capacityAfterTpd.doubleValue())
                .setStandardBefore(EnumMapping.toProto(p.standardBefore, DischargeStandard.class))
                .setStandardAfter(EnumMapping.toProto(p.standardAfter, DischargeStandard.class))
                .setLengthKm(p.lengthKm.doubleValue())
                .setInvestmentFen(p.investmentFen)
                .setProgressPercent(p.progressPercent)
                .setState(EnumMapping.toProto(p.state, io.qingliu.api.project.v1.ProjectState.class))
                .setCreateTime(Timestamps.of(p.createdAt))
                .setUpdateTime(Timestamps.of(p.updatedAt))
                .setEtag(Etags.of(p.version));
        if (p.planCode != null) {
            b.setPlanCode(p.planCode);
        }
        if (p.responsibleUnit != null) {
            b.setResponsibleUnit(p.responsibleUnit);
        }
        if (p.notes != null) {
            b.setNotes(p.notes);
        }
        setDate(p.plannedStartDate, b::setPlannedStartDate);
        setDate(p.plannedCompletionDate, b::setPlannedCompletionDate);
        setDate(p.plannedCommissioningDate, b::setPlannedCommissioningDate);
        setDate(p.actualStartDate, b::setActualStartDate);
        setDate(p.actualCompletionDate, b::setActualCompletionDate);
        setDate(p.actualCommissioningDate, b::setActualCommissioningDate);
        for (Project.Funding f : p.funding) {
            b.addFundingSources(FundingSource.newBuilder().setSource(f.source()).setAmountFen(f.amountFen()));
        }
        for (Project.Transition t : p.transitions) {
            var tb = StateTransition.newBuilder()
                    .setFromState(EnumMapping.toProto(t.from(), io.qingliu.api.project.v1.ProjectState.class))
                    .setToState(EnumMapping.toProto(t.to(), io.qingliu.api.project.v1.ProjectState.class))
                    .setEffectiveDate(Timestamps.date(LocalDate.parse(t.effectiveDate())))
                    .setRecordTime(Timestamps.of(Instant.parse(t.recordedAt())));
            if (t.reason() != null) {
                tb.setReason(t.reason());
            }
            b.addTransitions(tb);
        }
        return b.build();
    }

    private static void setDate(LocalDate date, java.util.function.Consumer<com.google.type.Date> setter) {
        if (date != null) {
            setter.accept(Timestamps.date(date));
        }
    }
}
