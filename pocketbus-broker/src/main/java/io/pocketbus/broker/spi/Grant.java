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
 * @param maxSubscriptions how many subscriptions the connection may hold (a user or account limit), or empty
 * @param accountMaxConnections how many connections the account may have open at once, or empty
 */
public record Grant(
        String account,
        String identity,
        Permissions permissions,
        Optional<Instant> expiresAt,
        Optional<Integer> maxPayload,
        Optional<Integer> maxSubscriptions,
        Optional<Integer> accountMaxConnections) {

    /** A grant without subscription or account connection limits. */
    public Grant(String account, String identity, Permissions permissions, Optional<Instant> expiresAt,
            Optional<Integer> maxPayload) {
        this(account, identity, permissions, expiresAt, maxPayload, Optional.empty(), Optional.empty());
    }

    /** The global account, everything allowed, no expiry: what a server without auth grants. */
    public static Grant global(String identity) {
        return new Grant("$G", identity, Permissions.ALL, Optional.empty(), Optional.empty());
    }

    /** This grant with a limit on the connection's subscriptions ({@code -ERR 'maximum subscriptions exceeded'}). */
    public Grant withMaxSubscriptions(int max) {
        return new Grant(account, identity, permissions, expiresAt, maxPayload, Optional.of(max),
                accountMaxConnections);
    }

    /**
     * This grant with a limit on the account's open connections, beyond which a connection is refused with
     * {@code -ERR 'maximum account active connections exceeded'}.
     */
    public Grant withAccountMaxConnections(int max) {
        return new Grant(account, identity, permissions, expiresAt, maxPayload, maxSubscriptions,
                Optional.of(max));
    }
}
