package io.pocketbus.broker;

/** Consumer state held only in memory, for consumers of memory streams. */
final class MemoryConsumerStore extends ConsumerStoreBase {

    MemoryConsumerStore(AckMode ackMode) {
        super(ackMode);
    }

    @Override
    void persistDelivered(long consumerSeq, long streamSeq, long deliveryCount, long timestamp) {
        // Nothing outlives the process for a memory stream.
    }

    @Override
    void persistAck(long consumerSeq, long streamSeq) {
        // Nothing outlives the process for a memory stream.
    }

    @Override
    void persistState() {
        // Nothing outlives the process for a memory stream.
    }

    @Override
    public void awaitDurable() {
        // Nothing outlives the process for a memory stream.
    }

    @Override
    void release() {
        // Holds no resources.
    }

    @Override
    void removeData() {
        replace(ConsumerState.EMPTY);
    }
}
