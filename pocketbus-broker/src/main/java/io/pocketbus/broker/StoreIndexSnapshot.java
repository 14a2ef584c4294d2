package io.pocketbus.broker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * {@code index.db}: a checksummed snapshot of a file store's index, so a restart reads it instead of
 * scanning every segment. It records, per segment, how many bytes it covers; records appended after the
 * snapshot are replayed from the segments on open. Written on close; deleted before any change that
 * moves records (segment compaction), so a stale snapshot is never trusted.
 */
final class StoreIndexSnapshot {

    static final String FILE = "index.db";
    private static final int MAGIC = 0x50424958;
    private static final int VERSION = 1;

    /** One live message. */
    record Entry(long seq, long timestamp, String subject, long size, long loc) {
    }

    final long lastSeq;
    final long lastTimestamp;
    /** Segment first sequence → bytes covered. */
    final TreeMap<Long, Long> segments;
    final List<Entry> entries;

    private StoreIndexSnapshot(long lastSeq, long lastTimestamp, TreeMap<Long, Long> segments, List<Entry> entries) {
        this.lastSeq = lastSeq;
        this.lastTimestamp = lastTimestamp;
        this.segments = segments;
        this.entries = entries;
    }

    static void write(Path dir, StoreIndex index, Map<Long, Long> segmentSizes) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        CRC32C crc = new CRC32C();
        try (OutputStream file = Files.newOutputStream(tmp);
                DataOutputStream out = new DataOutputStream(
                        new CheckedOutputStream(new BufferedOutputStream(file, 1 << 16), crc))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(index.last());
            out.writeLong(index.lastTimestamp());
            out.writeInt(segmentSizes.size());
            for (Map.Entry<Long, Long> e : segmentSizes.entrySet()) {
                out.writeLong(e.getKey());
                out.writeLong(e.getValue());
            }
            Map<String, Integer> ids = new HashMap<>();
            List<String> names = new ArrayList<>();
            index.forEachLive(seq -> ids.computeIfAbsent(index.subject(seq), s -> {
                names.add(s);
                return names.size() - 1;
            }));
            out.writeInt(names.size());
            for (String name : names) {
                byte[] b = name.getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
            }
            out.writeLong(index.msgs());
            IOException[] failure = new IOException[1];
            index.forEachLive(seq -> {
                try {
                    out.writeLong(seq);
                    out.writeLong(index.timestamp(seq));
                    out.writeInt(ids.get(index.subject(seq)));
                    out.writeLong(index.size(seq));
                    out.writeLong(index.loc(seq));
                } catch (IOException e) {
                    failure[0] = e;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            out.flush();
            // The checksum itself is outside the checked range.
            long sum = crc.getValue();
            DataOutputStream tail = new DataOutputStream(file);
            tail.writeLong(sum);
            tail.flush();
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The snapshot in {@code dir}, or empty when there is none or it does not check out. */
    static Optional<StoreIndexSnapshot> read(Path dir) {
        CRC32C crc = new CRC32C();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(dir.resolve(FILE)), 1 << 16)) {
            DataInputStream in = new DataInputStream(new CheckedInputStream(file, crc));
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                return Optional.empty();
            }
            long lastSeq = in.readLong();
            long lastTs = in.readLong();
            int segCount = in.readInt();
            TreeMap<Long, Long> segments = new TreeMap<>();
            for (int i = 0; i < segCount; i++) {
                segments.put(in.readLong(), in.readLong());
            }
            int subjectCount = in.readInt();
            String[] names = new String[subjectCount];
            for (int i = 0; i < subjectCount; i++) {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                names[i] = new String(b, StandardCharsets.UTF_8);
            }
            long count = in.readLong();
            if (count < 0 || count > Integer.MAX_VALUE) {
                return Optional.empty();
            }
            List<Entry> entries = new ArrayList<>((int) count);
            for (long i = 0; i < count; i++) {
                entries.add(new Entry(in.readLong(), in.readLong(), names[in.readInt()], in.readLong(),
                        in.readLong()));
            }
            long expected = crc.getValue();
            if (new DataInputStream(file).readLong() != expected || file.read() != -1) {
                return Optional.empty();
            }
            return Optional.of(new StoreIndexSnapshot(lastSeq, lastTs, segments, entries));
        } catch (IOException | RuntimeException e) {
            // Missing, torn or from another version: the segments are the truth, so recovery scans them.
            return Optional.empty();
        }
    }

    static void delete(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE));
    }
}
