package io.pocketbus.broker;

/**
 * How many messages a subject (or a filter) has in a stream, and the first and last of them
 * (nats-server's {@code SimpleState}). An empty state has {@code msgs == 0} and both sequences 0.
 */
public record StoreSubjectState(long msgs, long first, long last) {

    public static final StoreSubjectState EMPTY = new StoreSubjectState(0, 0, 0);
}
