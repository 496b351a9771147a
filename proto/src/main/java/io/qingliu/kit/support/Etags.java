package io.qingliu.kit.support;

import io.qingliu.kit.grpc.ApiException;

/** AIP-154 etags: the record's version, quoted. */
public final class Etags {

    private Etags() {
    }

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /** Rejects the call when an etag was given and it is not the current one; an empty etag skips the check. */
    public static void check(String given, long currentVersion, String resourceName) {
        if (given == null || given.isEmpty()) {
            return;
        }
        String current = of(currentVersion);
        if (!given.equals(current)) {
            throw ApiException.etagMismatch(resourceName, current);
        }
    }
}
