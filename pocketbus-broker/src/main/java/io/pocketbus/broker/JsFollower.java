package io.pocketbus.broker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream copying from another stream of the same account (a mirror or a source): one virtual thread
 * that copies whatever the origin has beyond its position whenever the origin stores a message, and
 * every second while the origin does not exist or the copy is refused (limits).
 */
abstract class JsFollower {
    private static final Logger LOG = LoggerFactory.getLogger(JsFollower.class);
    private static final long RETRY = TimeUnit.SECONDS.toNanos(1);

    final JsStream target;
    final String origin;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean signalled;
    private boolean stopped;
    volatile long lastActive;

    JsFollower(JsStream target, String origin) {
        this.target = target;
        this.origin = origin;
    }

    String origin() {
        return origin;
    }

    /** Copies what the origin has beyond the position. */
    abstract void copy();

    void start() {
        Thread.ofVirtual().name("js-follow-" + target.name() + "-" + origin).start(this::run);
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

    boolean isStopped() {
        lock.lock();
        try {
            return stopped;
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
                LOG.warn("stream {} copying from {}: {}", target.name(), origin, e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("stream {} copying from {} failed; retrying", target.name(), origin, e);
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
}
