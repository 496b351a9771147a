package io.qingliu.gateway.http;

/** A request parameter the gateway could not even turn into a gRPC request (a 400, never a 500). */
public final class InvalidParameterException extends RuntimeException {

    private final String field;

    public InvalidParameterException(String field, String description) {
        super(description, null, false, false);
        this.field = field;
    }

    /** The parameter as the caller named it (e.g. {@code pageSize}). */
    public String field() {
        return field;
    }
}
