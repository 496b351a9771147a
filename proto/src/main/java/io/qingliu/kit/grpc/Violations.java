package io.qingliu.kit.grpc;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Collects every violated field of a request, so that one answer names them all
 * (AIP-193 {@code BadRequest}). Field paths use the proto field names, e.g.
 * {@code project.planned_start_date}.
 */
public final class Violations {

    /** One violated field and what is wrong with it. */
    public record Violation(String field, String description) {
    }

    private final List<Violation> sink;
    private final String prefix;

    public Violations() {
        this(new ArrayList<>(), "");
    }

    private Violations(List<Violation> sink, String prefix) {
        this.sink = sink;
        this.prefix = prefix;
    }

    /** A view that records violations under {@code path.}, into the same list. */
    public Violations under(String path) {
        return new Violations(sink, prefix + path + ".");
    }

    public Violations add(String field, String description) {
        sink.add(new Violation(prefix + field, description));
        return this;
    }

    public boolean isEmpty() {
        return sink.isEmpty();
    }

    public int size() {
        return sink.size();
    }

    public List<Violation> all() {
        return List.copyOf(sink);
    }

    /** Whether a violation is recorded for {@code field} (relative to this view). */
    public boolean has(String field) {
        String full = prefix + field;
        return sink.stream().anyMatch(v -> v.field().equals(full));
    }

    public ApiException toException() {
        String message = sink.size() == 1
                ? sink.get(0).field() + ": " + sink.get(0).description()
                : sink.size() + " fields are invalid; first " + sink.get(0).field() + ": " + sink.get(0).description();
        return new ApiException(Status.Code.INVALID_ARGUMENT, "INVALID_FIELDS", message,
                Map.of("violation_count", Integer.toString(sink.size())), sink);
    }

    /** Throws INVALID_ARGUMENT naming every violation, if there is any. */
    public void throwIfAny() {
        if (!sink.isEmpty()) {
            throw toException();
        }
    }
}
