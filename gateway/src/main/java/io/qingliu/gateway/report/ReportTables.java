package io.qingliu.gateway.report;

import io.qingliu.api.capacity.v1.CoverageFigures;
import io.qingliu.api.capacity.v1.GoalUnit;
import io.qingliu.api.capacity.v1.LateProject;
import io.qingliu.api.capacity.v1.SeriesPoint;
import io.qingliu.api.capacity.v1.TargetProgress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;


/**
 * The report's tables, cell by cell, shared by every writer so that each format shows the same
 * rows and the same numbers. A cell is a String or a Number (written as a number where the format
 * has them); rows are produced as the writer asks for them, so the uncovered units stream.
 */
final class ReportTables {

    /** A column: its machine key (CSV header) and its Chinese label (HTML, Excel). */
    record Column(String key, String label) {
    }

    /** @param key the CSV section name; @param title the Chinese title (HTML heading, sheet name) */
    record Table(String key, String title, List<Column> columns, Iterable<List<Object>> rows) {
    }

    private ReportTables() {
    }

    static List<Table> of(ProgressReport r) {
        return List.of(summary(r), targets(r), monthly(r), counties(r), townships(r), uncovered(r), late(r));
    }

    static Table summary(ProgressReport r) {
        return new Table("report", "概况", columns("plan", "计划", "plan_code", "计划编号", "plan_name", "计划名称",
                "as_of_date", "截至日期", "area_code", "区域代码", "area_name", "区域", "feed_sequence", "数据序号"),
                List.of(List.of(r.plan(), r.planCode(), r.planName(), r.asOfDate().toString(), r.areaCode(),
                        r.areaName(), r.feedSequence())));
    }

    static Table targets(ProgressReport r) {
        List<List<Object>> rows = new ArrayList<>();
        for (TargetProgress t : r.targets()) {
            rows.add(List.of(t.getLabel(), Labels.targetType(t.getType()), t.getGoal(), t.getTarget(), t.getAchieved(),
                    t.getPipeline(), t.getPercent(), Labels.date(t.getDeadline()), t.getForecast(),
                    Labels.yesNo(t.getForecastMet())));
        }
        return new Table("targets", "目标完成情况", columns("target", "指标", "type", "类型", "goal", "覆盖目标",
                "target_value", "目标值", "achieved", "已完成", "pipeline", "在建及储备", "percent", "完成率(%)",
                "deadline", "期限", "forecast", "预计完成", "forecast_met", "预计能否完成"), rows);
    }

    static Table monthly(ProgressReport r) {
        List<List<Object>> rows = new ArrayList<>();
        for (TargetProgress t : r.targets()) {
            for (SeriesPoint p : t.getMonthlyList()) {
                rows.add(List.of(t.getLabel(), Labels.date(p.getDate()), p.getValue(), t.getTarget()));
            }
        }
        return new Table("monthly", "逐月进度", columns("target", "指标", "month", "月份", "value", "累计完成",
                "target_value", "目标值"), rows);
    }

    static Table counties(ProgressReport r) {
        List<List<Object>> rows = new ArrayList<>();
        for (ProgressReport.Coverage c : r.coverage()) {
            for (CoverageFigures f : c.counties()) {
                rows.add(List.of(c.goalId(), c.goalName(), f.getCode(), f.getDisplayName(), f.getCovered(),
                        f.getTotal(), f.getPercent()));
            }
            CoverageFigures t = c.totals();
            rows.add(List.of(c.goalId(), c.goalName(), t.getCode(), "合计", t.getCovered(), t.getTotal(),
                    t.getPercent()));
        }
        return new Table("coverage_by_county", "分县(区)覆盖情况", coverageColumns("county_code", "县(区)代码",
                "county_name", "县(区)"), rows);
    }

    static Table townships(ProgressReport r) {
        List<List<Object>> rows = new ArrayList<>();
        for (ProgressReport.Coverage c : r.coverage()) {
            for (CoverageFigures f : c.townships()) {
                rows.add(List.of(c.goalId(), c.goalName(), f.getCode(), f.getDisplayName(), f.getCovered(),
                        f.getTotal(), f.getPercent()));
            }
        }
        return new Table("coverage_by_township", "分乡镇覆盖情况", coverageColumns("township_code", "乡镇代码",
                "township_name", "乡镇"), rows);
    }

    static Table uncovered(ProgressReport r) {
        return new Table("uncovered", "未覆盖的乡镇和村", columns("goal", "覆盖目标", "goal_name", "目标名称", "code",
                "代码", "name", "名称", "kind", "类别", "county_name", "县(区)", "township_name", "乡镇", "basin", "流域"),
                uncoveredRows(r));
    }

    /** Each goal's units in turn, converted one at a time as the writer pulls them. */
    private static Iterable<List<Object>> uncoveredRows(ProgressReport r) {
        return () -> new Iterator<>() {
            private final Iterator<ProgressReport.Coverage> goals = r.coverage().iterator();
            private ProgressReport.Coverage goal;
            private Iterator<GoalUnit> units = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!units.hasNext() && goals.hasNext()) {
                    goal = goals.next();
                    units = goal.uncovered().iterator();
                }
                return units.hasNext();
            }

            @Override
            public List<Object> next() {
                hasNext();
                GoalUnit u = units.next();
                return List.of(goal.goalId(), goal.goalName(), u.getCode(), u.getDisplayName(),
                        Labels.divisionKind(u.getKind()), r.countyName(u.getCountyCode()),
                        r.townshipName(u.getTownshipCode()), u.getBasin());
            }
        };
    }

    static Table late(ProgressReport r) {
        List<List<Object>> rows = new ArrayList<>();
        for (LateProject p : r.lateProjects()) {
            rows.add(List.of(p.getProject(), p.getDisplayName(), Labels.projectKind(p.getKind()),
                    r.countyName(p.getCountyCode()), Labels.projectState(p.getState()), Labels.milestone(p.getMissed()),
                    Labels.date(p.getPlannedDate()), p.getDaysLate()));
        }
        return new Table("late_projects", "逾期项目", columns("project", "项目", "name", "名称", "kind", "类型",
                "county_name", "县(区)", "state", "状态", "missed", "逾期节点", "planned_date", "计划日期",
                "days_late", "逾期天数"), rows);
    }

    private static List<Column> coverageColumns(String codeKey, String codeLabel, String nameKey, String nameLabel) {
        return columns("goal", "覆盖目标", "goal_name", "目标名称", codeKey, codeLabel, nameKey, nameLabel, "covered",
                "已覆盖", "total", "总数", "percent", "覆盖率(%)");
    }

    private static List<Column> columns(String... keysAndLabels) {
        List<Column> out = new ArrayList<>();
        for (int i = 0; i < keysAndLabels.length; i += 2) {
            out.add(new Column(keysAndLabels[i], keysAndLabels[i + 1]));
        }
        return out;
    }

    /** A cell as text: numbers as the service sent them. */
    static String text(Object cell) {
        if (cell instanceof Double d) {
            return Labels.number(d);
        }
        return String.valueOf(cell);
    }

}
