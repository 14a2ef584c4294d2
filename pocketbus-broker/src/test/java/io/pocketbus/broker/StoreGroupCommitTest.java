package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StoreGroupCommitTest {

    /** A force covering what was written when it began; the first one holds until released. */
    private static final class HeldFirstForce {
        final AtomicLong written = new AtomicLong(1);
        final AtomicInteger forces = new AtomicInteger();
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        long force() throws IOException {
            long covered = written.get();
            if (forces.incrementAndGet() == 1) {
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
            }
            return covered;
        }
    }

    @Test
    void writersWaitingDuringAForceShareTheNextOne() throws Exception {
        HeldFirstForce held = new HeldFirstForce();
        StoreGroupCommit commit = new StoreGroupCommit(held::force);

        Thread a = Thread.ofPlatform().start(() -> commit.await(1));
        held.running.await();
        // Two more writes reach the OS while the first force is still running.
        held.written.set(3);
        // Whenever they arrive, one force after the running one covers both: 3 writers, 2 forces.
        Thread b = Thread.ofPlatform().start(() -> commit.await(2));
        Thread c = Thread.ofPlatform().start(() -> commit.await(3));
        held.release.countDown();
        a.join();
        b.join();
        c.join();

        assertThat(held.forces.get()).isEqualTo(2);
        commit.await(3);
        assertThat(held.forces.get()).as("already durable, no new force").isEqualTo(2);
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

    @Test
    void actionsLeftDuringAForceRunAfterTheNextOneInTicketOrder() throws Exception {
        HeldFirstForce held = new HeldFirstForce();
        StoreGroupCommit commit = new StoreGroupCommit(held::force);
        List<Long> done = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(4);
        commit.whenDurable(1, failure -> {
            assertThat(failure).isEmpty();
            done.add(1L);
            all.countDown();
        });
        held.running.await();
        // The writer goes on appending while the force runs; none of these waits.
        for (long t = 2; t <= 4; t++) {
            held.written.set(t);
            long ticket = t;
            commit.whenDurable(ticket, failure -> {
                done.add(ticket);
                all.countDown();
            });
        }
        assertThat(done).isEmpty();
        held.release.countDown();
        assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(done).containsExactly(1L, 2L, 3L, 4L);
        assertThat(held.forces.get()).as("one force for the first write, one for the three made during it").isEqualTo(2);
        List<String> ranOn = new ArrayList<>();
        commit.whenDurable(4, failure -> ranOn.add(Thread.currentThread().getName()));
        assertThat(ranOn).as("already durable: runs at once, on the caller").containsExactly(Thread.currentThread().getName());
    }

    @Test
    void aFailedForceHandsItsErrorToTheWaitingActions() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        StoreGroupCommit commit = new StoreGroupCommit(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IOException("disk on fire");
            }
            return 2;
        });
        CompletableFuture<Optional<IOException>> first = new CompletableFuture<>();
        commit.whenDurable(1, first::complete);
        assertThat(first.get(10, TimeUnit.SECONDS)).hasValueSatisfying(e -> assertThat(e).hasMessage("disk on fire"));
        CompletableFuture<Optional<IOException>> second = new CompletableFuture<>();
        commit.whenDurable(2, second::complete);
        assertThat(second.get(10, TimeUnit.SECONDS)).isEmpty();
    }
    @Test
    void aDeferredForceRunsOnTheDeferringThreadAtTheEndOfItsBatch() {
        AtomicInteger forces = new AtomicInteger();
        AtomicLong written = new AtomicLong(2);
        List<String> forcedOn = new CopyOnWriteArrayList<>();
        StoreGroupCommit commit = new StoreGroupCommit(() -> {
            forces.incrementAndGet();
            forcedOn.add(Thread.currentThread().getName());
            return written.get();
        });
        List<String> releasedOn = new ArrayList<>();
        StoreGroupCommit.deferForces();
        commit.whenDurable(1, failure -> releasedOn.add("1 on " + Thread.currentThread().getName()));
        commit.whenDurable(2, failure -> releasedOn.add("2 on " + Thread.currentThread().getName()));
        assertThat(forces.get()).as("put off until the batch ends").isZero();

        StoreGroupCommit.forceDeferred(true);
        String self = Thread.currentThread().getName();
        assertThat(forcedOn).as("one force for the batch, on its thread").containsExactly(self);
        assertThat(releasedOn).containsExactly("1 on " + self, "2 on " + self);

        // Deferring ended with the batch: the next write's force goes to a syncer.
        written.set(3);
        CompletableFuture<Optional<IOException>> next = new CompletableFuture<>();
        commit.whenDurable(3, next::complete);
        assertThat(next).succeedsWithin(10, TimeUnit.SECONDS);
    }

    @Test
    void aDeferredForceNotRunHereGoesToASyncer() throws Exception {
        AtomicLong written = new AtomicLong(1);
        StoreGroupCommit commit = new StoreGroupCommit(written::get);
        CompletableFuture<String> released = new CompletableFuture<>();
        StoreGroupCommit.deferForces();
        commit.whenDurable(1, failure -> released.complete(Thread.currentThread().getName()));
        StoreGroupCommit.forceDeferred(false);
        assertThat(released.get(10, TimeUnit.SECONDS)).isNotEqualTo(Thread.currentThread().getName());
    }

    @Test
    void aForceUnderWayCoversADeferredWrite() throws Exception {
        HeldFirstForce held = new HeldFirstForce();
        StoreGroupCommit commit = new StoreGroupCommit(held::force);
        CompletableFuture<Optional<IOException>> first = new CompletableFuture<>();
        commit.whenDurable(1, first::complete);
        held.running.await();
        held.written.set(2);
        CompletableFuture<Optional<IOException>> deferred = new CompletableFuture<>();
        StoreGroupCommit.deferForces();
        commit.whenDurable(2, deferred::complete);
        // The syncer's force is still running: this thread leaves the write to its next force.
        StoreGroupCommit.forceDeferred(true);
        assertThat(deferred).isNotDone();
        held.release.countDown();
        assertThat(deferred.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(held.forces.get()).isEqualTo(2);
    }
}
