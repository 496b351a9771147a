package io.qingliu.gateway.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.qingliu.api.capacity.v1.CapacityServiceProto;
import io.qingliu.api.project.v1.ProjectServiceProto;
import io.qingliu.gateway.testing.StreamingHttp;
import io.qingliu.gateway.testing.SuiteProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The gateway follows the {@code google.api.http} mapping written in the protos: every method
 * has one (the streaming ones too), and a request to each mapped verb and path reaches a route of the gateway (the
 * answer may be the service's 400 or 404 for the made-up names used here, never the gateway's
 * "no such route" nor a 405). Nothing is changed: every write is refused by the service.
 */
@QuarkusTest
@TestProfile(SuiteProfile.class)
class HttpMappingTest {

    private static final Pattern VARIABLE = Pattern.compile("\\{[a-z_.]+=([^}]+)}");

    @Test
    void everyUnaryMethodIsMappedAndServedAtItsMappedPath() {
        List<String> checked = new ArrayList<>();
        for (ServiceDescriptor service : List.of(
                ProjectServiceProto.getDescriptor().findServiceByName("ProjectService"),
                CapacityServiceProto.getDescriptor().findServiceByName("CapacityService"))) {
            for (MethodDescriptor method : service.getMethods()) {
                assertTrue(method.getOptions().hasExtension(AnnotationsProto.http), method.getFullName() + " is not mapped");
                checked.add(check(method.getName(), method.getOptions().getExtension(AnnotationsProto.http),
                        method.isServerStreaming()));
            }
        }
        assertEquals(29, checked.size(), checked.toString());
    }

    private static String check(String method, HttpRule rule, boolean streamsAnswer) {
        String verb = rule.getPatternCase().name().toLowerCase(java.util.Locale.ROOT);
        String template = switch (rule.getPatternCase()) {
            case GET -> rule.getGet();
            case POST -> rule.getPost();
            case PATCH -> rule.getPatch();
            case DELETE -> rule.getDelete();
            case PUT -> rule.getPut();
            default -> throw new AssertionError(method + ": unexpected pattern " + rule.getPatternCase());
        };
        String path = instantiate(template);
        if (streamsAnswer) {
            // An answer that may never end: its status is all that is read.
            var response = StreamingHttp.lines(path, StreamingHttp.ADMIN, java.time.Duration.ofSeconds(10));
            response.body().close();
            assertEquals(200, response.statusCode(), method + " " + verb + " " + path);
            return method + " " + verb.toUpperCase(java.util.Locale.ROOT) + " " + path + " " + response.statusCode();
        }
        var request = given().contentType(ContentType.JSON);
        if (!rule.getBody().isEmpty()) {
            request.body("{}");
        }
        Response response = request.request(verb, path);
        String body = response.asString();
        assertNotEquals(405, response.statusCode(), method + " " + verb + " " + path + ": " + body);
        assertTrue(response.statusCode() == 200 || !body.contains("NO_SUCH_ROUTE"),
                method + " " + verb + " " + path + " has no route: " + body);
        assertTrue(response.statusCode() < 500, method + " " + verb + " " + path + ": " + body);
        return method + " " + verb.toUpperCase(java.util.Locale.ROOT) + " " + path + " " + response.statusCode();
    }

    /** {@code /api/v1/{goal=plans/*}/coverageGoals/*}:x} with made-up ids that name nothing real. */
    private static String instantiate(String template) {
        Map<String, String> ids = Map.of("divisions", "512002999000", "coverageGoals", "no-such-goal");
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String[] segments = m.group(1).split("/");
            for (int i = 1; i < segments.length; i += 2) {
                segments[i] = ids.getOrDefault(segments[i - 1], "999999999");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(String.join("/", segments)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
