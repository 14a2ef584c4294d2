package io.pocketbus.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream store on disk ({@code storage: file}). Layout of its directory:
 *
 * <pre>
 * msgs/&lt;first seq&gt;.blk   append-only segments of {@link SegmentRecord}s, bounded by the block size
 * msgs/index.db          {@link StoreIndexSnapshot}, the index checkpoint a restart maps instead of
 *                        scanning; rewritten on close and every {@link Builder#snapshotBytes} appended
 *                        (or four times its own size, when that is more)
 * obs/&lt;consumer&gt;/o.dat   consumer state ({@link FileConsumerStore})
 * LOCK                   held while the store is open
 * </pre>
 *
 * Every mutation appends its records and writes them to the OS before returning. With
 * {@link SyncPolicy#ALWAYS} a group commit writes and forces them instead, and acknowledgements wait for
 * it ({@link #whenDurable}); reads see the records at once either way. Removals append tombstones so nothing
 * removed comes back after a restart; segments whose messages are all gone are deleted, and segments
 * mostly made of removed messages are rewritten. On open a torn or corrupt tail is truncated. After a
 * failed write the store refuses further calls rather than risk answering from an index that no longer
 * matches the disk.
 */
public final class FileStore extends StreamStoreBase {

    private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);

    /** nats-server's default block size for limits streams. */
    public static final long DEFAULT_BLOCK_SIZE = 8L * 1024 * 1024;
    private static final int BUFFER = 64 * 1024;

    private final Path dir;
    private final Path msgDir;
    private final SyncPolicy syncPolicy;
    private final long blockSize;
    private final FileChannel lockChannel;
    private final FileLock dirLock;
    private final TreeMap<Long, SegmentFile> segments = new TreeMap<>();
    private final Set<SegmentFile> touched = new HashSet<>();
    private final StoreGroupCommit groupCommit;
    private final SegmentReadCache readCache = new SegmentReadCache();
    private SegmentFile last;
    /**
     * Records appended but not yet written to the OS. Written at the end of every mutation, except under
     * {@link SyncPolicy#ALWAYS}, where nothing is acknowledged before the next force: there the force writes
     * them first, one write for the whole group instead of one per message (or a read of one of them does).
     */
    private ByteBuffer pending = ByteBuffer.allocate(BUFFER);
    /** Records appended so far: the group commit's tickets. */
    private long appended;
    private final long snapshotBytes;
    private long appendedSinceSnapshot;
    private long lastSnapshotSize;
    private boolean released;

    private FileStore(Builder b) throws IOException {
        super(new StoreIndex(false), b.config, b.clock);
        this.dir = b.directory;
        this.msgDir = dir.resolve("msgs");
        this.syncPolicy = b.syncPolicy;
        this.blockSize = b.blockSize;
        this.snapshotBytes = b.snapshotBytes;
        Files.createDirectories(msgDir);
        lockChannel = FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new StoreException(StoreException.Kind.IO, "store directory in use: " + dir, null);
        }
        dirLock = l;
        groupCommit = new StoreGroupCommit(this::forceLast);
        try {
            new FileStoreRecovery(this).recover();
        } catch (IOException | RuntimeException e) {
            segments.values().forEach(SegmentFile::close);
            dirLock.release();
            lockChannel.close();
            throw e;
        }
        // Limits may have been lowered, or messages aged out, while the store was closed.
        updateConfig(b.config);
    }

    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    @Override
    public Type type() {
        return Type.FILE;
    }

    // ---- what recovery needs ----

    Path msgDir() {
        return msgDir;
    }

    TreeMap<Long, SegmentFile> segments() {
        return segments;
    }

    StoreIndex index() {
        return index;
    }

    void recovered(SegmentFile lastSegment) {
        last = lastSegment;
    }

    // ---- hooks ----

    /** nats-server's {@code fileStoreMsgSize}. */
    @Override
    long msgSize(String subject, byte[] headers, byte[] payload) {
        long subj = subject.getBytes(StandardCharsets.UTF_8).length;
        return headers.length == 0 ? 22 + subj + payload.length + 8 : 22 + subj + 4 + headers.length + payload.length + 8;
    }

    static long msgSize(SegmentRecord r) {
        long subj = r.subject.getBytes(StandardCharsets.UTF_8).length;
        return r.headerLength == 0 ? 22 + subj + r.payloadLength + 8
                : 22 + subj + 4 + r.headerLength + r.payloadLength + 8;
    }

    @Override
    void append(long seq, String subject, byte[] headers, byte[] payload, long timestamp, long size) {
        byte[] subj = subject.getBytes(StandardCharsets.UTF_8);
        if (subj.length > SegmentRecord.MAX_SUBJECT) {
            throw new StoreException(StoreException.Kind.MSG_TOO_LARGE);
        }
        long loc = reserve(SegmentRecord.length(subj, headers, payload), seq);
        SegmentRecord.write(pending, SegmentRecord.MSG, seq, timestamp, subj, headers, payload);
        index.add(seq, subject, timestamp, size, loc, null);
        last.live++;
    }

    @Override
    StoredMsg read(long seq) {
        SegmentFile seg = segmentFor(seq);
        long loc = index.loc(seq);
        try {
            if (seg == last && loc >= last.size) {
                // Still waiting for the group commit: whatever is read (delivered, returned) must at least
                // survive the process being killed.
                flushPending();
            }
            SegmentRecord r = readCache.read(seg, loc);
            if (r == null || r.kind != SegmentRecord.MSG || r.seq != seq) {
                throw new StoreException(StoreException.Kind.CORRUPT, "bad record for sequence " + seq, null);
            }
            return r.toMsg();
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.IO, seg.path.toString(), e);
        }
    }

    @Override
    void persistRemove(StoreIndex.Removed removed, Removal how) {
        SegmentFile seg = segmentFor(removed.seq());
        seg.live--;
        seg.deadBytes += removed.size();
        touched.add(seg);
        if (how == Removal.COVERED) {
            return;
        }
        appendMarker(SegmentRecord.TOMBSTONE, removed.seq(), 0, new byte[0]);
        if (how == Removal.ERASE) {
            erase(seg, removed.loc(), removed.seq(), removed.timestamp());
        }
    }

    /** Overwrites a message record in place with an erased record of the same length. */
    private void erase(SegmentFile seg, long loc, long seq, long timestamp) {
        try {
            int len;
            boolean inPending = seg == last && loc >= last.size;
            if (inPending) {
                len = SegmentRecord.peekLength(pending.array(), (int) (loc - last.size), pending.position());
            } else {
                ByteBuffer lenBuf = ByteBuffer.allocate(4);
                seg.channel().read(lenBuf, loc);
                len = SegmentRecord.peekLength(lenBuf.array(), 0, 4);
            }
            ByteBuffer erased = ByteBuffer.allocate(len);
            SegmentRecord.writeMarker(erased, SegmentRecord.ERASED, seq, timestamp,
                    new byte[len - SegmentRecord.HEADER - SegmentRecord.TRAILER]);
            if (inPending) {
                System.arraycopy(erased.array(), 0, pending.array(), (int) (loc - last.size), len);
            } else {
                erased.flip();
                seg.write(erased, loc);
                appended++;
                if (syncPolicy == SyncPolicy.ALWAYS) {
                    // The group commit forces only the last segment.
                    seg.force();
                }
            }
        } catch (IOException e) {
            throw fail(new StoreException(StoreException.Kind.IO, seg.path.toString(), e));
        }
    }

    @Override
    void persistFirst(long firstSeq) {
        segments.values().forEach(touched::add);
        if (last.live == 0 && last.size + pending.position() > 0 && index.last() + 1 > last.firstSeq) {
            // Start afresh so every older segment, now empty, can be deleted.
            rotate(index.last() + 1);
        }
        appendMarker(SegmentRecord.FIRST, firstSeq, index.lastTimestamp(), new byte[0]);
    }

    @Override
    void persistSkip(long seq, long count) {
        appendMarker(SegmentRecord.SKIP, seq, index.lastTimestamp(), SegmentRecord.skipPayload(count));
    }

    private void appendMarker(byte kind, long seq, long timestamp, byte[] payload) {
        reserve(SegmentRecord.HEADER + payload.length + SegmentRecord.TRAILER, index.last() + 1);
        SegmentRecord.writeMarker(pending, kind, seq, timestamp, payload);
    }

    /** Makes room for a record in the last segment, rotating when it is full; returns its offset. */
    private long reserve(int len, long nextSeq) {
        appended++;
        long used = last.size + pending.position();
        if (used > 0 && used + len > blockSize && nextSeq > last.firstSeq) {
            rotate(nextSeq);
        }
        if (pending.remaining() < len) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + len));
            pending.flip();
            bigger.put(pending);
            pending = bigger;
        }
        return last.size + pending.position();
    }

    private void rotate(long firstSeq) {
        try {
            flushPending();
            // Sealed segments are always on disk, so only the last one can be torn by a power loss.
            last.force();
            last = SegmentFile.create(msgDir, firstSeq);
            segments.put(firstSeq, last);
        } catch (IOException e) {
            throw fail(new StoreException(StoreException.Kind.IO, "rotating segment", e));
        }
    }

    private void flushPending() throws IOException {
        if (pending.position() == 0) {
            return;
        }
        pending.flip();
        appendedSinceSnapshot += pending.remaining();
        last.write(pending, last.size);
        pending.clear();
        if (pending.capacity() > 16 * BUFFER) {
            pending = ByteBuffer.allocate(BUFFER);
        }
    }

    @Override
    long commitLocked() {
        try {
            if (syncPolicy != SyncPolicy.ALWAYS) {
                flushPending();
            }
            maintain();
            // Also spaced by the checkpoint's own size, so writing them costs at most a quarter of the appends.
            if (appendedSinceSnapshot >= Math.max(snapshotBytes, 4 * lastSnapshotSize)) {
                // Bounds what a restart after a crash must replay; index and segments agree here.
                flushPending();
                writeSnapshot();
            }
        } catch (IOException e) {
            throw fail(new StoreException(StoreException.Kind.IO, dir.toString(), e));
        }
        return appended;
    }

    /** Deletes leading segments without messages and rewrites segments that are mostly removed space. */
    private void maintain() throws IOException {
        if (touched.isEmpty()) {
            return;
        }
        while (segments.size() > 1 && segments.firstEntry().getValue().live == 0) {
            SegmentFile gone = segments.pollFirstEntry().getValue();
            touched.remove(gone);
            gone.delete();
        }
        for (SegmentFile seg : touched) {
            if (seg != last && segments.get(seg.firstSeq) == seg && seg.deadBytes >= blockSize / 2) {
                compactSegment(seg);
            }
        }
        touched.clear();
    }

    private void compactSegment(SegmentFile seg) throws IOException {
        StoreIndexSnapshot.delete(msgDir);
        byte[] data = seg.readAll();
        int limit = (int) Math.min(seg.size, data.length);
        ByteBuffer out = ByteBuffer.allocate(limit);
        long oldest = segments.firstKey();
        Map<Long, Long> moved = new LinkedHashMap<>();
        int pos = 0;
        while (pos < limit) {
            SegmentRecord r = SegmentRecord.parse(data, pos, limit, false);
            if (r == null) {
                break;
            }
            boolean keep = switch (r.kind) {
                case SegmentRecord.MSG -> index.isLive(r.seq);
                // A tombstone matters while the message it removes may still be on disk in an older segment.
                case SegmentRecord.TOMBSTONE -> r.seq < seg.firstSeq && r.seq >= oldest;
                case SegmentRecord.FIRST -> r.seq > oldest;
                case SegmentRecord.SKIP -> true;
                default -> false;
            };
            if (keep) {
                if (r.kind == SegmentRecord.MSG) {
                    moved.put(r.seq, (long) out.position());
                }
                out.put(data, pos, r.length);
            }
            pos += r.length;
        }
        Path tmp = seg.path.resolveSibling(seg.path.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.flip();
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.force(false);
        }
        seg.replaceWith(tmp, out.limit());
        moved.forEach(index::setLoc);
    }

    @Override
    void awaitDurable(long ticket) {
        if (syncPolicy == SyncPolicy.ALWAYS && ticket > 0) {
            try {
                groupCommit.await(ticket);
            } catch (UncheckedIOException e) {
                throw new StoreException(StoreException.Kind.IO, dir.toString(), e.getCause());
            }
        }
    }

    @Override
    public void whenDurable(long ticket, Consumer<Optional<StoreException>> then) {
        if (syncPolicy != SyncPolicy.ALWAYS || ticket <= 0) {
            then.accept(Optional.empty());
            return;
        }
        groupCommit.whenDurable(ticket, failure -> then.accept(
                failure.map(e -> new StoreException(StoreException.Kind.IO, dir.toString(), e))));
    }

    /**
     * The group commit's force: writes the appended records to the OS, then forces the last segment
     * outside the store lock so writers keep appending (sealed segments were forced when sealed). A failed
     * write or fsync may have dropped records the index holds, so the store then refuses further calls.
     */
    private long forceLast() throws IOException {
        while (true) {
            SegmentFile target;
            long ticket;
            lock.lock();
            try {
                ticket = appended;
                if (released) {
                    return ticket;
                }
                if (failed()) {
                    throw new IOException("store failed earlier");
                }
                flushPending();
                target = last;
            } catch (IOException e) {
                throw fail(e, last);
            } finally {
                lock.unlock();
            }
            try {
                target.force();
                return ticket;
            } catch (ClosedChannelException e) {
                // Rotated and rewritten or closed meanwhile, which forces it; look again.
            } catch (IOException e) {
                lock.lock();
                try {
                    throw fail(e, target);
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Marks the store failed after a failed write or force of this segment; returns the error to throw. */
    private IOException fail(IOException e, SegmentFile seg) {
        fail(new StoreException(StoreException.Kind.IO, seg.path.toString(), e));
        return e;
    }

    @Override
    public void sync() {
        lock.lock();
        try {
            checkOpen();
            flushPending();
            for (SegmentFile seg : segments.values()) {
                seg.force();
            }
        } catch (IOException e) {
            throw fail(new StoreException(StoreException.Kind.IO, dir.toString(), e));
        } finally {
            lock.unlock();
        }
    }

    SegmentFile segmentFor(long seq) {
        return segments.floorEntry(seq).getValue();
    }

    @Override
    ConsumerStoreBase openConsumer(String name, ConsumerStore.AckMode ackMode) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("invalid consumer name: " + name);
        }
        try {
            return FileConsumerStore.open(dir.resolve("obs").resolve(name), ackMode, syncPolicy);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.IO, "consumer " + name, e);
        }
    }

    /**
     * Writes the index checkpoint covering the segments as they are now. Sealed segments are on the disk
     * already; the last one is not forced for a periodic checkpoint (that would stall writers under the
     * lock), as recovery checksums what the checkpoint covers of it before trusting the checkpoint.
     */
    private void writeSnapshot() throws IOException {
        lastSnapshotSize = StoreIndexSnapshot.write(msgDir, index, segments.values());
        appendedSinceSnapshot = 0;
    }

    @Override
    void release() {
        try {
            // After a failed write the index may hold what never reached the disk: keep the old snapshot.
            if (!failed()) {
                flushPending();
                last.force();
                writeSnapshot();
            }
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.IO, "closing " + dir, e);
        } finally {
            released = true;
            readCache.clear();
            segments.values().forEach(SegmentFile::close);
            try {
                dirLock.release();
                lockChannel.close();
            } catch (IOException e) {
                LOG.warn("releasing the lock of {}", dir, e);
            }
        }
    }

    @Override
    void removeData() {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Configures and opens a {@link FileStore}. */
    public static final class Builder {
        private final Path directory;
        private StoreConfig config = StoreConfig.UNLIMITED;
        private SyncPolicy syncPolicy = SyncPolicy.WRITE;
        private long blockSize = DEFAULT_BLOCK_SIZE;
        private LongSupplier clock = MemoryStore::now;
        private long snapshotBytes = 64L * 1024 * 1024;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        public Builder config(StoreConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        public Builder syncPolicy(SyncPolicy syncPolicy) {
            this.syncPolicy = Objects.requireNonNull(syncPolicy, "syncPolicy");
            return this;
        }

        /** The size at which a segment is sealed and a new one started (at least 1 KiB). */
        public Builder blockSize(long blockSize) {
            if (blockSize < 1024) {
                throw new IllegalArgumentException("block size below 1 KiB: " + blockSize);
            }
            this.blockSize = blockSize;
            return this;
        }

        /**
         * How many bytes may be appended before the index snapshot is rewritten (besides on close), which
         * bounds how much a restart after a crash has to replay.
         */
        public Builder snapshotBytes(long snapshotBytes) {
            if (snapshotBytes <= 0) {
                throw new IllegalArgumentException("snapshot interval must be positive: " + snapshotBytes);
            }
            this.snapshotBytes = snapshotBytes;
            return this;
        }

        /** The wall clock, nanoseconds since the epoch, for max age and skipped sequences. */
        public Builder clock(LongSupplier clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Opens the store, creating the directory or recovering what it holds. */
        public FileStore open() {
            try {
                return new FileStore(this);
            } catch (IOException e) {
                throw new StoreException(StoreException.Kind.IO, "opening " + directory, e);
            }
        }
    }
}
