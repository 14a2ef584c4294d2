package io.pocketbus.broker.spi;

/**
 * Refuses a connection. The message is for the server log; the client always sees nats-server's
 * {@code Authorization Violation} (or {@code User Authentication Expired} / {@code User Authentication Revoked}
 * for those reasons), never the details.
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
