package io.qingliu.gateway.http;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.DebugInfo;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Help;
import com.google.rpc.LocalizedMessage;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.QuotaFailure;
import com.google.rpc.RequestInfo;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Proto messages as HTTP bodies, written the way gRPC-JSON writes them (lowerCamelCase names,
 * enums by name, dates as objects), so that HTTP and gRPC-JSON names agree.
 */
public final class ProtoJson {

    /** The error details a service may send (the standard google.rpc ones). */
    private static final List<Descriptor> ERROR_DETAIL_TYPES = List.of(ErrorInfo.getDescriptor(),
            BadRequest.getDescriptor(), PreconditionFailure.getDescriptor(), QuotaFailure.getDescriptor(),
            RetryInfo.getDescriptor(), DebugInfo.getDescriptor(), RequestInfo.getDescriptor(),
            ResourceInfo.getDescriptor(), Help.getDescriptor(), LocalizedMessage.getDescriptor());

    /** So that an {@code Any} of those prints with its {@code @type}. */
    static final JsonFormat.TypeRegistry ERROR_DETAILS = JsonFormat.TypeRegistry.newBuilder()
            .add(ERROR_DETAIL_TYPES).build();

    // Zeros and empty lists are written out: "covered": 0 says more to a reader than a missing field.
    // Compact: the indented form JsonFormat writes by default is a third more bytes to build and send.
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(ERROR_DETAILS)
            .alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();

    private ProtoJson() {
    }

    /** The detail types an error body may carry, each printed with its {@code @type} (the OpenAPI document lists them). */
    public static List<Descriptor> errorDetailTypes() {
        return ERROR_DETAIL_TYPES;
    }

    /** What JsonFormat writes, by {@link ProtoJsonPrinter}, which writes it faster. */
    private static final ProtoJsonPrinter FAST = new ProtoJsonPrinter(ProtoJson::printByJsonFormat);

    public static String print(MessageOrBuilder message) {
        return message instanceof Message m ? FAST.print(m) : printByJsonFormat(message);
    }

    /** The same JSON as the UTF-8 bytes of a body, written as bytes from the start. */
    public static byte[] printUtf8(Message message) {
        return FAST.printUtf8(message);
    }

    /** The reference: protobuf's own printer, with the options above. */
    static String printByJsonFormat(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            // Only an Any of a type missing from the registry gets here: a fault of ours.
            throw new IllegalStateException("cannot write " + message.getDescriptorForType().getFullName(), e);
        }
    }

    /** 200 with the message as JSON and, for a resource that has one, its etag as {@code ETag}. */
    public static Response ok(Message message) {
        Response.ResponseBuilder response = Response.ok(printUtf8(message), MediaType.APPLICATION_JSON_TYPE);
        String etag = etag(message);
        if (etag != null) {
            response.header(HttpHeaders.ETAG, etag);
        }
        return response.build();
    }

    /**
     * The {@code ETag} header of a resource that has an etag, null for other messages. The
     * services' etags are quoted already (AIP-154 follows RFC 7232: {@code "3"}), so the header
     * is the etag as it is, and {@code If-Match} sends it back unchanged ({@link Bodies#ifMatch}).
     */
    public static String etag(Message message) {
        FieldDescriptor etag = message.getDescriptorForType().findFieldByName("etag");
        if (etag != null && etag.getType() == FieldDescriptor.Type.STRING) {
            String value = (String) message.getField(etag);
            if (!value.isEmpty()) {
                return value.endsWith("\"") ? value : '"' + value + '"';
            }
        }
        return null;
    }
}
