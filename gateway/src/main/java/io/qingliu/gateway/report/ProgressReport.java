package io.qingliu.gateway.report;

import io.qingliu.api.capacity.v1.CoverageFigures;
import io.qingliu.api.capacity.v1.GoalUnit;
import io.qingliu.api.capacity.v1.LateProject;
import io.qingliu.api.capacity.v1.TargetProgress;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What a progress report shows, exactly as capacity-service answered it: the writers format these
 * figures and never compute new ones, so HTML, CSV and Excel carry the same numbers.
 *
 * @param areaName the area's name as SummarizeCoverage gives it (the code when no goal answers)
 * @param countyNames county code to name, from the coverage answers (for late projects and units)
 * @param townshipNames township code to name, from the township breakdowns
 */
public record ProgressReport(String plan, String planCode, String planName, LocalDate asOfDate, String areaCode,
        String areaName, long feedSequence, List<TargetProgress> targets, List<Coverage> coverage,
        List<LateProject> lateProjects, Map<String, String> countyNames, Map<String, String> townshipNames) {

    /**
     * One coverage goal: SummarizeCoverage's figures, and its uncovered units paged lazily through
     * ListUncoveredUnits, so that a long list streams and is never held whole.
     */
    public record Coverage(String goal, String goalId, String goalName, CoverageFigures totals,
            List<CoverageFigures> counties, List<CoverageFigures> townships, long feedSequence, int uncoveredCount,
            Iterable<GoalUnit> uncovered) {
    }

    public String countyName(String code) {
        return countyNames.getOrDefault(code, "");
    }

    public String townshipName(String code) {
        return townshipNames.getOrDefault(code, "");
    }
}
