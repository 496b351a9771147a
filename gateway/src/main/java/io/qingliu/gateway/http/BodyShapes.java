package io.qingliu.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.text.ParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds where a JSON body breaks its message's shape, so that a 400 names the field
 * ({@code project.fundingSources[2].amountFen}) rather than the whole body: JsonFormat's own
 * messages quote the value but not its path. It admits what JsonFormat admits (numbers as strings,
 * proto names besides JSON names, null for a singular field) and is asked only once JsonFormat has
 * refused a body, so it cannot refuse one that JsonFormat would take.
 */
final class BodyShapes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigDecimal INT32_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal INT32_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal UINT32_MAX = BigDecimal.valueOf(4294967295L);
    private static final BigDecimal INT64_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal INT64_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal UINT64_MAX = new BigDecimal(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));

    /** A value that does not fit: its path in JSON names, and what it must be. */
    record Violation(String field, String description) {
    }

    private BodyShapes() {
    }

    /**
     * The first misfit of the body against the message, with paths under {@code path} (empty when
     * the body is the whole request); empty if none is found.
     */
    static Optional<Violation> firstMisfit(String body, Descriptor type, String path) {
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (Exception e) {
            return Optional.empty(); // not JSON at all: the caller says so
        }
        Violation misfit = message(tree, type, path);
        if (misfit != null && misfit.field().isEmpty()) {
            misfit = new Violation("body", misfit.description()); // the whole request, not a field of it
        }
        return Optional.ofNullable(misfit);
    }

    /** {@code project.fundingSources}; at the top of a request sent whole, just {@code project}. */
    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static Violation message(JsonNode node, Descriptor type, String path) {
        switch (type.getFullName()) {
            case "google.protobuf.Timestamp" -> {
                return node.isTextual() && parses(() -> Timestamps.parse(node.textValue())) ? null
                        : new Violation(path, "must be an RFC 3339 timestamp such as \"2024-05-01T08:00:00Z\", not " + shown(node));
            }
            case "google.protobuf.Duration" -> {
                return node.isTextual() && parses(() -> Durations.parse(node.textValue())) ? null
                        : new Violation(path, "must be a duration such as \"1.5s\", not " + shown(node));
            }
            case "google.protobuf.FieldMask" -> {
                return node.isTextual() ? null
                        : new Violation(path, "must be a string of comma-separated field names, not " + shown(node));
            }
            case "google.protobuf.Value", "google.protobuf.Any" -> {
                return null; // any JSON value; an Any's own type is JsonFormat's to check
            }
            case "google.protobuf.Struct" -> {
                return node.isObject() ? null : new Violation(path, "must be an object, not " + shown(node));
            }
            case "google.protobuf.ListValue" -> {
                return node.isArray() ? null : new Violation(path, "must be an array, not " + shown(node));
            }
            case "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int32Value",
                    "google.protobuf.UInt32Value", "google.protobuf.Int64Value", "google.protobuf.UInt64Value",
                    "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue" -> {
                return single(node, type.findFieldByName("value"), path);
            }
            default -> {
                // an ordinary message, below
            }
        }
        if (!node.isObject()) {
            return new Violation(path, "must be an object (" + type.getFullName() + "), not " + shown(node));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            FieldDescriptor field = field(type, entry.getKey());
            if (field == null) {
                return new Violation(child(path, entry.getKey()), "is not a field of " + type.getName());
            }
            if (entry.getValue().isNull()) {
                continue; // null leaves a field unset
            }
            Violation violation = value(entry.getValue(), field, child(path, field.getJsonName()));
            if (violation != null) {
                return violation;
            }
        }
        return null;
    }

    private static Violation value(JsonNode node, FieldDescriptor field, String path) {
        if (field.isMapField()) {
            if (!node.isObject()) {
                return new Violation(path, "must be an object (a map), not " + shown(node));
            }
            FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                Violation violation = single(entry.getValue(), valueField, path + "[\"" + entry.getKey() + "\"]");
                if (violation != null) {
                    return violation;
                }
            }
            return null;
        }
        if (field.isRepeated()) {
            if (!node.isArray()) {
                return new Violation(path, "must be an array, not " + shown(node));
            }
            for (int i = 0; i < node.size(); i++) {
                String element = path + "[" + i + "]";
                if (node.get(i).isNull()) {
                    return new Violation(element, "must not be null");
                }
                Violation violation = single(node.get(i), field, element);
                if (violation != null) {
                    return violation;
                }
            }
            return null;
        }
        return single(node, field, path);
    }

    /** One value of the field's type. */
    private static Violation single(JsonNode node, FieldDescriptor field, String path) {
        return switch (field.getJavaType()) {
            case INT -> switch (field.getType()) {
                case UINT32, FIXED32 -> integer(node, BigDecimal.ZERO, UINT32_MAX, "uint32", path);
                default -> integer(node, INT32_MIN, INT32_MAX, "int32", path);
            };
            case LONG -> switch (field.getType()) {
                case UINT64, FIXED64 -> integer(node, BigDecimal.ZERO, UINT64_MAX, "uint64", path);
                default -> integer(node, INT64_MIN, INT64_MAX, "int64", path);
            };
            case FLOAT, DOUBLE -> node.isNumber() || (node.isTextual() && isNumber(node.textValue())) ? null
                    : new Violation(path, "must be a number, not " + shown(node));
            case BOOLEAN -> node.isBoolean() || (node.isTextual() && (node.textValue().equals("true")
                    || node.textValue().equals("false"))) ? null
                    : new Violation(path, "must be true or false, not " + shown(node));
            case STRING -> node.isValueNode() ? null : new Violation(path, "must be a string, not " + shown(node));
            case BYTE_STRING -> node.isTextual() && isBase64(node.textValue()) ? null
                    : new Violation(path, "must be base64 text, not " + shown(node));
            case ENUM -> enumValue(node, field.getEnumType(), path);
            case MESSAGE -> message(node, field.getMessageType(), path);
        };
    }

    private static Violation integer(JsonNode node, BigDecimal min, BigDecimal max, String kind, String path) {
        BigDecimal value = null;
        if (node.isNumber()) {
            value = node.decimalValue();
        } else if (node.isTextual()) {
            try {
                value = new BigDecimal(node.textValue().trim());
            } catch (NumberFormatException e) {
                value = null;
            }
        }
        boolean whole = value != null && value.stripTrailingZeros().scale() <= 0;
        if (whole && value.compareTo(min) >= 0 && value.compareTo(max) <= 0) {
            return null;
        }
        String what = kind.endsWith("64") ? "an integer (" + kind + ", as a string or a number)" : "an integer (" + kind + ")";
        return new Violation(path, "must be " + what + ", not " + shown(node));
    }

    private static Violation enumValue(JsonNode node, EnumDescriptor type, String path) {
        if (node.isTextual() && type.findValueByName(node.textValue()) != null) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return null; // proto3 enums are open: JsonFormat takes a number
        }
        String names = type.getValues().stream().map(EnumValueDescriptor::getName)
                .filter(n -> !n.endsWith("_UNSPECIFIED")).collect(Collectors.joining(", "));
        return new Violation(path, "must be one of " + names + ", not " + shown(node));
    }

    private static FieldDescriptor field(Descriptor type, String name) {
        for (FieldDescriptor field : type.getFields()) {
            if (field.getJsonName().equals(name) || field.getName().equals(name)) {
                return field;
            }
        }
        return null;
    }

    private static boolean isNumber(String text) {
        if (text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity")) {
            return true;
        }
        try {
            new BigDecimal(text.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isBase64(String text) {
        try {
            Base64.getDecoder().decode(text);
            return true;
        } catch (IllegalArgumentException e) {
            try {
                Base64.getUrlDecoder().decode(text);
                return true;
            } catch (IllegalArgumentException e2) {
                return false;
            }
        }
    }

    private interface Parse {
        void run() throws ParseException;
    }

    private static boolean parses(Parse parse) {
        try {
            parse.run();
            return true;
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    /** The value as the caller wrote it, short: {@code "abc"}, {@code an object}, {@code 12}. */
    private static String shown(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        String text = node.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
