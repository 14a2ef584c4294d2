package io.pocketbus.broker;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/** One SUB of one connection: what the sublist stores and delivery renders into MSG lines. */
final class Subscription {
    final ClientConnection client;
    final String subject;
    /** Queue group name, or null for a plain subscription. */
    final String queue;
    final String sid;
    final byte[] sidBytes;
    /** Delivery-time deny filter (a wildcard subscription overlapping a subscribe deny), or null. */
    final PermissionFilter denyFilter;
    /** Set for the server's own forwarding subscriptions (imports), which have no client. */
    final Forwarder forwarder;
    private final AtomicLong delivered = new AtomicLong();
    /** Auto-unsubscribe limit from {@code UNSUB <sid> <max>}; 0 means none. */
    private volatile long max;
    private volatile boolean closed;

    Subscription(ClientConnection client, String subject, String queue, String sid, PermissionFilter denyFilter) {
        this.client = client;
        this.subject = subject;
        this.queue = queue;
        this.sid = sid;
        this.sidBytes = sid.getBytes(StandardCharsets.US_ASCII);
        this.denyFilter = denyFilter;
        this.forwarder = null;
    }

    /** A forwarding subscription owned by the server. */
    Subscription(String subject, Forwarder forwarder) {
        this.client = null;
        this.subject = subject;
        this.queue = null;
        this.sid = "";
        this.sidBytes = new byte[0];
        this.denyFilter = null;
        this.forwarder = forwarder;
    }

    long delivered() {
        return delivered.get();
    }

    boolean closed() {
        return closed;
    }

    void close() {
        closed = true;
    }

    void setMax(long max) {
        this.max = max;
    }

    long max() {
        return max;
    }

    /**
     * Claims one delivery. Returns 0 when the message must be skipped (limit already reached), 1 for a
     * normal delivery, 2 for the final delivery after which the subscription ends.
     */
    int claimDelivery() {
        long limit = max;
        if (limit <= 0) {
            delivered.incrementAndGet();
            return 1;
        }
        long n = delivered.incrementAndGet();
        if (n > limit) {
            return 0;
        }
        return n == limit ? 2 : 1;
    }
}
