package io.pocketbus.broker;

import java.util.Optional;

/**
 * A client error that ends the connection. {@link #clientError()} is the text sent as {@code -ERR '…'}
 * before closing; empty where nats-server closes without a word (malformed arguments, bad CONNECT JSON).
 */
final class ProtocolViolation extends RuntimeException {
    static final String UNKNOWN_OPERATION = "Unknown Protocol Operation";
    static final String MAX_CONTROL_LINE = "maximum control line exceeded";
    static final String MAX_PAYLOAD = "Maximum Payload Violation";
    static final String AUTHORIZATION = "Authorization Violation";
    static final String MAX_ACCOUNT_CONNECTIONS = "maximum account active connections exceeded";

    private final String clientError;

    private ProtocolViolation(String clientError, String logMessage) {
        super(logMessage, null, false, false);
        this.clientError = clientError;
    }

    /** Sends {@code -ERR '<error>'} and closes. */
    static ProtocolViolation withError(String error) {
        return new ProtocolViolation(error, error);
    }

    /** Closes without telling the client why, as nats-server does for this case. */
    static ProtocolViolation silent(String logMessage) {
        return new ProtocolViolation(null, logMessage);
    }

    Optional<String> clientError() {
        return Optional.ofNullable(clientError);
    }
}
