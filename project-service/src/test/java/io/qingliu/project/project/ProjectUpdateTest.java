package io.qingliu.project.project;

import static io.qingliu.project.testing.RegistryFixtures.BAOHE;
import static io.qingliu.project.testing.RegistryFixtures.QINGLIU;
import static io.qingliu.project.testing.RegistryFixtures.createFacility;
import static io.qingliu.project.testing.RegistryFixtures.createProject;
import static io.qingliu.project.testing.RegistryFixtures.date;
import static io.qingliu.project.testing.RegistryFixtures.getProject;
import static io.qingliu.project.testing.RegistryFixtures.mask;
import static io.qingliu.project.testing.RegistryFixtures.newBuild;
import static io.qingliu.project.testing.RegistryFixtures.operatingPlant;
import static io.qingliu.project.testing.RegistryFixtures.plan;
import static io.qingliu.project.testing.RegistryFixtures.projectsOfPlan;
import static io.qingliu.project.testing.RegistryFixtures.unique;
import static io.qingliu.project.testing.RegistryFixtures.upgrade;
import static io.qingliu.kit.testing.StatusAssertions.assertFieldViolations;
import static io.qingliu.kit.testing.StatusAssertions.assertReason;
import static io.qingliu.kit.testing.StatusAssertions.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.google.protobuf.FieldMask;
import io.grpc.Status;
import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.FundingSource;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.api.project.v1.UpdateProjectRequest;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** UpdateProject: masks, etags, the same rules as create, and what may never change. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ProjectUpdateTest {

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub stub;

    private Project update(Project.Builder project, FieldMask mask) {
        return stub.updateProject(UpdateProjectRequest.newBuilder().setProject(project).setUpdateMask(mask).build());
    }

    @Test
    void maskedUpdateChangesOnlyTheNamedFields() {
        Project p = createProject(stub, newBuild(plan(), "清流镇污水处理厂新建工程 " + unique(), QINGLIU, 1000));
        String newPlan = plan();
        Project updated = update(p.toBuilder().setPlanCode(newPlan).setProgressPercent(40).setNotes("忽略")
                .setInvestmentFen(9), mask("plan_code", "progress_percent"));
        assertEquals(newPlan, updated.getPlanCode());
        assertEquals(40, updated.getProgressPercent());
        assertEquals(p.toBuilder().setPlanCode(newPlan).setProgressPercent(40).clearEtag().clearUpdateTime().build(),
                updated.toBuilder().clearEtag().clearUpdateTime().build(), "nothing else changed");
        assertNotEquals(p.getEtag(), updated.getEtag());
        assertEquals(updated, getProject(stub, p.getName()));
        assertEquals(1, projectsOfPlan(stub, newPlan).size());
    }

    @Test
    void starMaskReplacesEveryUpdatableFieldAndClearsWhatIsLeftOut() {
        Project p = createProject(stub, newBuild(plan(), "新建工程 " + unique(), QINGLIU, 1000));
        Project replacement = Project.newBuilder().setName(p.getName()).setEtag(p.getEtag())
                .setDisplayName("清流镇污水处理厂新建工程（调整） " + unique()).setKind(ProjectKind.PROJECT_KIND_NEW_BUILD)
                .setCapacityAfterTonnesPerDay(1500).setStandardAfter(DischargeStandard.DISCHARGE_STANDARD_DB51_2311_2016)
                .setInvestmentFen(2_000_000_00L).addFundingSources(FundingSource.newBuilder().setSource("PPP").setAmountFen(1))
                .setResponsibleUnit("安岳县水务局").build();
        Project updated = update(replacement.toBuilder(), mask("*"));
        assertEquals(replacement.getDisplayName(), updated.getDisplayName());
        assertEquals(1500, updated.getCapacityAfterTonnesPerDay());
        assertEquals(DischargeStandard.DISCHARGE_STANDARD_DB51_2311_2016, updated.getStandardAfter());
        assertEquals("", updated.getPlanCode(), "left out: cleared");
        assertEquals(false, updated.hasPlannedStartDate(), "left out: cleared");
        assertEquals(1, updated.getFundingSourcesCount());
        assertEquals(p.getFacility(), updated.getFacility());
        assertEquals(ProjectState.PROJECT_STATE_PLANNED, updated.getState());
    }

    @Test
    void updatesAreCheckedByTheRulesOfCreate() {
        Facility plant = createFacility(stub, operatingPlant("保和镇污水处理厂 " + unique(), BAOHE, 1000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, date(2010, 1, 1)));
        Project p = createProject(stub, upgrade(plan(), "提标 " + unique(), plant.getName(),
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A));
        long head = ChangeFeedReader.currentHead(stub);
        assertFieldViolations(() -> update(p.toBuilder().setStandardAfter(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_2),
                mask("standard_after")), "project.standard_after");
        assertFieldViolations(() -> update(p.toBuilder().setDisplayName("").setProgressPercent(101)
                .setPlannedCompletionDate(date(2018, 1, 1)).setPlannedStartDate(date(2018, 6, 1)),
                mask("display_name", "progress_percent", "planned_start_date", "planned_completion_date")),
                "project.display_name", "project.progress_percent", "project.planned_completion_date");
        assertFieldViolations(() -> update(p.toBuilder(), mask("state")), "update_mask");
        assertFieldViolations(() -> update(p.toBuilder(), mask("county_code", "kind")), "update_mask", "update_mask");
        assertEquals(p, getProject(stub, p.getName()));
        assertEquals(head, ChangeFeedReader.currentHead(stub));
    }

    @Test
    void kindAndFacilityCannotChange() {
        Facility plant = createFacility(stub, operatingPlant("厂 " + unique(), BAOHE, 1000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, date(2010, 1, 1)));
        Facility other = createFacility(stub, operatingPlant("另一厂 " + unique(), BAOHE, 2000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, date(2011, 1, 1)));
        Project p = createProject(stub, upgrade(plan(), "提标 " + unique(), plant.getName(),
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A));
        assertFieldViolations(() -> update(p.toBuilder().setKind(ProjectKind.PROJECT_KIND_EXPANSION), mask("*")), "project.kind");
        assertFieldViolations(() -> update(p.toBuilder().setFacility(other.getName()), mask("*")), "project.facility");
        assertEquals(p, getProject(stub, p.getName()));
        // Sent back unchanged, they are fine.
        assertEquals(p.getKind(), update(p.toBuilder().setNotes("备注"), mask("*")).getKind());
    }

    @Test
    void staleEtagIsAbortedAndUnknownProjectNotFound() {
        Project p = createProject(stub, newBuild(plan(), "新建工程 " + unique(), QINGLIU, 1000));
        Project first = update(p.toBuilder().setNotes("第一次"), mask("notes"));
        var info = assertReason(Status.Code.ABORTED, "ETAG_MISMATCH", () -> update(p.toBuilder().setNotes("第二次"), mask("notes")));
        assertEquals(first.getEtag(), info.getMetadataOrThrow("current_etag"));
        assertEquals(first, getProject(stub, p.getName()));
        assertStatus(Status.Code.NOT_FOUND, () -> update(p.toBuilder().setName("projects/987654321987").clearEtag(), mask("notes")));
        assertFieldViolations(() -> update(p.toBuilder().setName("facilities/1"), mask("notes")), "project.name");
    }
}
