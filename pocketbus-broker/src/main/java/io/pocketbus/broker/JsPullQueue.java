package io.pocketbus.broker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A pull consumer's waiting requests, oldest first, and how they end: expiry ({@code 408}), lost interest
 * (dropped silently), no-wait at the end of the stream ({@code 404}), idle heartbeats while they wait.
 * Guarded by the consumer's lock.
 */
final class JsPullQueue {
    private final ArrayDeque<JsPullRequest> waiting = new ArrayDeque<>();
    /** {@link System#nanoTime()} when a request last arrived or ended, for inactivity. */
    private long lastActivity;

    JsPullQueue(long now) {
        this.lastActivity = now;
    }

    /** Queues a request; false when {@code max_waiting} requests are already waiting. */
    boolean offer(JsPullRequest req, long maxWaiting, long now) {
        lastActivity = now;
        if (waiting.size() >= maxWaiting) {
            return false;
        }
        waiting.add(req);
        return true;
    }

    JsPullRequest peek() {
        return waiting.peek();
    }

    /** The head request is done (batch filled, bytes used up, or refused). */
    void finishHead(long now) {
        waiting.poll();
        lastActivity = now;
    }

    int size() {
        return waiting.size();
    }

    /** Idle long enough to count as inactive: nothing waiting since {@code threshold}. */
    boolean idleFor(long threshold, long now) {
        return waiting.isEmpty() && now - lastActivity >= threshold;
    }

    /**
     * Ends expired requests with {@code 408 Request Timeout}, drops those whose requester went away, and
     * sends due heartbeats; returns when to look again.
     */
    long timers(JsOutput out, byte[] heartbeat, long now) {
        long next = Long.MAX_VALUE;
        Iterator<JsPullRequest> it = waiting.iterator();
        while (it.hasNext()) {
            JsPullRequest r = it.next();
            if (r.expiresAt != 0 && r.expiresAt <= now) {
                out.publish(r.reply, "", JsHeaders.status("408 Request Timeout", "Nats-Pending-Messages",
                        String.valueOf(r.batch), "Nats-Pending-Bytes", String.valueOf(r.maxBytes)), new byte[0]);
                it.remove();
                lastActivity = now;
                continue;
            }
            if (!out.hasInterest(r.reply)) {
                it.remove();
                lastActivity = now;
                continue;
            }
            if (r.expiresAt != 0) {
                next = Math.min(next, r.expiresAt);
            }
            if (r.heartbeat > 0) {
                if (now - r.lastSent >= r.heartbeat) {
                    out.publish(r.reply, "", heartbeat, new byte[0]);
                    r.lastSent = now;
                }
                next = Math.min(next, r.lastSent + r.heartbeat);
            }
        }
        return next;
    }

    /** The stream has nothing more: no-wait requests end (404, or keep waiting for their expiry if they got none). */
    void endOfStream(JsOutput out, long now) {
        Iterator<JsPullRequest> it = waiting.iterator();
        while (it.hasNext()) {
            JsPullRequest r = it.next();
            if (r.noWait && (r.expiresAt == 0 || r.delivered > 0)) {
                out.publish(r.reply, "", JsHeaders.status("404 No Messages"), new byte[0]);
                it.remove();
                lastActivity = now;
            }
        }
    }

    /** Removes every request and returns their reply subjects (the consumer is being deleted). */
    List<String> drain() {
        List<String> replies = new ArrayList<>();
        waiting.forEach(r -> replies.add(r.reply));
        waiting.clear();
        return replies;
    }
}
