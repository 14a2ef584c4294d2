package io.pocketbus.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a mirror stream a copy of its origin stream in the same account, with the origin's sequence
 * numbers and timestamps (nats-server's {@code mirror}). One virtual thread copies whatever the origin
 * has beyond the mirror's last sequence; the origin's publishes wake it. The position is the mirror's own
 * last sequence, so a restart resumes exactly where the copy stopped.
 */
final class JsMirror {
    private static final Logger LOG = LoggerFactory.getLogger(JsMirror.class);
    /** How often a mirror whose origin does not exist (yet) looks for it again. */
    private static final long RETRY = TimeUnit.SECONDS.toNanos(1);

    private final JsStream target;
    private final String origin;
    private final long optStartSeq;
    private final long optStartTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean signalled;
    private boolean stopped;
    private volatile long lastActive;

    JsMirror(JsStream target, JsonNode mirror) {
        this.target = target;
        this.origin = mirror.get("name").asText();
        this.optStartSeq = JsJson.getLong(mirror, "opt_start_seq", 0);
        this.optStartTime = JsJson.parseTime(JsJson.getText(mirror, "opt_start_time", ""));
    }

    String origin() {
        return origin;
    }

    void start() {
        Thread.ofVirtual().name("js-mirror-" + target.name()).start(this::run);
    }

    /** The origin stored a message. */
    void signal() {
        lock.lock();
        try {
            signalled = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    void stop() {
        lock.lock();
        try {
            stopped = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            lock.lock();
            try {
                if (stopped) {
                    return;
                }
                signalled = false;
            } finally {
                lock.unlock();
            }
            try {
                copy();
            } catch (StoreException e) {
                if (e.kind() == StoreException.Kind.CLOSED) {
                    return;
                }
                LOG.warn("mirror {} of {}: {}", target.name(), origin, e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("mirror {} of {} failed; retrying", target.name(), origin, e);
            }
            lock.lock();
            try {
                if (!stopped && !signalled) {
                    wake.awaitNanos(RETRY);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Copies everything the origin has past the mirror's last sequence. */
    private void copy() {
        Optional<JsStream> source = target.context().stream(origin);
        if (source.isEmpty()) {
            return;
        }
        StreamStore from = source.get().store();
        long next = target.store().fastState().lastSeq() + 1;
        if (next == 1) {
            if (optStartSeq > 0) {
                next = optStartSeq;
            } else if (optStartTime > 0) {
                next = from.sequenceAt(optStartTime);
            }
        }
        for (Optional<StoredMsg> m = from.loadNextMsg(">", next); m.isPresent() && !isStopped();
                m = from.loadNextMsg(">", m.get().seq() + 1)) {
            target.storeMirrored(m.get());
            lastActive = System.nanoTime();
        }
    }

    private boolean isStopped() {
        lock.lock();
        try {
            return stopped;
        } finally {
            lock.unlock();
        }
    }

    /** The {@code mirror} object of StreamInfo: how far behind the origin the copy is. */
    ObjectNode info() {
        ObjectNode n = JsJson.object();
        n.put("name", origin);
        long originLast = target.context().stream(origin).map(s -> s.store().fastState().lastSeq()).orElse(0L);
        n.put("lag", Math.max(0, originLast - target.store().fastState().lastSeq()));
        long active = lastActive;
        n.put("active", active == 0 ? -1 : System.nanoTime() - active);
        return n;
    }
}
