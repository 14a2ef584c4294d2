package io.pocketbus.tools.cron;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * PocketBase's cron scheduler: jobs keyed by id, checked at the start of every minute (UTC); each due job runs
 * on its own virtual thread, so a slow job never delays the others or the next tick.
 */
public final class Cron {
    private final Clock clock;
    private final Consumer<Throwable> onError;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopped = lock.newCondition();
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private Thread ticker;

    private Cron(Clock clock, Consumer<Throwable> onError) {
        this.clock = clock;
        this.onError = onError;
    }

    /** A scheduler on the system UTC clock; {@code onError} sees what a job throws. */
    public static Cron create(Consumer<Throwable> onError) {
        return new Cron(Clock.systemUTC(), onError);
    }

    /** A scheduler on {@code clock} (tests). */
    public static Cron create(Clock clock, Consumer<Throwable> onError) {
        return new Cron(clock, onError);
    }

    /** Registers (or replaces) job {@code id}; an invalid expression throws {@link IllegalArgumentException}. */
    public void add(String id, String expression, Runnable action) {
        Job job = new Job(id, expression, Schedule.parse(expression), action);
        lock.lock();
        try {
            jobs.put(id, job);
        } finally {
            lock.unlock();
        }
    }

    public void remove(String id) {
        lock.lock();
        try {
            jobs.remove(id);
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot of the registered jobs, in registration order. */
    public List<Job> jobs() {
        lock.lock();
        try {
            return List.copyOf(jobs.values());
        } finally {
            lock.unlock();
        }
    }

    /** Starts the minute ticker; a second call does nothing. */
    public void start() {
        lock.lock();
        try {
            if (ticker == null) {
                ticker = Thread.ofVirtual().name("pocketbus-cron").start(this::tickLoop);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops the ticker; jobs already running finish on their own. */
    public void stop() {
        lock.lock();
        try {
            ticker = null;
            stopped.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean hasStarted() {
        lock.lock();
        try {
            return ticker != null;
        } finally {
            lock.unlock();
        }
    }

    /** Starts every job due at {@code moment}'s minute, each on its own virtual thread; returns them. */
    public List<Thread> runDue(LocalDateTime moment) {
        List<Thread> started = new ArrayList<>();
        for (Job job : jobs()) {
            if (job.schedule().isDue(moment)) {
                started.add(Thread.ofVirtual().name("pocketbus-cron-" + job.id()).start(() -> runSafely(job)));
            }
        }
        return started;
    }

    private void runSafely(Job job) {
        try {
            job.run();
        } catch (RuntimeException e) {
            onError.accept(e);
        }
    }

    private void tickLoop() {
        Thread self = Thread.currentThread();
        while (true) {
            Instant now = clock.instant();
            Instant next = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
            lock.lock();
            try {
                long waitNanos = Duration.between(now, next).toNanos();
                while (ticker == self && waitNanos > 0) {
                    waitNanos = stopped.awaitNanos(waitNanos);
                }
                if (ticker != self) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            runDue(LocalDateTime.ofInstant(next, ZoneOffset.UTC));
        }
    }
}
