package io.qingliu.gateway.testing;

import io.qingliu.kit.testing.AdminTokenByDefault;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The gateway's streaming routes from a plain HTTP client, as a county system's script would call
 * them: RestAssured reads a whole answer, and a change feed never ends. Requests carry the given
 * token, or the suite's admin token when it is {@link #ADMIN}; {@code null} sends none.
 */
public final class StreamingHttp {

    /** Stands for the suite's admin token. */
    public static final String ADMIN = "admin";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private StreamingHttp() {
    }

    /** The gateway's URL of a path, on the port the running test's gateway listens on. */
    public static URI uri(String pathAndQuery) {
        return URI.create("http://localhost:" + RestAssured.port + pathAndQuery);
    }

    /**
     * A GET whose answer is read as it comes, a line at a time. {@link HttpClient#send} returns
     * once the status and headers are in, so a route that held them back would fail the timeout.
     * Close the stream to hang up.
     */
    public static HttpResponse<Stream<String>> lines(String pathAndQuery, String token, Duration headersWithin) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(headersWithin).GET();
        authorize(request, token);
        return send(request.build(), HttpResponse.BodyHandlers.ofLines());
    }

    /** A POST of a body streamed from the publisher, answered as text. */
    public static HttpResponse<String> post(String path, String token, String contentType,
            HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", contentType).POST(body);
        authorize(request, token);
        return send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return CLIENT.send(request, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void authorize(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + (token.equals(ADMIN) ? AdminTokenByDefault.adminToken() : token));
        }
    }
}
