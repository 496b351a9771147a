package io.qingliu.project.feed;

import static io.qingliu.project.feed.FeedFixtures.date;
import static io.qingliu.project.feed.FeedFixtures.move;
import static io.qingliu.project.feed.FeedFixtures.newBuild;
import static io.qingliu.project.feed.FeedFixtures.uniqueName;
import static io.qingliu.project.testing.ChangeFeedReader.assertContiguous;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.type.Date;
import io.qingliu.api.common.v1.OperatingState;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.ChangeType;
import io.qingliu.api.project.v1.DeleteProjectRequest;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.GetFacilityRequest;
import io.qingliu.api.project.v1.GetProjectRequest;
import io.qingliu.api.project.v1.ImportProjectsResponse;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectImportEntry;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A call that changes two records writes both changes in its one transaction: they are
 * consecutive in the feed, with the same record time, and nothing of another write between them.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ChangeFeedTransactionsTest extends FeedTestBase {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What a step is expected to write for the facility (null: nothing) and the project. */
    record Step(String what, Facility facility, ChangeType facilityType, Project project, ChangeType projectType) {
    }

    @Test
    void commissioningANewBuildWritesTheFacilityAndTheProjectAsConsecutiveChanges() {
        String marker = uniqueName("commission");
        long start = ChangeFeedReader.currentHead(feed);
        try (ChangeFeedReader reader = ChangeFeedReader.open(feed, start, 0)) {
            Project p = projects.createProject(newBuild(marker, "512002101000", 500)); // 松涛镇, 雁江区
            Facility f = facility(p.getFacility());
            assertEquals(OperatingState.OPERATING_STATE_PLANNED, f.getOperatingState());
            Step created = new Step("create", f, ChangeType.CHANGE_TYPE_CREATED, p, ChangeType.CHANGE_TYPE_CREATED);

            Project approved = projects.transitionProject(move(p, ProjectState.PROJECT_STATE_APPROVED, date(2024, 1, 15)));
            Step approve = new Step("approve", null, null, approved, ChangeType.CHANGE_TYPE_UPDATED);

            Project building = projects.transitionProject(
                    move(approved, ProjectState.PROJECT_STATE_UNDER_CONSTRUCTION, date(2024, 3, 1)));
            Facility underConstruction = facility(p.getFacility());
            assertEquals(OperatingState.OPERATING_STATE_UNDER_CONSTRUCTION, underConstruction.getOperatingState());
            Step build = new Step("start", underConstruction, ChangeType.CHANGE_TYPE_UPDATED, building,
                    ChangeType.CHANGE_TYPE_UPDATED);

            Project completed = projects.transitionProject(
                    move(building, ProjectState.PROJECT_STATE_COMPLETED, date(2025, 6, 30)));
            Step complete = new Step("complete", null, null, completed, ChangeType.CHANGE_TYPE_UPDATED);

            Date commissioningDate = date(2025, 7, 15);
            Project commissioned = projects.transitionProject(
                    move(completed, ProjectState.PROJECT_STATE_COMMISSIONED, commissioningDate));
            Facility operating = facility(p.getFacility());
            assertEquals(OperatingState.OPERATING_STATE_IN_OPERATION, operating.getOperatingState());
            assertEquals(500, operating.getCapacityTonnesPerDay());
            assertEquals(commissioningDate, operating.getOperationDate());
            Step commission = new Step("commission", operating, ChangeType.CHANGE_TYPE_UPDATED, commissioned,
                    ChangeType.CHANGE_TYPE_UPDATED);

            reader.awaitChange(c -> c.getResourceName().equals(p.getName()) && c.getProject().equals(commissioned), TIMEOUT);
            assertContiguous(start, reader.changes());
            assertSteps(reader.changes(), Set.of(p.getName(), p.getFacility()),
                    List.of(created, approve, build, complete, commission));
        }
    }

    @Test
    void deletingAPlannedNewBuildDeletesItsFacilityInTheSameTransaction() {
        String marker = uniqueName("delete");
        Project p = projects.createProject(newBuild(marker, "512002103000", 80)); // 临江镇, 雁江区
        Project last = projects.getProject(GetProjectRequest.newBuilder().setName(p.getName()).build());
        Facility lastFacility = facility(p.getFacility());
        long start = ChangeFeedReader.currentHead(feed);
        try (ChangeFeedReader reader = ChangeFeedReader.open(feed, start, 0)) {
            projects.deleteProject(DeleteProjectRequest.newBuilder().setName(p.getName()).setEtag(p.getEtag()).build());
            reader.awaitChange(c -> c.getResourceName().equals(p.getName()), TIMEOUT);
            reader.awaitChange(c -> c.getResourceName().equals(p.getFacility()), TIMEOUT);
            assertContiguous(start, reader.changes());
            assertSteps(reader.changes(), Set.of(p.getName(), p.getFacility()), List.of(new Step("delete", lastFacility,
                    ChangeType.CHANGE_TYPE_DELETED, last, ChangeType.CHANGE_TYPE_DELETED)));
        }
    }

    @Test
    void anImportWritesAllItsChangesConsecutivelyEndingAtItsLastSequence() {
        String marker = uniqueName("import");
        List<ProjectImportEntry> entries = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            entries.add(FeedFixtures.entry(newBuild(marker + "-" + i, FeedFixtures.township(i), 50 + i)));
        }
        long start = ChangeFeedReader.currentHead(feed);
        try (ChangeFeedReader reader = ChangeFeedReader.open(feed, start, 0)) {
            ImportProjectsResponse answer = FeedFixtures.importProjects(feed, entries, 7);
            assertEquals(40, answer.getCreatedCount());
            reader.awaitSequence(answer.getLastSequence(), TIMEOUT);
            assertContiguous(start, reader.changes());
            List<Change> mine = reader.changes().stream()
                    .filter(c -> FeedFixtures.snapshotDisplayName(c).startsWith(marker + "-")).toList();
            assertEquals(80, mine.size(), "a facility and a project for each entry: " + describe(mine));
            for (int i = 0; i < mine.size(); i++) {
                Change c = mine.get(i);
                assertEquals(answer.getLastSequence() - 79 + i, c.getSequence(), "one transaction, consecutive");
                assertEquals(ChangeType.CHANGE_TYPE_CREATED, c.getType());
                assertEquals(mine.get(0).getRecordTime(), c.getRecordTime());
                assertEquals("test-admin", c.getActor());
                assertEquals(c.getResourceName(), FeedFixtures.snapshotName(c));
            }
            for (int i = 0; i < 40; i++) {
                Change facility = mine.get(2 * i);
                Change project = mine.get(2 * i + 1);
                assertEquals(answer.getProjects(i), project.getResourceName(), "entry " + i + " in stream order");
                Project now = projects.getProject(GetProjectRequest.newBuilder().setName(project.getResourceName()).build());
                assertEquals(now, project.getProject(), "entry " + i + ": project snapshot = stored project");
                assertEquals(now.getFacility(), facility.getResourceName(), "entry " + i + ": its facility first");
                assertEquals(facility(now.getFacility()), facility.getFacility(), "entry " + i + ": facility snapshot");
            }
        }
    }

    /**
     * Checks that the changes of {@code names} in the stream are exactly the steps' changes, in
     * step order, each step's changes consecutive and recorded at one time.
     */
    private static void assertSteps(List<Change> stream, Set<String> names, List<Step> steps) {
        List<Change> mine = stream.stream().filter(c -> names.contains(c.getResourceName())).toList();
        int at = 0;
        for (Step step : steps) {
            int size = step.facility() == null ? 1 : 2;
            assertTrue(at + size <= mine.size(), step.what() + ": missing changes; got " + describe(mine));
            List<Change> group = mine.subList(at, at + size);
            for (int i = 1; i < size; i++) {
                assertEquals(group.get(i - 1).getSequence() + 1, group.get(i).getSequence(),
                        step.what() + ": the changes of one call are consecutive: " + describe(group));
                assertEquals(group.get(0).getRecordTime(), group.get(i).getRecordTime(),
                        step.what() + ": one transaction, one record time");
            }
            Change projectChange = group.stream().filter(Change::hasProject).findFirst()
                    .orElseThrow(() -> new AssertionError(step.what() + ": no project change in " + describe(group)));
            assertEquals(step.projectType(), projectChange.getType(), step.what());
            assertEquals(step.project(), projectChange.getProject(), step.what() + ": project snapshot");
            if (step.facility() != null) {
                Change facilityChange = group.stream().filter(Change::hasFacility).findFirst()
                        .orElseThrow(() -> new AssertionError(step.what() + ": no facility change in " + describe(group)));
                assertEquals(step.facilityType(), facilityChange.getType(), step.what());
                assertEquals(step.facility(), facilityChange.getFacility(), step.what() + ": facility snapshot");
            }
            for (Change c : group) {
                assertEquals("test-admin", c.getActor());
            }
            at += size;
        }
        assertEquals(at, mine.size(), "no other changes of these records: " + describe(mine));
    }

    private static String describe(List<Change> changes) {
        return changes.stream().map(c -> c.getSequence() + ":" + c.getType() + ":" + c.getResourceName()).toList().toString();
    }

    private Facility facility(String name) {
        return projects.getFacility(GetFacilityRequest.newBuilder().setName(name).build());
    }
}
