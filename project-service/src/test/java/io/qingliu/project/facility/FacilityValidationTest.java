package io.qingliu.project.facility;

import static io.qingliu.project.testing.RegistryFixtures.BAOHE;
import static io.qingliu.project.testing.RegistryFixtures.LEZHI;
import static io.qingliu.project.testing.RegistryFixtures.QINGLIU;
import static io.qingliu.project.testing.RegistryFixtures.QINGLIU_HONGYAN;
import static io.qingliu.project.testing.RegistryFixtures.SHENGCHI;
import static io.qingliu.project.testing.RegistryFixtures.SHIFO;
import static io.qingliu.project.testing.RegistryFixtures.YANJIANG;
import static io.qingliu.project.testing.RegistryFixtures.createFacility;
import static io.qingliu.project.testing.RegistryFixtures.facility;
import static io.qingliu.project.testing.RegistryFixtures.listFacilities;
import static io.qingliu.project.testing.RegistryFixtures.plant;
import static io.qingliu.project.testing.RegistryFixtures.unique;
import static io.qingliu.kit.testing.StatusAssertions.assertFieldViolations;
import static io.qingliu.kit.testing.StatusAssertions.description;
import static io.qingliu.kit.testing.StatusAssertions.errorInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.common.v1.OperatingState;
import io.qingliu.api.project.v1.Division;
import io.qingliu.api.project.v1.DivisionFileRole;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.GetDivisionRequest;
import io.qingliu.api.project.v1.ImportDivisionsRequest;
import io.qingliu.api.project.v1.ImportDivisionsResponse;
import io.qingliu.api.project.v1.ListDivisionsRequest;
import io.qingliu.api.project.v1.ListDivisionsResponse;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.project.testing.ChangeFeedReader;
import io.qingliu.kit.testing.ClientStreams;
import io.qingliu.project.testing.PostgresResource;
import io.qingliu.project.testing.RegistryFixtures;
import io.qingliu.kit.testing.StatusAssertions;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a facility may refer to and hold, and that a bad request is answered in full and changes nothing. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class FacilityValidationTest {

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub stub;

    /** The async stub, for client streams. */
    @Inject
    ProjectServiceGrpc.ProjectServiceStub async;

    @Test
    void plantServesOnlyItsOwnCountyButADisposalSiteMayServeSeveral() {
        var violations = assertFieldViolations(() -> createFacility(stub, plant("保和镇污水处理厂 " + unique(), BAOHE, 1000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A).addServedDivisionCodes(QINGLIU)),
                "facility.served_division_codes[1]");
        assertTrue(description(violations, "facility.served_division_codes[1]").contains(YANJIANG));
        // Pipe networks and collection points as well.
        assertFieldViolations(() -> createFacility(stub, facility(FacilityType.FACILITY_TYPE_GARBAGE_COLLECTION_POINT,
                "收集点 " + unique(), BAOHE).setCapacityTonnesPerDay(1).addServedDivisionCodes(QINGLIU_HONGYAN)),
                "facility.served_division_codes[0]");

        Facility site = createFacility(stub, facility(FacilityType.FACILITY_TYPE_GARBAGE_DISPOSAL_SITE,
                "资阳市生活垃圾焚烧发电厂 " + unique(), BAOHE).setCapacityTonnesPerDay(1200)
                .addServedDivisionCodes(BAOHE).addServedDivisionCodes(QINGLIU).addServedDivisionCodes(SHENGCHI));
        assertEquals(List.of(BAOHE, QINGLIU, SHENGCHI), site.getServedDivisionCodesList());
        Facility station = createFacility(stub, facility(FacilityType.FACILITY_TYPE_GARBAGE_TRANSFER_STATION,
                "转运站 " + unique(), SHENGCHI).setCapacityTonnesPerDay(40).addServedDivisionCodes(SHENGCHI)
                .addServedDivisionCodes(QINGLIU).setDownstreamFacility(site.getName()));
        assertEquals(LEZHI, station.getCountyCode());
    }

    @Test
    void unknownNonTownshipAndMalformedCodesAreRejected() {
        // Unknown (well formed, not in the list), a county, the city, malformed.
        var violations = assertFieldViolations(() -> createFacility(stub, facility(FacilityType.FACILITY_TYPE_GARBAGE_DISPOSAL_SITE,
                "处理场 " + unique(), "512002999000").setCapacityTonnesPerDay(100)
                .addServedDivisionCodes(YANJIANG).addServedDivisionCodes("512000000000").addServedDivisionCodes("51200210400")
                .addServedDivisionCodes(BAOHE).addServedDivisionCodes(BAOHE)),
                "facility.location_code", "facility.served_division_codes[0]", "facility.served_division_codes[1]",
                "facility.served_division_codes[2]", "facility.served_division_codes[4]");
        assertTrue(description(violations, "facility.location_code").contains("not a known division"));
        assertTrue(description(violations, "facility.served_division_codes[0]").contains("expected a township or village"));
        assertTrue(description(violations, "facility.served_division_codes[2]").contains("12-digit"));
        assertTrue(description(violations, "facility.served_division_codes[4]").contains("twice"));
        // The location is required.
        assertFieldViolations(() -> createFacility(stub, plant("无地点 " + unique(), "", 10,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A).clearServedDivisionCodes()), "facility.location_code");
    }

    @Test
    void retiredDivisionsMayNotBeReferredToByNewRecords() {
        // A township that the next import of Lezhi County no longer lists, as after a merger.
        String retired = "512022999000";
        List<String> lezhi = currentRowsOfLezhi();
        String added = "512022999000,测试合并镇" + unique() + ",township," + LEZHI;
        importDivisions(List.of(added), List.of());
        assertTrue(stub.getDivision(GetDivisionRequest.newBuilder().setName("divisions/" + retired).build()).getRetired() == false);
        // A plant registered while the township still existed.
        Facility before = createFacility(stub, plant("合并前污水处理厂 " + unique(), retired, 300,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A));
        ImportDivisionsResponse retiring = importDivisions(lezhi, List.of(LEZHI));
        assertEquals(1, retiring.getRetiredCount(), "only the test township is retired: " + retiring);
        assertEquals(1, retiring.getRetiredInUseCount());
        assertEquals(retired, retiring.getRetiredInUse(0).getDivisionCode());
        assertEquals(List.of(before.getName()), retiring.getRetiredInUse(0).getFacilitiesList());
        assertEquals(0, retiring.getAddedCount() + retiring.getUpdatedCount(), retiring.toString());
        Division d = stub.getDivision(GetDivisionRequest.newBuilder().setName("divisions/" + retired).build());
        assertTrue(d.getRetired());

        var violations = assertFieldViolations(() -> createFacility(stub, plant("合并镇污水处理厂 " + unique(), retired, 500,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)),
                "facility.location_code", "facility.served_division_codes[0]");
        assertTrue(description(violations, "facility.location_code").contains("retired"));
        assertFieldViolations(() -> createFacility(stub, plant("石佛镇污水处理厂 " + unique(), SHIFO, 500,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A).addServedDivisionCodes(retired)),
                "facility.served_division_codes[1]");

        // The facility that referred to it keeps its references, and its other fields may still change.
        Facility renamed = stub.updateFacility(io.qingliu.api.project.v1.UpdateFacilityRequest.newBuilder()
                .setFacility(before.toBuilder().setDisplayName("合并后污水处理厂 " + unique()))
                .setUpdateMask(RegistryFixtures.mask("display_name")).build());
        assertEquals(retired, renamed.getLocationCode());
        assertEquals(List.of(retired), renamed.getServedDivisionCodesList());
    }

    @Test
    void capacityIsBoundedNonNegativeFiniteAndHasAtMostThreeDecimals() {
        for (double bad : new double[] {10_000_001, 10_000_000.001, -1, -0.001, Double.NaN, Double.POSITIVE_INFINITY, 1.2345,
                0.0001}) {
            assertFieldViolations(() -> createFacility(stub, plant("容量 " + unique(), BAOHE, bad,
                    DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)), "facility.capacity_tonnes_per_day");
        }
        assertEquals(10_000_000, createFacility(stub, plant("最大 " + unique(), BAOHE, 10_000_000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)).getCapacityTonnesPerDay());
        assertEquals(0.125, createFacility(stub, plant("三位小数 " + unique(), BAOHE, 0.125,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)).getCapacityTonnesPerDay());
        assertFieldViolations(() -> createFacility(stub, facility(FacilityType.FACILITY_TYPE_PIPE_NETWORK, "管网 " + unique(),
                BAOHE).setLengthKm(1.0005)), "facility.length_km");
        assertFieldViolations(() -> createFacility(stub, facility(FacilityType.FACILITY_TYPE_PIPE_NETWORK, "管网 " + unique(),
                BAOHE).setLengthKm(-3)), "facility.length_km");
    }

    @Test
    void displayNameIsRequiredAndAtMost200Characters() {
        assertFieldViolations(() -> createFacility(stub, plant("   ", BAOHE, 10,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)), "facility.display_name");
        assertFieldViolations(() -> createFacility(stub, plant("厂".repeat(201), BAOHE, 10,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)), "facility.display_name");
        assertFieldViolations(() -> createFacility(stub, plant("厂\u0000" + unique(), BAOHE, 10,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)), "facility.display_name");
        String name = unique() + "厂".repeat(192);
        assertEquals(name, createFacility(stub, plant("  " + name + " ", BAOHE, 10,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A)).getDisplayName(), "200 characters, trimmed");
    }

    @Test
    void everyViolationOfABadRequestIsListedAndNothingIsCreated() {
        String filter = "location = \"" + SHIFO + "\" AND type = FACILITY_TYPE_SEWAGE_TREATMENT_PLANT";
        int before = listFacilities(stub, filter, "", 1000).size();
        long head = ChangeFeedReader.currentHead(stub);

        StatusRuntimeException e = StatusAssertions.assertStatus(Status.Code.INVALID_ARGUMENT,
                () -> createFacility(stub, Facility.newBuilder()
                        .setDisplayName("")                                   // 1: required
                        .setType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT)
                        .setLocationCode(SHIFO)
                        .addServedDivisionCodes("512002000000")               // 2: a county
                        .setCapacityTonnesPerDay(-5)                          // 3: negative
                        .setDischargeStandardValue(42)                        // 4: unknown standard
                        .setOperatingState(OperatingState.OPERATING_STATE_IN_OPERATION)
                        .setOperationDate(RegistryFixtures.future())));       // 5: in the future
        StatusAssertions.assertViolations(e, "facility.display_name", "facility.served_division_codes[0]",
                "facility.capacity_tonnes_per_day", "facility.discharge_standard", "facility.operation_date");
        assertEquals("INVALID_FIELDS", errorInfo(e).getReason());
        assertEquals("5", errorInfo(e).getMetadataOrDefault("violation_count", ""));

        assertEquals(before, listFacilities(stub, filter, "", 1000).size(), "nothing created");
        assertEquals(head, ChangeFeedReader.currentHead(stub), "nothing written to the feed");
    }

    // --- helpers ---------------------------------------------------------------------------

    /** Lezhi County as the registry holds it now: the county and every active unit under it, as import rows. */
    private List<String> currentRowsOfLezhi() {
        List<String> rows = new ArrayList<>();
        Division county = stub.getDivision(GetDivisionRequest.newBuilder().setName("divisions/" + LEZHI).build());
        rows.add(row(county));
        String token = "";
        do {
            ListDivisionsResponse page = stub.listDivisions(ListDivisionsRequest.newBuilder()
                    .setFilter("county = \"" + LEZHI + "\"").setPageSize(1000).setPageToken(token).build());
            for (Division d : page.getDivisionsList()) {
                if (!d.getCode().equals(LEZHI)) {
                    rows.add(row(d));
                }
            }
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return rows;
    }

    private static String row(Division d) {
        String level = switch (d.getLevel()) {
            case DIVISION_LEVEL_COUNTY -> "county";
            case DIVISION_LEVEL_TOWNSHIP -> "township";
            case DIVISION_LEVEL_VILLAGE -> "village";
            default -> throw new IllegalArgumentException(d.toString());
        };
        return d.getCode() + "," + d.getDisplayName() + "," + level + "," + d.getParent().substring("divisions/".length());
    }

    private ImportDivisionsResponse importDivisions(List<String> rows, List<String> completeUnder) {
        String csv = "code,name,level,parent_code\n" + String.join("\n", rows) + "\n";
        ImportDivisionsRequest message = ImportDivisionsRequest.newBuilder().setRole(DivisionFileRole.DIVISION_FILE_ROLE_DIVISIONS)
                .setContent(ByteString.copyFrom(csv, StandardCharsets.UTF_8)).addAllCompleteUnderCodes(completeUnder).build();
        return ClientStreams.send(async::importDivisions, List.of(message));
    }
}
