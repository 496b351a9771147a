package io.qingliu.gateway.report;

import com.google.type.Date;
import io.qingliu.api.capacity.v1.Milestone;
import io.qingliu.api.capacity.v1.TargetType;
import io.qingliu.api.common.v1.DivisionKind;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.api.project.v1.ProjectState;
import java.math.BigDecimal;
import java.time.LocalDate;

/** Chinese labels of the API's enums, and numbers and dates written the same way in every format. */
final class Labels {

    private Labels() {
    }

    static String targetType(TargetType t) {
        return switch (t) {
            case TARGET_TYPE_PROJECT_COUNT -> "项目数";
            case TARGET_TYPE_ADDED_CAPACITY -> "新增处理能力(吨/日)";
            case TARGET_TYPE_COVERAGE -> "覆盖";
            default -> t.name();
        };
    }

    static String milestone(Milestone m) {
        return switch (m) {
            case MILESTONE_START -> "开工";
            case MILESTONE_COMPLETION -> "完工";
            case MILESTONE_COMMISSIONING -> "投运";
            default -> m.name();
        };
    }

    static String projectKind(ProjectKind k) {
        return switch (k) {
            case PROJECT_KIND_NEW_BUILD -> "新建";
            case PROJECT_KIND_UPGRADE -> "提标改造";
            case PROJECT_KIND_EXPANSION -> "扩建";
            case PROJECT_KIND_PIPE_NETWORK -> "管网";
            case PROJECT_KIND_GARBAGE_COLLECTION -> "垃圾收运";
            default -> k.name();
        };
    }

    static String projectState(ProjectState s) {
        return switch (s) {
            case PROJECT_STATE_PLANNED -> "规划";
            case PROJECT_STATE_APPROVED -> "已批复";
            case PROJECT_STATE_UNDER_CONSTRUCTION -> "在建";
            case PROJECT_STATE_COMPLETED -> "已完工";
            case PROJECT_STATE_COMMISSIONED -> "已投运";
            default -> s.name();
        };
    }

    static String divisionKind(DivisionKind k) {
        return switch (k.name()) {
            case "DIVISION_KIND_TOWN" -> "镇";
            case "DIVISION_KIND_TOWNSHIP" -> "乡";
            case "DIVISION_KIND_SUBDISTRICT" -> "街道";
            case "DIVISION_KIND_TOWNSHIP_OTHER" -> "乡级其他";
            case "DIVISION_KIND_VILLAGERS_COMMITTEE" -> "村委会";
            case "DIVISION_KIND_COMMUNITY" -> "居委会";
            case "DIVISION_KIND_VILLAGE_OTHER" -> "村级其他";
            default -> k.name();
        };
    }

    /** The API's enum name without its type's prefix, for machine-read columns (CSV). */
    static String shortName(Enum<?> e, String prefix) {
        String n = e.name();
        return n.startsWith(prefix) ? n.substring(prefix.length()).toLowerCase(java.util.Locale.ROOT) : n;
    }

    /** A double as the service sent it, without exponent or trailing zeros (76200, 12.5). */
    static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "";
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    static String date(Date d) {
        return d.getYear() == 0 ? "" : LocalDate.of(d.getYear(), d.getMonth(), Math.max(1, d.getDay())).toString();
    }

    static String yesNo(boolean b) {
        return b ? "是" : "否";
    }
}
