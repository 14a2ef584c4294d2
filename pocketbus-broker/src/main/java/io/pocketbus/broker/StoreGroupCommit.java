package io.pocketbus.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for {@link SyncPolicy#ALWAYS}, as a database's write-ahead log does it. Every write gets a
 * ticket (the count of writes so far); whoever needs a write on the disk either blocks ({@link #await}) or
 * leaves an action ({@link #whenDurable}) and goes on. One force runs at a time, on a syncer thread (or on
 * a blocked writer's own thread when nothing was forcing): each force covers every write made before it
 * started, so all the writes made while one force ran share the next. Writers never wait for a force to
 * append, and a force never waits for writers.
 */
final class StoreGroupCommit {

    private static final Logger LOG = LoggerFactory.getLogger(StoreGroupCommit.class);

    /**
     * A virtual thread per run of forces, ending when no write waits: the connections' readers and writers
     * are virtual too, so handing a force over usually costs no operating-system wake-up.
     */
    private static final ThreadFactory SYNCERS = Thread.ofVirtual().name("pocketbus-store-sync").factory();

    /** What the actions of the group being released defer to its end; set on the syncer thread only. */
    private static final ThreadLocal<LinkedHashSet<Runnable>> AFTER_GROUP = new ThreadLocal<>();

    /** The group commits whose forces this thread put off (see {@link #deferForces}). */
    private static final ThreadLocal<LinkedHashSet<StoreGroupCommit>> DEFERRED = new ThreadLocal<>();

    /** Forces everything written so far to the disk and returns the ticket of the newest write it covers. */
    @FunctionalInterface
    interface Force {
        long force() throws IOException;
    }

    private record Action(long ticket, Consumer<Optional<IOException>> then) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    private final Force force;
    private final ArrayDeque<Action> actions = new ArrayDeque<>();
    /** The newest ticket on the disk. */
    private long synced;
    /** The newest ticket anyone waits for. */
    private long wanted;
    private boolean forcing;
    /** A thread is running released actions; later ones queue behind them. */
    private boolean releasing;
    /** Failed forces so far: a blocked writer learns that the force it waited for failed. */
    private long failures;
    private IOException lastFailure;

    StoreGroupCommit(Force force) {
        this.force = force;
    }

    /**
     * Returns once the write with this ticket is on the disk.
     *
     * @throws UncheckedIOException when a force failed meanwhile (the next call tries again)
     */
    void await(long ticket) {
        lock.lock();
        try {
            long failed = failures;
            while (synced < ticket) {
                if (failures != failed) {
                    throw new UncheckedIOException(lastFailure);
                }
                wanted = Math.max(wanted, ticket);
                if (forcing) {
                    done.awaitUninterruptibly();
                    continue;
                }
                // Nothing forcing: this thread must wait anyway, so it forces itself rather than hand over
                // to the syncer and back; writes left for a later force go to the syncer.
                forcing = true;
                lock.unlock();
                try {
                    if (forceOnce()) {
                        SYNCERS.newThread(this::runForces).start();
                    }
                } finally {
                    lock.lock();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code then} once the write with this ticket is on the disk, with the error when the force
     * failed: on this thread when it is already, else on the syncer thread, in ticket order.
     */
    void whenDurable(long ticket, Consumer<Optional<IOException>> then) {
        lock.lock();
        try {
            // Behind actions still waiting or being run, even when durable already: they go first.
            if (synced < ticket || releasing || !actions.isEmpty()) {
                actions.add(new Action(ticket, then));
                demand(ticket);
                return;
            }
        } finally {
            lock.unlock();
        }
        then.accept(Optional.empty());
    }

    /** Called under the lock. */
    private void demand(long ticket) {
        if (synced >= ticket) {
            return;
        }
        wanted = Math.max(wanted, ticket);
        if (!forcing) {
            LinkedHashSet<StoreGroupCommit> deferred = DEFERRED.get();
            if (deferred != null) {
                deferred.add(this);
                return;
            }
            forcing = true;
            SYNCERS.newThread(this::runForces).start();
        }
    }

    /**
     * From now until {@link #forceDeferred} on this thread, a force that {@link #whenDurable} would hand to
     * a syncer waits instead: a connection's reader publishing a read batch decides at its end whether to
     * force itself (nats-server syncs in its read loop) or hand over. A force another thread runs meanwhile
     * still covers these writes.
     */
    static void deferForces() {
        if (DEFERRED.get() == null) {
            DEFERRED.set(new LinkedHashSet<>());
        }
    }

    /**
     * Ends {@link #deferForces}: forces what was put off {@code here}, on this thread (which then releases
     * the waiting actions itself, and hands writes that arrived meanwhile to a syncer), or else hands it to
     * syncers at once.
     */
    static void forceDeferred(boolean here) {
        LinkedHashSet<StoreGroupCommit> deferred = DEFERRED.get();
        if (deferred == null) {
            return;
        }
        DEFERRED.remove();
        for (StoreGroupCommit c : deferred) {
            if (here) {
                c.forceHere();
            } else {
                c.lock.lock();
                try {
                    c.demand(c.wanted);
                } finally {
                    c.lock.unlock();
                }
            }
        }
    }

    private void forceHere() {
        lock.lock();
        try {
            if (forcing || synced >= wanted) {
                // A force under way loops until it covers what is wanted.
                return;
            }
            forcing = true;
        } finally {
            lock.unlock();
        }
        if (forceOnce()) {
            SYNCERS.newThread(this::runForces).start();
        }
    }

    private void runForces() {
        while (forceOnce()) {
            // Writes arrived during the force: the next one covers them all.
        }
    }

    /**
     * Runs one force and then the actions it released; returns whether writes made meanwhile are waited
     * for, in which case this thread still holds the forcing role and must force again or hand it on.
     */
    private boolean forceOnce() {
        boolean again;
        long target = 0;
        IOException failure = null;
        try {
            target = force.force();
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new IOException(e);
        }
        List<Action> ready = new ArrayList<>();
        boolean releaser;
        lock.lock();
        try {
            // While another thread still runs actions, it takes these too once done, keeping the order.
            releaser = !releasing;
            if (failure == null) {
                synced = Math.max(synced, target);
                while (releaser && !actions.isEmpty() && actions.peekFirst().ticket() <= synced) {
                    ready.add(actions.pollFirst());
                }
                again = wanted > synced;
            } else {
                failures++;
                lastFailure = failure;
                ready.addAll(actions);
                actions.clear();
                wanted = synced;
                again = false;
            }
            releaser &= !ready.isEmpty();
            releasing |= releaser;
            forcing = again;
            done.signalAll();
        } finally {
            lock.unlock();
        }
        if (releaser) {
            release(ready, Optional.ofNullable(failure));
        } else {
            Optional<IOException> outcome = Optional.ofNullable(failure);
            ready.forEach(a -> run(() -> a.then().accept(outcome)));
        }
        return again;
    }

    /** Runs released actions, then those queued behind them meanwhile that are durable too, in order. */
    private void release(List<Action> ready, Optional<IOException> outcome) {
        LinkedHashSet<Runnable> after = new LinkedHashSet<>();
        AFTER_GROUP.set(after);
        try {
            Optional<IOException> result = outcome;
            List<Action> batch = ready;
            while (!batch.isEmpty()) {
                for (Action a : batch) {
                    Optional<IOException> r = result;
                    run(() -> a.then().accept(r));
                }
                result = Optional.empty();
                batch = takeDurable();
            }
        } finally {
            AFTER_GROUP.remove();
        }
        after.forEach(StoreGroupCommit::run);
    }

    /** The queued actions already durable; when there are none, releasing ends. */
    private List<Action> takeDurable() {
        List<Action> ready = new ArrayList<>();
        lock.lock();
        try {
            while (!actions.isEmpty() && actions.peekFirst().ticket() <= synced) {
                ready.add(actions.pollFirst());
            }
            releasing = !ready.isEmpty();
            return ready;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code task} once the actions released by the force now completing have all run, once however
     * often it is asked for (by identity): with 1,000 PubAcks released by one fsync, a connection is
     * written to and woken once rather than 1,000 times. Outside such actions it runs at once.
     */
    static void afterGroup(Runnable task) {
        LinkedHashSet<Runnable> after = AFTER_GROUP.get();
        if (after == null) {
            task.run();
        } else {
            after.add(task);
        }
    }

    private static void run(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("action after a group commit failed", e);
        }
    }
}
