package io.pocketbus.broker;

import java.io.IOException;

/**
 * Stretches of segment files read recently, so a consumer reading a stream in order costs one read per
 * stretch instead of two per message, as nats-server serves such reads from its block cache. Each reader
 * going through the store in order keeps its own stretch: one that a read continues doubles, up to
 * {@link #MAX}; any other read starts a small one in the least recently used slot, so readers jumping
 * around cost no more than a read per message. A stretch is valid while its segment's
 * {@link SegmentFile#version()} is unchanged: segments only grow at their end, and whatever changes bytes
 * already written (erasing, compaction, truncation, deletion) changes the version. Reads of removed
 * messages never get here, as the store looks in its index first. Guarded by the store's lock.
 */
final class SegmentReadCache {
    private static final int SLOTS = 4;
    private static final int MIN = 4 * 1024;
    private static final int MAX = 64 * 1024;

    private static final class Stretch {
        SegmentFile segment;
        long version;
        long start;
        int length;
        byte[] data = new byte[0];
        long used;

        boolean holds(SegmentFile seg, long offset) {
            return segment == seg && version == seg.version() && offset >= start && offset <= start + length;
        }
    }

    private final Stretch[] slots = new Stretch[SLOTS];
    private long clock;

    SegmentReadCache() {
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new Stretch();
        }
    }

    /** The record at {@code offset} of {@code seg}; null when it is not a valid record. */
    SegmentRecord read(SegmentFile seg, long offset) throws IOException {
        clock++;
        Stretch s = null;
        for (Stretch candidate : slots) {
            if (candidate.holds(seg, offset)) {
                s = candidate;
                break;
            }
        }
        int want = MIN;
        if (s != null) {
            int at = (int) (offset - s.start);
            int len = SegmentRecord.peekLength(s.data, at, s.length);
            if (len > 0 && len <= s.length - at) {
                s.used = clock;
                return SegmentRecord.parse(s.data, at, s.length, true);
            }
            // Read in order up to the end of the stretch: the reader goes on, read further ahead.
            want = Math.min(MAX, Math.max(MIN, 2 * s.length));
        } else {
            s = leastRecentlyUsed();
        }
        s.used = clock;
        fill(s, seg, offset, want);
        int len = SegmentRecord.peekLength(s.data, 0, s.length);
        if (len < SegmentRecord.HEADER + SegmentRecord.TRAILER || offset + len > seg.size) {
            return null;
        }
        if (len > s.length) {
            fill(s, seg, offset, len);
        }
        return SegmentRecord.parse(s.data, 0, s.length, true);
    }

    private Stretch leastRecentlyUsed() {
        Stretch oldest = slots[0];
        for (Stretch s : slots) {
            if (s.used < oldest.used) {
                oldest = s;
            }
        }
        return oldest;
    }

    /** Reads up to {@code want} bytes of {@code seg} from {@code offset}, no further than its written size. */
    private static void fill(Stretch s, SegmentFile seg, long offset, int want) throws IOException {
        int n = (int) Math.max(0, Math.min(want, seg.size - offset));
        if (s.data.length < n) {
            s.data = new byte[Math.max(n, Math.min(MAX, 2 * s.data.length))];
        }
        // Invalid until the read succeeds.
        s.segment = null;
        seg.readFully(s.data, n, offset);
        s.segment = seg;
        s.version = seg.version();
        s.start = offset;
        s.length = n;
    }

    /** Forgets every stretch (the store closes). */
    void clear() {
        for (Stretch s : slots) {
            s.segment = null;
            s.data = new byte[0];
            s.length = 0;
        }
    }
}
