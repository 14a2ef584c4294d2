package io.pocketbus.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One append-only segment ("block") file of a {@link FileStore}, named after the first sequence it may
 * hold. Writes and reads are positional; the store's lock orders them. Keeps the counts the store needs to
 * decide when the segment can be deleted or compacted.
 */
final class SegmentFile {

    static final String SUFFIX = ".blk";

    final long firstSeq;
    final Path path;
    private FileChannel channel;
    /** Bytes of valid records; appends go here. */
    long size;
    /** Live messages in this segment. */
    long live;
    /** Accounted bytes of removed messages since the segment was last compacted. */
    long deadBytes;
    /** Changes whenever bytes already written change or go away (appends leave it): {@link SegmentReadCache} compares it. */
    private long version;

    private SegmentFile(long firstSeq, Path path, FileChannel channel, long size) {
        this.firstSeq = firstSeq;
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    static Path pathFor(Path dir, long firstSeq) {
        return dir.resolve(String.format("%020d", firstSeq) + SUFFIX);
    }

    static boolean isSegmentName(String name) {
        return name.length() == 20 + SUFFIX.length() && name.endsWith(SUFFIX)
                && name.chars().limit(20).allMatch(Character::isDigit);
    }

    static long seqOf(Path path) {
        return Long.parseLong(path.getFileName().toString().substring(0, 20));
    }

    static SegmentFile create(Path dir, long firstSeq) throws IOException {
        Path path = pathFor(dir, firstSeq);
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        ch.truncate(0);
        return new SegmentFile(firstSeq, path, ch, 0);
    }

    static SegmentFile open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new SegmentFile(seqOf(path), path, ch, ch.size());
    }

    FileChannel channel() {
        return channel;
    }

    long version() {
        return version;
    }

    /** The whole file as written so far. */
    byte[] readAll() throws IOException {
        return readFrom(0);
    }

    /** The file from {@code offset} to its end. */
    byte[] readFrom(long offset) throws IOException {
        long fileSize = channel.size();
        if (fileSize > Integer.MAX_VALUE - 16) {
            throw new IOException("segment too large: " + path);
        }
        byte[] out = new byte[(int) Math.max(0, fileSize - offset)];
        readFully(ByteBuffer.wrap(out), offset);
        return out;
    }

    /** Reads {@code length} bytes from {@code offset} into the start of {@code into}. */
    void readFully(byte[] into, int length, long offset) throws IOException {
        readFully(ByteBuffer.wrap(into, 0, length), offset);
    }

    private void readFully(ByteBuffer buf, long offset) throws IOException {
        long pos = offset;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of " + path);
            }
            pos += n;
        }
    }

    /** Writes {@code buf} at {@code offset} (appends when offset is the size). */
    void write(ByteBuffer buf, long offset) throws IOException {
        if (offset < size) {
            version++;
        }
        long pos = offset;
        while (buf.hasRemaining()) {
            pos += channel.write(buf, pos);
        }
        size = Math.max(size, pos);
    }

    void truncate(long length) throws IOException {
        version++;
        channel.truncate(length);
        size = length;
    }

    void force() throws IOException {
        channel.force(false);
    }

    /** Replaces this segment's file with {@code replacement} (already forced), atomically. */
    void replaceWith(Path replacement, long newSize) throws IOException {
        version++;
        channel.close();
        Files.move(replacement, path, StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        size = newSize;
        deadBytes = 0;
    }

    void close() {
        version++;
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void delete() throws IOException {
        version++;
        channel.close();
        Files.deleteIfExists(path);
    }
}
