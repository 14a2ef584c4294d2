package io.pocketbus.broker;

import java.time.Instant;
import java.util.Optional;

/**
 * The claims of a NATS JWT (nats.jwt v2): the standard fields every claim carries and, per {@link #type()},
 * the {@code nats} body of an operator, an account, a user or an activation.
 */
public sealed interface JwtClaims permits JwtOperatorClaims, JwtAccountClaims, JwtUserClaims, JwtActivationClaims {

    /** {@code jti}: the hash of the claims, set when the JWT is issued. */
    String id();

    /** {@code iat}. */
    Instant issuedAt();

    /** {@code iss}: the public key that signed the JWT. */
    String issuer();

    /** {@code sub}: the public key the claims are about. */
    String subject();

    /** {@code name}. */
    String name();

    /** {@code exp}. */
    Optional<Instant> expires();

    /** {@code nbf}. */
    Optional<Instant> notBefore();

    /** {@code nats.type}: "operator", "account", "user" or "activation". */
    String type();

    /** Whether the claims have expired or are not yet valid at {@code now}. */
    default boolean isValidAt(Instant now) {
        return expires().map(now::isBefore).orElse(true) && notBefore().map(nbf -> !now.isBefore(nbf)).orElse(true);
    }
}
