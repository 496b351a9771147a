package io.qingliu.gateway.report;

import com.google.type.Date;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc.CapacityServiceBlockingStub;
import io.qingliu.api.capacity.v1.CoverageBreakdown;
import io.qingliu.api.capacity.v1.CoverageGoal;
import io.qingliu.api.capacity.v1.GetPlanProgressRequest;
import io.qingliu.api.capacity.v1.GetPlanRequest;
import io.qingliu.api.capacity.v1.GoalUnit;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsRequest;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsResponse;
import io.qingliu.api.capacity.v1.Plan;
import io.qingliu.api.capacity.v1.PlanProgress;
import io.qingliu.api.capacity.v1.SummarizeCoverageRequest;
import io.qingliu.api.capacity.v1.SummarizeCoverageResponse;
import io.qingliu.gateway.downstream.Calls;
import io.qingliu.gateway.downstream.Service;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** Asks capacity-service for everything a progress report shows, and only that. */
@ApplicationScoped
public class ReportAssembler {

    /** Units asked for per ListUncoveredUnits page (the services' maximum is 1000; the tests ask fewer, to page). */
    @ConfigProperty(name = "qingliu.gateway.report-page-size", defaultValue = "1000")
    int pageSize;

    @GrpcClient("capacity")
    CapacityServiceBlockingStub capacity;

    @Inject
    Calls calls;

    /**
     * Every call that can fail on the request (unknown plan, area outside it) is made here, before
     * the first byte is written, so that such failures are proper 4xx answers. Only the pages after
     * the first of each uncovered list are fetched while the report is being written.
     */
    public ProgressReport assemble(String planId, Date asOfDate, String areaCode) {
        // The caller's token, taken now: the later pages are fetched while the body is written.
        Calls.AsCaller calls = this.calls.forCaller();
        String planName = "plans/" + planId;
        Plan plan = calls.read(Service.CAPACITY, capacity, s -> s.getPlan(GetPlanRequest.newBuilder().setName(planName).build()));
        var progressRequest = GetPlanProgressRequest.newBuilder().setName(planName).setAreaCode(areaCode);
        if (asOfDate != null) {
            progressRequest.setAsOfDate(asOfDate);
        }
        PlanProgress progress = calls.read(Service.CAPACITY, capacity, s -> s.getPlanProgress(progressRequest.build()));
        // The date the service resolved ("today" in its zone): every later call asks for that same day.
        Date date = progress.getAsOfDate();

        Map<String, String> counties = new LinkedHashMap<>();
        Map<String, String> townships = new LinkedHashMap<>();
        List<ProgressReport.Coverage> coverage = new ArrayList<>();
        String areaName = null;
        for (CoverageGoal goal : plan.getCoverageGoalsList()) {
            SummarizeCoverageResponse summary = calls.read(Service.CAPACITY, capacity,
                    s -> s.summarizeCoverage(SummarizeCoverageRequest.newBuilder().setGoal(goal.getName())
                            .setAreaCode(areaCode).setAsOfDate(date)
                            .setBreakdown(CoverageBreakdown.COVERAGE_BREAKDOWN_TOWNSHIP).build()));
            summary.getCountiesList().forEach(c -> counties.putIfAbsent(c.getCode(), c.getDisplayName()));
            summary.getTownshipsList().forEach(t -> townships.putIfAbsent(t.getCode(), t.getDisplayName()));
            if (areaName == null && !summary.getTotals().getDisplayName().isEmpty()) {
                areaName = summary.getTotals().getDisplayName();
            }
            ListUncoveredUnitsRequest first = ListUncoveredUnitsRequest.newBuilder().setGoal(goal.getName())
                    .setAreaCode(areaCode).setAsOfDate(date).setPageSize(pageSize).build();
            ListUncoveredUnitsResponse firstPage = calls.read(Service.CAPACITY, capacity, s -> s.listUncoveredUnits(first));
            coverage.add(new ProgressReport.Coverage(goal.getName(), goal.getGoalId(), goal.getDisplayName(),
                    summary.getTotals(), summary.getCountiesList(), summary.getTownshipsList(),
                    summary.getFeedSequence(), firstPage.getTotalSize(), () -> pages(calls, first, firstPage)));
        }
        String area = progress.getAreaCode().isEmpty() ? plan.getAreaCode() : progress.getAreaCode();
        return new ProgressReport(plan.getName(), plan.getCode(), plan.getDisplayName(), toLocalDate(date), area,
                areaName == null ? area : areaName, progress.getFeedSequence(), progress.getTargetsList(), coverage,
                progress.getLateProjectsList(), counties, townships);
    }

    /** The units page by page: the first page already fetched, each next one when the writer reaches it. */
    private Iterator<GoalUnit> pages(Calls.AsCaller calls, ListUncoveredUnitsRequest first,
            ListUncoveredUnitsResponse firstPage) {
        return new Iterator<>() {
            private ListUncoveredUnitsResponse page = firstPage;
            private int index;

            @Override
            public boolean hasNext() {
                while (index >= page.getUnitsCount() && !page.getNextPageToken().isEmpty()) {
                    var next = first.toBuilder().setPageToken(page.getNextPageToken()).build();
                    page = calls.read(Service.CAPACITY, capacity, s -> s.listUncoveredUnits(next));
                    index = 0;
                }
                return index < page.getUnitsCount();
            }

            @Override
            public GoalUnit next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.getUnits(index++);
            }
        };
    }

    static LocalDate toLocalDate(Date d) {
        return LocalDate.of(d.getYear(), d.getMonth(), d.getDay());
    }
}
