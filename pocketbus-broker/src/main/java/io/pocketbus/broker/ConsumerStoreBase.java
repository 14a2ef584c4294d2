package io.pocketbus.broker;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The consumer state machine shared by the memory and file consumer stores: how deliveries and acks
 * move the delivered position, the ack floor and the pending map, following nats-server's
 * {@code consumerFileStore}. Subclasses record each applied change; {@link #awaitDurable} makes them durable.
 */
abstract class ConsumerStoreBase implements ConsumerStore {

    final ReentrantLock lock = new ReentrantLock();
    private final AckMode ackMode;
    private long deliveredConsumer;
    private long deliveredStream;
    private long floorConsumer;
    private long floorStream;
    /** Ordered, so the ack floor finds the oldest pending message without a scan. */
    private final TreeMap<Long, ConsumerState.Pending> pending = new TreeMap<>();
    private final Map<Long, Long> redelivered = new HashMap<>();
    private boolean closed;

    ConsumerStoreBase(AckMode ackMode) {
        this.ackMode = ackMode;
    }

    /** Writes a delivery record; called under the lock after it was applied. */
    abstract void persistDelivered(long consumerSeq, long streamSeq, long deliveryCount, long timestamp);

    abstract void persistAck(long consumerSeq, long streamSeq);

    /** Writes the whole current state. */
    abstract void persistState();

    abstract void release();

    abstract void removeData();

    @Override
    public AckMode ackMode() {
        return ackMode;
    }

    @Override
    public ConsumerState state() {
        lock.lock();
        try {
            return snapshot();
        } finally {
            lock.unlock();
        }
    }

    ConsumerState snapshot() {
        return new ConsumerState(new ConsumerState.SequencePair(deliveredConsumer, deliveredStream),
                new ConsumerState.SequencePair(floorConsumer, floorStream), pending, redelivered);
    }

    @Override
    public void setStarting(long streamSeq) {
        lock.lock();
        try {
            checkOpen();
            deliveredStream = streamSeq;
            floorStream = streamSeq;
            persistState();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void updateDelivered(long consumerSeq, long streamSeq, long deliveryCount, long timestamp) {
        lock.lock();
        try {
            checkOpen();
            if (deliveryCount != 1 && ackMode == AckMode.NONE) {
                throw new StoreException(StoreException.Kind.BAD_ACK);
            }
            if (applyDelivered(consumerSeq, streamSeq, deliveryCount, timestamp)) {
                persistDelivered(consumerSeq, streamSeq, deliveryCount, timestamp);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean updateAcks(long consumerSeq, long streamSeq) {
        lock.lock();
        try {
            checkOpen();
            if (ackMode == AckMode.NONE) {
                throw new StoreException(StoreException.Kind.BAD_ACK);
            }
            if (!applyAck(consumerSeq, streamSeq)) {
                return false;
            }
            persistAck(consumerSeq, streamSeq);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void update(ConsumerState state) {
        lock.lock();
        try {
            checkOpen();
            replace(state);
            persistState();
        } finally {
            lock.unlock();
        }
    }

    void replace(ConsumerState state) {
        deliveredConsumer = state.delivered().consumerSeq();
        deliveredStream = state.delivered().streamSeq();
        floorConsumer = state.ackFloor().consumerSeq();
        floorStream = state.ackFloor().streamSeq();
        pending.clear();
        pending.putAll(state.pending());
        redelivered.clear();
        redelivered.putAll(state.redelivered());
    }

    /** Applies a delivery; false when it is older than the ack floor and changes nothing. */
    boolean applyDelivered(long consumerSeq, long streamSeq, long deliveryCount, long timestamp) {
        if (consumerSeq <= floorConsumer) {
            return false;
        }
        if (ackMode == AckMode.NONE) {
            if (consumerSeq > deliveredConsumer) {
                deliveredConsumer = consumerSeq;
                floorConsumer = consumerSeq;
            }
            if (streamSeq > deliveredStream) {
                deliveredStream = streamSeq;
                floorStream = streamSeq;
            }
            return true;
        }
        if (streamSeq <= deliveredStream) {
            ConsumerState.Pending p = pending.get(streamSeq);
            if (p != null) {
                // A redelivery keeps the original consumer sequence, as acks refer to it.
                pending.put(streamSeq, new ConsumerState.Pending(p.consumerSeq(), timestamp));
            }
        } else {
            pending.put(streamSeq, new ConsumerState.Pending(consumerSeq, timestamp));
        }
        deliveredConsumer = Math.max(deliveredConsumer, consumerSeq);
        deliveredStream = Math.max(deliveredStream, streamSeq);
        if (deliveryCount > 1) {
            redelivered.merge(streamSeq, deliveryCount - 1, Math::max);
        }
        return true;
    }

    /** Applies an acknowledgement; false when the message was not pending. */
    boolean applyAck(long consumerSeq, long streamSeq) {
        if (consumerSeq <= floorConsumer) {
            return false;
        }
        ConsumerState.Pending acked = pending.get(streamSeq);
        if (acked == null) {
            redelivered.remove(streamSeq);
            return false;
        }
        if (ackMode == AckMode.ALL) {
            floorConsumer = consumerSeq;
            floorStream = streamSeq;
            pending.headMap(streamSeq, true).clear();
            redelivered.keySet().removeIf(s -> s <= streamSeq);
            return true;
        }
        pending.remove(streamSeq);
        long dseq = consumerSeq;
        if (acked.consumerSeq() > 0 && dseq > acked.consumerSeq()) {
            dseq = acked.consumerSeq();
        }
        if (pending.isEmpty()) {
            floorConsumer = deliveredConsumer;
            floorStream = deliveredStream;
        } else if (dseq == floorConsumer + 1) {
            floorConsumer = dseq;
            floorStream = streamSeq;
            advanceFloor();
        }
        if (!redelivered.isEmpty()) {
            redelivered.remove(streamSeq);
        }
        return true;
    }

    /** Moves the floor up to just below the oldest message still pending. */
    private void advanceFloor() {
        Map.Entry<Long, ConsumerState.Pending> oldest = pending.firstEntry();
        if (oldest.getKey() > floorStream + 1 && oldest.getValue().consumerSeq() > 0) {
            floorConsumer = oldest.getValue().consumerSeq() - 1;
            floorStream = oldest.getKey() - 1;
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    void checkOpen() {
        if (closed) {
            throw new StoreException(StoreException.Kind.CLOSED);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                release();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void delete() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                release();
            }
            removeData();
        } finally {
            lock.unlock();
        }
    }
}
