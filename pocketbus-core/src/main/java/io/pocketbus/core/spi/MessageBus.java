package io.pocketbus.core.spi;

import java.util.Map;

/**
 * Publish/subscribe between the parts of Pocketbus, and between nodes when the bus is a NATS cluster.
 * Subjects use NATS syntax: dot-separated tokens; a subscription may use {@code *} (exactly one token) and
 * {@code >} (one or more trailing tokens). Publishing never waits for subscribers.
 */
public interface MessageBus extends AutoCloseable {

    /** Publishes {@code data} with NATS-style headers (empty map for none) on a literal subject. */
    void publish(String subject, byte[] data, Map<String, String> headers);

    default void publish(String subject, byte[] data) {
        publish(subject, data, Map.of());
    }

    /**
     * Delivers every message whose subject matches {@code subject} (wildcards allowed) to {@code handler},
     * one at a time and in publish order, until the returned subscription is unsubscribed.
     */
    Subscription subscribe(String subject, Handler handler);

    /** Stops every subscription; later publishes are dropped. */
    @Override
    void close();

    /** A delivered message. */
    record Message(String subject, byte[] data, Map<String, String> headers) {
        public Message {
            headers = Map.copyOf(headers);
        }
    }

    /** Receives messages of one subscription. */
    @FunctionalInterface
    interface Handler {
        void onMessage(Message message);
    }

    /** A live subscription. */
    interface Subscription {
        String subject();

        /** Stops delivery; messages not yet delivered are discarded. Idempotent. */
        void unsubscribe();
    }
}
