package io.pocketbus.broker;

import io.pocketbus.broker.spi.Permissions;
import java.util.Optional;

/**
 * An account signing key ({@code nats.signing_keys}). A scoped key ({@code kind: user_scope}) carries a
 * template: users it signs get the template's permissions and limits, whatever their own JWT says.
 */
public record JwtSigningKey(String key, Optional<Scope> scope) {

    /** The template of a scoped signing key. */
    public record Scope(String role, Permissions permissions, JwtLimits limits) {
    }

    public static JwtSigningKey unscoped(String key) {
        return new JwtSigningKey(key, Optional.empty());
    }
}
