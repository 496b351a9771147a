package io.qingliu.project.grpc;

import static io.qingliu.project.testing.RegistryFixtures.createFacility;
import static io.qingliu.project.testing.RegistryFixtures.createProject;
import static io.qingliu.project.testing.RegistryFixtures.newBuild;
import static io.qingliu.project.testing.RegistryFixtures.plant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.project.v1.CreateFacilityRequest;
import io.qingliu.api.project.v1.CreateProjectRequest;
import io.qingliu.api.project.v1.DeleteFacilityRequest;
import io.qingliu.api.project.v1.DeleteProjectRequest;
import io.qingliu.api.project.v1.Division;
import io.qingliu.api.project.v1.DivisionFileRole;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.GetDivisionRequest;
import io.qingliu.api.project.v1.GetFacilityRequest;
import io.qingliu.api.project.v1.GetProjectRequest;
import io.qingliu.api.project.v1.ImportDivisionsRequest;
import io.qingliu.api.project.v1.ImportProjectsRequest;
import io.qingliu.api.project.v1.ListDivisionsRequest;
import io.qingliu.api.project.v1.ListFacilitiesRequest;
import io.qingliu.api.project.v1.ListProjectHistoryRequest;
import io.qingliu.api.project.v1.ListProjectsRequest;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectImportEntry;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectServiceGrpc.ProjectServiceBlockingStub;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.api.project.v1.TransitionProjectRequest;
import io.qingliu.api.project.v1.UpdateDivisionRequest;
import io.qingliu.api.project.v1.UpdateFacilityRequest;
import io.qingliu.api.project.v1.UpdateProjectRequest;
import io.qingliu.api.project.v1.WatchChangesRequest;
import io.qingliu.kit.auth.Role;
import io.qingliu.kit.testing.RequestFuzzer;
import io.qingliu.kit.testing.TestTokens;
import io.qingliu.kit.testing.ClientStreams;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated requests at every method of the registry, seeded and bounded: each answer
 * is a result or a deliberate error (never INTERNAL, UNKNOWN or a hang), and a call that fails
 * writes nothing (the feed's head does not move). Requests start from valid ones and have one to
 * three fields, anywhere in the message, replaced by hostile values: empty and 5,000-character
 * strings, malformed and unknown resource names, SQL and filter syntax, NUL and lone surrogates,
 * extreme and negative numbers, NaN, unknown enum numbers, impossible dates, long lists. Raw
 * random bytes that are no message at all go to every method too. Resource names point only at
 * this test's own records (in 回澜镇, which no other test uses) so that a random write that
 * happens to be valid changes nothing another test relies on.
 *
 * The seed is {@code -Dfuzz.seed} (default fixed) and printed with any failure.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class RegistryFuzzTest {

    /** 回澜镇 of 乐至县: the fuzz's own township. */
    private static final String TOWNSHIP = "512022102000";
    private static final int CALLS_PER_METHOD = 150;

    @GrpcClient("project")
    ProjectServiceBlockingStub stub;

    @GrpcClient("project")
    Channel channel;

    @Inject
    ProjectServiceGrpc.ProjectServiceStub async;

    @Inject
    javax.sql.DataSource dataSource;

    private final long seed = Long.getLong("fuzz.seed", 20181027L);
    private RequestFuzzer fuzzer = new RequestFuzzer(seed, List.of());

    @Test
    void mutatedRequestsAreAnsweredOrRefusedAndARefusalWritesNothing() {
        Facility facility = createFacility(stub, plant("回澜镇污水处理厂（模糊测试）", TOWNSHIP, 800,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B));
        Project project = createProject(stub, newBuild("FUZZ", "回澜镇污水处理厂新建工程（模糊测试）", TOWNSHIP, 500));
        String basinBefore = stub.getDivision(GetDivisionRequest.newBuilder().setName("divisions/" + TOWNSHIP).build()).getBasin();
        fuzzer = new RequestFuzzer(seed, List.of("divisions/" + TOWNSHIP, "divisions/512022102200", TOWNSHIP, "512022000000",
                facility.getName(), facility.getName() + "0", project.getName(), project.getName() + "/history"));

        Map<String, Function<Message, Object>> methods = new LinkedHashMap<>();
        Map<String, Message> seeds = new LinkedHashMap<>();
        seeds.put("GetDivision", GetDivisionRequest.newBuilder().setName("divisions/" + TOWNSHIP).build());
        methods.put("GetDivision", m -> stub().getDivision((GetDivisionRequest) m));
        seeds.put("ListDivisions", ListDivisionsRequest.newBuilder().setFilter("county = \"512022000000\"").setPageSize(10).build());
        methods.put("ListDivisions", m -> stub().listDivisions((ListDivisionsRequest) m));
        seeds.put("UpdateDivision", UpdateDivisionRequest.newBuilder().setDivision(Division.newBuilder()
                .setName("divisions/" + TOWNSHIP).setBasin("沱江")).setUpdateMask(com.google.protobuf.FieldMask.newBuilder()
                        .addPaths("basin")).build());
        methods.put("UpdateDivision", m -> stub().updateDivision((UpdateDivisionRequest) m));
        seeds.put("GetFacility", GetFacilityRequest.newBuilder().setName(facility.getName()).build());
        methods.put("GetFacility", m -> stub().getFacility((GetFacilityRequest) m));
        seeds.put("ListFacilities", ListFacilitiesRequest.newBuilder().setFilter("township = \"" + TOWNSHIP + "\"")
                .setOrderBy("display_name").setPageSize(5).build());
        methods.put("ListFacilities", m -> stub().listFacilities((ListFacilitiesRequest) m));
        seeds.put("CreateFacility", CreateFacilityRequest.newBuilder().setFacility(plant("回澜镇第二污水处理厂", TOWNSHIP, 300,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)).build());
        methods.put("CreateFacility", m -> stub().createFacility((CreateFacilityRequest) m));
        seeds.put("UpdateFacility", UpdateFacilityRequest.newBuilder().setFacility(Facility.newBuilder()
                .setName(facility.getName()).setCapacityTonnesPerDay(900)).setUpdateMask(com.google.protobuf.FieldMask
                        .newBuilder().addPaths("capacity_tonnes_per_day")).build());
        methods.put("UpdateFacility", m -> stub().updateFacility((UpdateFacilityRequest) m));
        seeds.put("DeleteFacility", DeleteFacilityRequest.newBuilder().setName(facility.getName()).setEtag("W/\"0\"").build());
        methods.put("DeleteFacility", m -> stub().deleteFacility((DeleteFacilityRequest) m));
        seeds.put("GetProject", GetProjectRequest.newBuilder().setName(project.getName()).build());
        methods.put("GetProject", m -> stub().getProject((GetProjectRequest) m));
        seeds.put("ListProjects", ListProjectsRequest.newBuilder().setFilter("plan = \"FUZZ\" AND state = PROJECT_STATE_PLANNED")
                .setOrderBy("create_time desc").setPageSize(5).build());
        methods.put("ListProjects", m -> stub().listProjects((ListProjectsRequest) m));
        CreateProjectRequest newBuild = newBuild("FUZZ", "回澜镇污水处理厂二期（模糊测试）", TOWNSHIP, 200).build();
        seeds.put("CreateProject", newBuild);
        methods.put("CreateProject", m -> stub().createProject((CreateProjectRequest) m));
        seeds.put("UpdateProject", UpdateProjectRequest.newBuilder().setProject(Project.newBuilder().setName(project.getName())
                .setProgressPercent(30).setResponsibleUnit("乐至县住建局")).setUpdateMask(com.google.protobuf.FieldMask
                        .newBuilder().addPaths("progress_percent").addPaths("responsible_unit")).build());
        methods.put("UpdateProject", m -> stub().updateProject((UpdateProjectRequest) m));
        seeds.put("DeleteProject", DeleteProjectRequest.newBuilder().setName(project.getName()).setEtag("W/\"0\"").build());
        methods.put("DeleteProject", m -> stub().deleteProject((DeleteProjectRequest) m));
        seeds.put("TransitionProject", TransitionProjectRequest.newBuilder().setName(project.getName())
                .setState(ProjectState.PROJECT_STATE_APPROVED).setEffectiveDate(com.google.type.Date.newBuilder()
                        .setYear(2019).setMonth(3).setDay(1)).setReason("立项").setEtag("W/\"0\"").build());
        methods.put("TransitionProject", m -> stub().transitionProject((TransitionProjectRequest) m));
        seeds.put("ListProjectHistory", ListProjectHistoryRequest.newBuilder().setName(project.getName()).setPageSize(10).build());
        methods.put("ListProjectHistory", m -> stub().listProjectHistory((ListProjectHistoryRequest) m));
        seeds.put("ImportProjects", ImportProjectsRequest.newBuilder().setValidateOnly(fuzzer.chance(50))
                .addEntries(ProjectImportEntry.newBuilder().setProject(newBuild.getProject()).setNewFacility(newBuild.getNewFacility()))
                .build());
        methods.put("ImportProjects", m -> ClientStreams.send(async()::importProjects, List.of((ImportProjectsRequest) m)));
        // Always validate_only: an accepted random list must not retire Ziyang's divisions under the other tests.
        seeds.put("ImportDivisions", ImportDivisionsRequest.newBuilder().setRole(DivisionFileRole.DIVISION_FILE_ROLE_DIVISIONS)
                .setContent(ByteString.copyFromUtf8("code,name,level,parent_code\n512022102000,回澜镇,township,512022000000\n"))
                .setValidateOnly(true).build());
        methods.put("ImportDivisions", m -> ClientStreams.send(async()::importDivisions,
                List.of(((ImportDivisionsRequest) m).toBuilder().setValidateOnly(true).build())));
        seeds.put("WatchChanges", WatchChangesRequest.newBuilder().setAfterSequence(1).setMaxBatchSize(10).build());
        methods.put("WatchChanges", m -> {
            try {
                return stub().withDeadlineAfter(3, TimeUnit.SECONDS).watchChanges((WatchChangesRequest) m).next();
            } catch (StatusRuntimeException e) {
                // A stream with nothing to send yet (after a sequence beyond the head) is an answer, not a hang.
                if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                    return null;
                }
                throw e;
            }
        });

        List<String> faults = new ArrayList<>();
        int calls = 0;
        int refused = 0;
        for (var method : methods.entrySet()) {
            // Fewer streams: each ends in a cancellation, and HTTP/2 servers cut off a connection that resets too many.
            int count = method.getKey().equals("WatchChanges") ? CALLS_PER_METHOD / 5 : CALLS_PER_METHOD;
            for (int i = 0; i < count; i++) {
                Message request = fuzzer.mutate(seeds.get(method.getKey()));
                long head = head();
                try {
                    method.getValue().apply(request);
                } catch (RuntimeException e) {
                    Status status = Status.fromThrowable(e);
                    refused++;
                    if (RequestFuzzer.FAULTS.contains(status.getCode()) || !(e instanceof StatusRuntimeException)) {
                        faults.add(method.getKey() + " " + status + " for " + RequestFuzzer.shorten(request));
                    } else if (head() != head) {
                        faults.add(method.getKey() + " refused (" + status.getCode() + ") but wrote: " + RequestFuzzer.shorten(request));
                    }
                }
                calls++;
            }
        }
        assertEquals(List.of(), faults, "seed " + seed);
        assertTrue(refused > calls / 4 && refused < calls, "the mutations reach both sides of the checks: "
                + refused + " of " + calls + " refused (seed " + seed + ")");

        stub.updateDivision(UpdateDivisionRequest.newBuilder().setDivision(Division.newBuilder()
                .setName("divisions/" + TOWNSHIP).setBasin(basinBefore)).setUpdateMask(com.google.protobuf.FieldMask
                        .newBuilder().addPaths("basin")).build());
    }

    @Test
    void bytesThatAreNoMessageAreInvalidArgumentsEverywhere() {
        assertEquals(List.of(), fuzzer.sendUnparseableBytes(channel, ProjectServiceGrpc.getServiceDescriptor(), 20), "seed " + seed);
    }

    /** The feed's head, read from the database (a feed stream per call would be reset as often). */
    private long head() {
        try (var c = dataSource.getConnection(); var st = c.createStatement();
                var rs = st.executeQuery("SELECT last_seq FROM feed_head WHERE id = 1")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private ProjectServiceBlockingStub stub() {
        // Two calls in five as a county system (of this township's county), the rest as the default admin.
        ProjectServiceBlockingStub s = fuzzer.chance(40)
                ? stub.withCallCredentials(TestTokens.as(Role.COUNTY, "512022000000")) : stub;
        return s.withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private ProjectServiceGrpc.ProjectServiceStub async() {
        return async.withDeadlineAfter(30, TimeUnit.SECONDS);
    }
}
