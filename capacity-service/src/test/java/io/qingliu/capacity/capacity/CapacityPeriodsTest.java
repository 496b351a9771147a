package io.qingliu.capacity.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qingliu.api.project.v1.ProjectKind;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a facility's capacity over time follows from its operation and its commissioned works. */
class CapacityPeriodsTest {

    static final LocalDate OPENED = LocalDate.of(2010, 1, 1);

    @Test
    void aPlantWithoutWorksHasItsRegisteredCapacityWhileInOperation() {
        assertEquals(List.of(period(OPENED, null, 30000)),
                CapacityPeriods.periods(OPENED, null, tpd(30000), List.of()));
        assertEquals(List.of(period(OPENED, LocalDate.of(2015, 1, 1), 30000)),
                CapacityPeriods.periods(OPENED, LocalDate.of(2015, 1, 1), tpd(30000), List.of()));
    }

    @Test
    void anUpgradeChangesCapacityOnItsCommissioningDateAndNotBefore() {
        LocalDate upgraded = LocalDate.of(2019, 6, 30);
        assertEquals(List.of(period(OPENED, upgraded, 40000), period(upgraded, null, 50000)),
                CapacityPeriods.periods(OPENED, null, tpd(50000),
                        List.of(step(upgraded, ProjectKind.PROJECT_KIND_UPGRADE, 40000, 50000))));
    }

    @Test
    void aNewBuildStartsAtItsCapacityAndLaterExpansionsFollow() {
        LocalDate built = LocalDate.of(2019, 3, 31);
        LocalDate expanded = LocalDate.of(2021, 1, 1);
        assertEquals(List.of(period(built, expanded, 1000), period(expanded, null, 1500)),
                CapacityPeriods.periods(built, null, tpd(1500), List.of(
                        step(built, ProjectKind.PROJECT_KIND_NEW_BUILD, 0, 1000),
                        step(expanded, ProjectKind.PROJECT_KIND_EXPANSION, 1000, 1500))));
    }

    @Test
    void worksAfterTheFacilityLeftServiceDoNotCount() {
        LocalDate closed = LocalDate.of(2018, 1, 1);
        assertEquals(List.of(period(OPENED, closed, 40000)),
                CapacityPeriods.periods(OPENED, closed, tpd(40000),
                        List.of(step(LocalDate.of(2019, 1, 1), ProjectKind.PROJECT_KIND_EXPANSION, 40000, 60000))));
    }

    private static BigDecimal tpd(double t) {
        return BigDecimal.valueOf(t);
    }

    private static CapacityPeriods.Period period(LocalDate from, LocalDate until, double tpd) {
        return new CapacityPeriods.Period(from, until, tpd(tpd));
    }

    private static CapacityPeriods.Step step(LocalDate date, ProjectKind kind, double before, double after) {
        return new CapacityPeriods.Step(date, 1L, kind, tpd(before), tpd(after));
    }
}
