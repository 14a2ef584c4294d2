package io.pocketbus.broker;

/**
 * A consumer's durable progress (nats-server's {@code ConsumerStore}). Each update is written to the
 * operating system before the method returns, which a killed process cannot undo. Under
 * {@link SyncPolicy#ALWAYS} it is on the disk only once {@link #awaitDurable} returned: confirm an
 * acknowledgement to the client only after that, and call it without holding locks of your own, so
 * concurrent acknowledgements share one fsync.
 */
public interface ConsumerStore extends AutoCloseable {

    /** The consumer's {@code ack_policy}, which decides how acknowledgements move the ack floor. */
    enum AckMode {
        NONE,
        ALL,
        EXPLICIT
    }

    AckMode ackMode();

    /** A copy of the current state. */
    ConsumerState state();

    /** Positions a new consumer to start after stream sequence {@code streamSeq}. */
    void setStarting(long streamSeq);

    /**
     * Records a delivery of stream sequence {@code streamSeq} as consumer sequence {@code consumerSeq},
     * the {@code deliveryCount}-th delivery of that message.
     *
     * @throws StoreException {@code BAD_ACK} for a redelivery when the ack mode is {@code NONE}
     */
    void updateDelivered(long consumerSeq, long streamSeq, long deliveryCount, long timestamp);

    /**
     * Records an acknowledgement. Returns false when the message was not pending (already acknowledged
     * or never delivered), leaving the state unchanged.
     *
     * @throws StoreException {@code BAD_ACK} when the ack mode is {@code NONE}
     */
    boolean updateAcks(long consumerSeq, long streamSeq);

    /**
     * Returns once every update made so far is as durable as the sync policy promises: at once unless it
     * is {@link SyncPolicy#ALWAYS}, else after an fsync that callers waiting at the same time share.
     */
    void awaitDurable();

    /** Replaces the whole state (a consumer reset or a restored snapshot). */
    void update(ConsumerState state);

    @Override
    void close();

    /** Closes and removes the stored state. */
    void delete();
}
