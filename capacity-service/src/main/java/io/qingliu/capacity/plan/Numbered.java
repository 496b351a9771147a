package io.qingliu.capacity.plan;

import jakarta.persistence.AttributeConverter;

/**
 * A domain enum stored as the number of its proto counterpart (the schema's convention for enum
 * columns and JSON). The names match the proto's behind its prefix, so that
 * {@link io.qingliu.kit.support.EnumMapping} maps values to and from the API.
 */
interface Numbered {

    /** The number of the proto value of the same name. */
    int number();

    /** The value of {@code type} with {@code number}, or null when there is none. */
    static <E extends Enum<E> & Numbered> E of(Class<E> type, int number) {
        for (E e : type.getEnumConstants()) {
            if (e.number() == number) {
                return e;
            }
        }
        return null;
    }

    /** Maps a numbered enum to its smallint column. */
    abstract class Column<E extends Enum<E> & Numbered> implements AttributeConverter<E, Short> {

        private final Class<E> type;

        protected Column(Class<E> type) {
            this.type = type;
        }

        @Override
        public Short convertToDatabaseColumn(E value) {
            return value == null ? null : (short) value.number();
        }

        @Override
        public E convertToEntityAttribute(Short number) {
            if (number == null) {
                return null;
            }
            E value = of(type, number);
            if (value == null) {
                throw new IllegalStateException("no " + type.getSimpleName() + " numbered " + number);
            }
            return value;
        }
    }
}
