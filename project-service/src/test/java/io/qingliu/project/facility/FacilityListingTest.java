package io.qingliu.project.facility;

import static io.qingliu.project.testing.RegistryFixtures.ANYUE;
import static io.qingliu.project.testing.RegistryFixtures.BAOHE;
import static io.qingliu.project.testing.RegistryFixtures.BAOHE_DONGZIWAN;
import static io.qingliu.project.testing.RegistryFixtures.QINGLIU;
import static io.qingliu.project.testing.RegistryFixtures.SHENGCHI_DUANGOU;
import static io.qingliu.project.testing.RegistryFixtures.YANJIANG;
import static io.qingliu.project.testing.RegistryFixtures.YUEYANG;
import static io.qingliu.project.testing.RegistryFixtures.createFacility;
import static io.qingliu.project.testing.RegistryFixtures.date;
import static io.qingliu.project.testing.RegistryFixtures.facility;
import static io.qingliu.project.testing.RegistryFixtures.listFacilities;
import static io.qingliu.project.testing.RegistryFixtures.operatingPlant;
import static io.qingliu.project.testing.RegistryFixtures.plant;
import static io.qingliu.project.testing.RegistryFixtures.setBasin;
import static io.qingliu.project.testing.RegistryFixtures.unique;
import static io.qingliu.kit.testing.StatusAssertions.assertFieldViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.common.v1.OperatingState;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.ListFacilitiesRequest;
import io.qingliu.api.project.v1.ListFacilitiesResponse;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import io.qingliu.project.testing.PostgresResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** ListFacilities: each filter field, ordering and paging. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class FacilityListingTest {

    @GrpcClient("project")
    ProjectServiceGrpc.ProjectServiceBlockingStub stub;

    @Test
    void filtersByTypeStateCountyTownshipLocationAndDownstream() {
        Facility plant = createFacility(stub, operatingPlant("保和镇污水处理厂 " + unique(), BAOHE, 1000,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A, date(2014, 5, 1)));
        Facility network = createFacility(stub, facility(FacilityType.FACILITY_TYPE_PIPE_NETWORK, "保和镇管网 " + unique(),
                BAOHE_DONGZIWAN).setLengthKm(5).setDownstreamFacility(plant.getName()));
        Facility station = createFacility(stub, facility(FacilityType.FACILITY_TYPE_GARBAGE_TRANSFER_STATION,
                "岳阳镇转运站 " + unique(), YUEYANG).setCapacityTonnesPerDay(50));

        List<Facility> inOperationInYanjiang = listFacilities(stub,
                "state = OPERATING_STATE_IN_OPERATION AND county = \"" + YANJIANG + "\"", "", 1000);
        assertTrue(names(inOperationInYanjiang).contains(plant.getName()));
        assertFalse(names(inOperationInYanjiang).contains(network.getName()), "the network is planned");
        inOperationInYanjiang.forEach(f -> {
            assertEquals(OperatingState.OPERATING_STATE_IN_OPERATION, f.getOperatingState());
            assertEquals(YANJIANG, f.getCountyCode());
        });

        List<Facility> networks = listFacilities(stub, "type = FACILITY_TYPE_PIPE_NETWORK", "", 1000);
        assertTrue(names(networks).contains(network.getName()));
        networks.forEach(f -> assertEquals(FacilityType.FACILITY_TYPE_PIPE_NETWORK, f.getType()));

        List<Facility> notNetworksInBaohe = listFacilities(stub,
                "township = \"" + BAOHE + "\" AND type != FACILITY_TYPE_PIPE_NETWORK", "", 1000);
        assertTrue(names(notNetworksInBaohe).contains(plant.getName()));
        assertFalse(names(notNetworksInBaohe).contains(network.getName()));
        notNetworksInBaohe.forEach(f -> assertEquals(BAOHE, f.getTownshipCode()));

        List<Facility> inBaohe = listFacilities(stub, "township = \"" + BAOHE + "\"", "", 1000);
        assertTrue(names(inBaohe).containsAll(Set.of(plant.getName(), network.getName())), "a village's facility is in its township");

        List<Facility> atVillage = listFacilities(stub, "location = \"" + BAOHE_DONGZIWAN + "\"", "", 1000);
        assertTrue(names(atVillage).contains(network.getName()));
        atVillage.forEach(f -> assertEquals(BAOHE_DONGZIWAN, f.getLocationCode()));

        List<Facility> anyue = listFacilities(stub, "county = \"" + ANYUE + "\" AND state = OPERATING_STATE_PLANNED", "", 1000);
        assertTrue(names(anyue).contains(station.getName()));
        anyue.forEach(f -> assertEquals(ANYUE, f.getCountyCode()));

        assertEquals(List.of(network.getName()),
                names(listFacilities(stub, "downstream_facility = \"" + plant.getName() + "\"", "", 1000)));
    }

    @Test
    void filtersByTheBasinOfTheLocation() {
        String basin = "测试河" + unique();
        setBasin(stub, SHENGCHI_DUANGOU, basin);
        try {
            Facility point = createFacility(stub, facility(FacilityType.FACILITY_TYPE_GARBAGE_COLLECTION_POINT,
                    "短沟村收集点 " + unique(), SHENGCHI_DUANGOU).setCapacityTonnesPerDay(2));
            assertEquals(List.of(point.getName()), names(listFacilities(stub, "basin = \"" + basin + "\"", "", 1000)));
            assertEquals(List.of(point.getName()), names(listFacilities(stub,
                    "basin = \"" + basin + "\" AND type = FACILITY_TYPE_GARBAGE_COLLECTION_POINT", "", 1000)));
            assertEquals(List.of(), listFacilities(stub, "basin = \"" + basin + "\" AND type = FACILITY_TYPE_PIPE_NETWORK",
                    "", 1000));
        } finally {
            setBasin(stub, SHENGCHI_DUANGOU, "");
        }
    }

    @Test
    void pagesCollectEachFacilityExactlyOnceInEitherOrder() {
        Facility plant = createFacility(stub, plant("清流镇污水处理厂 " + unique(), QINGLIU, 800,
                DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1A));
        String filter = "downstream_facility = \"" + plant.getName() + "\"";
        List<String> created = new ArrayList<>();
        // Letters first, so that any collation orders the names the same way.
        for (String letter : List.of("C", "A", "G", "E", "B", "F", "D")) {
            created.add(createFacility(stub, facility(FacilityType.FACILITY_TYPE_PIPE_NETWORK, letter + " 管网 " + unique(), QINGLIU)
                    .setLengthKm(1).setDownstreamFacility(plant.getName())).getName());
        }

        ListFacilitiesRequest first = ListFacilitiesRequest.newBuilder().setFilter(filter).setPageSize(3).build();
        ListFacilitiesResponse page1 = stub.listFacilities(first);
        assertEquals(3, page1.getFacilitiesCount());
        assertFalse(page1.getNextPageToken().isEmpty());
        List<Facility> all = listFacilities(stub, filter, "", 3);
        assertEquals(created, names(all), "default order is create_time, each facility once");

        List<Facility> byNameDesc = listFacilities(stub, filter, "display_name desc", 2);
        assertEquals(7, byNameDesc.size());
        assertEquals(new HashSet<>(created), new HashSet<>(names(byNameDesc)));
        List<String> displayNames = byNameDesc.stream().map(Facility::getDisplayName).toList();
        assertEquals(displayNames.stream().sorted(Comparator.reverseOrder()).toList(), displayNames);
        assertTrue(displayNames.get(0).startsWith("G") && displayNames.get(6).startsWith("A"));

        // The token belongs to its filter.
        assertFieldViolations(() -> stub.listFacilities(ListFacilitiesRequest.newBuilder().setFilter("type = FACILITY_TYPE_PIPE_NETWORK")
                .setPageSize(3).setPageToken(page1.getNextPageToken()).build()), "page_token");
    }

    @Test
    void badFiltersOrdersAndPageSizesAreRejected() {
        assertFieldViolations(() -> stub.listFacilities(ListFacilitiesRequest.newBuilder().setFilter("colour = \"red\"").build()),
                "filter");
        assertFieldViolations(() -> stub.listFacilities(ListFacilitiesRequest.newBuilder()
                .setFilter("type = FACILITY_TYPE_SPACESHIP").build()), "filter");
        assertFieldViolations(() -> stub.listFacilities(ListFacilitiesRequest.newBuilder()
                .setFilter("county = \"5120\"").build()), "filter");
        assertFieldViolations(() -> stub.listFacilities(ListFacilitiesRequest.newBuilder().setOrderBy("capacity").build()),
                "order_by");
        assertFieldViolations(() -> stub.listFacilities(ListFacilitiesRequest.newBuilder().setPageSize(-1).build()),
                "page_size");
    }

    private static List<String> names(List<Facility> facilities) {
        return facilities.stream().map(Facility::getName).collect(Collectors.toList());
    }
}
