package io.pocketbus.broker;

/**
 * Told about every message a store adds or removes, including removals the store makes itself to
 * enforce limits or max age, so the stream layer can keep account usage and react (nats-server's
 * {@code StorageUpdateHandler}). Called after the store's lock is released, on the thread that made the
 * change, in the order of the changes that one store call made.
 */
@FunctionalInterface
public interface StoreUpdateListener {

    /**
     * @param msgsDelta +1 for a stored message, -1 for a removed one; a purge or compact reports all it
     *     removed at once, with sequence 0 and an empty subject (as nats-server does)
     * @param bytesDelta the change in stored bytes
     * @param seq the message's sequence
     * @param subject the message's subject
     */
    void onUpdate(long msgsDelta, long bytesDelta, long seq, String subject);
}
