package io.pocketbus.broker;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a consumer is in its stream: the next stream sequence to look at, the initial sequences of a
 * {@code last_per_subject} consumer, and how many matching messages lie ahead (the {@code pending} of
 * ack subjects and consumer info). The count is kept rather than recounted on every delivery: it is
 * recounted only after the store changed at or beyond the position. Guarded by the consumer's lock,
 * except {@link #storeChanged}, which the store calls from any thread.
 */
final class JsConsumerCursor {
    private final StreamStore store;
    /** Immutable; replaced whole on a config update, read without the consumer's lock. */
    private volatile List<String> filters;
    /** deliver last_per_subject: the initial sequences still to send, then {@link #lpsResume}. */
    private final ArrayDeque<Long> lps = new ArrayDeque<>();
    private long lpsResume;
    private long next;
    private volatile long floorHint;
    private final AtomicLong storeVersion = new AtomicLong();
    private long counted = -1;
    private long countedVersion = -1;
    private long countedFrom = -1;

    /** A position to return to when a message was taken but could not be delivered. */
    record Mark(long next, boolean fromLps) {
    }

    JsConsumerCursor(StreamStore store, List<String> filters) {
        this.store = store;
        setFilters(filters);
    }

    void setFilters(List<String> configured) {
        this.filters = configured.isEmpty() ? List.of(">") : List.copyOf(configured);
        storeVersion.incrementAndGet();
    }

    boolean matches(String subject) {
        for (String f : filters) {
            if (Subjects.matches(f, subject)) {
                return true;
            }
        }
        return false;
    }

    /** Positions a new consumer by its deliver policy; returns the stream sequence it starts after. */
    long position(JsConsumerConfig cfg) {
        StoreState st = store.fastState();
        long first = Math.max(1, st.firstSeq());
        switch (cfg.deliverPolicy) {
            case ALL -> next = first;
            case NEW -> next = st.lastSeq() + 1;
            case LAST -> {
                long last = 0;
                for (String f : filters) {
                    last = Math.max(last, store.loadLastMsg(f).map(StoredMsg::seq).orElse(0L));
                }
                next = last == 0 ? st.lastSeq() + 1 : last;
            }
            case BY_START_SEQUENCE -> next = Math.max(cfg.optStartSeq, first);
            case BY_START_TIME -> next = store.sequenceAt(cfg.optStartTime);
            case LAST_PER_SUBJECT -> {
                TreeSet<Long> lasts = new TreeSet<>();
                for (String f : filters) {
                    store.subjectsState(f).values().forEach(s -> lasts.add(s.last()));
                }
                lps.addAll(lasts);
                lpsResume = st.lastSeq() + 1;
                next = lasts.isEmpty() ? lpsResume : lasts.first();
            }
            default -> throw new IllegalStateException();
        }
        floorHint = next;
        return next - 1;
    }

    /** Resumes a stored consumer after the last stream sequence it delivered. */
    void resume(long deliveredStream) {
        next = deliveredStream + 1;
        floorHint = next;
    }

    /**
     * The store added ({@code msgsDelta > 0}) or removed {@code seq}. Every addition invalidates the count
     * (it may have been taken already, uncounted); removals only when at or past the position.
     */
    void storeChanged(long msgsDelta, long seq) {
        if (msgsDelta > 0 || seq >= floorHint) {
            storeVersion.incrementAndGet();
        }
    }

    Mark mark() {
        return new Mark(next, !lps.isEmpty());
    }

    /** Goes back to {@code mark}: the message with {@code seq} was taken but not delivered. */
    void reset(Mark mark, long seq) {
        next = mark.next;
        floorHint = next;
        if (mark.fromLps) {
            lps.addFirst(seq);
        } else {
            storeVersion.incrementAndGet();
        }
    }

    /** The next message to deliver for the first time, advancing past it. */
    Optional<StoredMsg> take() {
        while (!lps.isEmpty()) {
            long s = lps.poll();
            Optional<StoredMsg> m = store.loadMsg(s);
            next = lps.isEmpty() ? lpsResume : lps.peek();
            floorHint = lps.isEmpty() ? lpsResume : floorHint;
            if (m.isPresent() && matches(m.get().subject())) {
                return m;
            }
        }
        StoredMsg best = null;
        for (String f : filters) {
            Optional<StoredMsg> m = store.loadNextMsg(f, next);
            if (m.isPresent() && (best == null || m.get().seq() < best.seq())) {
                best = m.get();
            }
        }
        if (best != null) {
            boolean exact = counted >= 0 && countedFrom == next && countedVersion == storeVersion.get();
            next = best.seq() + 1;
            floorHint = next;
            if (exact) {
                counted = Math.max(0, counted - 1);
                countedFrom = next;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Matching messages not delivered yet. */
    long pending() {
        long from = lps.isEmpty() ? next : lpsResume;
        long version = storeVersion.get();
        if (counted < 0 || countedVersion != version || countedFrom != from) {
            long n = 0;
            for (String f : filters) {
                n += store.numPending(from, f, false);
            }
            counted = n;
            countedVersion = version;
            countedFrom = from;
        }
        return lps.size() + counted;
    }

    /** The next stream sequence to look at. */
    long next() {
        return next;
    }

    boolean inInitialPhase() {
        return !lps.isEmpty();
    }

    /** A purge removed everything below {@code first}. */
    void purged(long first) {
        lps.removeIf(s -> s < first);
        if (next < first) {
            next = first;
            floorHint = first;
        }
        storeVersion.incrementAndGet();
    }
}
