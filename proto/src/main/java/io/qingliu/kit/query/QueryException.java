package io.qingliu.kit.query;

import java.util.Objects;

/**
 * A List request's {@code filter}, {@code order_by}, {@code page_token} or {@code page_size} is invalid.
 *
 * <p>{@link #field()} is the request field at fault, suitable for a {@code BadRequest.FieldViolation}; the message
 * says what is wrong and where, e.g. {@code unknown field 'colour' in filter at position 1; allowed: county, state}.
 * Callers map this exception to {@code INVALID_ARGUMENT}.
 */
public final class QueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public static final String FILTER = "filter";
    public static final String ORDER_BY = "order_by";
    public static final String PAGE_TOKEN = "page_token";
    public static final String PAGE_SIZE = "page_size";

    private final String field;

    public QueryException(String field, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.field = Objects.requireNonNull(field, "field");
    }

    /** The request field at fault: {@code filter}, {@code order_by}, {@code page_token} or {@code page_size}. */
    public String field() {
        return field;
    }

    /** Quotes user input for an error message, shortening very long values. */
    static String quote(String s) {
        String shown = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return "'" + shown + "'";
    }
}
