package io.qingliu.project.project;

import static io.qingliu.project.testing.RegistryFixtures.QINGLIU;
import static io.qingliu.project.testing.RegistryFixtures.createProject;
import static io.qingliu.project.testing.RegistryFixtures.date;
import static io.qingliu.project.testing.RegistryFixtures.mask;
import static io.qingliu.project.testing.RegistryFixtures.newBuild;
import static io.qingliu.project.testing.RegistryFixtures.plan;
import static io.qingliu.project.testing.RegistryFixtures.transition;
import static io.qingliu.project.testing.RegistryFixtures.unique;
import static io.qingliu.kit.testing.StatusAssertions.assertFieldViolations;
import static io.qingliu.kit.testing.StatusAssertions.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.qingliu.api.project.v1.AuditAction;
import io.qingliu.api.project.v1.AuditRecord;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.DeleteProjectRequest;
import io.qingliu.api.project.v1.FieldChange;
import io.qingliu.api.project.v1.FundingSource;
import io.qingliu.api.project.v1.ListProjectHistoryRequest;
import io.qingliu.api.project.v1.ListProjectHistoryResponse;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.api.project.v1.UpdateProjectRequest;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** ListProjectHistory: who changed what and when, field by field, kept after deletion. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ProjectHistoryTest {

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub stub;

    private List<AuditRecord> history(String name) {
        List<AuditRecord> records = new ArrayList<>();
        String token = "";
        do {
            ListProjectHistoryResponse page = stub.listProjectHistory(ListProjectHistoryRequest.newBuilder().setName(name)
                    .setPageSize(2).setPageToken(token).build());
            records.addAll(page.getRecordsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return records;
    }

    private static Map<String, FieldChange> byField(AuditRecord record) {
        return record.getFieldChangesList().stream().collect(Collectors.toMap(FieldChange::getField, c -> c));
    }

    @Test
    void createUpdateTransitionAndDeleteAreRecordedWithTheirFieldChanges() {
        long head = ChangeFeedReader.currentHead(stub);
        String oldName = "清流镇污水处理厂新建工程 " + unique();
        Project created = createProject(stub, newBuild(plan(), oldName, QINGLIU, 1200));
        String newName = "清流镇污水处理厂新建工程（一期） " + unique();
        Project updated = stub.updateProject(UpdateProjectRequest.newBuilder().setProject(created.toBuilder()
                .setDisplayName(newName).setProgressPercent(5)
                .addFundingSources(FundingSource.newBuilder().setSource("中央预算内投资").setAmountFen(500_000_00L)))
                .setUpdateMask(mask("display_name", "progress_percent", "funding_sources")).build());
        Project approved = transition(stub, updated, ProjectState.PROJECT_STATE_APPROVED, date(2019, 4, 1));
        assertStatus(Status.Code.FAILED_PRECONDITION, () -> stub.deleteProject(DeleteProjectRequest.newBuilder()
                .setName(approved.getName()).build()));
        // Cancel, then delete.
        Project cancelled = transition(stub, approved, ProjectState.PROJECT_STATE_CANCELLED, date(2019, 5, 1));
        stub.deleteProject(DeleteProjectRequest.newBuilder().setName(cancelled.getName()).build());
        assertStatus(Status.Code.NOT_FOUND, () -> stub.getProject(io.qingliu.api.project.v1.GetProjectRequest.newBuilder()
                .setName(cancelled.getName()).build()));

        List<AuditRecord> records = history(created.getName());
        assertEquals(List.of(AuditAction.AUDIT_ACTION_CREATED, AuditAction.AUDIT_ACTION_UPDATED,
                AuditAction.AUDIT_ACTION_TRANSITIONED, AuditAction.AUDIT_ACTION_TRANSITIONED, AuditAction.AUDIT_ACTION_DELETED),
                records.stream().map(AuditRecord::getAction).toList(), "history is kept after deletion, oldest first");
        for (AuditRecord r : records) {
            assertEquals(created.getName(), r.getResourceName());
            assertEquals("test-admin", r.getActor());
            assertTrue(r.hasRecordTime());
        }
        for (int i = 1; i < records.size(); i++) {
            assertTrue(records.get(i).getSequence() > records.get(i - 1).getSequence());
        }

        // Created: every field that was set, from nothing.
        Map<String, FieldChange> create = byField(records.get(0));
        assertEquals("", create.get("display_name").getOldValue());
        assertEquals(oldName, create.get("display_name").getNewValue());
        assertEquals("PROJECT_KIND_NEW_BUILD", create.get("kind").getNewValue());
        assertEquals("PROJECT_STATE_PLANNED", create.get("state").getNewValue());
        assertEquals(created.getFacility(), create.get("facility").getNewValue());
        assertFalse(create.containsKey("etag") || create.containsKey("update_time"), "noise is left out");

        // Updated: exactly the three fields, with their old and new values.
        Map<String, FieldChange> update = byField(records.get(1));
        assertEquals(List.of("display_name", "funding_sources", "progress_percent"),
                update.keySet().stream().sorted().toList());
        assertEquals(oldName, update.get("display_name").getOldValue());
        assertEquals(newName, update.get("display_name").getNewValue());
        assertEquals("", update.get("progress_percent").getOldValue(), "0 is proto3's unset value: empty");
        assertEquals("5", update.get("progress_percent").getNewValue());
        assertEquals("", update.get("funding_sources").getOldValue());
        assertTrue(update.get("funding_sources").getNewValue().contains("中央预算内投资"),
                update.get("funding_sources").getNewValue());
        assertTrue(update.get("funding_sources").getNewValue().contains("50000000"));

        // Transitioned: the state and the list of moves.
        Map<String, FieldChange> move = byField(records.get(2));
        assertEquals(List.of("state", "transitions"), move.keySet().stream().sorted().toList());
        assertEquals("PROJECT_STATE_PLANNED", move.get("state").getOldValue());
        assertEquals("PROJECT_STATE_APPROVED", move.get("state").getNewValue());
        assertEquals("", move.get("transitions").getOldValue());
        assertTrue(move.get("transitions").getNewValue().contains("PROJECT_STATE_APPROVED"));
        assertTrue(move.get("transitions").getNewValue().contains("2019"));

        // The sequences are the feed's.
        List<Change> feed = ChangeFeedReader.readRange(stub, head, ChangeFeedReader.currentHead(stub));
        List<Long> projectSequences = feed.stream().filter(c -> c.getResourceName().equals(created.getName()))
                .map(Change::getSequence).toList();
        assertEquals(projectSequences, records.stream().map(AuditRecord::getSequence).toList());
    }

    @Test
    void historyOfANeverExistingProjectIsNotFound() {
        assertStatus(Status.Code.NOT_FOUND, () -> stub.listProjectHistory(ListProjectHistoryRequest.newBuilder()
                .setName("projects/987654321987").build()));
        assertFieldViolations(() -> stub.listProjectHistory(ListProjectHistoryRequest.newBuilder().setName("project/1").build()),
                "name");
        assertFieldViolations(() -> stub.listProjectHistory(ListProjectHistoryRequest.newBuilder().setName("projects/1")
                .setPageSize(5000).build()), "page_size");
    }
}
