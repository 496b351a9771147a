package io.qingliu.kit.support;

import com.google.protobuf.ProtocolMessageEnum;
import java.util.Locale;

/**
 * Maps domain enums to and from proto enums by name: the proto value is the domain name behind
 * the proto enum's own prefix ({@code FacilityType.FACILITY_TYPE_PIPE_NETWORK} ↔
 * {@code FacilityType.PIPE_NETWORK}), so that entities never hold proto types.
 */
public final class EnumMapping {

    private EnumMapping() {
    }

    /** The domain value of a proto value; null for the zero value and for numbers this build does not know. */
    public static <E extends Enum<E>> E fromProto(ProtocolMessageEnum value, Class<E> domain) {
        // UNRECOGNIZED first: getNumber() throws on it.
        if (value == null || isUnrecognized(value) || value.getNumber() <= 0) {
            return null;
        }
        String name = value.getValueDescriptor().getName();
        String prefix = prefixOf(value.getDescriptorForType().getName());
        try {
            return Enum.valueOf(domain, name.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The proto value of a domain value; the zero value for null. */
    public static <P extends Enum<P> & ProtocolMessageEnum> P toProto(Enum<?> value, Class<P> proto) {
        P[] constants = proto.getEnumConstants();
        String prefix = prefixOf(constants[0].getDescriptorForType().getName());
        if (value == null) {
            return forNumber(constants, 0);
        }
        return Enum.valueOf(proto, prefix + value.name());
    }

    /**
     * Filter values: each proto name (e.g. {@code PROJECT_STATE_PLANNED}) → the stored domain name
     * ({@code PLANNED}), in declaration order.
     */
    public static <P extends Enum<P> & ProtocolMessageEnum, E extends Enum<E>> java.util.Map<String, String> filterValues(
            Class<P> proto, Class<E> domain) {
        java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
        for (E e : domain.getEnumConstants()) {
            values.put(toProto(e, proto).name(), e.name());
        }
        return values;
    }

    /** Whether {@code value} is the proto's UNRECOGNIZED marker (a number the client sent that we do not know). */
    private static boolean isUnrecognized(ProtocolMessageEnum value) {
        return value instanceof Enum<?> e && e.name().equals("UNRECOGNIZED");
    }

    private static <P extends Enum<P> & ProtocolMessageEnum> P forNumber(P[] constants, int number) {
        for (P p : constants) {
            if (!p.name().equals("UNRECOGNIZED") && p.getNumber() == number) {
                return p;
            }
        }
        throw new IllegalStateException("no value " + number);
    }

    /** {@code FacilityType} → {@code FACILITY_TYPE_}. */
    static String prefixOf(String enumTypeName) {
        return enumTypeName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT) + "_";
    }

}
