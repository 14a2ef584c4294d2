package io.pocketbus.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JetStream consumer: pull or push delivery of a stream's messages with nats-server's ack, redelivery,
 * flow control, heartbeat and inactivity rules. One virtual thread per consumer runs deliveries and
 * timers; acks and pull requests come from the publishers' threads and wake it. Progress goes through
 * the {@link ConsumerStore} before it is visible to a client: a delivery is recorded before it is sent,
 * an ack before its confirmation is sent. The store writes records lazily; a confirmation waits until
 * the ack, and everything recorded before it, is as durable as the sync policy asks.
 */
final class JsConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(JsConsumer.class);

    private final JsStream stream;
    private final String name;
    private final ConsumerStore cstore;
    private final long created;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile JsConsumerConfig config;

    private final JsAckTracker pending = new JsAckTracker();
    private final JsPullQueue waiting;
    private final JsFlowControl flowControl;
    private final JsConsumerCursor cursor;
    /** Each delivery's ack subject is built here, after the fixed {@code $JS.ACK.<stream>.<consumer>.}; guarded by the lock. */
    private final byte[] ackReply;
    private final int ackPrefixLength;
    private long dseq;
    private long lastDeliveredStream;
    private long lastActive;
    private long lastDelivery;
    private long noInterestSince;
    private long replayPrevTs;
    private long replayPrevWall;
    /**
     * Set by anyone with news for the loop; the loop parks without holding the lock, so waking it never
     * takes the consumer's lock (a consumer publishing while locked may wake another consumer).
     */
    private final AtomicBoolean signalled = new AtomicBoolean();
    private volatile Thread loop;
    /** A push consumer without interest in its deliver subject: the account's subscription changes wake it. */
    private volatile boolean awaitingInterest;
    /** Sent without acks on an interest or work-queue stream: the stream may drop them after this pass. */
    private final List<Long> releasedByDelivery = new ArrayList<>();
    /** The earliest redelivery deadline set by this pass's deliveries. */
    private long wakeBy = Long.MAX_VALUE;
    /** When the delivery loop will look again unless woken ({@link System#nanoTime()}). */
    private long plannedWake = Long.MIN_VALUE;
    private boolean stopped;

    /**
     * @param fresh true for a new consumer (positions it by its deliver policy), false to resume from the
     *     stored state
     */
    JsConsumer(JsStream stream, String name, JsConsumerConfig config, ConsumerStore cstore, long created, boolean fresh) {
        this.stream = stream;
        this.name = name;
        this.config = config;
        this.cstore = cstore;
        this.created = created;
        long now = System.nanoTime();
        this.waiting = new JsPullQueue(now);
        this.flowControl = new JsFlowControl(stream.name(), name);
        this.lastDelivery = now;
        this.cursor = new JsConsumerCursor(stream.store(), config.filters);
        byte[] prefix = ("$JS.ACK." + stream.name() + "." + name + ".").getBytes(StandardCharsets.UTF_8);
        // five numbers of up to 19 digits and a sign each, and the dots between them
        this.ackReply = Arrays.copyOf(prefix, prefix.length + 5 * 21);
        this.ackPrefixLength = prefix.length;
        if (fresh) {
            long start = cursor.position(config);
            cstore.setStarting(start);
            lastDeliveredStream = start;
        } else {
            ConsumerState st = cstore.state();
            cursor.resume(st.delivered().streamSeq());
            dseq = st.delivered().consumerSeq();
            lastDeliveredStream = st.delivered().streamSeq();
            pending.restore(st, config, now);
        }
    }

    void start() {
        lock.lock();
        try {
            Runnable unwatch = config.isPush() ? stream.context().output().watchInterest(this::interestChanged) : () -> { };
            loop = Thread.ofVirtual().name("js-consumer-" + stream.name() + "-" + name).start(() -> {
                try {
                    run();
                } finally {
                    unwatch.run();
                }
            });
        } finally {
            lock.unlock();
        }
    }

    String name() {
        return name;
    }

    JsConsumerConfig config() {
        return config;
    }

    long created() {
        return created;
    }

    /** Lock-free: streams ask while consumers may be publishing under their own locks. */
    boolean matches(String subject) {
        return cursor.matches(subject);
    }

    /** The stream stored or removed a message. */
    void storeChanged(long msgsDelta, long seq) {
        cursor.storeChanged(msgsDelta, seq);
    }

    /** Whether this consumer no longer needs the message (interest retention). */
    boolean hasAcked(long seq) {
        lock.lock();
        try {
            return seq < cursor.next() && !cursor.inInitialPhase() && !pending.contains(seq);
        } finally {
            lock.unlock();
        }
    }

    /** New messages or state: run the delivery loop again. */
    void signal() {
        wakeLoop();
    }

    /** Subscriptions changed in the account: a push consumer waiting for its deliver subject looks again. */
    private void interestChanged() {
        if (awaitingInterest) {
            wakeLoop();
        }
    }

    private void wakeLoop() {
        signalled.set(true);
        Thread t = loop;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    void updateConfig(JsConsumerConfig next) {
        lock.lock();
        try {
            config = next;
            cursor.setFilters(next.filters);
            wakeLoop();
        } finally {
            lock.unlock();
        }
    }

    void streamPurged() {
        long first = stream.store().fastState().firstSeq();
        lock.lock();
        try {
            pending.forgetBelow(first);
            cursor.purged(first);
            wakeLoop();
        } finally {
            lock.unlock();
        }
    }

    // ---- pull requests and acks ----

    /** A {@code CONSUMER.MSG.NEXT} request with its reply subject. */
    void pull(byte[] body, String reply) {
        if (reply.isEmpty()) {
            return;
        }
        JsOutput out = stream.context().output();
        JsOutput.Batch batch = out.batch();
        List<Long> released = List.of();
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            JsConsumerConfig cfg = config;
            if (cfg.isPush()) {
                out.publish(reply, "", JsHeaders.status("409 Consumer is push based"), new byte[0]);
                return;
            }
            long now = System.nanoTime();
            JsPullRequest req;
            try {
                req = JsPullRequest.parse(body, reply, cfg, now);
            } catch (JsPullRequest.Refused r) {
                out.publish(reply, "", JsHeaders.status(r.status), new byte[0]);
                return;
            }
            if (req.noWait && req.expiresAt == 0 && numPendingLocked() + pending.dueCount() == 0) {
                out.publish(reply, "", JsHeaders.status("404 No Messages"), new byte[0]);
                return;
            }
            if (!waiting.offer(req, cfg.maxWaiting, now)) {
                out.publish(reply, "", JsHeaders.status("409 Exceeded MaxWaiting"), new byte[0]);
                return;
            }
            if (deliverNow(now, batch)) {
                wakeLoop();
            }
            if (!releasedByDelivery.isEmpty()) {
                released = new ArrayList<>(releasedByDelivery);
                releasedByDelivery.clear();
            }
        } finally {
            lock.unlock();
            batch.flush();
        }
        if (!released.isEmpty()) {
            stream.acknowledged(released);
        }
    }

    /**
     * Serves a new pull request at once, on the requester's thread, sparing the hand-off to the delivery
     * loop; returns whether the loop must still look: the request still waits (expiry, heartbeats, more
     * messages), or something falls due before the loop's planned wake-up.
     */
    private boolean deliverNow(long now, JsOutput.Batch batch) {
        wakeBy = Long.MAX_VALUE;
        try {
            long next = deliver(now, batch);
            return waiting.size() > 0 || Math.min(next, wakeBy) < plannedWake;
        } catch (RuntimeException e) {
            // The loop runs the pass again and reports what failed, or stops if the store closed.
            return true;
        }
    }

    /**
     * An acknowledgement on {@code $JS.ACK.<stream>.<consumer>.<dc>.<sseq>.<dseq>.<ts>.<pending>}. The
     * confirmation to {@code reply} is sent only after the ack is stored.
     */
    void ack(long sseq, long ackDseq, byte[] payload, String reply) {
        String verb = "+ACK";
        String arg = "";
        if (!isPlainAck(payload)) {
            verb = new String(payload, StandardCharsets.UTF_8).strip();
            int space = verb.indexOf(' ');
            if (space >= 0) {
                arg = verb.substring(space + 1).strip();
                verb = verb.substring(0, space);
            }
        }
        List<Long> done = new ArrayList<>(1);
        boolean confirm = true;
        // Only an ack that can unblock delivery, a NAK or a new request wakes the loop: waking it for every
        // ack would run a whole delivery pass per ack.
        boolean wake = false;
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            JsConsumerConfig cfg = config;
            switch (verb) {
                case "", "+ACK", "+OK" -> wake = ackLocked(cfg, sseq, ackDseq, done);
                case "+TERM" -> {
                    JsAckTracker.Pending p = pending.get(sseq);
                    long deliveries = p == null ? 0 : p.deliveries();
                    wake = ackLocked(cfg, sseq, ackDseq, done);
                    if (p != null) {
                        JsAdvisory.delivery(stream.context(), "MSG_TERMINATED", "terminated", stream.name(), name, ackDseq, sseq,
                                deliveries, arg);
                    }
                }
                case "+NXT" -> {
                    ackLocked(cfg, sseq, ackDseq, done);
                    confirm = false;
                    wake = true;
                    if (!reply.isEmpty() && !cfg.isPush()) {
                        try {
                            JsPullRequest req = JsPullRequest.parse(arg.getBytes(StandardCharsets.UTF_8), reply, cfg, System.nanoTime());
                            waiting.offer(req, cfg.maxWaiting, System.nanoTime());
                        } catch (JsPullRequest.Refused r) {
                            stream.context().output().publish(reply, "", JsHeaders.status(r.status), new byte[0]);
                        }
                    }
                }
                case "-NAK" -> {
                    JsAckTracker.Pending p = pending.get(sseq);
                    pending.nak(sseq, nakDelay(arg), System.nanoTime());
                    wake = true;
                    if (p != null) {
                        JsAdvisory.delivery(stream.context(), "MSG_NAKED", "nak", stream.name(), name, ackDseq, sseq,
                                p.deliveries(), "");
                    }
                }
                case "+WPI" -> pending.inProgress(sseq, cfg.ackWait, System.nanoTime());
                default -> confirm = false;
            }
            lastActive = JsJson.nowNanos();
            if (wake) {
                wakeLoop();
            }
        } finally {
            lock.unlock();
        }
        if (!done.isEmpty()) {
            stream.acknowledged(done);
        }
        if (confirm && !reply.isEmpty()) {
            // Outside the lock, so concurrent acks share the fsync that sync always asks for.
            cstore.awaitDurable();
            stream.context().output().publish(reply, "", new byte[0], new byte[0]);
        }
    }

    /** An empty payload or {@code +ACK}, give or take surrounding whitespace: nearly every ack, read without decoding. */
    private static boolean isPlainAck(byte[] payload) {
        int from = 0;
        int to = payload.length;
        while (from < to && isWhitespace(payload[from])) {
            from++;
        }
        while (to > from && isWhitespace(payload[to - 1])) {
            to--;
        }
        return to == from || to - from == 4 && payload[from] == '+' && payload[from + 1] == 'A' && payload[from + 2] == 'C'
                && payload[from + 3] == 'K';
    }

    /** ASCII whitespace as {@link String#strip} has it. */
    private static boolean isWhitespace(byte b) {
        return b == ' ' || b >= 0x09 && b <= 0x0D || b >= 0x1C && b <= 0x1F;
    }

    /** Returns whether delivery was held back by {@code max_ack_pending} and may now go on. */
    private boolean ackLocked(JsConsumerConfig cfg, long sseq, long ackDseq, List<Long> done) {
        boolean atLimit = cfg.maxAckPending > 0 && pending.size() >= cfg.maxAckPending;
        pending.ack(cfg.ackPolicy, sseq, ackDseq, cstore, done);
        return atLimit;
    }

    private static long nakDelay(String arg) {
        if (arg.isEmpty()) {
            return 0;
        }
        if (arg.startsWith("{")) {
            try {
                return JsJson.getLong(JsJson.parseObject(arg.getBytes(StandardCharsets.UTF_8)), "delay", 0);
            } catch (JetStreamError e) {
                return 0;
            }
        }
        return JsDurations.parseGo(arg);
    }

    /** A reply on this consumer's current flow-control subject: resume delivery. */
    void flowControlReply(String subject) {
        lock.lock();
        try {
            if (flowControl.answered(subject)) {
                wakeLoop();
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- the delivery loop ----

    private void run() {
        // The messages of a pass go out in one write: the receivers are woken once, after the pass.
        JsOutput.Batch batch = stream.context().output().batch();
        while (true) {
            boolean expired;
            long next;
            List<Long> released = List.of();
            signalled.set(false);
            lock.lock();
            try {
                if (stopped) {
                    return;
                }
                long now = System.nanoTime();
                next = now + TimeUnit.SECONDS.toNanos(1);
                try {
                    wakeBy = Long.MAX_VALUE;
                    next = Math.min(next, timers(now));
                    next = Math.min(next, deliver(now, batch));
                    next = Math.min(next, wakeBy);
                } catch (StoreException e) {
                    if (e.kind() == StoreException.Kind.CLOSED) {
                        return;
                    }
                    LOG.warn("consumer {} > {}: {}", stream.name(), name, e.getMessage());
                } catch (RuntimeException e) {
                    // Keep the consumer alive; the failed pass is retried at the next wake-up.
                    LOG.error("consumer {} > {} delivery failed", stream.name(), name, e);
                }
                if (!releasedByDelivery.isEmpty()) {
                    released = new ArrayList<>(releasedByDelivery);
                    releasedByDelivery.clear();
                }
                expired = inactive(now);
                plannedWake = next;
            } finally {
                lock.unlock();
                batch.flush();
            }
            if (!released.isEmpty()) {
                stream.acknowledged(released);
                continue;
            }
            if (expired) {
                delete();
                return;
            }
            long wait = next - System.nanoTime();
            if (wait > 0 && !signalled.get()) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    /** Redelivery deadlines, pull expiry and heartbeats; returns when to look again. */
    private long timers(long now) {
        JsConsumerConfig cfg = config;
        JsOutput out = stream.context().output();
        long next = Long.MAX_VALUE;
        next = Math.min(next, pending.expire(cfg.maxDeliver, now, (seq, deliveries) -> JsAdvisory.delivery(stream.context(),
                "MAX_DELIVERIES", "max_deliver", stream.name(), name, 0, seq, deliveries, "")));
        next = Math.min(next, waiting.timers(out, heartbeat(), now));
        if (cfg.isPush()) {
            // Raised before looking, so a subscription that arrives after the look still wakes the loop.
            awaitingInterest = true;
            boolean interest = out.hasInterest(cfg.deliverSubject);
            awaitingInterest = !interest;
            if (!interest) {
                if (noInterestSince == 0) {
                    noInterestSince = now;
                }
            } else {
                noInterestSince = 0;
                if (cfg.heartbeat > 0) {
                    if (now - lastDelivery >= cfg.heartbeat) {
                        byte[] hb = heartbeat();
                        if (!flowControl.awaiting().isEmpty()) {
                            hb = JsHeaders.append(hb, "Nats-Consumer-Stalled", flowControl.awaiting());
                        }
                        out.publish(cfg.deliverSubject, "", hb, new byte[0]);
                        lastDelivery = now;
                    }
                    next = Math.min(next, lastDelivery + cfg.heartbeat);
                }
            }
        }
        if (cfg.inactiveThreshold > 0) {
            next = Math.min(next, now + cfg.inactiveThreshold);
        }
        return next;
    }

    private byte[] heartbeat() {
        return JsHeaders.status("100 Idle Heartbeat", "Nats-Last-Consumer", String.valueOf(dseq),
                "Nats-Last-Stream", String.valueOf(lastDeliveredStream));
    }

    private boolean inactive(long now) {
        JsConsumerConfig cfg = config;
        if (cfg.inactiveThreshold <= 0) {
            return false;
        }
        if (cfg.isPush()) {
            return noInterestSince != 0 && now - noInterestSince >= cfg.inactiveThreshold;
        }
        return waiting.idleFor(cfg.inactiveThreshold, now);
    }

    /** Sends whatever can go now; returns when to look again (replay pacing), or far in the future. */
    private long deliver(long now, JsOutput.Batch out) {
        JsConsumerConfig cfg = config;
        StreamStore store = stream.store();
        boolean acking = cfg.ackPolicy != JsConsumerConfig.AckPolicy.NONE;
        while (true) {
            JsPullRequest req = null;
            if (cfg.isPush()) {
                if (noInterestSince != 0 || !out().hasInterest(cfg.deliverSubject)) {
                    return Long.MAX_VALUE;
                }
                if (cfg.flowControl && flowControl.stalled()) {
                    return Long.MAX_VALUE;
                }
            } else {
                req = waiting.peek();
                if (req == null) {
                    return Long.MAX_VALUE;
                }
            }
            StoredMsg m = null;
            JsAckTracker.Pending redelivery = null;
            JsConsumerCursor.Mark mark = cursor.mark();
            for (OptionalLong s = pending.firstDue(); s.isPresent() && m == null; s = pending.firstDue()) {
                Optional<StoredMsg> found = store.loadMsg(s.getAsLong());
                if (found.isPresent()) {
                    m = found.get();
                    redelivery = pending.get(s.getAsLong());
                } else {
                    pending.forget(s.getAsLong());
                }
            }
            if (m == null) {
                if (acking && cfg.maxAckPending > 0 && pending.size() >= cfg.maxAckPending) {
                    endNoWait(false);
                    return Long.MAX_VALUE;
                }
                m = cursor.take().orElse(null);
                if (m == null) {
                    endNoWait(true);
                    return Long.MAX_VALUE;
                }
                if (cfg.replayOriginal && replayPrevTs != 0) {
                    long due = replayPrevWall + Math.max(0, m.timestamp() - replayPrevTs);
                    if (due > now) {
                        return due;
                    }
                }
            }
            int size = m.subject().length() + m.headers().length + m.payload().length;
            if (req != null && req.byteLimited && size > req.maxBytes) {
                out.publish(req.reply, "", JsHeaders.status("409 Message Size Exceeds MaxBytes", "Nats-Pending-Messages",
                        String.valueOf(req.batch), "Nats-Pending-Bytes", String.valueOf(req.maxBytes)), new byte[0]);
                waiting.finishHead(now);
                if (redelivery == null) {
                    // Not delivered: the next request starts from this message again.
                    cursor.reset(mark, m.seq());
                }
                continue;
            }
            send(out, cfg, m, redelivery, req == null ? cfg.deliverSubject : req.reply, now);
            if (req != null) {
                req.batch--;
                req.delivered++;
                req.lastSent = now;
                if (req.byteLimited) {
                    req.maxBytes -= size;
                }
                if (req.batch <= 0 || req.byteLimited && req.maxBytes <= 0) {
                    waiting.finishHead(now);
                }
            }
            if (cfg.flowControl) {
                flowControl.delivered(size).ifPresent(fc -> out.publish(cfg.deliverSubject, fc,
                        JsHeaders.status("100 FlowControl Request"), new byte[0]));
            }
            if (cfg.replayOriginal && redelivery == null) {
                replayPrevTs = m.timestamp();
                replayPrevWall = now;
            }
        }
    }

    /** No message to give: at the end of the stream, no-wait requests end. */
    private void endNoWait(boolean endOfStream) {
        if (endOfStream) {
            waiting.endOfStream(stream.context().output(), System.nanoTime());
        }
    }

    private void send(JsOutput.Batch out, JsConsumerConfig cfg, StoredMsg m, JsAckTracker.Pending redelivery, String to,
            long now) {
        long wall = JsJson.nowNanos();
        dseq++;
        long deliveries = redelivery == null ? 1 : redelivery.deliveries() + 1;
        boolean acking = cfg.ackPolicy != JsConsumerConfig.AckPolicy.NONE;
        cstore.updateDelivered(dseq, m.seq(), acking ? deliveries : 1, wall);
        if (!acking && stream.config().retention != JsStreamConfig.Retention.LIMITS) {
            releasedByDelivery.add(m.seq());
        }
        if (acking) {
            long deadline = pending.delivered(m.seq(), dseq, redelivery, deliveries, now + cfg.redeliveryDelay(deliveries));
            wakeBy = Math.min(wakeBy, deadline);
        }
        lastDeliveredStream = Math.max(lastDeliveredStream, m.seq());
        lastActive = wall;
        lastDelivery = now;
        int replyLength = ackSubject(deliveries, m.seq(), dseq, m.timestamp(), numPendingLocked());
        byte[] headers = m.headers();
        byte[] payload = m.payload();
        if (cfg.headersOnly) {
            headers = JsHeaders.append(headers, "Nats-Msg-Size", String.valueOf(payload.length));
            payload = new byte[0];
        }
        out.deliver(to, m.subject(), ackReply, replyLength, headers, payload);
    }

    /**
     * Writes {@code $JS.ACK.<stream>.<consumer>.<deliveries>.<sseq>.<dseq>.<ts>.<pending>} into
     * {@link #ackReply} after its fixed prefix; returns its length.
     */
    private int ackSubject(long deliveries, long sseq, long cseq, long timestamp, long numPending) {
        int at = ackPrefixLength;
        at = appendNumber(ackReply, at, deliveries);
        ackReply[at++] = '.';
        at = appendNumber(ackReply, at, sseq);
        ackReply[at++] = '.';
        at = appendNumber(ackReply, at, cseq);
        ackReply[at++] = '.';
        at = appendNumber(ackReply, at, timestamp);
        ackReply[at++] = '.';
        return appendNumber(ackReply, at, numPending);
    }

    /** Writes {@code v} in decimal at {@code at}; returns the position after it. */
    private static int appendNumber(byte[] b, int at, long v) {
        if (v < 0) {
            // Only a timestamp before 1970 could be; Long.MIN_VALUE has no positive twin and is clamped.
            b[at++] = '-';
            v = v == Long.MIN_VALUE ? Long.MAX_VALUE : -v;
        }
        int digits = 1;
        for (long x = v; x >= 10; x /= 10) {
            digits++;
        }
        for (int i = at + digits - 1; i >= at; i--) {
            b[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return at + digits;
    }

    /** Messages matching the filter not delivered yet. */
    private long numPendingLocked() {
        return cursor.pending();
    }

    // ---- lifecycle and info ----

    /** Stops delivering (shutdown); the state stays. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            wakeLoop();
        } finally {
            lock.unlock();
        }
        cstore.close();
    }

    /** Deletes the consumer: waiting pulls get {@code 409 Consumer Deleted}, its state is removed. */
    void delete() {
        List<String> replies = new ArrayList<>();
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            stopped = true;
            replies.addAll(waiting.drain());
            wakeLoop();
        } finally {
            lock.unlock();
        }
        for (String reply : replies) {
            stream.context().output().publish(reply, "", JsHeaders.status("409 Consumer Deleted"), new byte[0]);
        }
        cstore.delete();
        stream.consumerGone(this);
        JsAdvisory.consumerAction(stream.context(), stream.name(), name, "delete");
    }

    boolean isStopped() {
        lock.lock();
        try {
            return stopped;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a push consumer's deliver subject has a subscriber. */
    boolean pushBound() {
        JsConsumerConfig cfg = config;
        return cfg.isPush() && stream.context().output().hasInterest(cfg.deliverSubject);
    }

    ObjectNode info() {
        lock.lock();
        try {
            JsConsumerConfig cfg = config;
            ConsumerState st = cstore.state();
            ObjectNode n = JsJson.object();
            n.put("stream_name", stream.name());
            n.put("name", name);
            n.put("created", JsJson.time(created));
            n.set("config", cfg.json.deepCopy());
            ObjectNode delivered = n.putObject("delivered");
            delivered.put("consumer_seq", dseq);
            delivered.put("stream_seq", lastDeliveredStream);
            if (lastActive != 0) {
                delivered.put("last_active", JsJson.time(lastActive));
            }
            ObjectNode floor = n.putObject("ack_floor");
            floor.put("consumer_seq", st.ackFloor().consumerSeq());
            floor.put("stream_seq", st.ackFloor().streamSeq());
            n.put("num_ack_pending", pending.size());
            n.put("num_redelivered", pending.redelivered());
            n.put("num_waiting", waiting.size());
            n.put("num_pending", numPendingLocked());
            if (cfg.isPush() && out().hasInterest(cfg.deliverSubject)) {
                n.put("push_bound", true);
            }
            n.put("ts", JsJson.time(JsJson.nowNanos()));
            return n;
        } finally {
            lock.unlock();
        }
    }

    private JsOutput out() {
        return stream.context().output();
    }
}
