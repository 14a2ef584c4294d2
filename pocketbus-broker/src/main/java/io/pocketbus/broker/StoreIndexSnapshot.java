package io.pocketbus.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * {@code index.db}: a checksummed checkpoint of a file store's index, so a restart maps it instead of
 * scanning every segment. It records, per segment, how many bytes it covers and how many live messages
 * and removed bytes it holds; records appended after the checkpoint are replayed from the segments on
 * open. Written on close and whenever enough bytes were appended since the last one; deleted before any
 * change that moves records (segment compaction), so a stale checkpoint is never trusted.
 *
 * <p>Layout (little-endian): magic and version, the segments, then the {@link StoreIndex} image (its
 * counters, subjects and pages as raw primitive arrays, read back with bulk copies rather than per
 * message), and a CRC32C of it all.
 */
final class StoreIndexSnapshot {

    static final String FILE = "index.db";
    private static final long MAGIC = 0x5042495800000003L;

    /** What the checkpoint knew of one segment. */
    record Segment(long firstSeq, long covered, long live, long deadBytes) {
    }

    /** Segment first sequence → what the checkpoint covered of it. */
    final TreeMap<Long, Segment> segments;
    /** The {@link StoreIndex} image, positioned at its start, for {@link StoreIndex#readImage}. */
    final ByteBuffer image;

    private StoreIndexSnapshot(TreeMap<Long, Segment> segments, ByteBuffer image) {
        this.segments = segments;
        this.image = image;
    }

    /**
     * Writes the checkpoint through a temporary file and an atomic rename and returns its size. It needs
     * no fsync of its own: one that is torn or lost fails its checksum or is missing, and the segments
     * are replayed instead.
     */
    static long write(Path dir, StoreIndex index, Collection<SegmentFile> segmentFiles) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        long size;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Sink out = new Sink(ch);
            out.putLong(MAGIC);
            out.putInt(segmentFiles.size());
            for (SegmentFile seg : segmentFiles) {
                out.putLong(seg.firstSeq);
                out.putLong(seg.size);
                out.putLong(seg.live);
                out.putLong(seg.deadBytes);
            }
            index.writeImage(out);
            out.finish();
            size = ch.size();
        }
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return size;
    }

    /** The checkpoint in {@code dir}, or empty when there is none or it does not check out. */
    static Optional<StoreIndexSnapshot> read(Path dir) {
        try (FileChannel ch = FileChannel.open(dir.resolve(FILE), StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 16 || size > Integer.MAX_VALUE) {
                return Optional.empty();
            }
            ByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
            CRC32C crc = new CRC32C();
            crc.update(data.slice(0, (int) size - 8));
            if (data.getLong((int) size - 8) != crc.getValue() || data.getLong(0) != MAGIC) {
                return Optional.empty();
            }
            data.limit((int) size - 8).position(8);
            int count = data.getInt();
            TreeMap<Long, Segment> segments = new TreeMap<>();
            for (int i = 0; i < count; i++) {
                Segment s = new Segment(data.getLong(), data.getLong(), data.getLong(), data.getLong());
                segments.put(s.firstSeq(), s);
            }
            return Optional.of(new StoreIndexSnapshot(segments, data.slice().order(ByteOrder.LITTLE_ENDIAN)));
        } catch (IOException | RuntimeException e) {
            // Missing, torn or from another version: the segments are the truth, so recovery scans them.
            return Optional.empty();
        }
    }

    static void delete(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE));
    }

    /** Buffered little-endian writes to a channel with a running CRC32C. */
    static final class Sink {
        private static final int CAPACITY = 256 * 1024;
        private final FileChannel channel;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(CAPACITY).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();

        private Sink(FileChannel channel) {
            this.channel = channel;
        }

        void putByte(byte v) throws IOException {
            room(1).put(v);
        }

        void putInt(int v) throws IOException {
            room(4).putInt(v);
        }

        void putLong(long v) throws IOException {
            room(8).putLong(v);
        }

        void putLongs(long[] a) throws IOException {
            room(a.length * 8).asLongBuffer().put(a);
            buf.position(buf.position() + a.length * 8);
        }

        void putInts(int[] a) throws IOException {
            room(a.length * 4).asIntBuffer().put(a);
            buf.position(buf.position() + a.length * 4);
        }

        void putBytes(byte[] a) throws IOException {
            if (a.length > CAPACITY) {
                flush();
                ByteBuffer b = ByteBuffer.wrap(a);
                crc.update(b.duplicate());
                while (b.hasRemaining()) {
                    channel.write(b);
                }
                return;
            }
            room(a.length).put(a);
        }

        private ByteBuffer room(int n) throws IOException {
            if (buf.remaining() < n) {
                flush();
            }
            return buf;
        }

        private void flush() throws IOException {
            buf.flip();
            crc.update(buf.duplicate());
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            buf.clear();
        }

        /** Writes what is buffered and the checksum of everything written. */
        void finish() throws IOException {
            flush();
            buf.putLong(crc.getValue()).flip();
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        }
    }
}
