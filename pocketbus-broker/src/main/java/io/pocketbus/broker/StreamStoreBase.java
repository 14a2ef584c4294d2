package io.pocketbus.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the memory and file stores share: the index, the limits (applied inside the store as nats-server
 * does), max-age expiry, update listeners and consumer stores. Subclasses say where message bytes live
 * and how changes become durable, through the hooks below, all called under {@link #lock}.
 */
abstract class StreamStoreBase implements StreamStore {

    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pocketbus-store-timers");
        t.setDaemon(true);
        return t;
    });

    /** How a removal is made durable. */
    enum Removal {
        /** Record that this message is gone. */
        TOMBSTONE,
        /** Record it and overwrite the message's bytes. */
        ERASE,
        /** A later {@link #persistFirst} covers it; only bookkeeping is needed. */
        COVERED
    }

    private record Event(long msgs, long bytes, long seq, String subject) {
    }

    final ReentrantLock lock = new ReentrantLock();
    final StoreIndex index;
    final LongSupplier clock;
    private StoreConfig config;
    private final List<StoreUpdateListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final Map<String, ConsumerStoreBase> consumers = new HashMap<>();
    private ScheduledFuture<?> ageTimer;
    /**
     * The filter of the last {@link #loadNextMsg(String, long)}, which consumers call once per message with
     * their own filter: built once, not per call. Immutable, so read and replaced without the lock.
     */
    private volatile StoreFilter recentFilter = StoreFilter.ALL;
    private boolean closed;
    private StoreException failure;

    StreamStoreBase(StoreIndex index, StoreConfig config, LongSupplier clock) {
        this.index = index;
        this.config = config;
        this.clock = clock;
    }

    /** The accounted size of a message ({@code bytes} in the stream state). */
    abstract long msgSize(String subject, byte[] headers, byte[] payload);

    /** Stores a message's bytes and adds it to the index. */
    abstract void append(long seq, String subject, byte[] headers, byte[] payload, long timestamp, long size);

    /** Reads a live message. */
    abstract StoredMsg read(long seq);

    /** Called after a message left the index. */
    abstract void persistRemove(StoreIndex.Removed removed, Removal how);

    /** Records that no message below {@code firstSeq} exists and the last sequence is at least firstSeq-1. */
    abstract void persistFirst(long firstSeq);

    abstract void persistSkip(long seq, long count);

    /** Ends a mutation: writes what is buffered to the OS and returns a ticket for {@link #awaitDurable}. */
    abstract long commitLocked();

    /** Waits, without the lock, until the writes up to the ticket are as durable as the policy asks. */
    abstract void awaitDurable(long ticket);

    abstract ConsumerStoreBase openConsumer(String name, ConsumerStore.AckMode ackMode);

    /** Releases files and other resources; called once, under the lock. */
    abstract void release();

    abstract void removeData();

    // ---- mutations ----

    @Override
    public long store(String subject, byte[] headers, byte[] payload, long timestamp) {
        Appended a = storeDeferred(subject, headers, payload, timestamp);
        awaitDurable(a.ticket());
        return a.seq();
    }

    @Override
    public Appended storeDeferred(String subject, byte[] headers, byte[] payload, long timestamp) {
        if (subject.isEmpty()) {
            throw new IllegalArgumentException("empty subject");
        }
        Mutation<Long> m = mutateNoWait(() -> {
            long size = msgSize(subject, headers, payload);
            checkDiscardNew(subject, size);
            long seq = index.last() + 1;
            append(seq, subject, headers, payload, timestamp, size);
            events.add(new Event(1, size, seq, subject));
            enforcePerSubjectLimit(subject);
            enforceMsgAndByteLimits();
            armAgeTimer();
            return seq;
        });
        return new Appended(m.result(), m.ticket());
    }

    private void checkDiscardNew(String subject, long size) {
        if (config.discard() != StoreConfig.Discard.NEW) {
            return;
        }
        StoreIndex.Subject s = config.limitsPerSubject() ? index.subjectState(subject) : null;
        boolean atSubjectLimit = s != null && s.msgs >= config.maxMsgsPerSubject();
        if (atSubjectLimit && config.discardNewPerSubject()) {
            throw new StoreException(StoreException.Kind.MAX_MSGS_PER_SUBJECT);
        }
        // At the subject limit the new message replaces the subject's oldest, so totals do not grow.
        if (config.limitsMsgs() && index.msgs() >= config.maxMsgs() && !atSubjectLimit) {
            throw new StoreException(StoreException.Kind.MAX_MSGS);
        }
        if (config.limitsBytes() && index.bytes() + size >= config.maxBytes()
                && (!atSubjectLimit || index.size(s.first) < size)) {
            throw new StoreException(StoreException.Kind.MAX_BYTES);
        }
    }

    private void enforcePerSubjectLimit(String subject) {
        if (!config.limitsPerSubject()) {
            return;
        }
        StoreIndex.Subject s = index.subjectState(subject);
        while (s != null && s.msgs > config.maxMsgsPerSubject()) {
            removeLocked(s.first, Removal.TOMBSTONE);
            s = index.subjectState(subject);
        }
    }

    private void enforceMsgAndByteLimits() {
        while (config.limitsMsgs() && index.msgs() > config.maxMsgs()) {
            removeLocked(index.first(), Removal.TOMBSTONE);
        }
        while (config.limitsBytes() && index.bytes() > config.maxBytes()) {
            removeLocked(index.first(), Removal.TOMBSTONE);
        }
    }

    boolean removeLocked(long seq, Removal how) {
        StoreIndex.Removed removed = index.remove(seq);
        if (removed == null) {
            return false;
        }
        persistRemove(removed, how);
        if (how != Removal.COVERED) {
            events.add(new Event(-1, -removed.size(), seq, removed.subject()));
        }
        return true;
    }

    @Override
    public long skipMsg() {
        return mutate(() -> {
            long seq = index.last() + 1;
            index.skip(seq, clock.getAsLong());
            persistSkip(seq, 1);
            return seq;
        });
    }

    @Override
    public void skipMsgs(long seq, long count) {
        mutate(() -> {
            if (seq != index.last() + 1) {
                throw new StoreException(StoreException.Kind.SEQUENCE_MISMATCH);
            }
            if (count > 0) {
                index.skip(seq + count - 1, clock.getAsLong());
                persistSkip(seq, count);
            }
            return null;
        });
    }

    @Override
    public boolean removeMsg(long seq) {
        return mutate(() -> removeLocked(seq, Removal.TOMBSTONE));
    }

    @Override
    public boolean eraseMsg(long seq) {
        return mutate(() -> removeLocked(seq, Removal.ERASE));
    }

    @Override
    public long purge() {
        return mutate(() -> compactLocked(index.last() + 1));
    }

    @Override
    public long compact(long seq) {
        return mutate(() -> compactLocked(seq));
    }

    private long compactLocked(long seq) {
        if (seq <= index.first() && seq <= index.last() + 1) {
            return 0;
        }
        long count = 0;
        long bytes = 0;
        for (long s = index.nextLive(0); s != -1 && s < seq; s = index.nextLive(s + 1)) {
            bytes += index.size(s);
            removeLocked(s, Removal.COVERED);
            count++;
        }
        if (index.msgs() == 0) {
            index.skip(Math.max(index.last(), seq - 1), index.lastTimestamp());
        }
        persistFirst(seq);
        if (count > 0) {
            events.add(new Event(-count, -bytes, 0, ""));
        }
        return count;
    }

    @Override
    public long purge(String filter, long upToSeq, long keep) {
        if (StoreFilter.matchesAll(filter)) {
            if (upToSeq > 1) {
                return compact(upToSeq);
            }
            if (keep > 0) {
                return mutate(() -> keep >= index.msgs() ? 0 : compactLocked(index.last() - keep + 1));
            }
            return upToSeq == 0 ? purge() : 0;
        }
        return mutate(() -> {
            StoreSubjectState matching = index.filteredState(0, StoreFilter.of(filter));
            if (matching.msgs() == 0 || keep >= matching.msgs() && keep > 0) {
                return 0L;
            }
            long toPurge = keep > 0 ? matching.msgs() - keep : matching.msgs();
            long end = upToSeq > 1 ? upToSeq - 1 : matching.last();
            Map<String, Boolean> verdicts = new HashMap<>();
            long purged = 0;
            for (long s = index.nextLive(matching.first()); s != -1 && s <= end && purged < toPurge;
                    s = index.nextLive(s + 1)) {
                if (verdicts.computeIfAbsent(index.subject(s), subj -> StoreFilter.matches(filter, subj))) {
                    removeLocked(s, Removal.TOMBSTONE);
                    purged++;
                }
            }
            return purged;
        });
    }

    @Override
    public void updateConfig(StoreConfig newConfig) {
        mutate(() -> {
            config = newConfig;
            if (config.limitsPerSubject()) {
                for (StoreIndex.Subject s : index.matchingSubjects(StoreFilter.ALL)) {
                    if (s.msgs > config.maxMsgsPerSubject()) {
                        enforcePerSubjectLimit(s.name);
                    }
                }
            }
            enforceMsgAndByteLimits();
            if (ageTimer != null) {
                ageTimer.cancel(false);
                ageTimer = null;
            }
            expireLocked();
            armAgeTimer();
            return null;
        });
    }

    // ---- max age ----

    private void expireLocked() {
        long maxAge = config.maxAge().toNanos();
        if (maxAge <= 0) {
            return;
        }
        long cutoff = clock.getAsLong() - maxAge;
        while (index.msgs() > 0 && index.firstTimestamp() <= cutoff) {
            removeLocked(index.first(), Removal.TOMBSTONE);
        }
    }

    private void armAgeTimer() {
        long maxAge = config.maxAge().toNanos();
        if (maxAge <= 0 || index.msgs() == 0 || ageTimer != null) {
            return;
        }
        long delay = Math.max(0, index.firstTimestamp() + maxAge - clock.getAsLong());
        ageTimer = TIMERS.schedule(this::onAgeTimer, delay, TimeUnit.NANOSECONDS);
    }

    private void onAgeTimer() {
        List<Event> fired = List.of();
        long ticket = 0;
        lock.lock();
        try {
            ageTimer = null;
            if (closed) {
                return;
            }
            expireLocked();
            armAgeTimer();
            ticket = commitLocked();
        } finally {
            fired = drainEvents();
            lock.unlock();
            fire(fired);
        }
        awaitDurable(ticket);
    }

    // ---- reads ----

    @Override
    public Optional<StoredMsg> loadMsg(long seq) {
        return locked(() -> index.isLive(seq) ? Optional.of(read(seq)) : Optional.empty());
    }

    @Override
    public Optional<StoredMsg> loadLastMsg(String filter) {
        return locked(() -> {
            long seq = index.lastMatching(StoreFilter.of(filter));
            return seq == -1 ? Optional.empty() : Optional.of(read(seq));
        });
    }

    @Override
    public Optional<StoredMsg> loadNextMsg(String filter, long start) {
        StoreFilter f = recentFilter;
        if (!f.isOnly(filter)) {
            f = StoreFilter.of(filter);
            recentFilter = f;
        }
        return loadNext(f, start);
    }

    @Override
    public Optional<StoredMsg> loadNextMsg(List<String> filters, long start) {
        return loadNext(StoreFilter.of(filters), start);
    }

    private Optional<StoredMsg> loadNext(StoreFilter filter, long start) {
        return locked(() -> {
            long seq = index.nextMatching(filter, start);
            return seq == -1 ? Optional.empty() : Optional.of(read(seq));
        });
    }

    @Override
    public long sequenceAt(long timestamp) {
        return locked(() -> index.sequenceAt(timestamp));
    }

    @Override
    public StoreState state() {
        return locked(() -> stateLocked(index.deleted()));
    }

    @Override
    public StoreState fastState() {
        return locked(() -> stateLocked(List.of()));
    }

    private StoreState stateLocked(List<Long> deleted) {
        return new StoreState(index.msgs(), index.bytes(), index.first(), index.firstTimestamp(), index.last(),
                index.lastTimestamp(), index.numSubjects(), index.numDeleted(), deleted);
    }

    @Override
    public StoreSubjectState filteredState(long startSeq, String filter) {
        return locked(() -> index.filteredState(startSeq, StoreFilter.of(filter)));
    }

    @Override
    public List<Long> multiLastSeqs(List<String> filters) {
        return locked(() -> index.matchingSubjects(StoreFilter.of(filters)).stream()
                .map(s -> s.last).sorted().toList());
    }

    @Override
    public Map<String, StoreSubjectState> subjectsState(String filter) {
        return locked(() -> index.subjectsState(StoreFilter.of(filter)));
    }

    @Override
    public Map<String, Long> subjectsTotals(String filter) {
        return locked(() -> {
            Map<String, Long> out = new LinkedHashMap<>();
            index.subjectsState(StoreFilter.of(filter)).forEach((subject, s) -> out.put(subject, s.msgs()));
            return out;
        });
    }

    @Override
    public long numPending(long startSeq, String filter, boolean lastPerSubject) {
        return pending(startSeq, StoreFilter.of(filter), lastPerSubject);
    }

    @Override
    public long numPending(long startSeq, List<String> filters, boolean lastPerSubject) {
        return pending(startSeq, StoreFilter.of(filters), lastPerSubject);
    }

    private long pending(long startSeq, StoreFilter filter, boolean lastPerSubject) {
        return locked(() -> lastPerSubject ? index.lastPerSubjectPending(startSeq, filter)
                : index.filteredState(startSeq, filter).msgs());
    }

    @Override
    public StoreConfig config() {
        return locked(() -> config);
    }

    @Override
    public void addListener(StoreUpdateListener listener) {
        listeners.add(listener);
    }

    // ---- consumers and lifecycle ----

    @Override
    public ConsumerStore consumerStore(String name, ConsumerStore.AckMode ackMode) {
        return locked(() -> {
            ConsumerStoreBase existing = consumers.get(name);
            if (existing != null && !existing.isClosed()) {
                return existing;
            }
            ConsumerStoreBase opened = openConsumer(name, ackMode);
            consumers.put(name, opened);
            return opened;
        });
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (ageTimer != null) {
                ageTimer.cancel(false);
                ageTimer = null;
            }
            consumers.values().forEach(ConsumerStoreBase::close);
            release();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void delete() {
        close();
        lock.lock();
        try {
            removeData();
        } finally {
            lock.unlock();
        }
    }

    // ---- plumbing ----

    private <T> T mutate(Supplier<T> op) {
        Mutation<T> m = mutateNoWait(op);
        awaitDurable(m.ticket());
        return m.result();
    }

    private record Mutation<T>(T result, long ticket) {
    }

    /** Runs a mutation under the lock and returns its result with its durability ticket, not waiting for it. */
    private <T> Mutation<T> mutateNoWait(Supplier<T> op) {
        T result;
        long ticket;
        List<Event> fired = List.of();
        lock.lock();
        try {
            checkOpen();
            result = op.get();
            ticket = commitLocked();
        } finally {
            fired = drainEvents();
            lock.unlock();
            fire(fired);
        }
        return new Mutation<>(result, ticket);
    }

    private <T> T locked(Supplier<T> op) {
        lock.lock();
        try {
            checkOpen();
            return op.get();
        } finally {
            lock.unlock();
        }
    }

    private List<Event> drainEvents() {
        if (events.isEmpty()) {
            return List.of();
        }
        List<Event> out = List.copyOf(events);
        events.clear();
        return out;
    }

    private void fire(List<Event> fired) {
        for (Event e : fired) {
            for (StoreUpdateListener l : listeners) {
                l.onUpdate(e.msgs(), e.bytes(), e.seq(), e.subject());
            }
        }
    }

    void checkOpen() {
        if (closed) {
            throw new StoreException(StoreException.Kind.CLOSED);
        }
        if (failure != null) {
            throw new StoreException(failure.kind(), "store failed earlier", failure);
        }
    }

    /**
     * Marks the store failed: its memory may now disagree with what is stored, so every later call gets
     * this error (nats-server likewise stops using a store after a write error). Returns it to throw.
     */
    StoreException fail(StoreException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    boolean failed() {
        return failure != null;
    }
}
