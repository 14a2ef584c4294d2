package io.pocketbus.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * A waiting pull request ({@code CONSUMER.MSG.NEXT} or {@code +NXT}): where to deliver, how much is still
 * wanted, and when it ends. Mutable; guarded by its consumer's lock.
 */
final class JsPullRequest {
    final String reply;
    long batch;
    /** Bytes still allowed; 0 means no byte limit. */
    long maxBytes;
    final boolean byteLimited;
    final boolean noWait;
    /** {@link System#nanoTime()} when it expires; 0 for never. */
    final long expiresAt;
    final long heartbeat;
    long lastSent;
    long delivered;

    private JsPullRequest(String reply, long batch, long maxBytes, boolean noWait, long expiresAt, long heartbeat, long now) {
        this.reply = reply;
        this.batch = batch;
        this.maxBytes = maxBytes;
        this.byteLimited = maxBytes > 0;
        this.noWait = noWait;
        this.expiresAt = expiresAt;
        this.heartbeat = heartbeat;
        this.lastSent = now;
    }

    /** A problem with a request, sent back as a status such as {@code 400 Bad Request - …}. */
    static final class Refused extends RuntimeException {
        final String status;

        Refused(String status) {
            super(status);
            this.status = status;
        }
    }

    /**
     * Parses a request body: empty (one message), a bare number (the batch), or the JSON form.
     *
     * @throws Refused with the status nats-server sends for a bad request
     */
    static JsPullRequest parse(byte[] body, String reply, JsConsumerConfig cfg, long now) {
        String text = new String(body, StandardCharsets.UTF_8).trim();
        long batch = 1;
        long expires = 0;
        long maxBytes = 0;
        boolean noWait = false;
        long heartbeat = 0;
        if (!text.isEmpty()) {
            if (text.chars().allMatch(Character::isDigit)) {
                batch = Long.parseLong(text);
            } else {
                ObjectNode o;
                try {
                    o = JsJson.parseObject(body);
                    batch = JsJson.getLong(o, "batch", 1);
                    expires = JsJson.getLong(o, "expires", 0);
                    maxBytes = JsJson.getLong(o, "max_bytes", 0);
                    noWait = JsJson.getBool(o, "no_wait");
                    heartbeat = JsJson.getLong(o, "idle_heartbeat", 0);
                } catch (JetStreamError e) {
                    throw new Refused("400 Bad Request - " + e.description());
                }
                if (heartbeat > 0 && heartbeat * 2 > expires) {
                    throw new Refused("400 Bad Request - heartbeat value too large");
                }
            }
        }
        if (batch <= 0) {
            batch = 1;
        }
        if (cfg.maxBatch > 0 && batch > cfg.maxBatch) {
            throw new Refused("409 Exceeded MaxRequestBatch of " + cfg.maxBatch);
        }
        if (cfg.maxExpires > 0 && (expires == 0 || expires > cfg.maxExpires)) {
            throw new Refused("409 Exceeded MaxRequestExpires of " + java.time.Duration.ofNanos(cfg.maxExpires).toMillis() + "ms");
        }
        if (maxBytes > 0 && cfg.maxBytes > 0 && maxBytes > cfg.maxBytes) {
            throw new Refused("409 Exceeded MaxRequestMaxBytes of " + cfg.maxBytes);
        }
        return new JsPullRequest(reply, batch, Math.max(0, maxBytes), noWait, expires > 0 ? now + expires : 0,
                Math.max(0, heartbeat), now);
    }
}
