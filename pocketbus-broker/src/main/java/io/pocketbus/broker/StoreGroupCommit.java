package io.pocketbus.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for {@link SyncPolicy#ALWAYS}: writers that wait at the same time share one fsync. Each
 * write gets a ticket; a writer waits until a force that started after its write has finished. One
 * waiter runs the force while the others wait for it and are released together.
 */
final class StoreGroupCommit {

    /** Forces everything written so far to the disk and returns the ticket of the newest write it covers. */
    @FunctionalInterface
    interface Force {
        long force() throws IOException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    private final Force force;
    private long synced;
    private boolean forcing;

    StoreGroupCommit(Force force) {
        this.force = force;
    }

    /** Returns once the write with this ticket is on the disk. */
    void await(long ticket) {
        lock.lock();
        try {
            while (synced < ticket) {
                if (forcing) {
                    done.awaitUninterruptibly();
                    continue;
                }
                forcing = true;
                long target = -1;
                lock.unlock();
                try {
                    target = force.force();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    lock.lock();
                    forcing = false;
                    synced = Math.max(synced, target);
                    done.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
