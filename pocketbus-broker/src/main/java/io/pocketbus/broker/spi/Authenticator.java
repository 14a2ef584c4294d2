package io.pocketbus.broker.spi;

/**
 * Decides who may connect to the broker, into which account and with which permissions. Called once per
 * CONNECT. Implementations for nats-server's modes (token, users, nkeys, operator JWTs) ship with the
 * broker; a host application plugs in its own to map its users onto accounts.
 */
public interface Authenticator {

    /** Whether INFO must carry a nonce for the client to sign (nkey and JWT authentication). */
    default boolean requiresNonce() {
        return false;
    }

    /**
     * Whether INFO says {@code auth_required}. nats-server drops it when a client without credentials is still
     * admitted ({@code no_auth_user}); such a client's CONNECT is then authenticated as that user.
     */
    default boolean authRequired() {
        return true;
    }

    /**
     * Returns what the connection is granted.
     *
     * @throws AuthenticationException when the credentials are wrong or missing; the client then gets
     *     {@code -ERR 'Authorization Violation'} and is closed
     */
    Grant authenticate(ConnectAttempt attempt);

    /**
     * Registers a callback run when credentials granted earlier may no longer hold, e.g. an account JWT with
     * new user revocations was stored. The broker then calls {@link #authenticate} again for its live
     * connections with their original {@link ConnectAttempt} and closes the ones now refused. Authenticators
     * whose decisions never change need not implement it.
     */
    default void onCredentialsChanged(Runnable listener) {
    }
}
