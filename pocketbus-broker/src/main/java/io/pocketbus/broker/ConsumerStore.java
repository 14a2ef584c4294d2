package io.pocketbus.broker;

/**
 * A consumer's durable progress (nats-server's {@code ConsumerStore}). Each update is written before the
 * method returns, so a confirmed acknowledgement is never undone by a crash: acknowledge to the client
 * only after {@link #updateAcks} returned.
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

    /** Replaces the whole state (a consumer reset or a restored snapshot). */
    void update(ConsumerState state);

    @Override
    void close();

    /** Closes and removes the stored state. */
    void delete();
}
