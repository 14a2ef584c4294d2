package io.pocketbus.broker.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * What an authenticated connection may do.
 *
 * @param account the account (subject space) the connection joins; created on first use
 * @param identity how the user is named in logs and monitoring (user name, nkey, or JWT subject)
 * @param permissions publish/subscribe permissions
 * @param expiresAt when the broker must close the connection ({@code User Authentication Expired})
 * @param maxPayload a per-user payload limit below the server's, or empty
 */
public record Grant(
        String account,
        String identity,
        Permissions permissions,
        Optional<Instant> expiresAt,
        Optional<Integer> maxPayload) {

    /** The global account, everything allowed, no expiry: what a server without auth grants. */
    public static Grant global(String identity) {
        return new Grant("$G", identity, Permissions.ALL, Optional.empty(), Optional.empty());
    }
}
