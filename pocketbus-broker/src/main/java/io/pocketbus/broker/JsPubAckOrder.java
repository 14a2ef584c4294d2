package io.pocketbus.broker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each publisher's PubAcks, to their reply subjects, in the order it published. Under sync always a PubAck waits for the fsync
 * that covers its message, and the streams a connection publishes to sync independently (a refusal is
 * not synced at all), so acks become ready out of order. Each publisher's acks that are not sent at once
 * queue up, and an ack goes out once it and every ack before it are ready.
 *
 * <p>A publish hands its ack to a {@link Pending} (from any thread); the publishing thread then calls
 * {@link #published}, before its next publish. An ack ready by then, with nothing of its publisher's
 * queued, joins the publisher's read batch without touching a queue (the default sync mode pays one map
 * lookup) and leaves with it, written by the reader itself when the batch is small, as nats-server writes a
 * PubAck from its read loop. Acks released later by an fsync are written by the releasing thread to an idle
 * connection, else handed to its writer.
 */
final class JsPubAckOrder {
    private static final Logger LOG = LoggerFactory.getLogger(JsPubAckOrder.class);

    private static final byte[] NO_HEADERS = new byte[0];

    private final JsOutput out;
    /** Queued acks per publisher (a connection's router); a queue is dropped once empty. */
    private final ConcurrentHashMap<MessageRouter, Queue> queues = new ConcurrentHashMap<>();

    JsPubAckOrder(JsOutput out) {
        this.out = out;
    }

    /** Receives one publish's PubAck, before or after {@link #published}. */
    static final class Pending implements Consumer<byte[]> {
        /** Null, then the ack (ready first) or the slot (queued first). */
        private final AtomicReference<Object> state = new AtomicReference<>();

        @Override
        public void accept(byte[] ack) {
            if (!state.compareAndSet(null, ack)) {
                ((Slot) state.get()).release(ack);
            }
        }
    }

    /**
     * Called by the publishing thread after the publish that {@code pending} belongs to returned, with the
     * router of its read batch: sends the ack to {@code reply} with that batch or queues it behind the
     * publisher's earlier acks.
     */
    void published(MessageRouter publisher, Pending pending, String reply) {
        Object ready = pending.state.get();
        if (ready instanceof byte[] ack && !queues.containsKey(publisher)) {
            out.reply(publisher, reply, NO_HEADERS, ack);
            return;
        }
        Slot slot = reserve(publisher, reply);
        if (ready instanceof byte[] ack) {
            slot.release(ack);
        } else if (!pending.state.compareAndSet(null, slot)) {
            slot.release((byte[]) pending.state.get());
        }
    }

    private Slot reserve(MessageRouter publisher, String reply) {
        while (true) {
            Queue q = queues.computeIfAbsent(publisher, Queue::new);
            Slot s = q.add(reply);
            if (s != null) {
                return s;
            }
        }
    }

    /** One publisher's acks in publish order. */
    private final class Queue {
        private final MessageRouter publisher;
        private final ReentrantLock lock = new ReentrantLock();
        private final ArrayDeque<Slot> slots = new ArrayDeque<>();
        /** A thread is sending ready acks; others only mark theirs ready and leave it to that thread. */
        private boolean draining;
        /** Removed from the map: a publish must take a new queue. */
        private boolean retired;
        private final Runnable drain = this::drain;

        Queue(MessageRouter publisher) {
            this.publisher = publisher;
        }

        /** A new last place, or null when this queue was retired meanwhile. */
        Slot add(String reply) {
            lock.lock();
            try {
                if (retired) {
                    return null;
                }
                Slot s = new Slot(this, reply);
                slots.add(s);
                return s;
            } finally {
                lock.unlock();
            }
        }

        void drain() {
            lock.lock();
            try {
                if (draining) {
                    return;
                }
                draining = true;
            } finally {
                lock.unlock();
            }
            List<Slot> ready = new ArrayList<>();
            while (true) {
                lock.lock();
                try {
                    while (!slots.isEmpty() && slots.peekFirst().ack != null) {
                        ready.add(slots.pollFirst());
                    }
                    if (ready.isEmpty()) {
                        draining = false;
                        if (slots.isEmpty()) {
                            retired = true;
                            queues.remove(publisher, this);
                        }
                        return;
                    }
                } finally {
                    lock.unlock();
                }
                // Sent outside the lock, the draining flag keeping them in order, and in one batch: the
                // connection is written to or woken once for all of them.
                JsOutput.Batch batch = out.replies();
                try {
                    for (Slot s : ready) {
                        batch.publish(s.reply, "", NO_HEADERS, s.ack);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("sending a PubAck failed", e);
                } finally {
                    batch.flush();
                }
                ready.clear();
            }
        }
    }

    private static final class Slot {
        private final Queue queue;
        private final String reply;
        /** Guarded by the queue's lock. */
        private byte[] ack;

        Slot(Queue queue, String reply) {
            this.queue = queue;
            this.reply = reply;
        }

        void release(byte[] ack) {
            queue.lock.lock();
            try {
                this.ack = ack;
            } finally {
                queue.lock.unlock();
            }
            // Released by an fsync among many: send once all of that group's acks are ready.
            StoreGroupCommit.afterGroup(queue.drain);
        }
    }
}
