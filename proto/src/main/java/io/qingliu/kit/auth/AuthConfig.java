package io.qingliu.kit.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** How a service checks bearer tokens, under {@code qingliu.auth.} (environment: {@code QINGLIU_AUTH_…}). */
@ConfigMapping(prefix = "qingliu.auth")
public interface AuthConfig {

    /** The public key that signs tokens, as PEM text (for an environment variable). */
    Optional<String> publicKey();

    /** The public key that signs tokens, as a PEM file; read when {@link #publicKey()} is unset. */
    Optional<String> publicKeyLocation();

    /** The issuer ({@code iss}) every token must name. */
    @WithDefault("qingliu")
    String issuer();
}
