package io.qingliu.capacity.progress;

import io.qingliu.api.capacity.v1.CapacityTarget;
import io.qingliu.api.capacity.v1.ProjectCountTarget;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.project.v1.ProjectKind;
import java.math.BigDecimal;

/** The Chinese labels of progress lines, in the words of the plan documents. */
final class Labels {

    private Labels() {
    }

    static String count(ProjectCountTarget t) {
        return kind(t.getProjectKind()) + type(t.getFacilityType()) + " " + t.getCount() + " 个";
    }

    static String capacity(CapacityTarget t) {
        return "新增" + type(t.getFacilityType()) + "处理能力 "
                + BigDecimal.valueOf(t.getAddedTonnesPerDay()).stripTrailingZeros().toPlainString() + " 吨/日";
    }

    static String kind(ProjectKind kind) {
        return switch (kind) {
            case PROJECT_KIND_NEW_BUILD -> "新建";
            case PROJECT_KIND_UPGRADE -> "提标改造";
            case PROJECT_KIND_EXPANSION -> "扩容";
            case PROJECT_KIND_PIPE_NETWORK -> "配套管网";
            case PROJECT_KIND_GARBAGE_COLLECTION -> "垃圾收运体系";
            default -> "";
        };
    }

    static String type(FacilityType type) {
        return switch (type) {
            case FACILITY_TYPE_SEWAGE_TREATMENT_PLANT -> "污水处理厂";
            case FACILITY_TYPE_PIPE_NETWORK -> "管网";
            case FACILITY_TYPE_GARBAGE_COLLECTION_POINT -> "垃圾收集点";
            case FACILITY_TYPE_GARBAGE_TRANSFER_STATION -> "垃圾转运站";
            case FACILITY_TYPE_GARBAGE_DISPOSAL_SITE -> "垃圾处理场";
            default -> "";
        };
    }
}
