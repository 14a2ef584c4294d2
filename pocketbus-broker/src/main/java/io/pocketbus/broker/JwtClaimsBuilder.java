package io.pocketbus.broker;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the account and user claim builders share: the subject, checked to be a public key of the right type,
 * and the name, expiry, limits and tags every such JWT may carry.
 *
 * @param <B> the concrete builder, so that chained calls keep its own methods in reach
 */
public abstract sealed class JwtClaimsBuilder<B extends JwtClaimsBuilder<B>>
        permits JwtAccountClaims.Builder, JwtUserClaims.Builder {
    final String subject;
    String name = "";
    Optional<Instant> expires = Optional.empty();
    JwtLimits limits = JwtLimits.UNLIMITED;
    List<String> tags = List.of();

    JwtClaimsBuilder(String subject, NKey.Type keyType, String wrongKeyMessage) {
        if (!NKey.isValidPublicKey(subject, keyType)) {
            throw new IllegalArgumentException(wrongKeyMessage);
        }
        this.subject = subject;
    }

    abstract B self();

    public B name(String name) {
        this.name = name;
        return self();
    }

    public B expires(Instant expires) {
        this.expires = Optional.of(expires);
        return self();
    }

    public B limits(JwtLimits limits) {
        this.limits = limits;
        return self();
    }

    public B tags(List<String> tags) {
        this.tags = tags;
        return self();
    }
}
