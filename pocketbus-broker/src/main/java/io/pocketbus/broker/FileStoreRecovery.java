package io.pocketbus.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a {@link FileStore}'s index on open: from {@code index.db} plus the records appended after it
 * when the snapshot checks out against the segments, otherwise by replaying every segment. Replay
 * applies the records in order (messages, tombstones, erasures, skips, first markers) and truncates a
 * segment at the first record that is torn or fails its checksum.
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
            load(snapshot.get());
        } else {
            for (SegmentFile seg : segments.values()) {
                replay(seg, 0);
            }
        }
    }

    /** The snapshot covers no more of any segment than is on disk, and what it covers is intact. */
    private boolean usable(StoreIndexSnapshot snap) throws IOException {
        for (Map.Entry<Long, Long> e : snap.segments.entrySet()) {
            SegmentFile seg = segments.get(e.getKey());
            if (seg != null && seg.size < e.getValue()) {
                return false;
            }
        }
        // A crash can only tear the tail of the last segment, but a garbled tail inside the snapshot's
        // range would otherwise go unnoticed until a read: check the last segment's records in full.
        SegmentFile lastSeg = segments.lastEntry().getValue();
        Long covered = snap.segments.get(lastSeg.firstSeq);
        return covered == null || validLength(lastSeg.readAll()) >= covered;
    }

    private static int validLength(byte[] data) {
        int pos = 0;
        while (pos < data.length) {
            SegmentRecord r = SegmentRecord.parse(data, pos, data.length, false);
            if (r == null) {
                break;
            }
            pos += r.length;
        }
        return pos;
    }

    private void load(StoreIndexSnapshot snap) throws IOException {
        snap.forEachEntry((seq, timestamp, subject, size, loc) -> {
            Map.Entry<Long, Long> home = snap.segments.floorEntry(seq);
            SegmentFile seg = home == null ? null : segments.get(home.getKey());
            // No segment: it was deleted after the snapshot, which happens only once all it held is gone.
            if (seg != null) {
                index.add(seq, subject, timestamp, size, loc, null);
                seg.live++;
            }
        });
        if (snap.lastSeq > index.last() || index.msgs() == 0 && snap.lastSeq > 0) {
            index.skip(Math.max(snap.lastSeq, index.last()), snap.lastTimestamp);
        }
        for (SegmentFile seg : segments.values()) {
            Long covered = snap.segments.get(seg.firstSeq);
            replay(seg, covered == null ? 0 : covered);
        }
    }

    private void replay(SegmentFile seg, long from) throws IOException {
        if (seg.firstSeq - 1 > index.last()) {
            index.skip(seg.firstSeq - 1, index.lastTimestamp());
        }
        byte[] data = seg.readAll();
        int pos = (int) from;
        while (pos < data.length) {
            SegmentRecord r = SegmentRecord.parse(data, pos, data.length, false);
            if (r == null) {
                LOG.warn("truncating {} at {}: {} bytes torn or corrupt", seg.path, pos, data.length - pos);
                seg.truncate(pos);
                break;
            }
            apply(r, seg, pos);
            pos += r.length;
        }
    }

    private void apply(SegmentRecord r, SegmentFile seg, int pos) {
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
