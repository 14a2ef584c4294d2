package io.pocketbus.broker;

import io.pocketbus.broker.spi.Permissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An account JWT's claims, issued by the operator or one of its signing keys.
 *
 * @param signingKeys {@code nats.signing_keys}: keys besides the account's own that may sign its users
 * @param revocations {@code nats.revocations}: user key (or "*" for all users) → users issued at or before
 *     that instant are revoked
 * @param defaultPermissions {@code nats.default_permissions}: for users whose JWT sets none
 */
public record JwtAccountClaims(
        String id,
        Instant issuedAt,
        String issuer,
        String subject,
        String name,
        Optional<Instant> expires,
        Optional<Instant> notBefore,
        List<JwtSigningKey> signingKeys,
        Map<String, Instant> revocations,
        JwtLimits limits,
        List<JwtImport> imports,
        List<JwtExport> exports,
        Permissions defaultPermissions,
        List<String> tags) implements JwtClaims {

    /** The wildcard key in {@code revocations}: revokes every user issued at or before its instant. */
    public static final String ALL_USERS = "*";

    public JwtAccountClaims {
        Objects.requireNonNull(subject, "subject");
        signingKeys = List.copyOf(signingKeys);
        revocations = Map.copyOf(revocations);
        imports = List.copyOf(imports);
        exports = List.copyOf(exports);
        tags = List.copyOf(tags);
    }

    @Override
    public String type() {
        return "account";
    }

    /** Whether a user JWT for {@code userKey} issued at {@code issuedAt} is revoked (nats.jwt's rule). */
    public boolean isRevoked(String userKey, Instant issuedAt) {
        return revokedAtOrAfter(revocations.get(ALL_USERS), issuedAt)
                || revokedAtOrAfter(revocations.get(userKey), issuedAt);
    }

    private static boolean revokedAtOrAfter(Instant revokedAt, Instant issuedAt) {
        return revokedAt != null && !revokedAt.isBefore(issuedAt);
    }

    /** The signing key with this public key, the account's own key excluded. */
    public Optional<JwtSigningKey> signingKey(String publicKey) {
        return signingKeys.stream().filter(k -> k.key().equals(publicKey)).findFirst();
    }

    /** Claims to issue for an account public key ({@code A…}). */
    public static Builder builder(String accountPublicKey) {
        return new Builder(accountPublicKey);
    }

    /** Collects the claims to issue; {@code jti}, {@code iat} and {@code iss} are set by {@link NatsJwt#issue}. */
    public static final class Builder extends JwtClaimsBuilder<Builder> {
        private List<JwtSigningKey> signingKeys = List.of();
        private Map<String, Instant> revocations = Map.of();
        private List<JwtImport> imports = List.of();
        private List<JwtExport> exports = List.of();
        private Permissions defaultPermissions = Permissions.ALL;

        private Builder(String subject) {
            super(subject, NKey.Type.ACCOUNT, "an account JWT's subject must be an account public key");
        }

        @Override
        Builder self() {
            return this;
        }

        public Builder signingKeys(List<JwtSigningKey> signingKeys) {
            this.signingKeys = signingKeys;
            return this;
        }

        public Builder revocations(Map<String, Instant> revocations) {
            this.revocations = revocations;
            return this;
        }

        public Builder imports(List<JwtImport> imports) {
            this.imports = imports;
            return this;
        }

        public Builder exports(List<JwtExport> exports) {
            this.exports = exports;
            return this;
        }

        public Builder defaultPermissions(Permissions defaultPermissions) {
            this.defaultPermissions = defaultPermissions;
            return this;
        }

        public JwtAccountClaims build() {
            return new JwtAccountClaims("", Instant.EPOCH, "", subject, name, expires, Optional.empty(), signingKeys,
                    revocations, limits, imports, exports, defaultPermissions, tags);
        }
    }
}
