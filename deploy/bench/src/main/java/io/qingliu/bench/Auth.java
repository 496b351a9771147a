package io.qingliu.bench;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bench's credentials, made by the run script for the run (deploy/local/token with its keys in
 * deploy/bench/.run/keys): an admin's token that every gRPC call and HTTP request of the client
 * carries, capacity-service's viewer token for the feed (environment {@code BENCH_TOKEN},
 * {@code BENCH_FEED_TOKEN}: kept off the command line), and the public key the services verify them
 * with ({@code --public-key}). Each service verifies a token once and then remembers it until it
 * expires, so that what a call adds is a header and a map lookup.
 */
final class Auth {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final String token;
    private final String feedToken;
    private final Path publicKey;

    Auth(Bench b) {
        token = required("BENCH_TOKEN", "an admin's token");
        feedToken = required("BENCH_FEED_TOKEN", "capacity-service's (viewer) token for the feed");
        publicKey = Path.of(b.str("public-key", "deploy/bench/.run/keys/public.pem")).toAbsolutePath();
        if (!Files.isRegularFile(publicKey)) {
            throw new IllegalStateException(publicKey + " missing (--public-key): the services need it to verify tokens");
        }
    }

    private static String required(String variable, String what) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " unset: " + what + " (deploy/bench/run mints it with deploy/local/token)");
        }
        return value.trim();
    }

    /** The value of the Authorization header (HTTP) and of the authorization metadata (gRPC). */
    String header() {
        return "Bearer " + token;
    }

    /** capacity-service's token for project-service's feed ({@code QINGLIU_FEED_TOKEN}). */
    String feedToken() {
        return feedToken;
    }

    /** The PEM file the services verify tokens with ({@code QINGLIU_AUTH_PUBLIC_KEY_LOCATION}). */
    String publicKeyLocation() {
        return publicKey.toString();
    }

    /** Adds the admin's token to every call of the channel it is installed on. */
    ClientInterceptor interceptor() {
        String value = header();
        return new ClientInterceptor() {
            @Override
            public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<A> listener, Metadata headers) {
                        headers.put(AUTHORIZATION, value);
                        super.start(listener, headers);
                    }
                };
            }
        };
    }
}
