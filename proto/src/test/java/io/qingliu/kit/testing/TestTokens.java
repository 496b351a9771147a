package io.qingliu.kit.testing;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.qingliu.kit.auth.BearerToken;
import io.qingliu.kit.auth.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Tokens for tests, signed by a key pair made once per build in {@code target/test-keys} (never
 * committed): the services under test verify them with its public half
 * ({@link #publicKeyLocation()}), as they verify real ones. Kept in files so that every class
 * loader of a Quarkus test run, and every service process a test starts, sees the same pair.
 */
public final class TestTokens {

    public static final String ISSUER = "qingliu";

    private static final Path DIR = Path.of("target", "test-keys").toAbsolutePath();
    private static final Path PUBLIC = DIR.resolve("public.pem");
    private static final Path PRIVATE = DIR.resolve("private.pem");
    private static PrivateKey signingKey;

    private TestTokens() {
    }

    /** The PEM file of the public key the services under test verify tokens with. */
    public static synchronized String publicKeyLocation() {
        ensureKeys();
        return PUBLIC.toString();
    }

    /** A token of an admin (may do everything), the default identity of the suite's tests. */
    public static String admin() {
        return token("test-admin", Role.ADMIN, null, Duration.ofHours(12));
    }

    /** A token of that role; {@code county} for the county role, else null. */
    public static String token(Role role, String county) {
        return token("test-" + role.claim() + (county == null ? "" : "-" + county), role, county, Duration.ofHours(12));
    }

    /** A token with every claim chosen. */
    public static synchronized String token(String subject, Role role, String county, Duration validFor) {
        ensureKeys();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(subject);
        claims.setIssuedAtToNow();
        claims.setExpirationTime(NumericDate.fromMilliseconds(System.currentTimeMillis() + validFor.toMillis()));
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setStringListClaim("groups", List.of(role.claim()));
        if (county != null) {
            claims.setClaim("county", county);
        }
        return sign(claims, signingKey);
    }

    /** Claims of a test's own making signed with the suite's key (a token right but for its claims). */
    public static synchronized String signed(JwtClaims claims) {
        ensureKeys();
        return sign(claims, signingKey);
    }

    /** Signs claims with any key (a forged token is signed with another key). */
    public static String sign(JwtClaims claims, PrivateKey key) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Per-call credentials carrying a token, for {@code stub.withCallCredentials(...)}. */
    public static CallCredentials bearer(String token) {
        return new BearerToken(token);
    }

    /** Per-call credentials of that role. */
    public static CallCredentials as(Role role, String county) {
        return bearer(token(role, county));
    }

    /** Credentials that send nothing: a call without a token. */
    public static CallCredentials none() {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                applier.apply(new Metadata());
            }
        };
    }

    private static void ensureKeys() {
        if (signingKey != null) {
            return;
        }
        try {
            Files.createDirectories(DIR);
            // Test JVMs of several modules, and their class loaders, may get here at once: one makes the pair.
            try (FileChannel lock = FileChannel.open(DIR.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = lock.lock()) {
                if (!Files.isRegularFile(PUBLIC)) {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(2048);
                    KeyPair pair = generator.generateKeyPair();
                    Files.writeString(PRIVATE, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
                    Files.writeString(PUBLIC, pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
                }
            }
            String text = Files.readString(PRIVATE);
            String base64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            signingKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
