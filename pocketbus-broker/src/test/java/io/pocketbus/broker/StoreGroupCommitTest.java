package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StoreGroupCommitTest {

    @Test
    void writersWaitingDuringAForceShareTheNextOne() throws Exception {
        AtomicLong written = new AtomicLong(1);
        AtomicInteger forces = new AtomicInteger();
        CountDownLatch firstForceRunning = new CountDownLatch(1);
        CountDownLatch releaseFirstForce = new CountDownLatch(1);
        StoreGroupCommit commit = new StoreGroupCommit(() -> {
            long covered = written.get();
            if (forces.incrementAndGet() == 1) {
                firstForceRunning.countDown();
                try {
                    releaseFirstForce.await();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
            }
            return covered;
        });

        Thread a = Thread.ofPlatform().start(() -> commit.await(1));
        firstForceRunning.await();
        // Two more writes reach the OS while the first force is still running.
        written.set(3);
        // Whenever they arrive, one force after the running one covers both: 3 writers, 2 forces.
        Thread b = Thread.ofPlatform().start(() -> commit.await(2));
        Thread c = Thread.ofPlatform().start(() -> commit.await(3));
        releaseFirstForce.countDown();
        a.join();
        b.join();
        c.join();

        assertThat(forces.get()).isEqualTo(2);
        commit.await(3);
        assertThat(forces.get()).as("already durable, no new force").isEqualTo(2);
    }

    @Test
    void aFailedForceIsRetriedByTheNextWaiter() {
        AtomicInteger attempts = new AtomicInteger();
        StoreGroupCommit commit = new StoreGroupCommit(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IOException("disk on fire");
            }
            return 1;
        });
        assertThatThrownBy(() -> commit.await(1)).isInstanceOf(UncheckedIOException.class);
        commit.await(1);
        assertThat(attempts.get()).isEqualTo(2);
    }
}
