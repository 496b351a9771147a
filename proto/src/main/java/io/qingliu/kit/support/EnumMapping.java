package io.qingliu.kit.support;

import com.google.protobuf.ProtocolMessageEnum;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps domain enums to and from proto enums by name: the proto value is the domain name behind
 * the proto enum's own prefix ({@code FacilityType.FACILITY_TYPE_PIPE_NETWORK} ↔
 * {@code FacilityType.PIPE_NETWORK}), so that entities never hold proto types.
 */
public final class EnumMapping {

    /** A pair of enum classes, the key of a translation table. */
    private record Pair(Class<?> from, Class<?> to) {
    }

    /**
     * Translation tables by ordinal, made once per pair: mapping sits on every answer's path (a
     * project has half a dozen enums), and deriving a name by regular expression on each call was a
     * fifth of an import's CPU samples.
     */
    private static final Map<Pair, Enum<?>[]> TABLES = new ConcurrentHashMap<>();

    /** The zero value of each proto enum. */
    private static final ClassValue<Enum<?>> ZERO = new ClassValue<>() {
        @Override
        protected Enum<?> computeValue(Class<?> proto) {
            for (Object c : proto.getEnumConstants()) {
                if (!((Enum<?>) c).name().equals("UNRECOGNIZED") && ((ProtocolMessageEnum) c).getNumber() == 0) {
                    return (Enum<?>) c;
                }
            }
            throw new IllegalStateException("no zero value in " + proto.getName());
        }
    };

    private EnumMapping() {
    }

    /** The domain value of a proto value; null for the zero value and for numbers this build does not know. */
    @SuppressWarnings("unchecked")
    public static <E extends Enum<E>> E fromProto(ProtocolMessageEnum value, Class<E> domain) {
        // UNRECOGNIZED first: getNumber() throws on it.
        if (value == null || isUnrecognized(value) || value.getNumber() <= 0) {
            return null;
        }
        Enum<?> protoValue = (Enum<?>) value;
        return (E) table(protoValue.getDeclaringClass(), domain)[protoValue.ordinal()];
    }

    /** The proto value of a domain value; the zero value for null. */
    @SuppressWarnings("unchecked")
    public static <P extends Enum<P> & ProtocolMessageEnum> P toProto(Enum<?> value, Class<P> proto) {
        if (value == null) {
            return (P) ZERO.get(proto);
        }
        P mapped = (P) table(value.getDeclaringClass(), proto)[value.ordinal()];
        if (mapped == null) {
            throw new IllegalArgumentException("no value " + prefixOf(protoTypeName(proto)) + value.name() + " in " + proto.getName());
        }
        return mapped;
    }

    /**
     * For each constant of {@code from} (by ordinal) the constant of {@code to} of the same name,
     * the proto's prefix put on or taken off; null where there is none.
     */
    private static Enum<?>[] table(Class<?> from, Class<?> to) {
        return TABLES.computeIfAbsent(new Pair(from, to), pair -> {
            boolean fromProto = ProtocolMessageEnum.class.isAssignableFrom(pair.from());
            String prefix = prefixOf(protoTypeName(fromProto ? pair.from() : pair.to()));
            Map<String, Enum<?>> targets = new HashMap<>();
            for (Object c : pair.to().getEnumConstants()) {
                targets.put(((Enum<?>) c).name(), (Enum<?>) c);
            }
            Object[] sources = pair.from().getEnumConstants();
            Enum<?>[] table = new Enum<?>[sources.length];
            for (Object c : sources) {
                String name = ((Enum<?>) c).name();
                String target = fromProto ? (name.startsWith(prefix) ? name.substring(prefix.length()) : null) : prefix + name;
                table[((Enum<?>) c).ordinal()] = target == null ? null : targets.get(target);
            }
            return table;
        });
    }

    /** The proto enum's own name ({@code FacilityType}), from its descriptor. */
    private static String protoTypeName(Class<?> proto) {
        return ((ProtocolMessageEnum) ZERO.get(proto)).getDescriptorForType().getName();
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

    /** {@code FacilityType} → {@code FACILITY_TYPE_}. */
    static String prefixOf(String enumTypeName) {
        return enumTypeName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT) + "_";
    }

}
