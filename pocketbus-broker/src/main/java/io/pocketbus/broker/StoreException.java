package io.pocketbus.broker;

/**
 * A stream or consumer store refused or failed an operation. The message is nats-server's text for the
 * same condition, which the JetStream layer passes on to clients.
 */
public final class StoreException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        MAX_MSGS("maximum messages exceeded"),
        MAX_BYTES("maximum bytes exceeded"),
        MAX_MSGS_PER_SUBJECT("maximum messages per subject exceeded"),
        CLOSED("store is closed"),
        SEQUENCE_MISMATCH("expected sequence does not match store"),
        MSG_TOO_LARGE("message too large"),
        BAD_ACK("bad ack for consumer ack policy"),
        CORRUPT("stream store is corrupt"),
        IO("stream store I/O error");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final Kind kind;

    public StoreException(Kind kind) {
        super(kind.description());
        this.kind = kind;
    }

    public StoreException(Kind kind, String detail, Throwable cause) {
        super(kind.description() + ": " + detail, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
