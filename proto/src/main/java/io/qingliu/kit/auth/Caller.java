package io.qingliu.kit.auth;

import io.grpc.Context;
import io.grpc.Status;
import io.qingliu.kit.grpc.ApiException;
import java.util.List;
import java.util.Map;

/**
 * Who is making the current call, from its verified token: the audit trail records the subject
 * and role of every change, and writes of a county are held to its county. Work that no call
 * started (the first start's import of divisions) is done by {@link #SYSTEM}.
 */
public record Caller(String subject, Role role, String county) {

    /** The service itself, for work no call asked for. */
    public static final Caller SYSTEM = new Caller("system", null, null);

    /** Where {@link AuthInterceptor} puts the caller of the call being served. */
    public static final Context.Key<Caller> KEY = Context.key("qingliu-caller");

    /** The caller of the call being served on this thread, or {@link #SYSTEM} outside any call. */
    public static Caller current() {
        Caller caller = KEY.get();
        return caller == null ? SYSTEM : caller;
    }

    /** The role's claim name, as the audit trail records it; null for the system. */
    public String roleName() {
        return role == null ? null : role.claim();
    }

    /** The county a 12-digit division code lies in (its first six digits); a code of a city or province lies in none of them. */
    public static String countyOf(String divisionCode) {
        return divisionCode.length() == 12 ? divisionCode.substring(0, 6) + "000000" : divisionCode;
    }

    /**
     * Refuses a county's write to a record of another county (PERMISSION_DENIED naming both);
     * planners, admins and the system write anywhere. {@code recordCounty} is the county the
     * record is in, or will be in after the write.
     */
    public void requireMayWriteIn(String recordCounty, String resourceName) {
        if (role != Role.COUNTY || county.equals(recordCounty)) {
            return;
        }
        throw new ApiException(Status.Code.PERMISSION_DENIED, "OTHER_COUNTY",
                "a county system of " + county + " may write only records of its own county; " + resourceName
                        + " is in " + recordCounty,
                Map.of("caller_county", county, "record_county", String.valueOf(recordCounty), "resource", resourceName),
                List.of());
    }
}
