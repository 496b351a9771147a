package io.qingliu.kit.auth;

import io.grpc.Status;
import io.qingliu.kit.grpc.ApiException;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * Checks a bearer token: an RS256-signed JWT from the configured issuer, signed by the key whose
 * public half is configured ({@code qingliu.auth.public-key}, PEM text, or
 * {@code qingliu.auth.public-key-location}, a PEM file), not expired, with a subject, one role in
 * {@code groups}, and for the county role the county's 12-digit code in {@code county}.
 *
 * A verified token is remembered until it expires, so that a client's every call costs a map
 * lookup rather than an RSA verification.
 */
@ApplicationScoped
// Made at start, not at the first call: a service without a key must not start (it would answer
// every call with an error instead).
@Startup
public class TokenVerifier {

    /** Claim naming a county system's county. */
    public static final String COUNTY_CLAIM = "county";

    private static final int MAX_REMEMBERED = 10_000;

    private final JwtConsumer consumer;
    private final Map<String, Verified> remembered = new ConcurrentHashMap<>();

    private record Verified(String token, Caller caller, long expiresAtMillis) {
    }

    /**
     * The token this thread verified last: a caller's requests come one after another on one
     * connection, whose thread then compares the token (a vectorized equals) instead of hashing
     * its ~600 characters for the map (the gateway's profile under load showed the hash).
     */
    private final ThreadLocal<Verified> last = new ThreadLocal<>();

    @Inject
    TokenVerifier(AuthConfig config) {
        this(readKey(config.publicKey(), config.publicKeyLocation()), config.issuer());
    }

    public TokenVerifier(PublicKey key, String issuer) {
        this.consumer = new JwtConsumerBuilder().setVerificationKey(key).setExpectedIssuer(issuer)
                .setRequireExpirationTime().setRequireSubject().setAllowedClockSkewInSeconds(30)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .build();
    }

    /** The caller a token names; UNAUTHENTICATED (as an ApiException) when it is missing, malformed, forged or expired. */
    public Caller verify(String token) {
        if (token == null || token.isBlank()) {
            throw unauthenticated("TOKEN_MISSING", "this call needs a bearer token (authorization: Bearer <JWT>)");
        }
        long now = System.currentTimeMillis();
        Verified known = last.get();
        if (known != null && known.expiresAtMillis > now && known.token.equals(token)) {
            return known.caller;
        }
        known = remembered.get(token);
        if (known != null && known.expiresAtMillis > now) {
            last.set(known);
            return known.caller;
        }
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            String why = e.hasExpired() ? "the bearer token has expired" : "the bearer token is not valid";
            throw unauthenticated(e.hasExpired() ? "TOKEN_EXPIRED" : "TOKEN_INVALID", why);
        }
        Caller caller;
        long expires;
        try {
            caller = caller(claims);
            expires = claims.getExpirationTime().getValueInMillis();
        } catch (MalformedClaimException e) {
            throw unauthenticated("TOKEN_INVALID", "the bearer token's claims are malformed: " + e.getMessage());
        }
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.clear();
        }
        Verified verified = new Verified(token, caller, expires);
        remembered.put(token, verified);
        last.set(verified);
        return caller;
    }

    private static Caller caller(JwtClaims claims) throws MalformedClaimException {
        List<String> groups = claims.hasClaim("groups") ? claims.getStringListClaimValue("groups") : List.of();
        Role role = null;
        for (String g : groups) {
            Role r = Role.ofClaim(g);
            if (r != null) {
                if (role != null && role != r) {
                    throw unauthenticated("TOKEN_INVALID", "the bearer token names more than one role: " + groups);
                }
                role = r;
            }
        }
        if (role == null) {
            throw unauthenticated("TOKEN_INVALID", "the bearer token names no role (groups: viewer, planner, county or admin)");
        }
        String county = claims.getClaimValueAsString(COUNTY_CLAIM);
        if (role == Role.COUNTY && (county == null || !county.matches("\\d{6}000000") || county.endsWith("00000000"))) {
            throw unauthenticated("TOKEN_INVALID", "a county token must name its county's 12-digit code in the claim county");
        }
        return new Caller(claims.getSubject(), role, role == Role.COUNTY ? county : null);
    }

    private static ApiException unauthenticated(String reason, String message) {
        return new ApiException(Status.Code.UNAUTHENTICATED, reason, message, Map.of(), List.of());
    }

    /** The public key from PEM text, or else from a PEM file; refuses to start without one. */
    static PublicKey readKey(Optional<String> pem, Optional<String> location) {
        String text;
        if (pem.isPresent() && !pem.get().isBlank()) {
            text = pem.get();
        } else if (location.isPresent() && !location.get().isBlank()) {
            try {
                text = Files.readString(Path.of(location.get()));
            } catch (IOException e) {
                throw new UncheckedIOException("qingliu.auth.public-key-location: cannot read " + location.get(), e);
            }
        } else {
            throw new IllegalStateException("no key to verify tokens with: set qingliu.auth.public-key-location "
                    + "(QINGLIU_AUTH_PUBLIC_KEY_LOCATION, a PEM file) or qingliu.auth.public-key (PEM text); "
                    + "deploy/local/token keys makes a pair");
        }
        return parsePublicKey(text);
    }

    /** An RSA public key from PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo). */
    public static PublicKey parsePublicKey(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the configured public key is not an RSA public key in PEM", e);
        }
    }
}
