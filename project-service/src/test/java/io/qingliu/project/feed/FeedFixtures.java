package io.qingliu.project.feed;

import com.google.protobuf.FieldMask;
import com.google.type.Date;
import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.common.v1.OperatingState;
import io.qingliu.api.project.v1.Change;
import io.qingliu.api.project.v1.CreateFacilityRequest;
import io.qingliu.api.project.v1.CreateProjectRequest;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.ImportProjectsRequest;
import io.qingliu.api.project.v1.ImportProjectsResponse;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectImportEntry;
import io.qingliu.api.project.v1.ProjectKind;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.api.project.v1.ProjectState;
import io.qingliu.api.project.v1.TransitionProjectRequest;
import io.qingliu.api.project.v1.UpdateFacilityRequest;
import io.qingliu.kit.testing.ClientStreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Requests the feed tests write with: facilities and new builds on real townships of 雁江区 (512002000000). */
final class FeedFixtures {

    /** Townships of 雁江区 from the Ziyang division list imported at start. */
    static final List<String> YANJIANG_TOWNSHIPS = List.of("512002001000", "512002002000", "512002003000",
            "512002004000", "512002005000", "512002100000", "512002101000", "512002102000", "512002103000",
            "512002104000", "512002105000", "512002106000");

    private static final AtomicLong COUNTER = new AtomicLong();

    private FeedFixtures() {
    }

    /** A display name no other test uses: the way these tests recognise their own changes. */
    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "-" + COUNTER.incrementAndGet();
    }

    static String township(int i) {
        return YANJIANG_TOWNSHIPS.get(Math.floorMod(i, YANJIANG_TOWNSHIPS.size()));
    }

    /** A planned sewage treatment plant. */
    static Facility plant(String displayName, String township, double capacity) {
        return Facility.newBuilder().setDisplayName(displayName)
                .setType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT).setLocationCode(township)
                .setCapacityTonnesPerDay(capacity).setOperatingState(OperatingState.OPERATING_STATE_PLANNED).build();
    }

    static Facility createPlant(ProjectServiceGrpc.ProjectServiceBlockingStub stub, String displayName, String township,
            double capacity) {
        return stub.createFacility(CreateFacilityRequest.newBuilder().setFacility(plant(displayName, township, capacity))
                .build());
    }

    /** Renames a facility and sets its capacity, checking the given etag (empty: no check). */
    static Facility renamePlant(ProjectServiceGrpc.ProjectServiceBlockingStub stub, String name, String etag,
            String displayName, double capacity) {
        return stub.updateFacility(UpdateFacilityRequest.newBuilder()
                .setFacility(Facility.newBuilder().setName(name).setEtag(etag).setDisplayName(displayName)
                        .setCapacityTonnesPerDay(capacity))
                .setUpdateMask(FieldMask.newBuilder().addPaths("display_name").addPaths("capacity_tonnes_per_day"))
                .build());
    }

    /** A new-build sewage plant project, with the plant it builds. */
    static CreateProjectRequest newBuild(String displayName, String township, double capacity) {
        return CreateProjectRequest.newBuilder()
                .setProject(Project.newBuilder().setDisplayName(displayName).setKind(ProjectKind.PROJECT_KIND_NEW_BUILD)
                        .setCapacityAfterTonnesPerDay(capacity)
                        .setStandardAfter(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)
                        .setPlanCode("ZY-2018-2020"))
                .setNewFacility(Facility.newBuilder().setDisplayName(displayName + " plant")
                        .setType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT).setLocationCode(township))
                .build();
    }

    /** 2,000 characters (the limit of notes and reasons) of four UTF-8 bytes each: 8 KB. */
    static final String LONG_TEXT = "\uD840\uDC00".repeat(2000);

    /**
     * A new build with long notes, suspended and resumed {@code moves} times with long reasons: its
     * k-th change carries a snapshot of about 8 KB × (k + 1). Returns its last state.
     */
    static Project largeProject(ProjectServiceGrpc.ProjectServiceBlockingStub stub, String displayName, String township,
            int moves) {
        CreateProjectRequest request = newBuild(displayName, township, 200);
        Project p = stub.createProject(request.toBuilder()
                .setProject(request.getProject().toBuilder().setNotes(LONG_TEXT)).build());
        for (int i = 0; i < moves; i++) {
            ProjectState to = i % 2 == 0 ? ProjectState.PROJECT_STATE_SUSPENDED : ProjectState.PROJECT_STATE_PLANNED;
            p = stub.transitionProject(move(p, to, date(2024, 5, 1)).toBuilder().setReason(LONG_TEXT).build());
        }
        return p;
    }

    /** Streams an ImportProjects call (one message per {@code perMessage} entries) and returns its answer. */
    static ImportProjectsResponse importProjects(ProjectServiceGrpc.ProjectServiceStub stub, List<ProjectImportEntry> entries,
            int perMessage) {
        List<ImportProjectsRequest> messages = new ArrayList<>();
        for (int i = 0; i < entries.size(); i += perMessage) {
            ImportProjectsRequest.Builder m = ImportProjectsRequest.newBuilder()
                    .addAllEntries(entries.subList(i, Math.min(entries.size(), i + perMessage)));
            if (i == 0) {
                m.setRequestId(UUID.randomUUID().toString());
            }
            messages.add(m.build());
        }
        return ClientStreams.send(stub.withDeadlineAfter(60, TimeUnit.SECONDS)::importProjects, messages,
                Duration.ofSeconds(60));
    }

    /** An import entry for a new build, as in CreateProject. */
    static ProjectImportEntry entry(CreateProjectRequest request) {
        return ProjectImportEntry.newBuilder().setProject(request.getProject()).setNewFacility(request.getNewFacility())
                .build();
    }

    static TransitionProjectRequest move(Project project, ProjectState to, Date effective) {
        return TransitionProjectRequest.newBuilder().setName(project.getName()).setState(to).setEffectiveDate(effective)
                .setEtag(project.getEtag()).setReason("feed test: " + to).build();
    }

    static Date date(int year, int month, int day) {
        return Date.newBuilder().setYear(year).setMonth(month).setDay(day).build();
    }

    /** The name of the resource a change carries a snapshot of, read from the snapshot itself. */
    static String snapshotName(Change c) {
        return switch (c.getResourceCase()) {
            case FACILITY -> c.getFacility().getName();
            case PROJECT -> c.getProject().getName();
            case DIVISION -> c.getDivision().getName();
            case RESOURCE_NOT_SET -> "";
        };
    }

    /** The display name in a change's snapshot. */
    static String snapshotDisplayName(Change c) {
        return switch (c.getResourceCase()) {
            case FACILITY -> c.getFacility().getDisplayName();
            case PROJECT -> c.getProject().getDisplayName();
            case DIVISION -> c.getDivision().getDisplayName();
            case RESOURCE_NOT_SET -> "";
        };
    }
}
