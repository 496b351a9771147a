package io.qingliu.gateway.http;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Writes a message as gRPC-JSON in UTF-8, byte for byte what {@link ProtoJson}'s JsonFormat
 * printer writes once encoded (compact; fields without presence always written, in field-number
 * order; enums by name, 64-bit integers as strings, timestamps in RFC 3339, strings escaped as
 * Gson escapes them), at a fraction of its cost: JsonFormat sorts each message's fields into a
 * TreeMap, makes a Gson writer per string and a date formatter per timestamp (a fifth of the
 * gateway's Java samples on a GET of a project, JFR); this one lists each message type's fields
 * once, and a GET costs the gateway 12-15 us of CPU less (of ~75, back to back on the same data).
 * It writes the bytes the answer is sent as, into a buffer its thread reuses, rather than a
 * String to be encoded: the String, its builder's growth and its encoding were two fifths of the
 * gateway's allocation on such a GET (JFR, step 11 of the bench). The well-known types other than
 * Timestamp, and messages with map fields, none of which the API's answers carry, are handed to
 * JsonFormat ({@code fallback}); {@code ProtoJsonPrinterTest} holds the two to the same bytes
 * over random messages of every type the services answer with.
 */
final class ProtoJsonPrinter {

    private static final String TIMESTAMP = Timestamp.getDescriptor().getFullName();
    /** Gson's escapes (HTML-safe, its default), by character below 128; null: written as it is. */
    private static final byte[][] ESCAPES = new byte[128][];
    private static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    /** Gson escapes the two Unicode line separators too. */
    private static final byte[] LINE_SEPARATOR = ascii("\\u2028");
    private static final byte[] PARAGRAPH_SEPARATOR = ascii("\\u2029");
    /** What UTF-8 encoding makes of a lone surrogate (String.getBytes: the replacement byte). */
    private static final byte LONE_SURROGATE = '?';
    /** Each thread's buffer, kept between messages: the event loop prints one answer after another. */
    private static final ThreadLocal<Utf8> SCRATCH = ThreadLocal.withInitial(Utf8::new);

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = ascii(String.format("\\u%04x", c));
        }
        ESCAPES['"'] = ascii("\\\"");
        ESCAPES['\\'] = ascii("\\\\");
        ESCAPES['\t'] = ascii("\\t");
        ESCAPES['\b'] = ascii("\\b");
        ESCAPES['\n'] = ascii("\\n");
        ESCAPES['\r'] = ascii("\\r");
        ESCAPES['\f'] = ascii("\\f");
        ESCAPES['<'] = ascii("\\u003c");
        ESCAPES['>'] = ascii("\\u003e");
        ESCAPES['&'] = ascii("\\u0026");
        ESCAPES['='] = ascii("\\u003d");
        ESCAPES['\''] = ascii("\\u0027");
    }

    private final Function<Message, String> fallback;
    private final Map<Descriptor, Field[]> layouts = new ConcurrentHashMap<>();

    /**
     * One field: its descriptor, its {@code "jsonName":} prefix in UTF-8, and what the descriptor
     * would otherwise work out per message (whether it repeats, whether it has presence).
     */
    private record Field(FieldDescriptor descriptor, byte[] prefix, boolean repeated, boolean presence) {
    }

    /** A message type this printer does not write itself: its fields are null. */
    private static final Field[] FALLBACK = new Field[0];

    ProtoJsonPrinter(Function<Message, String> fallback) {
        this.fallback = fallback;
    }

    /** The message's JSON as the UTF-8 bytes of an HTTP body. */
    byte[] printUtf8(Message message) {
        Utf8 out = SCRATCH.get();
        out.size = 0;
        message(message, out);
        return Arrays.copyOf(out.bytes, out.size);
    }

    /** The same, as text (a lone surrogate in a string field reads as {@code ?}, as it would on the wire). */
    String print(Message message) {
        return new String(printUtf8(message), StandardCharsets.UTF_8);
    }

    private void message(Message message, Utf8 out) {
        Descriptor type = message.getDescriptorForType();
        Field[] fields = layouts.computeIfAbsent(type, ProtoJsonPrinter::layout);
        if (fields == FALLBACK) {
            if (type.getFullName().equals(TIMESTAMP)) {
                timestamp(message, out);
            } else {
                out.append(fallback.apply(message).getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        out.append('{');
        boolean first = true;
        for (Field field : fields) {
            FieldDescriptor fd = field.descriptor();
            if (field.repeated()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(field.prefix()).append('[');
                int count = message.getRepeatedFieldCount(fd);
                for (int i = 0; i < count; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    value(fd, message.getRepeatedField(fd, i), out);
                }
                out.append(']');
            } else if (!field.presence() || message.hasField(fd)) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(field.prefix());
                value(fd, message.getField(fd), out);
            }
        }
        out.append('}');
    }

    private static Field[] layout(Descriptor type) {
        boolean wellKnown = type.getFile().getPackage().equals("google.protobuf");
        if (wellKnown || type.getFields().stream().anyMatch(FieldDescriptor::isMapField)) {
            return FALLBACK;
        }
        List<Field> fields = new ArrayList<>();
        type.getFields().stream().sorted(Comparator.comparingInt(FieldDescriptor::getNumber))
                .forEach(fd -> fields.add(new Field(fd, ('"' + fd.getJsonName() + "\":").getBytes(StandardCharsets.UTF_8),
                        fd.isRepeated(), fd.hasPresence())));
        return fields.toArray(Field[]::new);
    }

    private void value(FieldDescriptor fd, Object value, Utf8 out) {
        switch (fd.getType()) {
            case INT32, SINT32, SFIXED32 -> out.decimal((int) (Integer) value);
            case UINT32, FIXED32 -> out.decimal(Integer.toUnsignedLong((Integer) value));
            case INT64, SINT64, SFIXED64 -> out.append('"').decimal((long) (Long) value).append('"');
            case UINT64, FIXED64 -> out.append('"').appendAscii(Long.toUnsignedString((Long) value)).append('"');
            case BOOL -> out.append((Boolean) value ? TRUE : FALSE);
            case FLOAT -> floating((Float) value, out);
            case DOUBLE -> floating((Double) value, out);
            case STRING -> string((String) value, out);
            case BYTES -> out.append('"').append(Base64.getEncoder().encode(((ByteString) value).toByteArray()))
                    .append('"');
            case ENUM -> {
                EnumValueDescriptor e = (EnumValueDescriptor) value;
                if (e.getType().getFullName().equals("google.protobuf.NullValue")) {
                    out.append(NULL);
                } else if (e.getIndex() == -1) {
                    out.decimal(e.getNumber()); // a number this build does not know
                } else {
                    out.append('"').appendAscii(e.getName()).append('"');
                }
            }
            case MESSAGE, GROUP -> message((Message) value, out);
        }
    }

    private static void floating(Number value, Utf8 out) {
        double d = value.doubleValue();
        if (Double.isNaN(d)) {
            out.appendAscii("\"NaN\"");
        } else if (Double.isInfinite(d)) {
            out.appendAscii(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        } else {
            out.appendAscii(value.toString()); // Float.toString / Double.toString, as JsonFormat writes them
        }
    }

    /** A string as Gson writes it, encoded as String.getBytes(UTF_8) encodes it. */
    static void string(String s, Utf8 out) {
        int n = s.length();
        out.ensure(2 + 6 * n); // at most six bytes a char: an escape, or a surrogate pair's four for two chars
        byte[] b = out.bytes;
        int at = out.size;
        b[at++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte[] escape = ESCAPES[c];
                if (escape == null) {
                    b[at++] = (byte) c;
                } else {
                    System.arraycopy(escape, 0, b, at, escape.length);
                    at += escape.length;
                }
            } else if (c < 0x800) {
                b[at++] = (byte) (0xc0 | c >> 6);
                b[at++] = (byte) (0x80 | c & 0x3f);
            } else if (c == '\u2028' || c == '\u2029') {
                byte[] escape = c == '\u2028' ? LINE_SEPARATOR : PARAGRAPH_SEPARATOR;
                System.arraycopy(escape, 0, b, at, escape.length);
                at += escape.length;
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    b[at++] = (byte) (0xf0 | cp >> 18);
                    b[at++] = (byte) (0x80 | cp >> 12 & 0x3f);
                    b[at++] = (byte) (0x80 | cp >> 6 & 0x3f);
                    b[at++] = (byte) (0x80 | cp & 0x3f);
                } else {
                    b[at++] = LONE_SURROGATE;
                }
            } else {
                b[at++] = (byte) (0xe0 | c >> 12);
                b[at++] = (byte) (0x80 | c >> 6 & 0x3f);
                b[at++] = (byte) (0x80 | c & 0x3f);
            }
        }
        b[at++] = '"';
        out.size = at;
    }

    /** As Timestamps.toString: UTC, with 0, 3, 6 or 9 digits of fraction; out of range is JsonFormat's to refuse. */
    private void timestamp(Message message, Utf8 out) {
        Timestamp t = message instanceof Timestamp ts ? ts : null;
        if (t == null || t.getSeconds() < -62135596800L || t.getSeconds() > 253402300799L || t.getNanos() < 0
                || t.getNanos() > 999_999_999) {
            out.append(fallback.apply(message).getBytes(StandardCharsets.UTF_8));
            return;
        }
        LocalDateTime at = LocalDateTime.ofEpochSecond(t.getSeconds(), 0, ZoneOffset.UTC);
        out.append('"');
        out.padded(at.getYear(), 4).append('-');
        out.padded(at.getMonthValue(), 2).append('-');
        out.padded(at.getDayOfMonth(), 2).append('T');
        out.padded(at.getHour(), 2).append(':');
        out.padded(at.getMinute(), 2).append(':');
        out.padded(at.getSecond(), 2);
        int nanos = t.getNanos();
        if (nanos != 0) {
            out.append('.');
            if (nanos % 1_000_000 == 0) {
                out.padded(nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                out.padded(nanos / 1_000, 6);
            } else {
                out.padded(nanos, 9);
            }
        }
        out.append('Z').append('"');
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A growable byte buffer with the appends the printer needs; numbers are written without a String. */
    static final class Utf8 {

        byte[] bytes = new byte[4096];
        int size;

        void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        Utf8 append(char asciiChar) {
            ensure(1);
            bytes[size++] = (byte) asciiChar;
            return this;
        }

        Utf8 append(byte[] more) {
            ensure(more.length);
            System.arraycopy(more, 0, bytes, size, more.length);
            size += more.length;
            return this;
        }

        /** Text known to be ASCII (enum names, numbers). */
        Utf8 appendAscii(String s) {
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                bytes[size++] = (byte) s.charAt(i);
            }
            return this;
        }

        Utf8 decimal(long value) {
            if (value == Long.MIN_VALUE) {
                return appendAscii("-9223372036854775808");
            }
            ensure(20);
            if (value < 0) {
                bytes[size++] = '-';
                value = -value;
            }
            int digits = 1;
            for (long v = value; v >= 10; v /= 10) {
                digits++;
            }
            for (int i = size + digits - 1; i >= size; i--) {
                bytes[i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            size += digits;
            return this;
        }

        /** A non-negative number with leading zeros to the width. */
        Utf8 padded(int value, int width) {
            int digits = 1;
            for (int v = value; v >= 10; v /= 10) {
                digits++;
            }
            ensure(Math.max(width, digits));
            for (int i = digits; i < width; i++) {
                bytes[size++] = '0';
            }
            return decimal(value);
        }
    }
}
