package io.qingliu.capacity.plan;

import io.qingliu.kit.grpc.ApiException;
import io.qingliu.kit.support.IdName;
import java.util.regex.Pattern;

/** The resource name of a coverage goal: {@code plans/{plan_id}/coverageGoals/{goal_id}}. */
public record GoalName(long planId, String goalId) {

    private static final String COLLECTION = "/coverageGoals/";
    /** A goal id: 1 to 40 lowercase letters, digits and {@code -}, starting with a letter. */
    static final Pattern GOAL_ID = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    public static String format(long planId, String goalId) {
        return IdName.PLAN.format(planId) + COLLECTION + goalId;
    }

    /** The parts of a goal name; a missing or malformed one is an INVALID_ARGUMENT naming {@code field}. */
    public static GoalName parse(String name, String field) {
        int at = name == null ? -1 : name.indexOf(COLLECTION);
        Long planId = at < 0 ? null : IdName.PLAN.tryParse(name.substring(0, at));
        String goalId = at < 0 ? "" : name.substring(at + COLLECTION.length());
        if (planId == null || !GOAL_ID.matcher(goalId).matches()) {
            throw ApiException.invalidArgument(field, (name == null || name.isEmpty() ? "is required" : "is malformed")
                    + ": expected a coverage goal resource name such as plans/42/coverageGoals/town-sewage");
        }
        return new GoalName(planId, goalId);
    }

    @Override
    public String toString() {
        return format(planId, goalId);
    }
}
