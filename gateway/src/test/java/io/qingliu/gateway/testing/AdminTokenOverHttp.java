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
 * it runs in the test's class loader, whose RestAssured the test uses); the end-to-end test,
 * which is no {@code @QuarkusTest}, calls {@link #install()} itself.
 */
public final class AdminTokenOverHttp implements Filter, QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        install();
    }

    /** Makes RestAssured's requests carry an admin's token by default (once: the filters are global). */
    public static synchronized void install() {
        if (RestAssured.filters().stream().noneMatch(f -> f instanceof AdminTokenOverHttp)) {
            RestAssured.filters(new AdminTokenOverHttp());
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
            FilterContext context) {
        if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("Authorization", "Bearer " + AdminTokenByDefault.adminToken());
        }
        return context.next(request, response);
    }
}
