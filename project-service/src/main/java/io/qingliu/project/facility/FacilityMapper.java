package io.qingliu.project.facility;

import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.common.v1.OperatingState;
import io.qingliu.kit.support.EnumMapping;
import io.qingliu.kit.support.Etags;
import io.qingliu.kit.support.IdName;
import io.qingliu.kit.support.Timestamps;
import java.util.Arrays;

/** Facility entity → API message. */
public final class FacilityMapper {

    private FacilityMapper() {
    }

    public static io.qingliu.api.project.v1.Facility toProto(Facility f) {
        var b = io.qingliu.api.project.v1.Facility.newBuilder()
                .setName(f.resourceName())
                .setDisplayName(f.displayName)
                .setType(EnumMapping.toProto(f.type, FacilityType.class))
                .setLocationCode(f.locationCode)
                .setCountyCode(f.countyCode)
                .setTownshipCode(f.townshipCode)
                .addAllServedDivisionCodes(Arrays.asList(f.servedCodes))
                .setCapacityTonnesPerDay(f.capacityTpd.doubleValue())
                .setDischargeStandard(EnumMapping.toProto(f.dischargeStandard, DischargeStandard.class))
                .setLengthKm(f.lengthKm.doubleValue())
                .setOperatingState(EnumMapping.toProto(f.operatingState, OperatingState.class))
                .setCreateTime(Timestamps.of(f.createdAt))
                .setUpdateTime(Timestamps.of(f.updatedAt))
                .setEtag(Etags.of(f.version));
        if (f.downstreamId != null) {
            b.setDownstreamFacility(IdName.FACILITY.format(f.downstreamId));
        }
        if (f.operationDate != null) {
            b.setOperationDate(Timestamps.date(f.operationDate));
        }
        if (f.outOfServiceDate != null) {
            b.setOutOfServiceDate(Timestamps.date(f.outOfServiceDate));
        }
        return b.build();
    }
}
