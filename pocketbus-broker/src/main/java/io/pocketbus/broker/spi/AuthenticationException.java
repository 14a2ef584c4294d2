package io.pocketbus.broker.spi;

/**
 * Refuses a connection. The message is for the server log, never for the client. At CONNECT the client sees
 * nats-server's {@code Authorization Violation} whatever the reason (nats-server sends nothing else there);
 * the reason names why, for logs and monitoring. When a live connection is re-checked (see
 * {@link Authenticator#onCredentialsChanged}) and refused, nats-server's texts are {@code User Authentication
 * Revoked} for {@link Reason#REVOKED} and {@code Authorization Violation} otherwise.
 */
public class AuthenticationException extends RuntimeException {
    private final Reason reason;

    public enum Reason { VIOLATION, EXPIRED, REVOKED }

    public AuthenticationException(String message) {
        this(Reason.VIOLATION, message);
    }

    public AuthenticationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
