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
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Consumer state on disk, {@code o.dat}: a log that starts with the full state and continues with one
 * record per delivery and acknowledgement, each written to the OS before the call returns; with
 * {@link SyncPolicy#ALWAYS}, {@link #awaitDurable} group-commits the log (one fsync for every waiter
 * that arrived meanwhile), so a confirmed ack survives a crash. When the log grows past a few
 * times the size of the state it is rewritten as a single full-state record (tmp file, then an atomic
 * rename). Records: {@code int length · byte type · body · int CRC32C}; a torn tail is cut off on open.
 */
final class FileConsumerStore extends ConsumerStoreBase {

    static final String FILE = "o.dat";
    private static final byte FULL = 1;
    private static final byte DELIVERED = 2;
    private static final byte ACK = 3;
    /** A rewrite forces a new file; below this the log is only appended, so a busy consumer rarely waits for one. */
    private static final long MIN_REWRITE = 4L * 1024 * 1024;

    private final Path dir;
    private final Path file;
    private final SyncPolicy syncPolicy;
    private final StoreGroupCommit groupCommit = new StoreGroupCommit(this::forceLog);
    private FileChannel channel;
    private long size;
    private long rewriteAt;
    /** Records appended so far: the group commit's tickets. */
    private long written;
    private boolean released;

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
        } finally {
            store.lock.unlock();
        }
        return store;
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
        append(record(DELIVERED, 32).putLong(consumerSeq).putLong(streamSeq).putLong(deliveryCount)
                .putLong(timestamp));
    }

    @Override
    void persistAck(long consumerSeq, long streamSeq) {
        append(record(ACK, 16).putLong(consumerSeq).putLong(streamSeq));
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

    private void append(ByteBuffer rec) {
        try {
            seal(rec);
            while (rec.hasRemaining()) {
                size += channel.write(rec, size);
            }
            written++;
            if (size > rewriteAt) {
                rewrite();
            }
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.IO, file.toString(), e);
        }
    }

    /** Replaces the log with one full-state record. */
    private void rewrite() throws IOException {
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
        if (syncPolicy != SyncPolicy.ALWAYS) {
            return;
        }
        long ticket;
        lock.lock();
        try {
            ticket = written;
        } finally {
            lock.unlock();
        }
        groupCommit.await(ticket);
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
        released = true;
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
