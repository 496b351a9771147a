package io.qingliu.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.FieldMask;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.FieldMaskUtil;
import com.google.protobuf.util.JsonFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Request bodies read the way gRPC-JSON reads them (lowerCamelCase or proto names, enums by name),
 * strictly: malformed JSON, a value of the wrong type and an unknown field are each a 400 naming
 * what is wrong, never a 500 nor a silently dropped field.
 */
public final class Bodies {

    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UNKNOWN_FIELD = Pattern.compile("Cannot find field: (\\S+)");

    private Bodies() {
    }

    /**
     * Merges the JSON body into the builder. {@code field} is the request field the body is (e.g.
     * {@code facility}), so that violations name {@code facility.capacityTonnesPerDay}; empty when
     * the body is the whole request ({@code body: "*"}), whose fields are then named as they are.
     */
    public static <B extends Message.Builder> B parse(String body, B builder, String field) {
        if (body == null || body.isBlank()) {
            throw new InvalidParameterException(field.isEmpty() ? "body" : field, "is required: send it as the JSON body");
        }
        try {
            PARSER.merge(body, builder);
            return builder;
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            // JsonFormat names the value but not where it is: find the field it belongs to.
            BodyShapes.firstMisfit(body, builder.getDescriptorForType(), field).ifPresent(misfit -> {
                throw new InvalidParameterException(misfit.field(), misfit.description());
            });
            throw unlocated(e, builder, field);
        }
    }

    private static InvalidParameterException unlocated(Exception e, Message.Builder builder, String prefix) {
        String field = prefix.isEmpty() ? "body" : prefix;
        if (e instanceof InvalidProtocolBufferException) {
            String message = e.getMessage() == null ? "is not valid JSON" : e.getMessage();
            Matcher unknown = UNKNOWN_FIELD.matcher(message);
            if (unknown.find()) {
                return new InvalidParameterException(prefix.isEmpty() ? unknown.group(1) : prefix + "." + unknown.group(1), "is not a field of "
                        + builder.getDescriptorForType().getName());
            }
            return new InvalidParameterException(field, "cannot be read: " + message);
        }
        // JsonFormat lets some malformed input escape as Gson's or its own runtime errors.
        return new InvalidParameterException(field, "is not valid JSON: " + e.getMessage());
    }

    /**
     * The update mask: {@code updateMask=displayName,capacityTonnesPerDay} (JSON names, as
     * gRPC-JSON writes a FieldMask) or, when absent, the fields the body sets (AIP-134).
     */
    public static FieldMask updateMask(String updateMask, String body) {
        if (updateMask != null && !updateMask.isBlank()) {
            return FieldMaskUtil.fromJsonString(updateMask.replace(" ", ""));
        }
        try {
            JsonNode tree = JSON.readTree(body);
            List<String> paths = new ArrayList<>();
            tree.fieldNames().forEachRemaining(name -> {
                if (!name.equals("name") && !name.equals("etag")) {
                    paths.add(name);
                }
            });
            return FieldMaskUtil.fromJsonString(String.join(",", paths));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new InvalidParameterException("body", "is not valid JSON: " + e.getMessage());
        }
    }

    /** The etag of {@code If-Match}, else the {@code etag} query parameter a transcoder would send. */
    public static String ifMatch(String header, String queryParameter) {
        String etag = ifMatch(header);
        return etag != null ? etag : queryParameter;
    }

    /**
     * The etag an {@code If-Match} header carries, in the services' form (an RFC 7232 entity-tag,
     * quotes included: what {@code ETag} and the body's {@code etag} say); null when absent or
     * {@code *} (any version: no check). Lenient with what clients make of it: a weak tag's
     * {@code W/} is dropped, an unquoted value is quoted, and a quoted copy of the body's already
     * quoted etag loses its extra quotes.
     */
    public static String ifMatch(String header) {
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return null;
        }
        String etag = header.trim();
        if (etag.startsWith("W/")) {
            etag = etag.substring(2);
        }
        if (etag.length() >= 4 && etag.startsWith("\"\"") && etag.endsWith("\"\"")) {
            return etag.substring(1, etag.length() - 1);
        }
        if (etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            return etag;
        }
        return '"' + etag + '"';
    }
}
