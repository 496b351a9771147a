package io.qingliu.capacity.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.qingliu.api.capacity.v1.LateProject;
import io.qingliu.api.capacity.v1.Milestone;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.api.project.v1.ProjectState;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which planned date a project has missed, and the months a series runs over. */
class LateProjectsTest {

    static final LocalDate START = LocalDate.of(2019, 1, 1);
    static final LocalDate COMPLETION = LocalDate.of(2020, 3, 31);
    static final LocalDate COMMISSIONING = LocalDate.of(2020, 6, 30);

    @Test
    void aProjectNotStartedByItsPlannedStartIsLateOnTheStart() {
        LateProject late = ProgressQueries.late(project(ProjectState.PROJECT_STATE_APPROVED), LocalDate.of(2019, 1, 11));
        assertEquals(Milestone.MILESTONE_START, late.getMissed());
        assertEquals(10, late.getDaysLate());
    }

    @Test
    void aProjectUnderConstructionPastItsPlannedCompletionIsLateOnTheCompletion() {
        assertEquals(Milestone.MILESTONE_COMPLETION,
                ProgressQueries.late(project(ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION), LocalDate.of(2020, 5, 1))
                        .getMissed());
        assertNull(ProgressQueries.late(project(ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION), COMPLETION),
                "on the planned day itself it is not late yet");
    }

    @Test
    void aCompletedProjectPastItsPlannedCommissioningIsLateOnTheCommissioning() {
        assertEquals(Milestone.MILESTONE_COMMISSIONING,
                ProgressQueries.late(project(ProjectState.PROJECT_STATE_COMPLETED), LocalDate.of(2020, 7, 1)).getMissed());
    }

    @Test
    void commissionedAndCancelledProjectsAreNeverLate() {
        LocalDate muchLater = LocalDate.of(2025, 1, 1);
        assertNull(ProgressQueries.late(project(ProjectState.PROJECT_STATE_COMMISSIONED), muchLater));
        assertNull(ProgressQueries.late(project(ProjectState.PROJECT_STATE_CANCELLED), muchLater));
    }

    @Test
    void monthlySeriesEndOnTheLastDayOfEachMonthAndOnTheAsOfDate() {
        assertEquals(List.of(LocalDate.of(2018, 1, 31), LocalDate.of(2018, 2, 28), LocalDate.of(2018, 3, 15)),
                ProgressQueries.monthEnds(LocalDate.of(2018, 1, 1), LocalDate.of(2018, 3, 15)));
        assertEquals(List.of(LocalDate.of(2020, 2, 29)),
                ProgressQueries.monthEnds(LocalDate.of(2020, 2, 10), LocalDate.of(2020, 2, 29)));
    }

    private static ProgressQueries.PlanProject project(ProjectState state) {
        return new ProgressQueries.PlanProject(7, "某镇污水处理厂新建工程", ProjectKind.PROJECT_KIND_NEW_BUILD,
                FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT, "512021000000", state, null, BigDecimal.valueOf(800),
                START, COMPLETION, COMMISSIONING);
    }
}
