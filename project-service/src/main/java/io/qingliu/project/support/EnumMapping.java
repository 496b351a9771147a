package io.qingliu.project.support;

import com.google.protobuf.ProtocolMessageEnum;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps domain enums to and from proto enums by name: the proto value is the domain name behind
 * the proto enum's own prefix ({@code FacilityType.FACILITY_TYPE_PIPE_NETWORK} ↔
 * {@code FacilityType.PIPE_NETWORK}), so that entities never hold proto types.
 */
public final class EnumMapping {

    /**
     * The values of a proto enum and of a domain enum that correspond, by ordinal both ways (null
     * where the other has no such name), so that a mapping is an array access: imports map a few
     * enums per entry.
     */
    private record Mapping(Enum<?>[] toDomain, Enum<?>[] toProto) {
    }

    /** Proto enum class → domain enum class → their mapping, worked out once. */
    private static final ClassValue<Map<Class<?>, Mapping>> MAPPINGS = new ClassValue<>() {
        @Override
        protected Map<Class<?>, Mapping> computeValue(Class<?> proto) {
            return new ConcurrentHashMap<>();
        }
    };

    /** The prefix of each proto enum class (its regular expression is costly). */
    private static final ClassValue<String> PREFIXES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> proto) {
            ProtocolMessageEnum any = (ProtocolMessageEnum) proto.getEnumConstants()[0];
            return prefixOf(any.getDescriptorForType().getName());
        }
    };

    private EnumMapping() {
    }

    /** The domain value of a proto value; null for the zero value and for numbers this build does not know. */
    public static <E extends Enum<E>> E fromProto(ProtocolMessageEnum value, Class<E> domain) {
        // UNRECOGNIZED first: getNumber() throws on it.
        if (value == null || isUnrecognized(value) || value.getNumber() <= 0) {
            return null;
        }
        return domain.cast(mapping(value.getClass(), domain).toDomain[((Enum<?>) value).ordinal()]);
    }

    /** The proto value of a domain value; the zero value for null. */
    public static <P extends Enum<P> & ProtocolMessageEnum> P toProto(Enum<?> value, Class<P> proto) {
        if (value == null) {
            return forNumber(proto.getEnumConstants(), 0);
        }
        Enum<?> p = mapping(proto, value.getDeclaringClass()).toProto[value.ordinal()];
        if (p == null) {
            throw new IllegalArgumentException("No enum constant " + proto.getCanonicalName() + "." + PREFIXES.get(proto)
                    + value.name());
        }
        return proto.cast(p);
    }

    /**
     * Filter values: each proto name (e.g. {@code PROJECT_STATE_PLANNED}) → the stored domain name
     * ({@code PLANNED}), in declaration order.
     */
    public static <P extends Enum<P> & ProtocolMessageEnum, E extends Enum<E>> Map<String, String> filterValues(
            Class<P> proto, Class<E> domain) {
        Map<String, String> values = new LinkedHashMap<>();
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

    private static Mapping mapping(Class<?> proto, Class<?> domain) {
        Map<Class<?>, Mapping> byDomain = MAPPINGS.get(proto);
        Mapping known = byDomain.get(domain);
        return known != null ? known : byDomain.computeIfAbsent(domain, d -> {
            String prefix = PREFIXES.get(proto);
            Enum<?>[] protoValues = (Enum<?>[]) proto.getEnumConstants();
            Enum<?>[] domainValues = (Enum<?>[]) d.getEnumConstants();
            Map<String, Enum<?>> protoByName = new HashMap<>();
            for (Enum<?> p : protoValues) {
                protoByName.put(p.name(), p);
            }
            Map<String, Enum<?>> domainByName = new HashMap<>();
            for (Enum<?> e : domainValues) {
                domainByName.put(e.name(), e);
            }
            Enum<?>[] toDomain = new Enum<?>[protoValues.length];
            for (Enum<?> p : protoValues) {
                if (p.name().startsWith(prefix)) {
                    toDomain[p.ordinal()] = domainByName.get(p.name().substring(prefix.length()));
                }
            }
            Enum<?>[] toProto = new Enum<?>[domainValues.length];
            for (Enum<?> e : domainValues) {
                toProto[e.ordinal()] = protoByName.get(prefix + e.name());
            }
            return new Mapping(toDomain, toProto);
        });
    }

    /** {@code FacilityType} → {@code FACILITY_TYPE_}. */
    static String prefixOf(String enumTypeName) {
        return enumTypeName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT) + "_";
    }
}
