package io.pocketbus.broker;

/**
 * A consumer's durable progress (nats-server's {@code ConsumerStore}). Updates may be written lazily, a
 * moment later and many at once, as nats-server writes consumer state: a crash may undo the last
 * unconfirmed ones, which only redelivers. Once {@link #awaitDurable} returned, every update made before
 * it is written to the operating system (which a killed process cannot undo), and under
 * {@link SyncPolicy#ALWAYS} to the disk: confirm an acknowledgement to the client only after that, and
 * call it without holding locks of your own, so concurrent acknowledgements share one write and fsync.
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
     * Returns once every update made so far is as durable as the sync policy promises: written to the OS,
     * and under {@link SyncPolicy#ALWAYS} forced to the disk by an fsync that callers waiting at the same
     * time share.
     */
    void awaitDurable();

    /** Replaces the whole state (a consumer reset or a restored snapshot). */
    void update(ConsumerState state);

    @Override
    void close();

    /** Closes and removes the stored state. */
    void delete();
}
