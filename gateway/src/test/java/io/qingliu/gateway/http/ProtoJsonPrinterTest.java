package io.qingliu.gateway.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc;
import io.qingliu.api.project.v1.ProjectServiceGrpc;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ProtoJsonPrinter} writes what JsonFormat writes, byte for byte once encoded: random
 * messages of every request and answer type of both services (each nested type with them), with
 * hostile strings, extreme and non-finite numbers, unknown enum numbers, timestamps of every
 * precision, empty and full lists, oneofs and optional fields set or not. Seeded, so that a
 * failure repeats.
 */
class ProtoJsonPrinterTest {

    private static final long SEED = 20261205L;
    private static final int PER_TYPE = 300;
    private static final List<String> STRINGS = List.of("", "a", "资阳市雁江区", "quote \" backslash \\ slash /",
            "tab\tnew\nline\rreturn\bback\fform", "\u0000\u0001\u001f\u007f", "<script>&amp;='x'</script>",
            "\u2028\u2029", "emoji \uD83D\uDE00 and a lone \uD800 surrogate", "Ünïcödé ½ € \u00a0");

    private final ProtoJsonPrinter printer = new ProtoJsonPrinter(ProtoJson::printByJsonFormat);
    private final Random random = new Random(SEED);

    @Test
    void everyMessageTheServicesExchangeIsWrittenAsJsonFormatWritesIt() throws Exception {
        Map<String, Message> prototypes = new LinkedHashMap<>();
        for (ServiceDescriptor service : List.of(ProjectServiceGrpc.getServiceDescriptor(),
                CapacityServiceGrpc.getServiceDescriptor())) {
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                for (MethodDescriptor.Marshaller<?> marshaller : List.of(method.getRequestMarshaller(),
                        method.getResponseMarshaller())) {
                    Message prototype = (Message) ((MethodDescriptor.PrototypeMarshaller<?>) marshaller).getMessagePrototype();
                    prototypes.put(prototype.getDescriptorForType().getFullName(), prototype);
                }
            }
        }
        assertTrue(prototypes.size() > 40, "the services' messages: " + prototypes.keySet());
        int compared = 0;
        for (Message prototype : prototypes.values()) {
            for (int i = 0; i < PER_TYPE; i++) {
                Message dynamic = fill(prototype.getDescriptorForType(), 0);
                Message generated = prototype.getParserForType().parseFrom(dynamic.toByteString());
                assertSame(generated);
                assertSame(dynamic);
                compared += 2;
            }
            assertSame(prototype); // every field at its default
        }
        assertTrue(compared > 20_000, compared + " messages compared");
    }

    @Test
    void timestampsOfEveryPrecisionAndTheEdgesOfTheirRange() {
        long[] seconds = {-62135596800L, -1L, 0L, 1L, 951782400L, 1764892800L, 253402300799L};
        int[] nanos = {0, 1, 999_999_999, 500_000_000, 120_000, 7_000, 100};
        for (long s : seconds) {
            for (int n : nanos) {
                assertSame(Timestamp.newBuilder().setSeconds(s).setNanos(n).build());
            }
        }
    }

    /** The bytes on the wire: JsonFormat's text encoded as the gateway used to encode it, against ours. */
    private void assertSame(Message message) {
        byte[] expected = ProtoJson.printByJsonFormat(message).getBytes(StandardCharsets.UTF_8);
        byte[] actual = printer.printUtf8(message);
        if (!Arrays.equals(expected, actual)) {
            assertEquals(new String(expected, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8),
                    message.getDescriptorForType().getFullName());
            assertArrayEquals(expected, actual, message.getDescriptorForType().getFullName());
        }
    }

    private Message fill(Descriptor type, int depth) {
        if (type.getFullName().equals(Timestamp.getDescriptor().getFullName())) {
            return randomTimestamp();
        }
        DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
        for (FieldDescriptor fd : type.getFields()) {
            if (random.nextInt(4) == 0) {
                continue; // left unset
            }
            boolean nested = fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
            if (nested && (depth >= 4 || fd.getMessageType().getFullName().equals("google.protobuf.Any"))) {
                continue;
            }
            if (fd.isRepeated()) {
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.addRepeatedField(fd, value(fd, depth));
                }
            } else {
                b.setField(fd, value(fd, depth));
            }
        }
        return b.build();
    }

    private Object value(FieldDescriptor fd, int depth) {
        return switch (fd.getType()) {
            case INT32, SINT32, SFIXED32, UINT32, FIXED32 -> pick(0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, random.nextInt());
            case INT64, SINT64, SFIXED64, UINT64, FIXED64 -> pick(0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, random.nextLong());
            case BOOL -> random.nextBoolean();
            case FLOAT -> pick(0f, -0f, 1f, 0.1f, 1e7f, 76200.5f, Float.NaN, Float.POSITIVE_INFINITY,
                    Float.NEGATIVE_INFINITY, Float.MIN_VALUE, random.nextFloat() * 1e6f);
            case DOUBLE -> pick(0d, -0d, 1d, 0.1d, 1e7d, 1e-5d, 10_000_000d, 123456.789d, Double.NaN,
                    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, random.nextDouble() * 1e9);
            case STRING -> random.nextInt(3) == 0 ? randomString() : pick(STRINGS.toArray());
            case BYTES -> {
                byte[] bytes = new byte[random.nextInt(6)];
                random.nextBytes(bytes);
                yield ByteString.copyFrom(bytes);
            }
            case ENUM -> {
                EnumDescriptor e = fd.getEnumType();
                yield random.nextInt(5) == 0 && !e.isClosed() ? e.findValueByNumberCreatingIfUnknown(900 + random.nextInt(50))
                        : e.getValues().get(random.nextInt(e.getValues().size()));
            }
            case MESSAGE, GROUP -> fill(fd.getMessageType(), depth + 1);
        };
    }

    private Timestamp randomTimestamp() {
        int[] scales = {0, 1_000_000, 1_000, 1};
        int scale = scales[random.nextInt(scales.length)];
        int nanos = scale == 0 ? 0 : random.nextInt(1_000_000_000 / scale) * scale;
        return Timestamp.newBuilder().setSeconds(-62135596800L + (long) (random.nextDouble() * 315537897599L))
                .setNanos(nanos).build();
    }

    private String randomString() {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            s.append((char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x10000)));
        }
        return s.toString();
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }
}
