package io.qingliu.project.testing;

import com.google.protobuf.FieldMask;
import com.google.type.Date;
import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.common.v1.OperatingState;
import io.qingliu.api.project.v1.CreateFacilityRequest;
import io.qingliu.api.project.v1.CreateProjectRequest;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.GetFacilityRequest;
import io.qingliu.api.project.v1.GetProjectRequest;
import io.qingliu.api.project.v1.ListFacilitiesRequest;
import io.qingliu.api.project.v1.ListFacilitiesResponse;
import io.qingliu.api.project.v1.ListProjectsRequest;
import io.qingliu.api.project.v1.ListProjectsResponse;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.api.project.v1.ProjectServiceGrpc.ProjectServiceBlockingStub;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.api.project.v1.TransitionProjectRequest;
import io.qingliu.api.project.v1.UpdateDivisionRequest;
import io.qingliu.api.project.v1.Division;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builders and shortcuts for facilities and projects, over real Ziyang division codes. Every
 * test makes its own records; {@link #unique()} gives a suffix to tell them from a colleague's.
 */
public final class RegistryFixtures {

    // Counties.
    public static final String YANJIANG = "512002000000";
    public static final String ANYUE = "512021000000";
    public static final String LEZHI = "512022000000";
    // Townships (towns) and villages of Yanjiang District.
    public static final String BAOHE = "512002104000";
    public static final String BAOHE_QINGMING = "512002104200";
    public static final String BAOHE_TONGCHEBA = "512002104201";
    public static final String BAOHE_DONGZIWAN = "512002104241";
    public static final String YANJIANG_TOWN = "512002100000";
    public static final String YANJIANG_XIAOYAN = "512002100201";
    // Anyue County.
    public static final String QINGLIU = "512021129000";
    public static final String QINGLIU_HONGYAN = "512021129201";
    public static final String YUEYANG = "512021100000";
    // Lezhi County.
    public static final String SHENGCHI = "512022118000";
    public static final String SHENGCHI_DAGOU = "512022118200";
    public static final String SHENGCHI_DUANGOU = "512022118207";
    public static final String SHIFO = "512022101000";

    public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private RegistryFixtures() {
    }

    /** A short random suffix, unique per call. */
    public static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** A plan code of its own, e.g. {@code T-1a2b3c4d}. */
    public static String plan() {
        return "T-" + unique();
    }

    public static Date date(int year, int month, int day) {
        return Date.newBuilder().setYear(year).setMonth(month).setDay(day).build();
    }

    public static Date date(LocalDate d) {
        return date(d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    /** A date safely after "today" in China Standard Time. */
    public static Date future() {
        return date(LocalDate.now(CHINA).plusDays(3));
    }

    public static FieldMask mask(String... paths) {
        return FieldMask.newBuilder().addAllPaths(List.of(paths)).build();
    }

    // --- facilities ------------------------------------------------------------------------

    /** A planned sewage plant at a township. */
    public static Facility.Builder plant(String name, String location, double capacity, DischargeStandard standard) {
        return Facility.newBuilder().setDisplayName(name).setType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT)
                .setLocationCode(location).addServedDivisionCodes(location).setCapacityTonnesPerDay(capacity)
                .setDischargeStandard(standard).setOperatingState(OperatingState.OPERATING_STATE_PLANNED);
    }

    /** A plant that existed before the plan: in operation since {@code since}. */
    public static Facility.Builder operatingPlant(String name, String location, double capacity, DischargeStandard standard,
            Date since) {
        return plant(name, location, capacity, standard).setOperatingState(OperatingState.OPERATING_STATE_IN_OPERATION)
                .setOperationDate(since);
    }

    public static Facility.Builder facility(FacilityType type, String name, String location) {
        return Facility.newBuilder().setDisplayName(name).setType(type).setLocationCode(location)
                .setOperatingState(OperatingState.OPERATING_STATE_PLANNED);
    }

    public static Facility createFacility(ProjectServiceBlockingStub stub, Facility.Builder facility) {
        return stub.createFacility(CreateFacilityRequest.newBuilder().setFacility(facility).build());
    }

    public static Facility getFacility(ProjectServiceBlockingStub stub, String name) {
        return stub.getFacility(GetFacilityRequest.newBuilder().setName(name).build());
    }

    /** Every facility the filter matches, page by page. */
    public static List<Facility> listFacilities(ProjectServiceBlockingStub stub, String filter, String orderBy, int pageSize) {
        List<Facility> all = new ArrayList<>();
        String token = "";
        do {
            ListFacilitiesResponse page = stub.listFacilities(ListFacilitiesRequest.newBuilder().setFilter(filter)
                    .setOrderBy(orderBy).setPageSize(pageSize).setPageToken(token).build());
            all.addAll(page.getFacilitiesList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return all;
    }

    // --- projects --------------------------------------------------------------------------

    /** A new township sewage plant at {@code township}: the project with its new facility. */
    public static CreateProjectRequest.Builder newBuild(String plan, String name, String township, double capacity) {
        return CreateProjectRequest.newBuilder()
                .setProject(Project.newBuilder().setDisplayName(name).setKind(ProjectKind.PROJECT_KIND_NEW_BUILD)
                        .setPlanCode(plan).setCapacityAfterTonnesPerDay(capacity)
                        .setStandardAfter(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)
                        .setPlannedStartDate(date(2018, 10, 1)).setPlannedCompletionDate(date(2019, 9, 30))
                        .setPlannedCommissioningDate(date(2019, 12, 31)).setInvestmentFen(1_200_000_00L))
                .setNewFacility(Facility.newBuilder().setDisplayName(name.replace("工程", "")).setType(
                        FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT).setLocationCode(township)
                        .addServedDivisionCodes(township));
    }

    /** A project acting on an existing facility. */
    public static CreateProjectRequest.Builder onFacility(String plan, String name, ProjectKind kind, String facility) {
        return CreateProjectRequest.newBuilder().setProject(Project.newBuilder().setDisplayName(name).setKind(kind)
                .setPlanCode(plan).setFacility(facility));
    }

    /** An upgrade of an existing plant to a stricter standard. */
    public static CreateProjectRequest.Builder upgrade(String plan, String name, String facility, DischargeStandard after) {
        CreateProjectRequest.Builder b = onFacility(plan, name, ProjectKind.PROJECT_KIND_UPGRADE, facility);
        b.getProjectBuilder().setStandardAfter(after);
        return b;
    }

    /** An expansion of an existing facility to a larger capacity. */
    public static CreateProjectRequest.Builder expansion(String plan, String name, String facility, double capacityAfter) {
        CreateProjectRequest.Builder b = onFacility(plan, name, ProjectKind.PROJECT_KIND_EXPANSION, facility);
        b.getProjectBuilder().setCapacityAfterTonnesPerDay(capacityAfter);
        return b;
    }

    public static Project createProject(ProjectServiceBlockingStub stub, CreateProjectRequest.Builder request) {
        return stub.createProject(request.build());
    }

    public static Project getProject(ProjectServiceBlockingStub stub, String name) {
        return stub.getProject(GetProjectRequest.newBuilder().setName(name).build());
    }

    public static Project transition(ProjectServiceBlockingStub stub, Project project, ProjectState state, Date date) {
        return stub.transitionProject(TransitionProjectRequest.newBuilder().setName(project.getName()).setState(state)
                .setEffectiveDate(date).setEtag(project.getEtag()).build());
    }

    /** Every project the filter matches, page by page. */
    public static List<Project> listProjects(ProjectServiceBlockingStub stub, String filter, String orderBy, int pageSize) {
        List<Project> all = new ArrayList<>();
        String token = "";
        do {
            ListProjectsResponse page = stub.listProjects(ListProjectsRequest.newBuilder().setFilter(filter)
                    .setOrderBy(orderBy).setPageSize(pageSize).setPageToken(token).build());
            all.addAll(page.getProjectsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return all;
    }

    public static List<Project> projectsOfPlan(ProjectServiceBlockingStub stub, String plan) {
        return listProjects(stub, "plan = \"" + plan + "\"", "", 1000);
    }

    // --- divisions -------------------------------------------------------------------------

    /** Sets (or, with an empty basin, clears) the basin of a township or village. */
    public static Division setBasin(ProjectServiceBlockingStub stub, String code, String basin) {
        return stub.updateDivision(UpdateDivisionRequest.newBuilder()
                .setDivision(Division.newBuilder().setName("divisions/" + code).setBasin(basin))
                .setUpdateMask(mask("basin")).build());
    }
}
