package io.qingliu.project.facility;

import io.qingliu.project.division.Division;
import io.qingliu.project.division.DivisionDirectory;
import io.qingliu.project.division.DivisionLevel;
import io.qingliu.kit.grpc.Violations;
import io.qingliu.kit.support.EnumMapping;
import io.qingliu.kit.support.Fields;
import io.qingliu.kit.support.IdName;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Checks a facility as the API describes it and, field by field, writes what is valid into the
 * entity. Every problem is recorded in the violations; the caller throws before anything is
 * stored. The same rules serve create, update (on the merged state) and import.
 */
public final class FacilityRules {

    public static final int MAX_SERVED = 5_000;

    private FacilityRules() {
    }

    /**
     * @param in the facility as requested (for an update: the current state with the masked fields replaced)
     * @param target the entity to fill; for an update it holds the current state
     * @param creating whether this is a new facility (its type may be set)
     */
    public static void apply(io.qingliu.api.project.v1.Facility in, Facility target, boolean creating,
            RegistryLookup lookup, LocalDate today, Violations v) {
        target.displayName = Fields.text(v, "display_name", in.getDisplayName(), true, 200);

        FacilityType type = EnumMapping.fromProto(in.getType(), FacilityType.class);
        if (creating) {
            if (type == null) {
                v.add("type", in.getTypeValue() == 0 ? "is required" : "unknown value " + in.getTypeValue());
            }
            target.type = type;
        } else if (type != target.type) {
            v.add("type", "cannot change after create");
        }
        type = target.type;

        Set<String> alreadyReferenced = new LinkedHashSet<>(Arrays.asList(target.servedCodes));
        if (target.locationCode != null) {
            alreadyReferenced.add(target.locationCode);
        }
        Division location = division(in.getLocationCode(), "location_code", true, alreadyReferenced, lookup, v);
        if (location != null) {
            target.locationCode = location.code;
            target.countyCode = location.countyCode;
            target.townshipCode = location.townshipCode;
        }

        Set<String> served = new LinkedHashSet<>();
        if (in.getServedDivisionCodesCount() > MAX_SERVED) {
            v.add("served_division_codes", "lists more than " + MAX_SERVED + " units");
        } else {
            for (int i = 0; i < in.getServedDivisionCodesCount(); i++) {
                String field = "served_division_codes[" + i + "]";
                String code = in.getServedDivisionCodes(i);
                if (!served.add(code)) {
                    v.add(field, code + " is listed twice");
                    continue;
                }
                Division d = division(code, field, true, alreadyReferenced, lookup, v);
                if (d != null && location != null && type != null && type.servesOwnCountyOnly()
                        && !location.countyCode.equals(d.countyCode)) {
                    v.add(field, code + " is in county " + d.countyCode + ", not in the facility's county "
                            + location.countyCode);
                }
            }
        }
        target.servedCodes = served.toArray(String[]::new);

        if (type == null || type.hasCapacity()) {
            target.capacityTpd = Fields.quantity(v, "capacity_tonnes_per_day", in.getCapacityTonnesPerDay(),
                    Fields.MAX_CAPACITY);
        } else {
            mustBeZero(v, "capacity_tonnes_per_day", in.getCapacityTonnesPerDay(), "a pipe network has a length, not a capacity");
            target.capacityTpd = BigDecimal.ZERO.setScale(3);
        }
        if (type == FacilityType.PIPE_NETWORK) {
            target.lengthKm = Fields.quantity(v, "length_km", in.getLengthKm(), Fields.MAX_LENGTH_KM);
        } else {
            mustBeZero(v, "length_km", in.getLengthKm(), "only pipe networks have a length");
            target.lengthKm = BigDecimal.ZERO.setScale(3);
        }

        DischargeStandard standard = EnumMapping.fromProto(in.getDischargeStandard(), DischargeStandard.class);
        if (standard == null && in.getDischargeStandardValue() != 0) {
            v.add("discharge_standard", "unknown value " + in.getDischargeStandardValue());
        } else if (standard != null && type != null && type != FacilityType.SEWAGE_TREATMENT_PLANT) {
            v.add("discharge_standard", "only sewage treatment plants have a discharge standard");
        }
        target.dischargeStandard = standard;

        target.downstreamId = downstream(in, target, type, lookup, v);

        OperatingState state = EnumMapping.fromProto(in.getOperatingState(), OperatingState.class);
        if (state == null) {
            v.add("operating_state", in.getOperatingStateValue() == 0 ? "is required" : "unknown value " + in.getOperatingStateValue());
        }
        LocalDate operation = Fields.pastDate(v, "operation_date", in.getOperationDate(), today);
        LocalDate outOfService = Fields.pastDate(v, "out_of_service_date", in.getOutOfServiceDate(), today);
        if (state == OperatingState.IN_OPERATION || state == OperatingState.OUT_OF_SERVICE) {
            if (operation == null && !v.has("operation_date")) {
                v.add("operation_date", "is required for a facility in operation or out of service");
            }
        } else if (state != null && operation != null) {
            v.add("operation_date", "must be unset while the facility is " + state.name().toLowerCase().replace('_', ' '));
        }
        if (state == OperatingState.OUT_OF_SERVICE) {
            if (outOfService == null && !v.has("out_of_service_date")) {
                v.add("out_of_service_date", "is required for a facility out of service");
            }
            Fields.ordered(v, "out_of_service_date", operation, "operation_date", outOfService);
        } else if (outOfService != null) {
            v.add("out_of_service_date", "is only for a facility out of service");
        }
        target.operatingState = state;
        target.operationDate = operation;
        target.outOfServiceDate = outOfService;
    }

    private static Long downstream(io.qingliu.api.project.v1.Facility in, Facility target, FacilityType type,
            RegistryLookup lookup, Violations v) {
        String name = in.getDownstreamFacility();
        if (name.isEmpty()) {
            return null;
        }
        if (type != null && type.downstreamType() == null) {
            v.add("downstream_facility", "a " + label(type) + " delivers to no other facility");
            return null;
        }
        Long id = IdName.FACILITY.tryParse(name);
        if (id == null) {
            v.add("downstream_facility", "is malformed: expected a name such as facilities/42");
            return null;
        }
        if (id.equals(target.id)) {
            v.add("downstream_facility", "a facility cannot deliver to itself");
            return null;
        }
        Facility downstream = lookup.facility(id);
        if (downstream == null) {
            v.add("downstream_facility", name + " does not exist");
            return null;
        }
        if (type != null && downstream.type != type.downstreamType()) {
            v.add("downstream_facility", "a " + label(type) + " delivers to a " + label(type.downstreamType()) + "; "
                    + name + " is a " + label(downstream.type));
            return null;
        }
        return id;
    }

    /**
     * A division a new reference may point to: it exists, is a township or village, and is not
     * retired (unless the record referred to it already, so that an update of other fields never
     * fails on a merger it did not cause).
     */
    private static Division division(String code, String field, boolean required, Set<String> alreadyReferenced,
            RegistryLookup lookup, Violations v) {
        if (code == null || code.isEmpty()) {
            if (required) {
                v.add(field, "is required");
            }
            return null;
        }
        if (!DivisionDirectory.isWellFormed(code)) {
            v.add(field, "'" + code + "' is not a 12-digit division code");
            return null;
        }
        Division d = lookup.division(code);
        if (d == null) {
            v.add(field, code + " is not a known division");
            return null;
        }
        if (d.level != DivisionLevel.TOWNSHIP && d.level != DivisionLevel.VILLAGE) {
            v.add(field, code + " (" + d.name + ") is a " + d.level.name().toLowerCase() + "; expected a township or village");
            return null;
        }
        if (d.isRetired() && !alreadyReferenced.contains(code)) {
            v.add(field, code + " (" + d.name + ") was retired from the division list");
            return null;
        }
        return d;
    }

    private static void mustBeZero(Violations v, String field, double value, String why) {
        if (value != 0) {
            v.add(field, "must be 0: " + why);
        }
    }

    public static String label(FacilityType type) {
        return type.name().toLowerCase().replace('_', ' ');
    }
}
