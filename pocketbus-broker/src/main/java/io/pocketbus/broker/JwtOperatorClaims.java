package io.pocketbus.broker;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An operator JWT's claims: self-signed (or signed by one of its signing keys); the root of trust in
 * operator mode.
 *
 * @param signingKeys {@code nats.signing_keys}: keys besides the operator's own that may sign accounts
 * @param systemAccount {@code nats.system_account}
 * @param accountServerUrl {@code nats.account_server_url}
 * @param strictSigningKeyUsage {@code nats.strict_signing_key_usage}: accounts must be signed by a signing key
 */
public record JwtOperatorClaims(
        String id,
        Instant issuedAt,
        String issuer,
        String subject,
        String name,
        Optional<Instant> expires,
        Optional<Instant> notBefore,
        List<String> signingKeys,
        Optional<String> systemAccount,
        Optional<String> accountServerUrl,
        boolean strictSigningKeyUsage) implements JwtClaims {

    public JwtOperatorClaims {
        Objects.requireNonNull(subject, "subject");
        signingKeys = List.copyOf(signingKeys);
    }

    @Override
    public String type() {
        return "operator";
    }

    /** Claims for an operator public key ({@code O…}); {@link NatsJwt#issue} sets {@code jti}, {@code iat}, {@code iss}. */
    public static JwtOperatorClaims of(String operatorPublicKey, String name, List<String> signingKeys,
            Optional<String> systemAccount) {
        if (!NKey.isValidPublicKey(operatorPublicKey, NKey.Type.OPERATOR)) {
            throw new IllegalArgumentException("an operator JWT's subject must be an operator public key");
        }
        return new JwtOperatorClaims("", Instant.EPOCH, "", operatorPublicKey, name, Optional.empty(),
                Optional.empty(), signingKeys, systemAccount, Optional.empty(), false);
    }
}
