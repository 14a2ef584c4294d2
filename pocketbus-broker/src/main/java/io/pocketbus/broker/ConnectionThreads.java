package io.pocketbus.broker;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts each connection's reader and writer. The first connections get platform threads: a platform thread
 * blocked in a socket read is woken by the kernel directly, where a virtual thread needs two hand-offs (the
 * JDK's poller thread, then a carrier). On a request/reply path that is two hand-offs saved per hop. A
 * platform thread costs tens of KiB of resident memory, though, so only a bounded number of connections hold
 * them at a time; the rest (thousands of mostly idle ones) run on virtual threads. A connection's slot is
 * freed when both of its threads have ended.
 */
final class ConnectionThreads {
    private final Semaphore platformSlots;

    ConnectionThreads(int platformConnections) {
        this.platformSlots = new Semaphore(platformConnections);
    }

    /** Starts {@code reader} and {@code writer} for connection {@code cid}. */
    void start(long cid, Runnable reader, Runnable writer) {
        String name = "pocketbus-client-" + cid;
        if (!platformSlots.tryAcquire()) {
            Thread.ofVirtual().name(name + "-writer").start(writer);
            Thread.ofVirtual().name(name + "-reader").start(reader);
            return;
        }
        AtomicInteger running = new AtomicInteger(2);
        Thread.Builder platform = Thread.ofPlatform().daemon(true);
        platform.name(name + "-writer").start(() -> runThenRelease(writer, running));
        platform.name(name + "-reader").start(() -> runThenRelease(reader, running));
    }

    /** Connections that may still get platform threads now; for tests. */
    int availablePlatformSlots() {
        return platformSlots.availablePermits();
    }

    private void runThenRelease(Runnable task, AtomicInteger running) {
        try {
            task.run();
        } finally {
            if (running.decrementAndGet() == 0) {
                platformSlots.release();
            }
        }
    }
}
