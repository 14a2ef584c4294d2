package io.pocketbus.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Consumer state on disk, {@code o.dat}: a log that starts with the full state and continues with one
 * record per delivery and acknowledgement. Records gather in memory and go to the OS in one write, as
 * nats-server's consumer store writes its state lazily: at the latest {@link #FLUSH_DELAY} after the
 * first of them, and at once when {@link #awaitDurable} is called, which with {@link SyncPolicy#ALWAYS}
 * also group-commits the log (one fsync for every waiter that arrived meanwhile). So a confirmed ack,
 * and everything recorded before it, survives a crash; a crash may lose only unconfirmed progress of the
 * last moments, which redelivers those messages. When the log grows past a few times the size of the state
 * it is rewritten as a single full-state record (tmp file, then an atomic rename). Records:
 * {@code int length · byte type · body · int CRC32C}; a torn tail is cut off on open.
 */
final class FileConsumerStore extends ConsumerStoreBase {

    static final String FILE = "o.dat";
    private static final byte FULL = 1;
    private static final byte DELIVERED = 2;
    private static final byte ACK = 3;
    /** A rewrite forces a new file; below this the log is only appended, so a busy consumer rarely waits for one. */
    private static final long MIN_REWRITE = 4L * 1024 * 1024;
    /** How long unconfirmed records may wait in memory: a pull consumer's acks of a whole batch share one write. */
    static final long FLUSH_DELAY = TimeUnit.MILLISECONDS.toNanos(20);
    /** A burst writes once this much gathered, without waiting for the flusher. */
    private static final int MAX_BUFFERED = 256 * 1024;
    private static final int DELIVERED_LENGTH = 4 + 1 + 32 + 4;
    private static final int ACK_LENGTH = 4 + 1 + 16 + 4;

    private final Path dir;
    private final Path file;
    private final SyncPolicy syncPolicy;
    private final StoreGroupCommit groupCommit = new StoreGroupCommit(this::forceLog);
    private FileChannel channel;
    /** Bytes in the file; the buffered records go after them. */
    private long size;
    private long rewriteAt;
    /** Sealed records not yet written to the OS; guarded by the lock. */
    private ByteBuffer buffered = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    private int bufferedRecords;
    private final CRC32C crc = new CRC32C();
    /** Records written to the OS so far: the group commit's tickets. */
    private long written;
    private volatile boolean released;
    /** Writes the buffered records {@link #FLUSH_DELAY} after the first of them; woken by {@link #startRecord}. */
    private Thread flusher;

    private FileConsumerStore(Path dir, AckMode ackMode, SyncPolicy syncPolicy) {
        super(ackMode);
        this.dir = dir;
        this.file = dir.resolve(FILE);
        this.syncPolicy = syncPolicy;
    }

    static FileConsumerStore open(Path dir, AckMode ackMode, SyncPolicy syncPolicy) throws IOException {
        Files.createDirectories(dir);
        FileConsumerStore store = new FileConsumerStore(dir, ackMode, syncPolicy);
        store.lock.lock();
        try {
            store.recover();
            store.flusher = Thread.ofVirtual().name("js-consumer-store-" + dir.getFileName()).start(store::flushLoop);
        } finally {
            store.lock.unlock();
        }
        return store;
    }

    private void flushLoop() {
        while (!released) {
            LockSupport.park(this);
            if (released) {
                return;
            }
            // Let the records of this moment gather; an awaitDurable meanwhile writes them earlier.
            LockSupport.parkNanos(FLUSH_DELAY);
            lock.lock();
            try {
                if (!released) {
                    flushLocked();
                }
            } catch (StoreException e) {
                // The records stay buffered: awaitDurable, close or a full buffer retries and reports the failure.
            } finally {
                lock.unlock();
            }
        }
    }

    private void recover() throws IOException {
        if (!Files.exists(file)) {
            rewrite();
            return;
        }
        byte[] data = Files.readAllBytes(file);
        int pos = 0;
        while (pos + 9 <= data.length) {
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            int len = b.getInt(pos);
            if (len < 9 || len > data.length - pos) {
                break;
            }
            CRC32C crc = new CRC32C();
            crc.update(data, pos, len - 4);
            if (b.getInt(pos + len - 4) != (int) crc.getValue()) {
                break;
            }
            b.position(pos + 5);
            switch (data[pos + 4]) {
                case FULL -> replace(decodeState(b));
                case DELIVERED -> applyDelivered(b.getLong(), b.getLong(), b.getLong(), b.getLong());
                case ACK -> applyAck(b.getLong(), b.getLong());
                default -> throw new StoreException(StoreException.Kind.CORRUPT, file.toString(), null);
            }
            pos += len;
        }
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (pos < data.length) {
            channel.truncate(pos);
        }
        size = pos;
        rewriteAt = Math.max(MIN_REWRITE, 4L * size);
    }

    @Override
    void persistDelivered(long consumerSeq, long streamSeq, long deliveryCount, long timestamp) {
        int at = startRecord(DELIVERED, DELIVERED_LENGTH);
        byte[] b = buffered.array();
        putLong(b, at, consumerSeq);
        putLong(b, at + 8, streamSeq);
        putLong(b, at + 16, deliveryCount);
        putLong(b, at + 24, timestamp);
        endRecord(DELIVERED_LENGTH);
    }

    @Override
    void persistAck(long consumerSeq, long streamSeq) {
        int at = startRecord(ACK, ACK_LENGTH);
        byte[] b = buffered.array();
        putLong(b, at, consumerSeq);
        putLong(b, at + 8, streamSeq);
        endRecord(ACK_LENGTH);
    }

    /**
     * Starts a record of {@code length} bytes at the buffer's position, waking the flusher if it is the
     * first; returns where its body goes in the buffer's array. Records are written into the array
     * directly: one is written for every delivery and every ack.
     */
    private int startRecord(byte type, int length) {
        if (buffered.position() >= MAX_BUFFERED) {
            flushLocked();
        }
        if (buffered.position() == 0) {
            LockSupport.unpark(flusher);
        }
        if (buffered.remaining() < length) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffered.capacity() * 2, buffered.position() + length))
                    .order(ByteOrder.LITTLE_ENDIAN);
            buffered = bigger.put(buffered.flip());
        }
        byte[] b = buffered.array();
        int start = buffered.position();
        putInt(b, start, length);
        b[start + 4] = type;
        return start + 5;
    }

    /** Seals the record started at the buffer's position with its checksum and moves past it. */
    private void endRecord(int length) {
        byte[] b = buffered.array();
        int start = buffered.position();
        crc.reset();
        crc.update(b, start, length - 4);
        putInt(b, start + length - 4, (int) crc.getValue());
        buffered.position(start + length);
        bufferedRecords++;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    private static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) v);
        putInt(b, at + 4, (int) (v >>> 32));
    }

    /** Writes the buffered records to the OS; called under the lock. */
    private void flushLocked() {
        if (buffered.position() == 0) {
            return;
        }
        buffered.flip();
        try {
            while (buffered.hasRemaining()) {
                size += channel.write(buffered, size);
            }
        } catch (IOException e) {
            // Keeps what was not written for the next attempt, after what was.
            buffered.compact();
            throw new StoreException(StoreException.Kind.IO, file.toString(), e);
        }
        buffered.clear();
        written += bufferedRecords;
        bufferedRecords = 0;
        if (size > rewriteAt) {
            persistState();
        }
    }

    @Override
    void persistState() {
        try {
            rewrite();
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.IO, file.toString(), e);
        }
    }

    private static ByteBuffer record(byte type, int bodyLength) {
        ByteBuffer b = ByteBuffer.allocate(4 + 1 + bodyLength + 4).order(ByteOrder.LITTLE_ENDIAN);
        return b.putInt(b.capacity()).put(type);
    }

    private static ByteBuffer seal(ByteBuffer b) {
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.flip();
    }

    /** Replaces the log with one full-state record, which covers every buffered record too. */
    private void rewrite() throws IOException {
        buffered.clear();
        bufferedRecords = 0;
        ConsumerState st = snapshot();
        ByteBuffer rec = record(FULL, 32 + 4 + st.pending().size() * 24 + 4 + st.redelivered().size() * 16);
        rec.putLong(st.delivered().consumerSeq()).putLong(st.delivered().streamSeq())
                .putLong(st.ackFloor().consumerSeq()).putLong(st.ackFloor().streamSeq());
        rec.putInt(st.pending().size());
        for (Map.Entry<Long, ConsumerState.Pending> e : st.pending().entrySet()) {
            rec.putLong(e.getKey()).putLong(e.getValue().consumerSeq()).putLong(e.getValue().timestamp());
        }
        rec.putInt(st.redelivered().size());
        for (Map.Entry<Long, Long> e : st.redelivered().entrySet()) {
            rec.putLong(e.getKey()).putLong(e.getValue());
        }
        seal(rec);
        Path tmp = dir.resolve(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (rec.hasRemaining()) {
                ch.write(rec);
            }
            // Forced before the rename so the state is never replaced by an empty file, even on power loss.
            ch.force(false);
        }
        if (channel != null) {
            channel.close();
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (syncPolicy == SyncPolicy.ALWAYS) {
            // The old log may hold appends not yet forced: the rename must be on the disk too.
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        }
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        size = channel.size();
        rewriteAt = Math.max(MIN_REWRITE, 4L * size);
    }

    @Override
    public void awaitDurable() {
        long ticket;
        lock.lock();
        try {
            if (released) {
                return;
            }
            flushLocked();
            ticket = written;
        } finally {
            lock.unlock();
        }
        if (syncPolicy == SyncPolicy.ALWAYS) {
            groupCommit.await(ticket);
        }
    }

    /** The group commit's force, outside the lock so deliveries and acks keep being appended meanwhile. */
    private long forceLog() throws IOException {
        while (true) {
            FileChannel target;
            long ticket;
            lock.lock();
            try {
                ticket = written;
                if (released) {
                    return ticket;
                }
                target = channel;
            } finally {
                lock.unlock();
            }
            try {
                target.force(false);
                return ticket;
            } catch (ClosedChannelException e) {
                // Replaced by a rewrite, which forced the full state, or closed, which forces it; look again.
            }
        }
    }

    private static ConsumerState decodeState(ByteBuffer b) {
        var delivered = new ConsumerState.SequencePair(b.getLong(), b.getLong());
        var floor = new ConsumerState.SequencePair(b.getLong(), b.getLong());
        int n = b.getInt();
        Map<Long, ConsumerState.Pending> pending = new HashMap<>();
        for (int i = 0; i < n; i++) {
            pending.put(b.getLong(), new ConsumerState.Pending(b.getLong(), b.getLong()));
        }
        int r = b.getInt();
        Map<Long, Long> redelivered = new HashMap<>();
        for (int i = 0; i < r; i++) {
            redelivered.put(b.getLong(), b.getLong());
        }
        return new ConsumerState(delivered, floor, pending, redelivered);
    }

    @Override
    void release() {
        try {
            flushLocked();
        } finally {
            released = true;
            LockSupport.unpark(flusher);
        }
        try {
            channel.force(false);
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
}
