package io.qingliu.project.project;

import static io.qingliu.project.testing.RegistryFixtures.BAOHE;
import static io.qingliu.project.testing.RegistryFixtures.BAOHE_DONGZIWAN;
import static io.qingliu.project.testing.RegistryFixtures.LEZHI;
import static io.qingliu.project.testing.RegistryFixtures.QINGLIU;
import static io.qingliu.project.testing.RegistryFixtures.SHENGCHI;
import static io.qingliu.project.testing.RegistryFixtures.SHENGCHI_DUANGOU;
import static io.qingliu.project.testing.RegistryFixtures.YANJIANG;
import static io.qingliu.project.testing.RegistryFixtures.createFacility;
import static io.qingliu.project.testing.RegistryFixtures.createProject;
import static io.qingliu.project.testing.RegistryFixtures.date;
import static io.qingliu.project.testing.RegistryFixtures.expansion;
import static io.qingliu.project.testing.RegistryFixtures.facility;
import static io.qingliu.project.testing.RegistryFixtures.listProjects;
import static io.qingliu.project.testing.RegistryFixtures.newBuild;
import static io.qingliu.project.testing.RegistryFixtures.onFacility;
import static io.qingliu.project.testing.RegistryFixtures.operatingPlant;
import static io.qingliu.project.testing.RegistryFixtures.plan;
import static io.qingliu.project.testing.RegistryFixtures.setBasin;
import static io.qingliu.project.testing.RegistryFixtures.transition;
import static io.qingliu.project.testing.RegistryFixtures.unique;
import static io.qingliu.project.testing.RegistryFixtures.upgrade;
import static io.qingliu.kit.testing.StatusAssertions.assertFieldViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.ListProjectsRequest;
import io.qingliu.api.project.v1.ListProjectsResponse;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ListProjects: every filter field, ordering, and paging that sees each project once. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ProjectListingTest {

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub stub;

    /** Six projects of one plan, over three counties and five kinds. */
    private record Programme(String plan, String basin, Project baoheBuild, Project qingliuBuild, Project upgrade,
            Project expansion, Project network, Project garbage, Facility lezhiPlant) {
        List<Project> all() {
            return List.of(baoheBuild, qingliuBuild, upgrade, expansion, network, garbage);
        }
    }

    private Programme programme() {
        String plan = plan();
        String basin = "沱江测试" + unique();
        setBasin(stub, SHENGCHI_DUANGOU, basin);
        Project baohe = createProject(stub, newBuild(plan, "Alpha 保和镇污水处理厂新建工程 " + unique(), BAOHE, 1000));
        baohe = transition(stub, baohe, ProjectState.PROJECT_STATE_APPROVED, date(2019, 1, 1));
        Project qingliu = createProject(stub, newBuild(plan, "Bravo 清流镇污水处理厂新建工程 " + unique(), QINGLIU, 800));
        Facility lezhi = createFacility(stub, operatingPlant("乐至县污水处理厂 " + unique(), SHENGCHI, 20000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B, date(2008, 1, 1)));
        Project upgrade = createProject(stub, upgrade(plan, "Charlie 乐至县污水处理厂提标改造 " + unique(), lezhi.getName(),
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A));
        Project expansion = createProject(stub, expansion(plan, "Delta 乐至县污水处理厂扩容 " + unique(), lezhi.getName(), 30000));
        var networkRequest = onFacility(plan, "Echo 保和镇配套管网 " + unique(), ProjectKind.PROJECT_KIND_PIPE_NETWORK, "")
                .setNewFacility(facility(FacilityType.FACILITY_TYPE_PIPE_NETWORK, "保和镇配套管网 " + unique(), BAOHE_DONGZIWAN)
                        .setDownstreamFacility(baohe.getFacility()));
        networkRequest.getProjectBuilder().setLengthKm(6.5);
        Project network = createProject(stub, networkRequest);
        var garbageRequest = onFacility(plan, "Foxtrot 短沟村垃圾收集点 " + unique(), ProjectKind.PROJECT_KIND_GARBAGE_COLLECTION, "")
                .setNewFacility(facility(FacilityType.FACILITY_TYPE_GARBAGE_COLLECTION_POINT, "短沟村垃圾收集点 " + unique(),
                        SHENGCHI_DUANGOU).setCapacityTonnesPerDay(1.2));
        Project garbage = createProject(stub, garbageRequest);
        return new Programme(plan, basin, baohe, qingliu, upgrade, expansion, network, garbage, lezhi);
    }

    private Set<String> names(String filter) {
        Set<String> names = new HashSet<>();
        for (Project p : listProjects(stub, filter, "", 1000)) {
            names.add(p.getName());
        }
        return names;
    }

    private static Set<String> names(Project... projects) {
        Set<String> names = new HashSet<>();
        for (Project p : projects) {
            names.add(p.getName());
        }
        return names;
    }

    @Test
    void everyFilterFieldSelectsItsProjects() {
        Programme p = programme();
        try {
            String plan = "plan = \"" + p.plan() + "\"";
            assertEquals(names(p.all().toArray(Project[]::new)), names(plan));
            assertEquals(names(p.baoheBuild(), p.network()), names(plan + " AND county = \"" + YANJIANG + "\""));
            assertEquals(names(p.upgrade(), p.expansion(), p.garbage()), names(plan + " AND county = \"" + LEZHI + "\""));
            assertEquals(names(p.qingliuBuild()), names(plan + " AND township = \"" + QINGLIU + "\""));
            assertEquals(names(p.baoheBuild(), p.network()), names(plan + " AND township = \"" + BAOHE + "\""));
            assertEquals(names(p.upgrade()), names(plan + " AND kind = PROJECT_KIND_UPGRADE"));
            assertEquals(names(p.upgrade(), p.expansion(), p.network(), p.garbage()),
                    names(plan + " AND kind != PROJECT_KIND_NEW_BUILD"));
            assertEquals(names(p.baoheBuild()), names(plan + " AND state = PROJECT_STATE_APPROVED"));
            assertEquals(5, names(plan + " AND state = PROJECT_STATE_PLANNED").size());
            assertEquals(names(p.garbage()), names(plan + " AND basin = \"" + p.basin() + "\""));
            assertEquals(names(p.garbage()), names("basin = \"" + p.basin() + "\""), "the basin is unique to this test");
            assertEquals(names(p.upgrade(), p.expansion()), names(plan + " AND facility = \"" + p.lezhiPlant().getName() + "\""));
            assertEquals(names(p.upgrade(), p.expansion()), names("facility = \"" + p.lezhiPlant().getName() + "\""));
            assertEquals(names(p.network()), names(plan + " AND facility_type = FACILITY_TYPE_PIPE_NETWORK"));
            assertEquals(names(p.garbage()), names(plan + " AND facility_type = FACILITY_TYPE_GARBAGE_COLLECTION_POINT"));
            assertEquals(names(p.baoheBuild(), p.qingliuBuild(), p.upgrade(), p.expansion()),
                    names(plan + " AND facility_type = FACILITY_TYPE_SEWAGE_TREATMENT_PLANT"));
            assertEquals(Set.of(), names(plan + " AND county = \"" + LEZHI + "\" AND kind = PROJECT_KIND_NEW_BUILD"));
            assertEquals(Set.of(), names("plan = \"" + p.plan() + "-none\""));

            // Every project outside the plan that county-filtered listing returns is still in that county.
            for (Project other : listProjects(stub, "county = \"" + LEZHI + "\" AND plan != \"" + p.plan() + "\"", "", 500)) {
                assertEquals(LEZHI, other.getCountyCode());
                assertFalse(other.getPlanCode().equals(p.plan()));
            }
        } finally {
            setBasin(stub, SHENGCHI_DUANGOU, "");
        }
    }

    @Test
    void orderByDisplayNameDescendingAndPagingSeeEachProjectOnce() {
        Programme p = programme();
        setBasin(stub, SHENGCHI_DUANGOU, "");
        String plan = "plan = \"" + p.plan() + "\"";

        List<Project> desc = listProjects(stub, plan, "display_name desc", 1000);
        assertEquals(List.of(p.garbage().getName(), p.network().getName(), p.expansion().getName(), p.upgrade().getName(),
                p.qingliuBuild().getName(), p.baoheBuild().getName()), desc.stream().map(Project::getName).toList());
        List<Project> asc = listProjects(stub, plan, "display_name", 1000);
        List<Project> reversed = new ArrayList<>(desc);
        java.util.Collections.reverse(reversed);
        assertEquals(reversed, asc);

        // Default order: creation.
        assertEquals(p.all().stream().map(Project::getName).toList(),
                listProjects(stub, plan, "", 1000).stream().map(Project::getName).toList());

        for (int pageSize = 1; pageSize <= 7; pageSize++) {
            for (String order : List.of("", "display_name desc", "create_time desc")) {
                List<String> seen = new ArrayList<>();
                String token = "";
                int pages = 0;
                do {
                    ListProjectsResponse page = stub.listProjects(ListProjectsRequest.newBuilder().setFilter(plan)
                            .setOrderBy(order).setPageSize(pageSize).setPageToken(token).build());
                    page.getProjectsList().forEach(x -> seen.add(x.getName()));
                    token = page.getNextPageToken();
                    pages++;
                } while (!token.isEmpty());
                assertEquals(6, seen.size(), "page size " + pageSize + ", order '" + order + "': " + seen);
                assertEquals(6, new HashSet<>(seen).size(), "each project exactly once");
                assertEquals((6 + pageSize - 1) / pageSize, pages, "no empty trailing page at size " + pageSize);
            }
        }
    }

    @Test
    void pagingIsStableWhileProjectsAreAdded() {
        String plan = plan();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(createProject(stub, newBuild(plan, "工程 " + i + " " + unique(), BAOHE, 100 + i)).getName());
        }
        ListProjectsResponse first = stub.listProjects(ListProjectsRequest.newBuilder().setFilter("plan = \"" + plan + "\"")
                .setPageSize(3).build());
        created.add(createProject(stub, newBuild(plan, "工程 5 " + unique(), BAOHE, 105)).getName());
        ListProjectsResponse second = stub.listProjects(ListProjectsRequest.newBuilder().setFilter("plan = \"" + plan + "\"")
                .setPageSize(3).setPageToken(first.getNextPageToken()).build());
        List<String> seen = new ArrayList<>();
        first.getProjectsList().forEach(x -> seen.add(x.getName()));
        second.getProjectsList().forEach(x -> seen.add(x.getName()));
        assertEquals(created, seen, "a project added later appears after the ones already seen");
    }

    @Test
    void badListRequestsNameTheirField() {
        assertFieldViolations(() -> stub.listProjects(ListProjectsRequest.newBuilder().setFilter("kind = PROJECT_KIND_BRIDGE").build()),
                "filter");
        assertFieldViolations(() -> stub.listProjects(ListProjectsRequest.newBuilder().setFilter("owner = \"me\"").build()), "filter");
        assertFieldViolations(() -> stub.listProjects(ListProjectsRequest.newBuilder().setFilter("facility = \"plants/1\"").build()),
                "filter");
        assertFieldViolations(() -> stub.listProjects(ListProjectsRequest.newBuilder().setOrderBy("state").build()), "order_by");
        assertFieldViolations(() -> stub.listProjects(ListProjectsRequest.newBuilder().setPageSize(1001).build()), "page_size");
        assertFieldViolations(() -> stub.listProjects(ListProjectsRequest.newBuilder().setPageToken("garbage").build()), "page_token");
    }
}
