package io.pocketbus.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a {@link FileStore}'s index on open: from the {@code index.db} checkpoint plus the records
 * appended after it when the checkpoint checks out against the segments, otherwise by replaying every
 * segment. Replay applies the records in order (messages, tombstones, erasures, skips, first markers)
 * and truncates a segment at the first record that is torn or fails its checksum.
 */
final class FileStoreRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(FileStoreRecovery.class);

    private final FileStore store;
    private final StoreIndex index;
    private final TreeMap<Long, SegmentFile> segments;

    FileStoreRecovery(FileStore store) {
        this.store = store;
        this.index = store.index();
        this.segments = store.segments();
    }

    void recover() throws IOException {
        // Leftovers of a compaction or snapshot that a crash interrupted; the originals are intact.
        try (Stream<Path> files = Files.list(store.msgDir())) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.delete(p);
            }
        }
        for (Path p : segmentPaths(store.msgDir())) {
            SegmentFile seg = SegmentFile.open(p);
            segments.put(seg.firstSeq, seg);
        }
        if (segments.isEmpty()) {
            SegmentFile first = SegmentFile.create(store.msgDir(), 1);
            segments.put(1L, first);
            store.recovered(first);
            return;
        }
        store.recovered(segments.lastEntry().getValue());
        Optional<StoreIndexSnapshot> snapshot = StoreIndexSnapshot.read(store.msgDir());
        if (snapshot.isPresent() && usable(snapshot.get())) {
            try {
                load(snapshot.get());
                return;
            } catch (RuntimeException e) {
                LOG.warn("index checkpoint of {} unreadable, replaying the segments", store.msgDir(), e);
                index.resetEmpty(0, 0);
                segments.values().forEach(seg -> seg.live = 0);
            }
        }
        for (SegmentFile seg : segments.values()) {
            replay(seg, 0);
        }
    }

    /**
     * The checkpoint covers no more of any segment than is on disk, and what it covers of the last
     * segment is intact. Sealed segments were forced when they were sealed; the last one may have lost
     * written bytes in a power loss, which a checksum pass over it (at most one block, parsing nothing)
     * catches here rather than at a later read.
     */
    private boolean usable(StoreIndexSnapshot snap) throws IOException {
        for (StoreIndexSnapshot.Segment s : snap.segments.values()) {
            SegmentFile seg = segments.get(s.firstSeq());
            if (seg != null && seg.size < s.covered()) {
                return false;
            }
        }
        SegmentFile lastSeg = segments.lastEntry().getValue();
        StoreIndexSnapshot.Segment covered = snap.segments.get(lastSeg.firstSeq);
        return covered == null || validLength(lastSeg.readAll(), (int) covered.covered()) >= covered.covered();
    }

    private static int validLength(byte[] data, int limit) {
        int pos = 0;
        while (pos < limit) {
            int len = SegmentRecord.checkedLength(data, pos, data.length);
            if (len < 0) {
                break;
            }
            pos += len;
        }
        return pos;
    }

    /**
     * Restores the index image in bulk, then replays what was appended after the checkpoint. In the
     * common case, a clean shutdown, nothing was, and no message is visited one by one.
     */
    private void load(StoreIndexSnapshot snap) throws IOException {
        index.readImage(snap.image);
        for (StoreIndexSnapshot.Segment s : snap.segments.values()) {
            SegmentFile seg = segments.get(s.firstSeq());
            if (seg != null) {
                seg.live = s.live();
                seg.deadBytes = s.deadBytes();
                continue;
            }
            // Deleted after the checkpoint, which happens only once all it held is gone.
            Long next = snap.segments.higherKey(s.firstSeq());
            long end = next == null ? index.last() : next - 1;
            for (long seq = index.nextLive(s.firstSeq()); seq != -1 && seq <= end; seq = index.nextLive(seq + 1)) {
                index.remove(seq);
            }
        }
        for (SegmentFile seg : segments.values()) {
            StoreIndexSnapshot.Segment covered = snap.segments.get(seg.firstSeq);
            replay(seg, covered == null ? 0 : covered.covered());
        }
    }

    private void replay(SegmentFile seg, long from) throws IOException {
        if (seg.firstSeq - 1 > index.last()) {
            index.skip(seg.firstSeq - 1, index.lastTimestamp());
        }
        if (from >= seg.size) {
            return;
        }
        byte[] data = seg.readFrom(from);
        int pos = 0;
        while (pos < data.length) {
            SegmentRecord r = SegmentRecord.parse(data, pos, data.length, false);
            if (r == null) {
                LOG.warn("truncating {} at {}: {} bytes torn or corrupt", seg.path, from + pos, data.length - pos);
                seg.truncate(from + pos);
                break;
            }
            apply(r, seg, from + pos);
            pos += r.length;
        }
    }

    private void apply(SegmentRecord r, SegmentFile seg, long pos) {
        switch (r.kind) {
            case SegmentRecord.MSG -> {
                if (r.seq > index.last()) {
                    index.add(r.seq, r.subject, r.timestamp, FileStore.msgSize(r), pos, null);
                    seg.live++;
                }
            }
            case SegmentRecord.TOMBSTONE -> remove(r.seq);
            case SegmentRecord.ERASED -> {
                if (r.seq > index.last()) {
                    index.skip(r.seq, r.timestamp);
                } else {
                    remove(r.seq);
                }
            }
            case SegmentRecord.SKIP -> {
                long end = r.seq + r.skipCount() - 1;
                if (end > index.last()) {
                    index.skip(end, r.timestamp);
                }
            }
            case SegmentRecord.FIRST -> {
                for (long s = index.nextLive(0); s != -1 && s < r.seq; s = index.nextLive(s + 1)) {
                    remove(s);
                }
                if (r.seq - 1 >= index.last()) {
                    index.skip(r.seq - 1, r.timestamp);
                }
            }
            default -> throw new IllegalStateException("unknown record kind " + r.kind);
        }
    }

    private void remove(long seq) {
        if (index.remove(seq) != null) {
            store.segmentFor(seq).live--;
        }
    }

    static List<Path> segmentPaths(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> SegmentFile.isSegmentName(p.getFileName().toString())).sorted().toList();
        }
    }
}
