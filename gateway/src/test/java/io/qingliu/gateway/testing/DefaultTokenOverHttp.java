package io.qingliu.gateway.testing;

import io.qingliu.kit.testing.AdminTokenByDefault;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * The gateway's tests send their HTTP requests as an admin unless they say otherwise, as their
 * gRPC calls do ({@link AdminTokenByDefault}): the tests of what a route does run as someone
 * allowed to do it. A request that sets its own {@code Authorization} keeps it; one meant to carry
 * no token at all is made with {@code given().noFilters()}.
 *
 * <p>Installed before each {@code @QuarkusTest} method (registered as a Quarkus test callback, so
 * it runs in the test's class loader, whose RestAssured the test uses). The end-to-end test, which
 * is no {@code @QuarkusTest}, installs it itself with the token of the user it plays.
 */
public final class DefaultTokenOverHttp implements Filter, QuarkusTestBeforeEachCallback {

    private static volatile String token;

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        install(AdminTokenByDefault.adminToken());
    }

    /** Makes RestAssured's requests carry this token unless they set their own (the filters are global: once). */
    public static synchronized void install(String defaultToken) {
        token = defaultToken;
        if (RestAssured.filters().stream().noneMatch(f -> f instanceof DefaultTokenOverHttp)) {
            RestAssured.filters(new DefaultTokenOverHttp());
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
            FilterContext context) {
        if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("Authorization", "Bearer " + token);
        }
        return context.next(request, response);
    }
}
