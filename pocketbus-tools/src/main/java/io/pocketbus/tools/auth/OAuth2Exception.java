package io.pocketbus.tools.auth;

/** A provider refused a code or returned something unusable. */
public final class OAuth2Exception extends RuntimeException {
    public OAuth2Exception(String message) {
        super(message);
    }

    public OAuth2Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
