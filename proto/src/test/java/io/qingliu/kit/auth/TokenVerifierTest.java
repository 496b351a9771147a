package io.qingliu.kit.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.qingliu.kit.grpc.ApiException;
import io.qingliu.kit.testing.TestTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

    private final TokenVerifier verifier = new TokenVerifier(
            TokenVerifier.readKey(Optional.empty(), Optional.of(TestTokens.publicKeyLocation())), TestTokens.ISSUER);

    @Test
    void aSignedTokenNamesItsSubjectRoleAndCounty() {
        Caller county = verifier.verify(TestTokens.token("anyue-system", Role.COUNTY, "512021000000", Duration.ofMinutes(5)));
        assertEquals(new Caller("anyue-system", Role.COUNTY, "512021000000"), county);
        Caller planner = verifier.verify(TestTokens.token(Role.PLANNER, null));
        assertEquals(Role.PLANNER, planner.role());
        assertEquals(null, planner.county(), "only a county token carries a county");
    }

    @Test
    void theKeyMayAlsoBeGivenAsPemText() throws Exception {
        String pem = Files.readString(Path.of(TestTokens.publicKeyLocation()));
        TokenVerifier fromText = new TokenVerifier(TokenVerifier.readKey(Optional.of(pem), Optional.empty()), TestTokens.ISSUER);
        assertEquals(Role.VIEWER, fromText.verify(TestTokens.token(Role.VIEWER, null)).role());
    }

    @Test
    void noKeyConfiguredStopsTheServiceWithTheKeysToSet() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TokenVerifier.readKey(Optional.empty(), Optional.of(" ")));
        assertEquals(true, e.getMessage().contains("qingliu.auth.public-key-location"), e.getMessage());
    }

    @Test
    void missingMalformedExpiredForgedAndForeignTokensAreRefused() throws Exception {
        refused(null, "TOKEN_MISSING");
        refused("", "TOKEN_MISSING");
        refused("not.a.jwt", "TOKEN_INVALID");
        refused(TestTokens.token("late", Role.ADMIN, null, Duration.ofMinutes(-5)), "TOKEN_EXPIRED");

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        refused(TestTokens.sign(claims("forger", List.of("admin"), null, TestTokens.ISSUER), generator.generateKeyPair().getPrivate()),
                "TOKEN_INVALID");

        String signed = TestTokens.token(Role.ADMIN, null);
        String[] parts = signed.split("\\.");
        String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims("admin", List.of("admin"), null, TestTokens.ISSUER).toJson().getBytes()) + "." + parts[2];
        refused(tampered, "TOKEN_INVALID");
    }

    @Test
    void aTokenMustNameExactlyOneKnownRoleAndACountyItsCounty() throws Exception {
        refused(TestTokens.signed(claims("nobody", List.of("reader"), null, TestTokens.ISSUER)), "TOKEN_INVALID");
        refused(TestTokens.signed(claims("both", List.of("viewer", "admin"), null, TestTokens.ISSUER)), "TOKEN_INVALID");
        refused(TestTokens.signed(claims("no-county", List.of("county"), null, TestTokens.ISSUER)), "TOKEN_INVALID");
        refused(TestTokens.signed(claims("a-city", List.of("county"), "512000000000", TestTokens.ISSUER)), "TOKEN_INVALID");
        refused(TestTokens.signed(claims("a-town", List.of("county"), "512002104000", TestTokens.ISSUER)), "TOKEN_INVALID");
        refused(TestTokens.signed(claims("elsewhere", List.of("admin"), null, "someone-else")), "TOKEN_INVALID");
    }

    @Test
    void whatEachRoleMayCall() {
        for (Role role : Role.values()) {
            assertEquals(true, role.may(Access.READ), role.name());
            assertEquals(role != Role.VIEWER, role.may(Access.WRITE_RECORDS), role.name());
            assertEquals(role == Role.PLANNER || role == Role.ADMIN, role.may(Access.WRITE_CITY), role.name());
            assertEquals(role == Role.ADMIN, role.may(Access.ADMINISTER), role.name());
        }
    }

    @Test
    void aCountyWritesOnlyInItsCounty() {
        Caller anyue = new Caller("anyue", Role.COUNTY, "512021000000");
        anyue.requireMayWriteIn("512021000000", "projects/1");
        ApiException e = assertThrows(ApiException.class, () -> anyue.requireMayWriteIn("512022000000", "projects/2"));
        assertEquals(Status.Code.PERMISSION_DENIED, e.code());
        assertEquals("OTHER_COUNTY", e.reason());
        new Caller("planner", Role.PLANNER, null).requireMayWriteIn("512022000000", "projects/2");
        Caller.SYSTEM.requireMayWriteIn("512022000000", "projects/2");
    }

    private void refused(String token, String reason) {
        ApiException e = assertThrows(ApiException.class, () -> verifier.verify(token));
        assertEquals(Status.Code.UNAUTHENTICATED, e.code());
        assertEquals(reason, e.reason(), e.getMessage());
    }

    private static JwtClaims claims(String subject, List<String> groups, String county, String issuer) {
        JwtClaims c = new JwtClaims();
        c.setIssuer(issuer);
        c.setSubject(subject);
        c.setExpirationTime(NumericDate.fromMilliseconds(System.currentTimeMillis() + 60_000));
        c.setStringListClaim("groups", groups);
        if (county != null) {
            c.setClaim("county", county);
        }
        return c;
    }
}
