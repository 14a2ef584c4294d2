package io.pocketbus.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-memory index of a stream store: per sequence the subject, timestamp, accounted size and where
 * the message lives (a file offset or the message itself), plus per-subject totals with first and last
 * sequences (nats-server's {@code psim}) and the stream counters.
 *
 * <p>Sequences are dense, so entries live in fixed pages of parallel primitive arrays (about 24 bytes
 * per message) rather than one object per message. Per-subject first/last sequences are refreshed lazily
 * after removals, as nats-server does. Not thread-safe: the owning store's lock guards it.
 */
final class StoreIndex {

    /** 256 slots a page: small enough that a sparse or small stream stays cheap (a page is about 7 KiB). */
    private static final int PAGE_SHIFT = 8;
    private static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE_SIZE - 1;
    private static final int NEXT_SCAN_BUDGET = 64;

    /** A removed entry, for the store's persistence hook and its update listeners. */
    record Removed(long seq, String subject, long size, long loc, long timestamp) {
    }

    /** A subject's totals. First and last may be stale after removals until {@link #refresh}. */
    static final class Subject {
        final String name;
        final int id;
        long msgs;
        long first;
        long last;
        boolean firstStale;
        boolean lastStale;

        Subject(String name, int id) {
            this.name = name;
            this.id = id;
        }
    }

    private static final class Page {
        final long[] ts = new long[PAGE_SIZE];
        /** Subject id + 1; 0 marks a slot without a live message. */
        final int[] subject = new int[PAGE_SIZE];
        final long[] size = new long[PAGE_SIZE];
        final long[] loc;
        final Object[] ref;
        int live;

        Page(boolean refs) {
            loc = refs ? null : new long[PAGE_SIZE];
            ref = refs ? new Object[PAGE_SIZE] : null;
        }
    }

    private final boolean refs;
    private final ArrayList<Page> pages = new ArrayList<>();
    private long basePage;
    private final Map<String, Subject> subjects = new HashMap<>();
    private final ArrayList<Subject> subjectsById = new ArrayList<>();
    private final ArrayDeque<Integer> freeIds = new ArrayDeque<>();

    private long first;
    private long last;
    private long firstTs;
    private long lastTs;
    private long msgs;
    private long bytes;

    /** @param refs whether entries hold an object (the memory store's message) instead of a file offset */
    StoreIndex(boolean refs) {
        this.refs = refs;
    }

    long first() {
        return first;
    }

    long last() {
        return last;
    }

    long firstTimestamp() {
        return firstTs;
    }

    long lastTimestamp() {
        return lastTs;
    }

    long msgs() {
        return msgs;
    }

    long bytes() {
        return bytes;
    }

    int numSubjects() {
        return subjects.size();
    }

    long numDeleted() {
        return msgs == 0 ? 0 : last - first + 1 - msgs;
    }

    /** Sets the last sequence (and time) of an empty index, as a recovered or new store begins. */
    void resetEmpty(long lastSeq, long lastTimestamp) {
        pages.clear();
        subjects.clear();
        subjectsById.clear();
        freeIds.clear();
        basePage = (lastSeq + 1) >>> PAGE_SHIFT;
        msgs = 0;
        bytes = 0;
        last = lastSeq;
        lastTs = lastTimestamp;
        first = lastSeq + 1;
        firstTs = 0;
    }

    void add(long seq, String subjectName, long timestamp, long size, long loc, Object ref) {
        Page page = pageFor(seq);
        int slot = (int) (seq & PAGE_MASK);
        Subject subject = subjects.get(subjectName);
        if (subject == null) {
            subject = newSubject(subjectName);
            subject.first = seq;
        }
        subject.msgs++;
        subject.last = seq;
        subject.lastStale = false;
        page.ts[slot] = timestamp;
        page.subject[slot] = subject.id + 1;
        page.size[slot] = size;
        if (refs) {
            page.ref[slot] = ref;
        } else {
            page.loc[slot] = loc;
        }
        page.live++;
        if (msgs == 0) {
            first = seq;
            firstTs = timestamp;
        }
        msgs++;
        bytes += size;
        last = seq;
        lastTs = timestamp;
    }

    /** Consumes sequences without messages up to {@code lastSeq}. */
    void skip(long lastSeq, long timestamp) {
        last = lastSeq;
        lastTs = timestamp;
        if (msgs == 0) {
            first = lastSeq + 1;
            firstTs = 0;
            dropPagesBelow(first);
        }
    }

    boolean isLive(long seq) {
        Page p = page(seq);
        return p != null && p.subject[(int) (seq & PAGE_MASK)] != 0;
    }

    long timestamp(long seq) {
        return page(seq).ts[(int) (seq & PAGE_MASK)];
    }

    long size(long seq) {
        return page(seq).size[(int) (seq & PAGE_MASK)];
    }

    long loc(long seq) {
        return page(seq).loc[(int) (seq & PAGE_MASK)];
    }

    void setLoc(long seq, long loc) {
        page(seq).loc[(int) (seq & PAGE_MASK)] = loc;
    }

    Object ref(long seq) {
        return page(seq).ref[(int) (seq & PAGE_MASK)];
    }

    String subject(long seq) {
        return subjectsById.get(page(seq).subject[(int) (seq & PAGE_MASK)] - 1).name;
    }

    Subject subjectState(String name) {
        Subject s = subjects.get(name);
        if (s != null) {
            refresh(s);
        }
        return s;
    }

    /** Removes a live entry; null when there is none with this sequence. */
    Removed remove(long seq) {
        Page page = page(seq);
        int slot = (int) (seq & PAGE_MASK);
        if (page == null || page.subject[slot] == 0) {
            return null;
        }
        Subject subject = subjectsById.get(page.subject[slot] - 1);
        Removed removed = new Removed(seq, subject.name, page.size[slot],
                refs ? 0 : page.loc[slot], page.ts[slot]);
        page.subject[slot] = 0;
        if (refs) {
            page.ref[slot] = null;
        }
        page.live--;
        msgs--;
        bytes -= removed.size();
        removeFromSubject(subject, seq);
        if (msgs == 0) {
            first = last + 1;
            firstTs = 0;
            dropPagesBelow(first);
        } else if (seq == first) {
            first = nextLive(seq + 1);
            firstTs = timestamp(first);
            dropPagesBelow(first);
        } else if (page.live == 0 && seq >>> PAGE_SHIFT < last >>> PAGE_SHIFT) {
            pages.set((int) ((seq >>> PAGE_SHIFT) - basePage), null);
        }
        return removed;
    }

    private void removeFromSubject(Subject s, long seq) {
        s.msgs--;
        if (s.msgs == 0) {
            subjects.remove(s.name);
            subjectsById.set(s.id, null);
            freeIds.add(s.id);
        } else if (s.msgs == 1) {
            refresh(s);
            if (seq == s.first) {
                s.first = s.last;
            } else if (seq == s.last) {
                s.last = s.first;
            }
        } else if (seq == s.first) {
            s.firstStale = true;
        } else if (seq == s.last) {
            s.lastStale = true;
        }
    }

    /** Brings a subject's first and last sequences up to date. */
    void refresh(Subject s) {
        if (s.firstStale) {
            long seq = s.first;
            while (seq <= s.last && !hasSubject(seq, s.id)) {
                seq++;
            }
            s.first = seq;
            s.firstStale = false;
        }
        if (s.lastStale) {
            long seq = s.last;
            while (seq >= s.first && !hasSubject(seq, s.id)) {
                seq--;
            }
            s.last = seq;
            s.lastStale = false;
        }
    }

    private boolean hasSubject(long seq, int id) {
        Page p = page(seq);
        return p != null && p.subject[(int) (seq & PAGE_MASK)] == id + 1;
    }

    /** The first live sequence at or after {@code from}, or -1. */
    long nextLive(long from) {
        long seq = Math.max(from, first);
        while (seq <= last) {
            Page p = page(seq);
            if (p == null || p.live == 0) {
                seq = (seq | PAGE_MASK) + 1;
                continue;
            }
            if (p.subject[(int) (seq & PAGE_MASK)] != 0) {
                return seq;
            }
            seq++;
        }
        return -1;
    }

    /** The last live sequence at or before {@code from}, or -1. */
    long prevLive(long from) {
        long seq = Math.min(from, last);
        while (seq >= first && seq > 0) {
            Page p = page(seq);
            if (p == null || p.live == 0) {
                seq = (seq & ~(long) PAGE_MASK) - 1;
                continue;
            }
            if (p.subject[(int) (seq & PAGE_MASK)] != 0) {
                return seq;
            }
            seq--;
        }
        return -1;
    }

    /** The first sequence at or after {@code start} whose subject matches, or -1. */
    long nextMatching(StoreFilter filter, long start) {
        if (msgs == 0) {
            return -1;
        }
        if (filter.all()) {
            return nextLive(start);
        }
        if (filter.literal() != null) {
            Subject s = subjectState(filter.literal());
            return s == null ? -1 : nextOfSubject(s, start);
        }
        // Usually one of the next few messages matches (a watcher of most of a stream): look there first.
        long from = nextLive(start);
        for (int budget = NEXT_SCAN_BUDGET; from != -1 && budget > 0; budget--, from = nextLive(from + 1)) {
            if (filter.matches(subject(from))) {
                return from;
            }
        }
        if (from == -1) {
            return -1;
        }
        // When every matching subject starts at or after start, the answer is the smallest first.
        long best = Long.MAX_VALUE;
        boolean scan = false;
        for (Subject s : subjects.values()) {
            if (!filter.matches(s.name)) {
                continue;
            }
            refresh(s);
            if (s.last < from) {
                continue;
            }
            if (s.first >= from) {
                best = Math.min(best, s.first);
            } else {
                scan = true;
            }
        }
        if (!scan) {
            return best == Long.MAX_VALUE ? -1 : best;
        }
        byte[] verdicts = new byte[subjectsById.size()];
        long end = Math.min(best, last);
        for (long seq = from; seq != -1 && seq <= end; seq = nextLive(seq + 1)) {
            if (matchesCached(filter, seq, verdicts)) {
                return seq;
            }
        }
        return best == Long.MAX_VALUE ? -1 : best;
    }

    private long nextOfSubject(Subject s, long start) {
        if (start <= s.first) {
            return s.first;
        }
        for (long seq = start; seq <= s.last; seq++) {
            if (hasSubject(seq, s.id)) {
                return seq;
            }
        }
        return -1;
    }

    private boolean matchesCached(StoreFilter filter, long seq, byte[] verdicts) {
        int id = page(seq).subject[(int) (seq & PAGE_MASK)] - 1;
        if (verdicts[id] == 0) {
            verdicts[id] = filter.matches(subjectsById.get(id).name) ? (byte) 1 : (byte) 2;
        }
        return verdicts[id] == 1;
    }

    /** The newest sequence whose subject matches, or -1. */
    long lastMatching(StoreFilter filter) {
        if (msgs == 0) {
            return -1;
        }
        if (filter.all()) {
            return prevLive(last);
        }
        if (filter.literal() != null) {
            Subject s = subjectState(filter.literal());
            return s == null ? -1 : s.last;
        }
        long best = -1;
        for (Subject s : subjects.values()) {
            if (filter.matches(s.name)) {
                refresh(s);
                best = Math.max(best, s.last);
            }
        }
        return best;
    }

    /** The subjects matching a filter, each refreshed, in no particular order. */
    List<Subject> matchingSubjects(StoreFilter filter) {
        if (filter.literal() != null) {
            Subject s = subjectState(filter.literal());
            return s == null ? List.of() : List.of(s);
        }
        List<Subject> out = new ArrayList<>();
        for (Subject s : subjects.values()) {
            if (filter.matches(s.name)) {
                refresh(s);
                out.add(s);
            }
        }
        return out;
    }

    /** Messages at or after {@code start} matching the filter, with the first and last of them. */
    StoreSubjectState filteredState(long start, StoreFilter filter) {
        long from = Math.max(start, first);
        if (msgs == 0 || from > last) {
            return StoreSubjectState.EMPTY;
        }
        if (filter.all()) {
            long count = from <= first ? msgs : countLive(from, last);
            return count == 0 ? StoreSubjectState.EMPTY
                    : new StoreSubjectState(count, nextLive(from), prevLive(last));
        }
        long count = 0;
        long lo = Long.MAX_VALUE;
        long hi = 0;
        // Subjects that begin at or after start count whole; those straddling it share one range scan.
        boolean[] straddling = null;
        long scanTo = 0;
        for (Subject s : matchingSubjects(filter)) {
            if (s.last < from) {
                continue;
            }
            hi = Math.max(hi, s.last);
            if (s.first >= from) {
                count += s.msgs;
                lo = Math.min(lo, s.first);
            } else {
                if (straddling == null) {
                    straddling = new boolean[subjectsById.size()];
                }
                straddling[s.id] = true;
                scanTo = Math.max(scanTo, s.last);
            }
        }
        if (straddling != null) {
            for (long seq = nextLive(from); seq != -1 && seq <= scanTo; seq = nextLive(seq + 1)) {
                if (straddling[page(seq).subject[(int) (seq & PAGE_MASK)] - 1]) {
                    count++;
                    lo = Math.min(lo, seq);
                }
            }
        }
        return count == 0 ? StoreSubjectState.EMPTY : new StoreSubjectState(count, lo, hi);
    }

    /** Live entries in [from, to]. */
    private long countLive(long from, long to) {
        long count = 0;
        long seq = from;
        while (seq <= to) {
            Page p = page(seq);
            long pageEnd = seq | PAGE_MASK;
            if (p == null || p.live == 0) {
                seq = pageEnd + 1;
                continue;
            }
            if ((seq & PAGE_MASK) == 0 && pageEnd <= to) {
                count += p.live;
                seq = pageEnd + 1;
                continue;
            }
            if (p.subject[(int) (seq & PAGE_MASK)] != 0) {
                count++;
            }
            seq++;
        }
        return count;
    }

    /** Per-subject state of the matching subjects, sorted by subject. */
    Map<String, StoreSubjectState> subjectsState(StoreFilter filter) {
        Map<String, StoreSubjectState> out = new LinkedHashMap<>();
        matchingSubjects(filter).stream().sorted((a, b) -> a.name.compareTo(b.name))
                .forEach(s -> out.put(s.name, new StoreSubjectState(s.msgs, s.first, s.last)));
        return out;
    }

    /** Subjects matching the filter whose newest message is at or after {@code start}. */
    long lastPerSubjectPending(long start, StoreFilter filter) {
        long count = 0;
        for (Subject s : matchingSubjects(filter)) {
            if (s.last >= start) {
                count++;
            }
        }
        return count;
    }

    /** The interior sequences without a message. */
    List<Long> deleted() {
        List<Long> out = new ArrayList<>();
        if (msgs == 0) {
            return out;
        }
        for (long seq = first; seq <= last; seq++) {
            Page p = page(seq);
            if (p == null || p.live == 0) {
                long end = Math.min(last, seq | PAGE_MASK);
                for (long s = seq; s <= end; s++) {
                    out.add(s);
                }
                seq = end;
            } else if (p.subject[(int) (seq & PAGE_MASK)] == 0) {
                out.add(seq);
            }
        }
        return out;
    }

    /** The first live sequence stored at or after {@code timestamp}, assuming timestamps grow with sequence. */
    long sequenceAt(long timestamp) {
        if (msgs == 0) {
            return last + 1;
        }
        long lo = first;
        long hi = last + 1;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            long seq = nextLive(mid);
            if (seq == -1 || seq >= hi) {
                hi = mid;
            } else if (timestamp(seq) >= timestamp) {
                hi = mid;
            } else {
                lo = seq + 1;
            }
        }
        long seq = nextLive(lo);
        return seq == -1 ? last + 1 : seq;
    }

    /**
     * Writes the whole index as an image {@link #readImage} restores: the counters, every subject with
     * its totals, and each page's arrays whole, so both directions are bulk copies.
     */
    void writeImage(StoreIndexSnapshot.Sink out) throws IOException {
        if (refs) {
            throw new IllegalStateException("an index of message references has no image");
        }
        for (long v : new long[] {first, last, firstTs, lastTs, msgs, bytes, basePage}) {
            out.putLong(v);
        }
        out.putInt(subjectsById.size());
        out.putInt(subjects.size());
        for (Subject s : subjectsById) {
            if (s == null) {
                continue;
            }
            refresh(s);
            byte[] name = s.name.getBytes(StandardCharsets.UTF_8);
            out.putInt(s.id);
            out.putLong(s.msgs);
            out.putLong(s.first);
            out.putLong(s.last);
            out.putInt(name.length);
            out.putBytes(name);
        }
        out.putInt(pages.size());
        for (Page p : pages) {
            if (p == null) {
                out.putByte((byte) 0);
                continue;
            }
            out.putByte((byte) 1);
            out.putInt(p.live);
            out.putLongs(p.ts);
            out.putInts(p.subject);
            out.putLongs(p.size);
            out.putLongs(p.loc);
        }
    }

    /** Replaces this (empty) index with the image {@link #writeImage} wrote, read from {@code in}. */
    void readImage(ByteBuffer in) {
        first = in.getLong();
        last = in.getLong();
        firstTs = in.getLong();
        lastTs = in.getLong();
        msgs = in.getLong();
        bytes = in.getLong();
        basePage = in.getLong();
        int slots = in.getInt();
        int count = in.getInt();
        subjects.clear();
        subjectsById.clear();
        freeIds.clear();
        for (int i = 0; i < slots; i++) {
            subjectsById.add(null);
        }
        for (int i = 0; i < count; i++) {
            int id = in.getInt();
            long subjectMsgs = in.getLong();
            long subjectFirst = in.getLong();
            long subjectLast = in.getLong();
            byte[] name = new byte[in.getInt()];
            in.get(name);
            Subject named = new Subject(new String(name, StandardCharsets.UTF_8), id);
            named.msgs = subjectMsgs;
            named.first = subjectFirst;
            named.last = subjectLast;
            subjectsById.set(named.id, named);
            subjects.put(named.name, named);
        }
        for (int i = 0; i < slots; i++) {
            if (subjectsById.get(i) == null) {
                freeIds.add(i);
            }
        }
        int pageCount = in.getInt();
        pages.clear();
        pages.ensureCapacity(pageCount);
        for (int i = 0; i < pageCount; i++) {
            if (in.get() == 0) {
                pages.add(null);
                continue;
            }
            Page p = new Page(false);
            p.live = in.getInt();
            getLongs(in, p.ts);
            getInts(in, p.subject);
            getLongs(in, p.size);
            getLongs(in, p.loc);
            pages.add(p);
        }
    }

    private static void getLongs(ByteBuffer in, long[] into) {
        in.asLongBuffer().get(into);
        in.position(in.position() + into.length * 8);
    }

    private static void getInts(ByteBuffer in, int[] into) {
        in.asIntBuffer().get(into);
        in.position(in.position() + into.length * 4);
    }

    private Subject newSubject(String name) {
        Integer free = freeIds.poll();
        int id = free != null ? free : subjectsById.size();
        Subject s = new Subject(name, id);
        if (free != null) {
            subjectsById.set(id, s);
        } else {
            subjectsById.add(s);
        }
        subjects.put(name, s);
        return s;
    }

    private Page page(long seq) {
        long idx = (seq >>> PAGE_SHIFT) - basePage;
        if (idx < 0 || idx >= pages.size()) {
            return null;
        }
        return pages.get((int) idx);
    }

    private Page pageFor(long seq) {
        if (pages.isEmpty()) {
            basePage = seq >>> PAGE_SHIFT;
        }
        long idx = (seq >>> PAGE_SHIFT) - basePage;
        while (pages.size() <= idx) {
            pages.add(null);
        }
        Page p = pages.get((int) idx);
        if (p == null) {
            p = new Page(refs);
            pages.set((int) idx, p);
        }
        return p;
    }

    private void dropPagesBelow(long seq) {
        long target = seq >>> PAGE_SHIFT;
        int drop = (int) Math.min(pages.size(), Math.max(0, target - basePage));
        if (drop > 0) {
            pages.subList(0, drop).clear();
            basePage += drop;
        }
        if (pages.isEmpty()) {
            basePage = target;
        }
    }
}
