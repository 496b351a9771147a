package io.qingliu.kit.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Mutated requests for the services' fuzz tests, seeded: a valid request with one to three
 * fields, anywhere in the message, replaced by hostile values (empty and 5,000-character strings,
 * malformed and unknown resource names, SQL and filter syntax, NUL and lone surrogates, extreme
 * and negative numbers, NaN, unknown enum numbers, impossible dates, lists of hundreds), or
 * cleared; and raw bytes that are no message at all.
 */
public final class RequestFuzzer {

    /** What a service must never answer to any input (a deadline exceeded is a call that hung). */
    public static final Set<Status.Code> FAULTS = EnumSet.of(Status.Code.INTERNAL, Status.Code.UNKNOWN,
            Status.Code.DATA_LOSS, Status.Code.UNIMPLEMENTED, Status.Code.DEADLINE_EXCEEDED);

    private final Random random;
    private final List<String> strings;

    /** @param names resource names and codes of the test's own records, mixed among the hostile strings */
    public RequestFuzzer(long seed, List<String> names) {
        this.random = new Random(seed);
        this.strings = new ArrayList<>(List.of("", " ", "x".repeat(5000), "清流镇", "回澜镇污水处理厂",
                "divisions/999999999999", "divisions/", "divisions/5120", "512000000000", "5120", "000000000000",
                "51202210200X", "facilities/0", "facilities/-1", "facilities/99999999999999999999", "facilities/abc",
                "projects/0", "projects/1e3", "projects/", "plans/0", "plans/abc", "plans/1/coverageGoals/", "plans//coverageGoals/x",
                "' OR '1'='1", "'; DROP TABLE project; --", "%", "_", "\\", "\u0000", "\uD800", "\uFFFF", "🚰",
                "county = \"512022000000\"", "state = PROJECT_STATE_PLANNED AND", "state = BOGUS", "plan = \"FUZZ\" OR 1=1",
                "covered = true", "covered = maybe", "display_name desc, , ", "create_time desc", "code", "name", "*",
                "basin", "display_name", "a.b.c", "served_division_codes", "coverage_goals", "W/\"0\"", "W/\"1\"", "\"",
                "9f2c0f4e-2b8d-4c8a-8d4e-1b2c3d4e5f60", "not-a-uuid", "沱江", "涪江", "https://example.invalid/", "\r\n", "\t"));
        this.strings.addAll(names);
    }

    /** True with that chance, in percent. */
    public boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    /** One of the hostile strings (or of the test's own names). */
    public String string() {
        return strings.get(random.nextInt(strings.size()));
    }

    /** A number from 0 (inclusive) to {@code bound} (exclusive), from the seeded sequence. */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** The seed request with one to three fields, at any depth, changed. */
    public Message mutate(Message seed) {
        return mutate(seed, 0);
    }

    private Message mutate(Message seed, int depth) {
        Message.Builder b = seed.toBuilder();
        int changes = 1 + random.nextInt(3);
        for (int i = 0; i < changes; i++) {
            List<FieldDescriptor> fields = b.getDescriptorForType().getFields();
            if (fields.isEmpty()) {
                break;
            }
            FieldDescriptor f = fields.get(random.nextInt(fields.size()));
            if (random.nextInt(8) == 0) {
                b.clearField(f);
            } else if (f.isRepeated()) {
                int n = random.nextInt(10) == 0 ? 300 + random.nextInt(300) : 1 + random.nextInt(3);
                for (int k = 0; k < n; k++) {
                    b.addRepeatedField(f, value(f, null, depth));
                }
            } else {
                Message current = f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && b.hasField(f) ? (Message) b.getField(f) : null;
                b.setField(f, value(f, current, depth));
            }
        }
        return b.build();
    }

    private Object value(FieldDescriptor f, Message current, int depth) {
        return switch (f.getJavaType()) {
            case STRING -> strings.get(random.nextInt(strings.size()));
            case INT -> pick(0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 13, 32, 101, 1000, 10_001, random.nextInt());
            case LONG -> pick(0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, 10_000_001L, random.nextLong());
            case DOUBLE -> pick(0.0, -0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                    Double.MAX_VALUE, Double.MIN_VALUE, 10_000_000.5, 1e-9, random.nextDouble() * 1e6);
            case FLOAT -> pick(0f, -1f, Float.NaN, Float.MAX_VALUE);
            case BOOLEAN -> random.nextBoolean();
            case BYTE_STRING -> {
                byte[] bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
                yield ByteString.copyFrom(bytes);
            }
            case ENUM -> random.nextInt(3) == 0
                    ? f.getEnumType().findValueByNumberCreatingIfUnknown(pick(-1, 99, 12345, Integer.MAX_VALUE))
                    : f.getEnumType().getValues().get(random.nextInt(f.getEnumType().getValues().size()));
            case MESSAGE -> depth >= 3 || current == null && random.nextInt(4) == 0
                    ? DynamicMessage.getDefaultInstance(f.getMessageType())
                    : mutate(current != null ? current : DynamicMessage.getDefaultInstance(f.getMessageType()), depth + 1);
        };
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }

    /**
     * Sends bytes that cannot parse as any message (a field tag of wire type 7) to every unary
     * method of the service; returns each answer that is not INVALID_ARGUMENT.
     */
    public List<String> sendUnparseableBytes(Channel channel, ServiceDescriptor service, int perMethod) {
        List<String> wrong = new ArrayList<>();
        for (MethodDescriptor<?, ?> method : service.getMethods()) {
            if (method.getType() != MethodDescriptor.MethodType.UNARY) {
                continue;
            }
            MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(method.getFullMethodName())
                    .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
            for (int i = 0; i < perMethod; i++) {
                byte[] garbage = new byte[1 + random.nextInt(64)];
                random.nextBytes(garbage);
                garbage[0] = (byte) 0x0F;
                try {
                    ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), garbage);
                    wrong.add(method.getBareMethodName() + " accepted bytes that are no message");
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() != Status.Code.INVALID_ARGUMENT) {
                        wrong.add(method.getBareMethodName() + " " + e.getStatus());
                    }
                }
            }
        }
        return wrong;
    }

    /** A request for a failure message, cut short. */
    public static String shorten(Message m) {
        String text = m.toString().replace('\n', ' ');
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
}
