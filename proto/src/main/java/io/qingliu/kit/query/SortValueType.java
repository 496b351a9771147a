package io.qingliu.kit.query;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The Java types a sort column may have, with their exact binary encoding in page tokens. */
enum SortValueType {
    LONG(1, Long.class),
    STRING(2, String.class),
    DATE(3, LocalDate.class),
    INSTANT(4, Instant.class);

    final byte tag;
    final Class<?> javaType;

    SortValueType(int tag, Class<?> javaType) {
        this.tag = (byte) tag;
        this.javaType = javaType;
    }

    static SortValueType ofClass(Class<?> type) {
        if (type == long.class) {
            return LONG;
        }
        for (SortValueType t : values()) {
            if (t.javaType == type) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported sort type " + type.getName()
                + "; use Long, String, LocalDate or Instant");
    }

    static SortValueType ofValue(Object value) {
        return ofClass(value.getClass());
    }

    static SortValueType ofTag(byte tag) {
        for (SortValueType t : values()) {
            if (t.tag == tag) {
                return t;
            }
        }
        return null;
    }

    /** The JDBC parameter for a value: Instants become UTC {@link OffsetDateTime}s (PgJDBC cannot bind Instant). */
    Object toJdbc(Object value) {
        return this == INSTANT ? ((Instant) value).atOffset(ZoneOffset.UTC) : value;
    }

    void write(DataOutputStream out, Object value) throws IOException {
        switch (this) {
            case LONG -> out.writeLong((Long) value);
            case STRING -> {
                byte[] bytes = ((String) value).getBytes(StandardCharsets.UTF_8);
                out.writeInt(bytes.length);
                out.write(bytes);
            }
            case DATE -> out.writeLong(((LocalDate) value).toEpochDay());
            case INSTANT -> {
                Instant instant = (Instant) value;
                out.writeLong(instant.getEpochSecond());
                out.writeInt(instant.getNano() / 1000);
            }
            default -> throw new IllegalStateException();
        }
    }

    /** Reads a value; throws an unchecked exception (caught by the caller) on malformed input. */
    Object read(ByteBuffer in) throws CharacterCodingException {
        return switch (this) {
            case LONG -> in.getLong();
            case STRING -> {
                int length = in.getInt();
                if (length < 0 || length > in.remaining()) {
                    throw new IllegalArgumentException("bad string length");
                }
                ByteBuffer bytes = in.slice();
                bytes.limit(length);
                in.position(in.position() + length);
                CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(bytes);
                yield chars.toString();
            }
            case DATE -> LocalDate.ofEpochDay(in.getLong());
            case INSTANT -> {
                long seconds = in.getLong();
                int micros = in.getInt();
                if (micros < 0 || micros > 999_999) {
                    throw new IllegalArgumentException("bad microseconds");
                }
                yield Instant.ofEpochSecond(seconds, micros * 1000L);
            }
        };
    }

    static byte[] bytes(ThrowingWriter writer) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    interface ThrowingWriter {
        void write(DataOutputStream out) throws IOException;
    }
}
