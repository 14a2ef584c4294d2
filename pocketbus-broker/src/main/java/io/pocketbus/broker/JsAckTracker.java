package io.pocketbus.broker;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A consumer's unacknowledged deliveries: when each is due for redelivery (ack_wait or backoff, NAK
 * delays, WPI extensions), which are due now, and how acks remove them. Every ack goes to the
 * {@link ConsumerStore} before the tracker forgets the message. Guarded by the consumer's lock.
 */
final class JsAckTracker {
    private final TreeMap<Long, Pending> pending = new TreeMap<>();
    private final TreeSet<Long> due = new TreeSet<>();

    /** One unacknowledged message: its first consumer sequence, how often it went out, when it is due. */
    static final class Pending {
        final long cseq;
        long deliveries;
        long deadline;

        Pending(long cseq, long deliveries, long deadline) {
            this.cseq = cseq;
            this.deliveries = deliveries;
            this.deadline = deadline;
        }

        long deliveries() {
            return deliveries;
        }
    }

    /** Loads the pending messages of a stored consumer; each is due one redelivery delay from now. */
    void restore(ConsumerState st, JsConsumerConfig cfg, long now) {
        for (Map.Entry<Long, ConsumerState.Pending> e : st.pending().entrySet()) {
            long deliveries = 1 + st.redelivered().getOrDefault(e.getKey(), 0L);
            pending.put(e.getKey(), new Pending(e.getValue().consumerSeq(), deliveries, now + cfg.redeliveryDelay(deliveries)));
        }
    }

    int size() {
        return pending.size();
    }

    boolean contains(long seq) {
        return pending.containsKey(seq);
    }

    long redelivered() {
        return pending.values().stream().filter(p -> p.deliveries > 1).count();
    }

    int dueCount() {
        return due.size();
    }

    /** The lowest stream sequence due for redelivery. */
    OptionalLong firstDue() {
        return due.isEmpty() ? OptionalLong.empty() : OptionalLong.of(due.first());
    }

    Pending get(long seq) {
        return pending.get(seq);
    }

    /** The message is gone from the stream: nothing to redeliver or acknowledge. */
    void forget(long seq) {
        due.remove(seq);
        pending.remove(seq);
    }

    /** Forgets everything below {@code first} (purged). */
    void forgetBelow(long first) {
        pending.headMap(first).clear();
        due.headSet(first).clear();
    }

    /** Records a (re)delivery; returns its new deadline. */
    long delivered(long seq, long cseq, Pending redelivery, long deliveries, long deadline) {
        if (redelivery == null) {
            pending.put(seq, new Pending(cseq, deliveries, deadline));
        } else {
            redelivery.deliveries = deliveries;
            redelivery.deadline = deadline;
            due.remove(seq);
        }
        return deadline;
    }

    /** Told about a message that reached max_deliver: its stream sequence and delivery count. */
    interface Exceeded {
        void maxDeliveries(long seq, long deliveries);
    }

    /** Moves messages whose deadline passed to the due set; returns the next deadline. */
    long expire(long maxDeliver, long now, Exceeded exceeded) {
        long next = Long.MAX_VALUE;
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (p.deadline == Long.MAX_VALUE || due.contains(e.getKey())) {
                continue;
            }
            if (p.deadline <= now) {
                if (maxDeliver > 0 && p.deliveries >= maxDeliver) {
                    // Delivered max_deliver times: it stays pending but is never sent again.
                    p.deadline = Long.MAX_VALUE;
                    exceeded.maxDeliveries(e.getKey(), p.deliveries);
                } else {
                    due.add(e.getKey());
                }
            } else {
                next = Math.min(next, p.deadline);
            }
        }
        return next;
    }

    /** {@code -NAK}: redeliver now, or after {@code delay} nanoseconds. */
    void nak(long seq, long delay, long now) {
        Pending p = pending.get(seq);
        if (p == null) {
            return;
        }
        if (delay <= 0) {
            p.deadline = now;
            due.add(seq);
        } else {
            due.remove(seq);
            p.deadline = now + delay;
        }
    }

    /** {@code +WPI}: the client is still working on it; restart its ack wait. */
    void inProgress(long seq, long ackWait, long now) {
        Pending p = pending.get(seq);
        if (p != null && !due.contains(seq)) {
            p.deadline = now + ackWait;
        }
    }

    /**
     * An ack (or {@code +TERM}) of stream sequence {@code seq} delivered as {@code ackDseq}: stores it, then
     * forgets the acknowledged messages and adds them to {@code done}. Acks of unknown messages are ignored.
     */
    void ack(JsConsumerConfig.AckPolicy policy, long seq, long ackDseq, ConsumerStore store, List<Long> done) {
        Pending p = policy == JsConsumerConfig.AckPolicy.NONE ? null : pending.get(seq);
        if (p == null) {
            return;
        }
        if (policy == JsConsumerConfig.AckPolicy.ALL) {
            store.updateAcks(ackDseq, seq);
            Iterator<Long> it = pending.headMap(seq, true).keySet().iterator();
            while (it.hasNext()) {
                long s = it.next();
                done.add(s);
                due.remove(s);
                it.remove();
            }
            return;
        }
        // Stored first: if the store refuses, the message stays pending here and is redelivered.
        store.updateAcks(p.cseq, seq);
        pending.remove(seq);
        if (!due.isEmpty()) {
            due.remove(seq);
        }
        done.add(seq);
    }
}
