package io.pocketbus.broker;

/** A NATS JWT that cannot be decoded, is not signed by its issuer, or has unexpected claims. */
public class JwtException extends RuntimeException {

    public JwtException(String message) {
        super(message);
    }

    public JwtException(String message, Throwable cause) {
        super(message, cause);
    }
}
