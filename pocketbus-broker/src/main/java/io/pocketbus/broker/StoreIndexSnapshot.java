package io.pocketbus.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * {@code index.db}: a checksummed snapshot of a file store's index, so a restart reads it instead of
 * scanning every segment. It records, per segment, how many bytes it covers; records appended after the
 * snapshot are replayed from the segments on open. Written on close and whenever enough bytes were
 * appended since the last one; deleted before any change that moves records (segment compaction), so a
 * stale snapshot is never trusted.
 *
 * <p>Layout: magic, version, last seq and time, the segments, the subjects, then per live message the
 * deltas of sequence, time and offset from the previous one plus subject id and size, as varints (a few
 * bytes per message), and a CRC32C of it all.
 */
final class StoreIndexSnapshot {

    static final String FILE = "index.db";
    private static final int MAGIC = 0x50424958;
    private static final int VERSION = 2;

    /** Receives the live messages of a snapshot in sequence order. */
    @FunctionalInterface
    interface EntryVisitor {
        void visit(long seq, long timestamp, String subject, long size, long loc);
    }

    final long lastSeq;
    final long lastTimestamp;
    /** Segment first sequence → bytes covered. */
    final TreeMap<Long, Long> segments;
    private final String[] subjects;
    private final long count;
    private final ByteBuffer entries;

    private StoreIndexSnapshot(long lastSeq, long lastTimestamp, TreeMap<Long, Long> segments, String[] subjects,
            long count, ByteBuffer entries) {
        this.lastSeq = lastSeq;
        this.lastTimestamp = lastTimestamp;
        this.segments = segments;
        this.subjects = subjects;
        this.count = count;
        this.entries = entries;
    }

    void forEachEntry(EntryVisitor visitor) {
        ByteBuffer b = entries.duplicate();
        long seq = 0;
        long ts = 0;
        long loc = 0;
        for (long i = 0; i < count; i++) {
            seq += readVarLong(b);
            ts += unzigzag(readVarLong(b));
            String subject = subjects[(int) readVarLong(b)];
            long size = readVarLong(b);
            loc += unzigzag(readVarLong(b));
            visitor.visit(seq, ts, subject, size, loc);
        }
    }

    static void write(Path dir, StoreIndex index, Map<Long, Long> segmentSizes) throws IOException {
        Out out = new Out(Math.max(1024, (int) Math.min(Integer.MAX_VALUE / 2, index.msgs() * 8 + 1024)));
        out.putLong(((long) MAGIC << 32) | VERSION);
        out.putLong(index.last());
        out.putLong(index.lastTimestamp());
        out.putVarLong(segmentSizes.size());
        segmentSizes.forEach((first, size) -> {
            out.putVarLong(first);
            out.putVarLong(size);
        });
        Map<String, Integer> ids = new HashMap<>();
        index.forEachLive(seq -> ids.putIfAbsent(index.subject(seq), ids.size()));
        String[] names = new String[ids.size()];
        ids.forEach((name, id) -> names[id] = name);
        out.putVarLong(names.length);
        for (String name : names) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            out.putVarLong(b.length);
            out.put(b);
        }
        out.putVarLong(index.msgs());
        long[] prev = new long[3];
        index.forEachLive(seq -> {
            long ts = index.timestamp(seq);
            long loc = index.loc(seq);
            out.putVarLong(seq - prev[0]);
            out.putVarLong(zigzag(ts - prev[1]));
            out.putVarLong(ids.get(index.subject(seq)));
            out.putVarLong(index.size(seq));
            out.putVarLong(zigzag(loc - prev[2]));
            prev[0] = seq;
            prev[1] = ts;
            prev[2] = loc;
        });
        CRC32C crc = new CRC32C();
        crc.update(out.buf, 0, out.pos);
        out.putLong(crc.getValue());

        Path tmp = dir.resolve(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(out.buf, 0, out.pos);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The snapshot in {@code dir}, or empty when there is none or it does not check out. */
    static Optional<StoreIndexSnapshot> read(Path dir) {
        try {
            byte[] data = Files.readAllBytes(dir.resolve(FILE));
            if (data.length < 32) {
                return Optional.empty();
            }
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            CRC32C crc = new CRC32C();
            crc.update(data, 0, data.length - 8);
            if (b.getLong(data.length - 8) != crc.getValue()
                    || b.getLong() != (((long) MAGIC << 32) | VERSION)) {
                return Optional.empty();
            }
            b.limit(data.length - 8);
            long lastSeq = b.getLong();
            long lastTs = b.getLong();
            long segCount = readVarLong(b);
            TreeMap<Long, Long> segments = new TreeMap<>();
            for (long i = 0; i < segCount; i++) {
                segments.put(readVarLong(b), readVarLong(b));
            }
            String[] names = new String[(int) readVarLong(b)];
            for (int i = 0; i < names.length; i++) {
                byte[] name = new byte[(int) readVarLong(b)];
                b.get(name);
                names[i] = new String(name, StandardCharsets.UTF_8);
            }
            long count = readVarLong(b);
            return Optional.of(new StoreIndexSnapshot(lastSeq, lastTs, segments, names, count, b.slice()));
        } catch (IOException | RuntimeException e) {
            // Missing, torn or from another version: the segments are the truth, so recovery scans them.
            return Optional.empty();
        }
    }

    static void delete(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE));
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static long readVarLong(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte x = b.get();
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
        }
        throw new IllegalStateException("malformed varint");
    }

    /** A growable little-endian byte buffer. */
    private static final class Out {
        byte[] buf;
        int pos;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        private void ensure(int n) {
            if (buf.length - pos < n) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        void putLong(long v) {
            ensure(8);
            for (int i = 0; i < 8; i++) {
                buf[pos++] = (byte) (v >>> (8 * i));
            }
        }

        void putVarLong(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[pos++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
        }

        void put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }
    }
}
