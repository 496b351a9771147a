package io.qingliu.gateway.openapi;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

/**
 * JSON Schemas of protobuf messages as gRPC-JSON ({@code JsonFormat}) writes them: lowerCamelCase
 * names, enums as their value names, 64-bit integers as strings, well-known types in their JSON
 * forms. Every message and enum becomes a named component ({@code qingliu.project.v1.Project});
 * messages admit no other property, so a served body with a field the descriptor lacks fails.
 */
final class ProtoSchemas {

    static final String REF = "#/components/schemas/";

    private final Map<String, Schema> components = new TreeMap<>();
    private final ProtoComments comments;

    ProtoSchemas(ProtoComments comments) {
        this.comments = comments;
    }

    /** The components made so far, by full proto name. */
    Map<String, Schema> components() {
        return components;
    }

    /** A schema for a value of this message type: a reference to its component, or a well-known type's JSON form. */
    Schema message(Descriptor type) {
        Schema wellKnown = wellKnown(type.getFullName());
        if (wellKnown != null) {
            return wellKnown;
        }
        String name = type.getFullName();
        if (!components.containsKey(name)) {
            Schema schema = OASFactory.createSchema().addType(SchemaType.OBJECT)
                    .description(described(name, "protobuf message `" + name + "`"))
                    .additionalPropertiesBoolean(false);
            components.put(name, schema); // before the fields, so recursive types end
            Map<String, Schema> properties = new LinkedHashMap<>();
            for (FieldDescriptor field : type.getFields()) {
                Schema property = field(field);
                String comment = comments.of(field.getFullName());
                if (comment != null) {
                    property.setDescription(comment);
                    if (comment.startsWith("Output only") || comment.contains(" Output only")) {
                        property.setReadOnly(true); // the service sets it and ignores what is sent
                    }
                }
                properties.put(field.getJsonName(), property);
            }
            schema.setProperties(properties);
        }
        return ref(name);
    }

    /**
     * A google.rpc detail as it appears packed in an {@code Any}: its fields and its {@code @type}.
     * Only error details are written so; a message used both ways would need two components.
     */
    Schema anyDetail(Descriptor type) {
        message(type);
        Schema schema = components.get(type.getFullName());
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("@type", OASFactory.createSchema().addType(SchemaType.STRING)
                .constValue("type.googleapis.com/" + type.getFullName()));
        properties.putAll(schema.getProperties());
        schema.setProperties(properties);
        schema.setRequired(List.of("@type"));
        return ref(type.getFullName());
    }

    /** The schema of one field's value: repeated as arrays, maps as objects. */
    Schema field(FieldDescriptor field) {
        if (field.isMapField()) {
            FieldDescriptor value = field.getMessageType().findFieldByName("value");
            return OASFactory.createSchema().addType(SchemaType.OBJECT).additionalPropertiesSchema(single(value));
        }
        if (field.isRepeated()) {
            return OASFactory.createSchema().addType(SchemaType.ARRAY).items(single(field));
        }
        return single(field);
    }

    /** One value of the field's type, ignoring repetition. */
    Schema single(FieldDescriptor field) {
        return switch (field.getJavaType()) {
            case INT -> switch (field.getType()) {
                case UINT32, FIXED32 -> integer("int64").minimum(java.math.BigDecimal.ZERO)
                        .maximum(java.math.BigDecimal.valueOf(4294967295L));
                default -> integer("int32");
            };
            case LONG -> switch (field.getType()) {
                case UINT64, FIXED64 -> string("uint64").pattern("^[0-9]+$");
                default -> string("int64").pattern("^-?[0-9]+$");
            };
            case FLOAT -> OASFactory.createSchema().addType(SchemaType.NUMBER).format("float");
            case DOUBLE -> OASFactory.createSchema().addType(SchemaType.NUMBER).format("double");
            case BOOLEAN -> OASFactory.createSchema().addType(SchemaType.BOOLEAN);
            case STRING -> OASFactory.createSchema().addType(SchemaType.STRING);
            case BYTE_STRING -> string("byte").contentEncoding("base64");
            case ENUM -> enumeration(field.getEnumType());
            case MESSAGE -> message(field.getMessageType());
        };
    }

    /** An enum as the string of its value names (google.protobuf.NullValue is JSON's null). */
    Schema enumeration(EnumDescriptor type) {
        if (type.getFullName().equals("google.protobuf.NullValue")) {
            return OASFactory.createSchema().addType(SchemaType.NULL);
        }
        String name = type.getFullName();
        if (!components.containsKey(name)) {
            List<Object> values = new ArrayList<>();
            StringBuilder description = new StringBuilder(described(name, "protobuf enum `" + name + "`"))
                    .append("\n\nBy value name:");
            for (EnumValueDescriptor value : type.getValues()) {
                values.add(value.getName());
                String comment = comments.of(name + "." + value.getName());
                description.append("\n- `").append(value.getName()).append('`')
                        .append(comment == null ? "" : ": " + comment.replace('\n', ' '));
            }
            components.put(name, OASFactory.createSchema().addType(SchemaType.STRING)
                    .description(description.toString()).enumeration(values));
        }
        return ref(name);
    }

    /** The element's proto comment, else the fallback. */
    String described(String fullName, String fallback) {
        String comment = comments.of(fullName);
        return comment == null ? fallback : comment;
    }

    static Schema ref(String component) {
        return OASFactory.createSchema().ref(REF + component);
    }

    /** The JSON forms of the well-known types (proto3 JSON mapping); null for any other message. */
    private static Schema wellKnown(String fullName) {
        return switch (fullName) {
            case "google.protobuf.Timestamp" -> string("date-time").description("RFC 3339, UTC, e.g. 2024-05-01T08:00:00Z");
            case "google.protobuf.Duration" -> OASFactory.createSchema().addType(SchemaType.STRING)
                    .pattern("^-?[0-9]+(\\.[0-9]{1,9})?s$").description("seconds with the suffix s, e.g. 1.5s");
            case "google.protobuf.FieldMask" -> OASFactory.createSchema().addType(SchemaType.STRING)
                    .description("field paths in lowerCamelCase, comma-separated, e.g. displayName,capacityTonnesPerDay");
            case "google.protobuf.Struct" -> OASFactory.createSchema().addType(SchemaType.OBJECT);
            case "google.protobuf.ListValue" -> OASFactory.createSchema().addType(SchemaType.ARRAY);
            case "google.protobuf.Value" -> OASFactory.createSchema().description("any JSON value");
            case "google.protobuf.Any" -> OASFactory.createSchema().addType(SchemaType.OBJECT).required(List.of("@type"))
                    .properties(Map.of("@type", OASFactory.createSchema().addType(SchemaType.STRING)));
            case "google.protobuf.DoubleValue", "google.protobuf.FloatValue" -> nullable(SchemaType.NUMBER, null);
            case "google.protobuf.Int32Value" -> nullable(SchemaType.INTEGER, "int32");
            case "google.protobuf.UInt32Value" -> nullable(SchemaType.INTEGER, "int64");
            case "google.protobuf.Int64Value" -> nullable(SchemaType.STRING, "int64");
            case "google.protobuf.UInt64Value" -> nullable(SchemaType.STRING, "uint64");
            case "google.protobuf.BoolValue" -> nullable(SchemaType.BOOLEAN, null);
            case "google.protobuf.StringValue" -> nullable(SchemaType.STRING, null);
            case "google.protobuf.BytesValue" -> nullable(SchemaType.STRING, "byte");
            default -> null;
        };
    }

    private static Schema nullable(SchemaType type, String format) {
        Schema schema = OASFactory.createSchema().type(List.of(type, SchemaType.NULL));
        return format == null ? schema : schema.format(format);
    }

    private static Schema integer(String format) {
        return OASFactory.createSchema().addType(SchemaType.INTEGER).format(format);
    }

    private static Schema string(String format) {
        return OASFactory.createSchema().addType(SchemaType.STRING).format(format);
    }
}
