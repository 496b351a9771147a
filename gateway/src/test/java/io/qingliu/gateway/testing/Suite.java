package io.qingliu.gateway.testing;

import static io.restassured.RestAssured.given;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.qingliu.kit.testing.AdminTokenByDefault;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What the gateway's tests share: the Ziyang plan once capacity-service has loaded it, direct gRPC channels. */
public final class Suite {

    public static final String ZIYANG_PLAN_CODE = "ZY-2018-2020";

    private static String ziyangPlanId;

    private Suite() {
    }

    /**
     * The id of the shipped Ziyang plan, as the gateway lists it. capacity-service creates it
     * only once Ziyang's divisions have reached its read model, so the first caller waits.
     */
    public static synchronized String ziyangPlanId() {
        if (ziyangPlanId == null) {
            Await.until("capacity-service to load the Ziyang plan", Duration.ofSeconds(180), () -> {
                var response = given().queryParam("pageSize", 100).get("/api/v1/plans");
                if (response.statusCode() != 200) {
                    return false;
                }
                List<Map<String, Object>> plans = response.jsonPath().getList("plans");
                for (Map<String, Object> plan : plans) {
                    if (ZIYANG_PLAN_CODE.equals(plan.get("code"))) {
                        ziyangPlanId = ((String) plan.get("name")).substring("plans/".length());
                        return true;
                    }
                }
                return false;
            });
        }
        return ziyangPlanId;
    }

    /**
     * A plain channel straight to capacity-service, to compare the gateway's answers with the
     * service's; its calls carry an admin's token unless they choose their own
     * ({@code withCallCredentials(TestTokens.bearer(...))}).
     */
    public static ManagedChannel capacityChannel() {
        return ManagedChannelBuilder.forAddress("127.0.0.1", SuiteResource.capacityService().port()).usePlaintext()
                .intercept(new AdminTokenByDefault()).build();
    }

    /** A plain channel straight to project-service, with an admin's token by default like {@link #capacityChannel()}. */
    public static ManagedChannel projectChannel() {
        return ManagedChannelBuilder.forAddress("127.0.0.1", SuiteResource.projectService().port()).usePlaintext()
                .intercept(new AdminTokenByDefault()).build();
    }

    /** The {@code google.rpc} detail of this type in an AIP-193 error body. */
    public static Map<String, Object> detail(JsonPath error, String type) {
        List<Map<String, Object>> details = error.getList("error.details");
        return details.stream().filter(d -> ("type.googleapis.com/" + type).equals(d.get("@type"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + details));
    }

    /** The fields a BadRequest detail names. */
    @SuppressWarnings("unchecked")
    public static List<String> violatedFields(JsonPath error) {
        List<Map<String, Object>> violations = (List<Map<String, Object>>) detail(error, "google.rpc.BadRequest")
                .get("fieldViolations");
        return violations.stream().map(v -> (String) v.get("field")).toList();
    }
}
