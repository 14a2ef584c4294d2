package io.pocketbus.broker;

import io.pocketbus.broker.spi.Permissions;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A user JWT's claims: who the user is ({@code sub}, a {@code U…} key), which account issued it ({@code iss}
 * or, when a signing key signed it, {@code nats.issuer_account}), and what it may do.
 *
 * @param permissions {@code nats.pub}, {@code nats.sub}, {@code nats.resp}; {@link Permissions#ALL} when unset
 * @param bearerToken {@code nats.bearer_token}: the JWT alone authenticates, no nonce signature
 * @param allowedConnectionTypes {@code nats.allowed_connection_types} ("STANDARD", "WEBSOCKET", …); empty = any
 * @param sourceNetworks {@code nats.src}: CIDRs the user may connect from; empty = any
 * @param times {@code nats.times}: daily windows the user may connect in; empty = any time
 * @param timesLocation {@code nats.times_location}: the time zone of {@code times}; empty = the server's
 */
public record JwtUserClaims(
        String id,
        Instant issuedAt,
        String issuer,
        String subject,
        String name,
        Optional<Instant> expires,
        Optional<Instant> notBefore,
        Optional<String> issuerAccount,
        Permissions permissions,
        JwtLimits limits,
        boolean bearerToken,
        List<String> allowedConnectionTypes,
        List<String> sourceNetworks,
        List<JwtTimeRange> times,
        Optional<String> timesLocation,
        List<String> tags) implements JwtClaims {

    public JwtUserClaims {
        Objects.requireNonNull(subject, "subject");
        allowedConnectionTypes = List.copyOf(allowedConnectionTypes);
        sourceNetworks = List.copyOf(sourceNetworks);
        times = List.copyOf(times);
        tags = List.copyOf(tags);
    }

    @Override
    public String type() {
        return "user";
    }

    /** The account the user belongs to: {@code issuer_account} when a signing key issued the JWT. */
    public String account() {
        return issuerAccount.orElse(issuer);
    }

    /** Claims to issue for a user public key ({@code U…}). */
    public static Builder builder(String userPublicKey) {
        return new Builder(userPublicKey);
    }

    /** Collects the claims to issue; {@code jti}, {@code iat} and {@code iss} are set by {@link NatsJwt#issue}. */
    public static final class Builder extends JwtClaimsBuilder<Builder> {
        private Optional<Instant> notBefore = Optional.empty();
        private Optional<String> issuerAccount = Optional.empty();
        private Permissions permissions = Permissions.ALL;
        private boolean bearerToken;
        private List<String> allowedConnectionTypes = List.of();
        private List<String> sourceNetworks = List.of();
        private List<JwtTimeRange> times = List.of();
        private Optional<String> timesLocation = Optional.empty();

        private Builder(String subject) {
            super(subject, NKey.Type.USER, "a user JWT's subject must be a user public key");
        }

        @Override
        Builder self() {
            return this;
        }

        public Builder notBefore(Instant notBefore) {
            this.notBefore = Optional.of(notBefore);
            return this;
        }

        /** The account, when the JWT is signed with one of its signing keys rather than its own key. */
        public Builder issuerAccount(String accountPublicKey) {
            this.issuerAccount = Optional.of(accountPublicKey);
            return this;
        }

        public Builder permissions(Permissions permissions) {
            this.permissions = permissions;
            return this;
        }

        public Builder bearerToken(boolean bearerToken) {
            this.bearerToken = bearerToken;
            return this;
        }

        public Builder allowedConnectionTypes(List<String> types) {
            this.allowedConnectionTypes = types;
            return this;
        }

        public Builder sourceNetworks(List<String> cidrs) {
            this.sourceNetworks = cidrs;
            return this;
        }

        public Builder times(List<JwtTimeRange> times, Optional<String> timesLocation) {
            this.times = times;
            this.timesLocation = timesLocation;
            return this;
        }

        public JwtUserClaims build() {
            return new JwtUserClaims("", Instant.EPOCH, "", subject, name, expires, notBefore, issuerAccount,
                    permissions, limits, bearerToken, allowedConnectionTypes, sourceNetworks, times, timesLocation, tags);
        }
    }
}
