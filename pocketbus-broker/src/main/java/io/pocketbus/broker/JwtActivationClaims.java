package io.pocketbus.broker;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An activation token's claims: the exporting account ({@code iss}, or {@code nats.issuer_account} when one of
 * its signing keys signed it) lets the importing account ({@code sub}) import a private export.
 *
 * @param importSubject {@code nats.subject}: what may be imported; the import's subject must lie within it
 * @param importType {@code nats.kind}: "stream" or "service"
 */
public record JwtActivationClaims(
        String id,
        Instant issuedAt,
        String issuer,
        String subject,
        String name,
        Optional<Instant> expires,
        Optional<Instant> notBefore,
        String importSubject,
        String importType,
        Optional<String> issuerAccount) implements JwtClaims {

    public JwtActivationClaims {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(importSubject, "importSubject");
        Objects.requireNonNull(importType, "importType");
    }

    /** Claims to issue: {@code importer} may import {@code importSubject} of type {@code importType}. */
    public static JwtActivationClaims of(String importer, String importSubject, String importType,
            Optional<Instant> expires, Optional<String> issuerAccount) {
        if (!NKey.isValidPublicKey(importer, NKey.Type.ACCOUNT)) {
            throw new IllegalArgumentException("an activation's subject must be an account public key");
        }
        return new JwtActivationClaims("", Instant.EPOCH, "", importer, "", expires, Optional.empty(), importSubject,
                importType, issuerAccount);
    }

    @Override
    public String type() {
        return "activation";
    }

    /** The exporting account: {@code issuer_account} when a signing key issued the token. */
    public String account() {
        return issuerAccount.orElse(issuer);
    }
}
