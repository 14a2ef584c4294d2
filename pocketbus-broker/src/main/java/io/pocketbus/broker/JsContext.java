package io.pocketbus.broker;

import java.util.Optional;

/** What streams and consumers need from their JetStream account. */
interface JsContext {
    /** The JetStream domain PubAcks carry; empty for none. */
    String domain();

    JsOutput output();

    /** The account's error when storing {@code bytes} more of this storage type would exceed its limits. */
    Optional<JetStreamError> checkStore(StreamStore.Type type, long bytes);

    /** Another stream of the account, by name (a mirror's origin). */
    Optional<JsStream> stream(String name);

    /** A stream stored a message: mirrors of it copy it. */
    void streamStored(JsStream stream);

    /** A consumer is gone (deleted or expired): forget its metadata. */
    void consumerRemoved(JsStream stream, JsConsumer consumer);
}
