package io.qingliu.kit.support;

import io.qingliu.kit.grpc.ApiException;

/** Resource names of the form {@code {collection}/{numeric id}}, e.g. {@code projects/42}. */
public final class IdName {

    public static final IdName FACILITY = new IdName("facilities", "facility");
    public static final IdName PROJECT = new IdName("projects", "project");
    public static final IdName PLAN = new IdName("plans", "plan");

    private final String prefix;
    private final String noun;

    private IdName(String collection, String noun) {
        this.prefix = collection + "/";
        this.noun = noun;
    }

    public String format(long id) {
        return prefix + id;
    }

    /** The id in a resource name, or null when the name is not of this form. */
    public Long tryParse(String name) {
        if (name == null || !name.startsWith(prefix)) {
            return null;
        }
        String id = name.substring(prefix.length());
        if (id.isEmpty() || id.length() > 18 || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Long.parseLong(id);
    }

    /** The id in a resource name; a missing or malformed one is an INVALID_ARGUMENT naming {@code field}. */
    public long parse(String name, String field) {
        Long id = tryParse(name);
        if (id == null) {
            throw ApiException.invalidArgument(field,
                    (name == null || name.isEmpty() ? "is required" : "is malformed") + ": expected a " + noun
                            + " resource name such as " + prefix + "42");
        }
        return id;
    }
}
