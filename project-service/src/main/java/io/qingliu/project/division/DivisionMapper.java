package io.qingliu.project.division;

import io.qingliu.kit.support.EnumMapping;
import io.qingliu.kit.support.Etags;
import io.qingliu.kit.support.Timestamps;

/** Division entity → API message. */
public final class DivisionMapper {

    private DivisionMapper() {
    }

    /** @param effectiveBasin the unit's own basin or else its township's (see {@link DivisionDirectory#effectiveBasin}) */
    public static io.qingliu.api.project.v1.Division toProto(Division d, String effectiveBasin) {
        var b = io.qingliu.api.project.v1.Division.newBuilder()
                .setName(d.resourceName())
                .setCode(d.code)
                .setDisplayName(d.name)
                .setLevel(EnumMapping.toProto(d.level, io.qingliu.api.common.v1.DivisionLevel.class))
                .setKind(EnumMapping.toProto(d.kind, io.qingliu.api.common.v1.DivisionKind.class))
                .setRetired(d.retiredAt != null)
                .setUpdateTime(Timestamps.of(d.updatedAt))
                .setEtag(Etags.of(d.version));
        if (d.parentCode != null) {
            b.setParent(Division.PREFIX + d.parentCode);
        }
        if (d.countyCode != null) {
            b.setCountyCode(d.countyCode);
        }
        if (d.townshipCode != null) {
            b.setTownshipCode(d.townshipCode);
        }
        if (d.basin != null) {
            b.setBasin(d.basin);
        }
        if (effectiveBasin != null) {
            b.setEffectiveBasin(effectiveBasin);
        }
        if (d.retiredAt != null) {
            b.setRetireTime(Timestamps.of(d.retiredAt));
        }
        return b.build();
    }
}
