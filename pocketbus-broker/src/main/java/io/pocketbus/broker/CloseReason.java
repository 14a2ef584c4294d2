package io.pocketbus.broker;

/** Why the host application closes connections through {@link Broker#closeConnections}. */
public enum CloseReason {
    /** Closed without an error, as nats-server's kick does. */
    KICKED,
    /** {@code -ERR 'User Authentication Revoked'}, then closed. */
    AUTHENTICATION_REVOKED,
    /** {@code -ERR 'User Authentication Expired'}, then closed. */
    AUTHENTICATION_EXPIRED
}
