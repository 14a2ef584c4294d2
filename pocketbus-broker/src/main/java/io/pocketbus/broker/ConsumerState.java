package io.pocketbus.broker;

import java.util.Map;

/**
 * A consumer's persisted progress (nats-server's {@code ConsumerState}).
 *
 * @param delivered the highest consumer and stream sequences delivered
 * @param ackFloor the sequences below and at which everything is acknowledged
 * @param pending delivered but unacknowledged messages, by stream sequence
 * @param redelivered how many times each pending message was redelivered, by stream sequence
 */
public record ConsumerState(
        SequencePair delivered, SequencePair ackFloor, Map<Long, Pending> pending, Map<Long, Long> redelivered) {

    public static final ConsumerState EMPTY =
            new ConsumerState(SequencePair.ZERO, SequencePair.ZERO, Map.of(), Map.of());

    public ConsumerState {
        pending = Map.copyOf(pending);
        redelivered = Map.copyOf(redelivered);
    }

    /** A consumer sequence and the stream sequence it delivered. */
    public record SequencePair(long consumerSeq, long streamSeq) {
        public static final SequencePair ZERO = new SequencePair(0, 0);
    }

    /** An unacknowledged delivery: its (first) consumer sequence and when it was last delivered. */
    public record Pending(long consumerSeq, long timestamp) {
    }
}
