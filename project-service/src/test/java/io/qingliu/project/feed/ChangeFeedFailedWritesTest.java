package io.qingliu.project.feed;

import static io.qingliu.project.feed.FeedFixtures.createPlant;
import static io.qingliu.project.feed.FeedFixtures.date;
import static io.qingliu.project.feed.FeedFixtures.move;
import static io.qingliu.project.feed.FeedFixtures.newBuild;
import static io.qingliu.project.feed.FeedFixtures.plant;
import static io.qingliu.project.feed.FeedFixtures.renamePlant;
import static io.qingliu.project.feed.FeedFixtures.snapshotDisplayName;
import static io.qingliu.project.feed.FeedFixtures.township;
import static io.qingliu.project.feed.FeedFixtures.uniqueName;
import static io.qingliu.project.testing.ChangeFeedReader.assertContiguous;
import static io.qingliu.kit.testing.StatusAssertions.assertStatus;
import static io.qingliu.kit.testing.StatusAssertions.violatedFields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.ChangeType;
import io.qingliu.api.project.v1.CreateFacilityRequest;
import io.qingliu.api.project.v1.CreateProjectRequest;
import io.qingliu.api.project.v1.DeleteFacilityRequest;
import io.qingliu.api.project.v1.DeleteProjectRequest;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.GetFacilityRequest;
import io.qingliu.api.project.v1.GetProjectRequest;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectImportEntry;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A write that fails changes nothing, so the feed gets nothing; a retried create is recorded once. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ChangeFeedFailedWritesTest extends FeedTestBase {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void rejectedWritesLeaveTheHeadWhereItWasAndDeliverNothing() {
        String marker = uniqueName("failed");
        Facility plant = createPlant(projects, marker + " plant", township(3), 300);
        Project project = projects.createProject(newBuild(marker + " project", township(4), 500));
        Facility built = projects.getFacility(GetFacilityRequest.newBuilder().setName(project.getFacility()).build());
        Set<String> mine = Set.of(plant.getName(), project.getName(), built.getName());
        Predicate<Change> isMine = c -> mine.contains(c.getResourceName()) || snapshotDisplayName(c).contains(marker);

        long start = ChangeFeedReader.currentHead(feed);
        try (ChangeFeedReader reader = ChangeFeedReader.open(feed, start, 0)) {
            // An invalid CreateProject whose new facility alone would be valid.
            CreateProjectRequest valid = newBuild(marker + " bad plan", township(5), 500);
            CreateProjectRequest badPlan = valid.toBuilder()
                    .setProject(valid.getProject().toBuilder().setPlanCode("not a plan code!")).build();
            rejected(Status.Code.INVALID_ARGUMENT, "project.plan_code", () -> projects.createProject(badPlan));
            CreateProjectRequest countyAsLocation = newBuild(marker + " county", "512002000000", 500);
            rejected(Status.Code.INVALID_ARGUMENT, "new_facility.location_code",
                    () -> projects.createProject(countyAsLocation));
            rejected(Status.Code.INVALID_ARGUMENT, "facility.display_name", () -> projects.createFacility(
                    CreateFacilityRequest.newBuilder().setFacility(plant("", township(6), 1)).build()));

            // Stale etags: ABORTED.
            rejected(Status.Code.ABORTED, null,
                    () -> renamePlant(projects, plant.getName(), "\"999\"", marker + " stale", 1));
            rejected(Status.Code.ABORTED, null, () -> projects.transitionProject(
                    move(project, ProjectState.PROJECT_STATE_APPROVED, date(2024, 1, 1)).toBuilder().setEtag("\"7\"")
                            .build()));
            rejected(Status.Code.ABORTED, null, () -> projects.deleteProject(
                    DeleteProjectRequest.newBuilder().setName(project.getName()).setEtag("\"42\"").build()));

            // Invalid values on an existing record.
            rejected(Status.Code.INVALID_ARGUMENT, "facility.capacity_tonnes_per_day",
                    () -> renamePlant(projects, plant.getName(), plant.getEtag(), marker + " negative", -1));
            LocalDate tomorrow = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(2);
            rejected(Status.Code.INVALID_ARGUMENT, "effective_date", () -> projects.transitionProject(
                    move(project, ProjectState.PROJECT_STATE_APPROVED,
                            date(tomorrow.getYear(), tomorrow.getMonthValue(), tomorrow.getDayOfMonth()))));

            // Illegal lifecycle move, and a facility still in use.
            rejected(Status.Code.FAILED_PRECONDITION, null, () -> projects.transitionProject(
                    move(project, ProjectState.PROJECT_STATE_COMMISSIONED, date(2024, 1, 1))));
            rejected(Status.Code.FAILED_PRECONDITION, null, () -> projects.deleteFacility(
                    DeleteFacilityRequest.newBuilder().setName(built.getName()).build()));

            // An all-or-nothing import with one invalid entry among valid ones.
            List<ProjectImportEntry> entries = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                entries.add(FeedFixtures.entry(newBuild(marker + " import " + i, township(i), 10 + i)));
            }
            CreateProjectRequest invalid = newBuild(marker + " import bad", township(11), 10);
            entries.set(6, FeedFixtures.entry(invalid.toBuilder()
                    .setProject(invalid.getProject().toBuilder().setInvestmentFen(-1)).build()));
            rejected(Status.Code.INVALID_ARGUMENT, "entries[6].project.investment_fen",
                    () -> FeedFixtures.importProjects(feed, entries, 3));

            long headAfter = ChangeFeedReader.currentHead(feed);
            reader.awaitSequence(headAfter, TIMEOUT);
            List<Change> between = reader.changes().stream().filter(c -> c.getSequence() <= headAfter).toList();
            assertContiguous(start, between);
            // The head moved only by other tests' writes, if any ran meanwhile: none of the changes is ours.
            List<Change> leaked = between.stream().filter(isMine).toList();
            assertEquals(List.of(), leaked, "failed writes reached the feed");

            // Nothing changed either.
            assertEquals(plant, projects.getFacility(GetFacilityRequest.newBuilder().setName(plant.getName()).build()));
            assertEquals(built, projects.getFacility(GetFacilityRequest.newBuilder().setName(built.getName()).build()));
            assertEquals(project, projects.getProject(GetProjectRequest.newBuilder().setName(project.getName()).build()));

            // The next successful write of ours is the first change of ours after the failures.
            Facility sentinel = createPlant(projects, marker + " sentinel", township(7), 1);
            Change first = reader.awaitChange(isMine, TIMEOUT);
            assertEquals(sentinel.getName(), first.getResourceName());
            assertEquals(sentinel, first.getFacility());
        }
    }

    @Test
    void aRetriedCreateIsRecordedOnce() {
        String marker = uniqueName("retried");
        String requestId = UUID.randomUUID().toString();
        CreateFacilityRequest request = CreateFacilityRequest.newBuilder().setRequestId(requestId)
                .setFacility(plant(marker, township(8), 60)).build();
        long start = ChangeFeedReader.currentHead(feed);
        try (ChangeFeedReader reader = ChangeFeedReader.open(feed, start, 0)) {
            Facility first = projects.createFacility(request);
            Facility again = projects.createFacility(request);
            assertEquals(first, again, "the retry returns the first result");
            Facility sentinel = createPlant(projects, marker + " sentinel", township(9), 1);
            reader.awaitChange(c -> c.getResourceName().equals(sentinel.getName()), TIMEOUT);
            List<Change> created = reader.changes().stream()
                    .filter(c -> snapshotDisplayName(c).equals(marker) || c.getResourceName().equals(first.getName()))
                    .toList();
            assertEquals(1, created.size(), "one change for the create and its retry: " + created);
            assertEquals(ChangeType.CHANGE_TYPE_CREATED, created.get(0).getType());
            assertEquals(first, created.get(0).getFacility());
            assertContiguous(start, reader.changes());
        }
    }

    private static void rejected(Status.Code code, String field, Executable call) {
        StatusRuntimeException e = assertStatus(code, call);
        if (field != null) {
            assertTrue(violatedFields(e).contains(field), "the error names " + field + ": " + violatedFields(e));
        }
    }
}
