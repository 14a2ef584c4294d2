package io.pocketbus.broker;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreTest extends StreamStoreContractTest {

    @TempDir
    Path tmp;
    private final AtomicInteger stores = new AtomicInteger();

    @Override
    StreamStore create(StoreConfig config, boolean realClock) {
        FileStore.Builder b = FileStore.builder(tmp.resolve("s" + stores.incrementAndGet())).config(config)
                .blockSize(4096);
        return (realClock ? b : b.clock(clock::get)).open();
    }

    @Override
    long expectedSize(String subject, byte[] headers, byte[] payload) {
        return 22 + subject.length() + (headers.length > 0 ? 4 + headers.length : 0) + payload.length + 8;
    }

    private FileStore openAt(Path dir) {
        return FileStore.builder(dir).blockSize(4096).clock(clock::get).open();
    }

    /** Everything observable about a store's contents. */
    private record Snapshot(StoreState state, Map<String, StoreSubjectState> subjects, List<StoredMsg> msgs) {
        static Snapshot of(StreamStore s) {
            List<StoredMsg> msgs = new ArrayList<>();
            for (var m = s.loadNextMsg(">", 0); m.isPresent(); m = s.loadNextMsg(">", m.get().seq() + 1)) {
                msgs.add(m.get());
            }
            return new Snapshot(s.state(), s.subjectsState(">"), msgs);
        }
    }

    private void mixedHistory(StreamStore s) {
        for (int i = 1; i <= 400; i++) {
            s.store("mix." + (i % 7), i % 5 == 0 ? HEADERS : NO_HEADERS, ("payload-" + i).getBytes(UTF_8),
                    clock.incrementAndGet());
        }
        s.removeMsg(10);
        s.eraseMsg(11);
        s.removeMsg(400);
        s.purge("mix.3", 200, 0);
        s.compact(5);
        s.skipMsgs(401, 3);
        put(s, "mix.tail", "after skip");
        for (long seq = 100; seq < 300; seq += 2) {
            s.removeMsg(seq);
        }
    }

    @Test
    void reopenedStoreSeesEverythingWithAndWithoutTheIndexSnapshot() {
        Path dir = tmp.resolve("reopen");
        Snapshot before;
        try (FileStore s = openAt(dir)) {
            mixedHistory(s);
            before = Snapshot.of(s);
        }
        assertThat(before.msgs()).hasSizeGreaterThan(200);
        try (FileStore s = openAt(dir)) {
            assertThat(Snapshot.of(s)).isEqualTo(before);
        }
        assertThat(dir.resolve("msgs").resolve(StoreIndexSnapshot.FILE)).exists();
        try (FileStore s = openAt(dir)) {
            assertThat(Snapshot.of(s)).isEqualTo(before);
            assertThat(put(s, "mix.new", "x")).isEqualTo(before.state().lastSeq() + 1);
        }
    }

    @Test
    void fullReplayRebuildsTheSameIndex() throws IOException {
        Path dir = tmp.resolve("replay");
        Snapshot before;
        try (FileStore s = openAt(dir)) {
            mixedHistory(s);
            before = Snapshot.of(s);
        }
        Files.delete(dir.resolve("msgs").resolve(StoreIndexSnapshot.FILE));
        try (FileStore s = openAt(dir)) {
            assertThat(Snapshot.of(s)).isEqualTo(before);
        }
    }

    @Test
    void recordsAppendedAfterTheSnapshotAreReplayed() throws IOException {
        Path dir = tmp.resolve("tail");
        try (FileStore s = openAt(dir)) {
            for (int i = 0; i < 50; i++) {
                put(s, "t." + (i % 3), "m" + i);
            }
        }
        Path snapshotCopy = tmp.resolve("index.copy");
        Files.copy(dir.resolve("msgs").resolve(StoreIndexSnapshot.FILE), snapshotCopy);
        Snapshot before;
        try (FileStore s = openAt(dir)) {
            for (int i = 0; i < 300; i++) {
                put(s, "t." + (i % 3), "n" + i);
            }
            s.removeMsg(3);
            s.purge("t.1", 0, 0);
            before = Snapshot.of(s);
        }
        // As if the process had died before writing a new snapshot: the old one plus the segments' tails.
        Files.copy(snapshotCopy, dir.resolve("msgs").resolve(StoreIndexSnapshot.FILE),
                StandardCopyOption.REPLACE_EXISTING);
        try (FileStore s = openAt(dir)) {
            assertThat(Snapshot.of(s)).isEqualTo(before);
        }
    }

    @Test
    void purgedStoreReopensEmptyWithItsSequence() {
        Path dir = tmp.resolve("purged");
        try (FileStore s = openAt(dir)) {
            for (int i = 0; i < 100; i++) {
                put(s, "p", "m" + i);
            }
            s.purge();
        }
        try (FileStore s = openAt(dir)) {
            StoreState st = s.state();
            assertThat(st.msgs()).isZero();
            assertThat(st.firstSeq()).isEqualTo(101);
            assertThat(st.lastSeq()).isEqualTo(100);
            assertThat(put(s, "p", "next")).isEqualTo(101);
        }
    }

    @Test
    void limitsAndMaxAgeApplyOnReopen() {
        Path dir = tmp.resolve("limits");
        long now = clock.get();
        try (FileStore s = openAt(dir)) {
            s.store("old", NO_HEADERS, new byte[1], now - Duration.ofHours(2).toNanos());
            for (int i = 0; i < 5; i++) {
                put(s, "new", "n" + i);
            }
        }
        StoreConfig config = StoreConfig.builder().maxAge(Duration.ofHours(1)).maxMsgs(3).build();
        try (FileStore s = FileStore.builder(dir).config(config).clock(clock::get).open()) {
            StoreState st = s.state();
            assertThat(st.msgs()).isEqualTo(3);
            assertThat(st.firstSeq()).isEqualTo(4);
            assertThat(s.subjectsTotals(">")).containsOnlyKeys("new");
        }
    }

    @Test
    void tornTailIsTruncatedOnOpen() throws IOException {
        Path dir = tmp.resolve("torn");
        try (FileStore s = openAt(dir)) {
            for (int i = 1; i <= 5; i++) {
                put(s, "torn", "message-" + i);
            }
        }
        Files.delete(dir.resolve("msgs").resolve(StoreIndexSnapshot.FILE));
        Path seg = lastSegment(dir);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 7);
        }
        try (FileStore s = openAt(dir)) {
            StoreState st = s.state();
            assertThat(st.msgs()).isEqualTo(4);
            assertThat(st.lastSeq()).isEqualTo(4);
            assertThat(put(s, "torn", "again")).isEqualTo(5);
            assertThat(body(s.loadMsg(5).orElseThrow())).isEqualTo("again");
        }
        try (FileStore s = openAt(dir)) {
            assertThat(s.state().msgs()).isEqualTo(5);
        }
    }

    @Test
    void garbledTailInsideTheSnapshotFallsBackToAReplay() throws IOException {
        Path dir = tmp.resolve("garbled");
        try (FileStore s = openAt(dir)) {
            for (int i = 1; i <= 5; i++) {
                put(s, "g", "message-" + i);
            }
        }
        Path seg = lastSegment(dir);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}), ch.size() - 5);
        }
        try (FileStore s = openAt(dir)) {
            assertThat(s.state().msgs()).isEqualTo(4);
            assertThat(s.loadMsg(5)).isEmpty();
            assertThat(body(s.loadMsg(4).orElseThrow())).isEqualTo("message-4");
            assertThat(put(s, "g", "new")).isEqualTo(5);
        }
    }

    @Test
    void erasedMessageBytesAreGoneFromDisk() throws IOException {
        Path dir = tmp.resolve("erase");
        try (FileStore s = openAt(dir)) {
            put(s, "e", "keep-me");
            put(s, "e", "TOP-SECRET-PAYLOAD");
            put(s, "e", "keep-me-too");
            assertThat(s.eraseMsg(2)).isTrue();
            assertThat(s.loadMsg(2)).isEmpty();
        }
        assertThat(filesContain(dir, "TOP-SECRET-PAYLOAD")).isFalse();
        assertThat(filesContain(dir, "keep-me-too")).isTrue();
        try (FileStore s = openAt(dir)) {
            assertThat(s.loadMsg(2)).isEmpty();
            assertThat(s.state().deleted()).containsExactly(2L);
        }
    }

    @Test
    void emptySegmentsAreDeletedAndMostlyRemovedOnesCompacted() throws IOException {
        Path dir = tmp.resolve("segments");
        Snapshot before;
        try (FileStore s = openAt(dir)) {
            for (int i = 0; i < 600; i++) {
                s.store("seg." + (i % 2), NO_HEADERS, new byte[100], clock.incrementAndGet());
            }
            int segmentsAtStart = segmentCount(dir);
            assertThat(segmentsAtStart).isGreaterThan(10);
            s.compact(200);
            assertThat(segmentCount(dir)).isLessThan(segmentsAtStart);
            long bytesBefore = dirSize(dir);
            for (long seq = 200; seq < 500; seq++) {
                if (seq % 5 != 0) {
                    s.removeMsg(seq);
                }
            }
            // Tombstones were appended, yet the rewritten segments shrank by more.
            assertThat(dirSize(dir)).isLessThan(bytesBefore);
            before = Snapshot.of(s);
            assertThat(before.msgs()).hasSize(60 + 101);
        }
        try (FileStore s = openAt(dir)) {
            assertThat(Snapshot.of(s)).isEqualTo(before);
        }
        Files.delete(dir.resolve("msgs").resolve(StoreIndexSnapshot.FILE));
        try (FileStore s = openAt(dir)) {
            assertThat(Snapshot.of(s)).isEqualTo(before);
        }
    }

    @Test
    void syncAlwaysWithConcurrentWriters() throws Exception {
        Path dir = tmp.resolve("always");
        try (FileStore s = FileStore.builder(dir).syncPolicy(SyncPolicy.ALWAYS).clock(clock::get).open()) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                workers.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 50; i++) {
                        put(s, "w." + id, "m" + i);
                    }
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            assertThat(s.state().msgs()).isEqualTo(400);
        }
        try (FileStore s = FileStore.builder(dir).open()) {
            assertThat(s.state().msgs()).isEqualTo(400);
            assertThat(s.subjectsTotals("w.*")).hasSize(8).allSatisfy((k, v) -> assertThat(v).isEqualTo(50));
        }
    }

    @Test
    void consumerStateSurvivesReopenAndLogRewrites() {
        Path dir = tmp.resolve("consumer");
        ConsumerState expected;
        try (FileStore s = openAt(dir)) {
            ConsumerStore c = s.consumerStore("durable", ConsumerStore.AckMode.EXPLICIT);
            for (long i = 1; i <= 5000; i++) {
                c.updateDelivered(i, i, 1, i);
                if (i % 10 != 0) {
                    c.updateAcks(i, i);
                }
            }
            expected = c.state();
        }
        assertThat(expected.pending()).hasSize(500);
        try (FileStore s = openAt(dir)) {
            assertThat(s.consumerStore("durable", ConsumerStore.AckMode.EXPLICIT).state()).isEqualTo(expected);
        }
    }

    @Test
    void concurrentConfirmedAcksWithSyncAlwaysAreAllKept() throws InterruptedException {
        Path dir = tmp.resolve("consumer-group-commit");
        int threads = 4;
        int perThread = 200;
        try (FileStore s = FileStore.builder(dir).syncPolicy(SyncPolicy.ALWAYS).open()) {
            ConsumerStore c = s.consumerStore("d", ConsumerStore.AckMode.EXPLICIT);
            for (long i = 1; i <= threads * perThread; i++) {
                c.updateDelivered(i, i, 1, i);
            }
            List<Thread> ackers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t + 1;
                ackers.add(Thread.ofPlatform().start(() -> {
                    for (long seq = first; seq <= threads * perThread; seq += threads) {
                        assertThat(c.updateAcks(seq, seq)).isTrue();
                        c.awaitDurable();
                    }
                }));
            }
            for (Thread t : ackers) {
                t.join();
            }
        }
        try (FileStore s = FileStore.builder(dir).syncPolicy(SyncPolicy.ALWAYS).open()) {
            ConsumerState st = s.consumerStore("d", ConsumerStore.AckMode.EXPLICIT).state();
            long all = threads * perThread;
            assertThat(st.ackFloor()).isEqualTo(new ConsumerState.SequencePair(all, all));
            assertThat(st.pending()).isEmpty();
        }
    }

    @Test
    void deferredStoresWithSyncAlwaysAreReleasedInOrderAfterTheirFsync() throws Exception {
        Path dir = tmp.resolve("deferred");
        int count = 2_000;
        List<Long> released = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(count);
        try (FileStore s = FileStore.builder(dir).syncPolicy(SyncPolicy.ALWAYS).blockSize(16 * 1024).open()) {
            long previous = 0;
            for (int i = 1; i <= count; i++) {
                StreamStore.Appended a = s.storeDeferred("d." + (i % 3), NO_HEADERS, ("m" + i).getBytes(UTF_8), i);
                assertThat(a.seq()).isEqualTo(i);
                assertThat(a.ticket()).isGreaterThan(previous);
                previous = a.ticket();
                s.whenDurable(a.ticket(), failure -> {
                    assertThat(failure).isEmpty();
                    released.add(a.seq());
                    all.countDown();
                });
            }
            assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(released).isSorted().hasSize(count);
        }
        try (FileStore s = FileStore.builder(dir).open()) {
            assertThat(s.state().msgs()).isEqualTo(count);
            assertThat(s.loadMsg(count).orElseThrow().payload()).isEqualTo(("m" + count).getBytes(UTF_8));
        }
    }

    @Test
    void corruptCheckpointFallsBackToAFullReplay() throws IOException {
        Path dir = tmp.resolve("corrupt-checkpoint");
        Snapshot before;
        try (FileStore s = openAt(dir)) {
            mixedHistory(s);
            before = Snapshot.of(s);
        }
        Path checkpoint = dir.resolve("msgs").resolve(StoreIndexSnapshot.FILE);
        try (FileChannel ch = FileChannel.open(checkpoint, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            long at = ch.size() / 2;
            ch.read(b, at);
            b.put(0, (byte) ~b.get(0)).rewind();
            ch.write(b, at);
        }
        try (FileStore s = openAt(dir)) {
            assertThat(Snapshot.of(s)).isEqualTo(before);
        }
    }

    @Test
    void tornCheckpointFallsBackToAFullReplay() throws IOException {
        Path dir = tmp.resolve("torn-checkpoint");
        Snapshot before;
        try (FileStore s = openAt(dir)) {
            mixedHistory(s);
            before = Snapshot.of(s);
        }
        // As if the process died while writing the checkpoint and the rename still went through.
        try (FileChannel ch = FileChannel.open(dir.resolve("msgs").resolve(StoreIndexSnapshot.FILE),
                StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 3);
        }
        try (FileStore s = openAt(dir)) {
            assertThat(Snapshot.of(s)).isEqualTo(before);
            assertThat(put(s, "mix.new", "x")).isEqualTo(before.state().lastSeq() + 1);
        }
    }

    @Test
    void checkpointOlderThanDeletedSegmentsStillRecoversTheStore() throws IOException {
        Path dir = tmp.resolve("old-checkpoint");
        try (FileStore s = openAt(dir)) {
            for (int i = 0; i < 300; i++) {
                put(s, "o." + (i % 4), "m" + i);
            }
        }
        Path copy = tmp.resolve("old-index.db");
        Files.copy(dir.resolve("msgs").resolve(StoreIndexSnapshot.FILE), copy);
        Snapshot before;
        try (FileStore s = openAt(dir)) {
            s.compact(250);
            put(s, "o.after", "tail");
            before = Snapshot.of(s);
        }
        Files.copy(copy, dir.resolve("msgs").resolve(StoreIndexSnapshot.FILE), StandardCopyOption.REPLACE_EXISTING);
        try (FileStore s = openAt(dir)) {
            assertThat(Snapshot.of(s)).isEqualTo(before);
        }
    }

    @Test
    void tornConsumerLogKeepsEverythingBeforeTheTear() throws IOException {
        Path dir = tmp.resolve("consumer-torn");
        try (FileStore s = openAt(dir)) {
            ConsumerStore c = s.consumerStore("d", ConsumerStore.AckMode.EXPLICIT);
            c.updateDelivered(1, 1, 1, 1);
            c.updateDelivered(2, 2, 1, 2);
            c.updateAcks(1, 1);
            c.updateAcks(2, 2);
        }
        Path log = dir.resolve("obs").resolve("d").resolve(FileConsumerStore.FILE);
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3);
        }
        try (FileStore s = openAt(dir)) {
            ConsumerState st = s.consumerStore("d", ConsumerStore.AckMode.EXPLICIT).state();
            assertThat(st.ackFloor()).isEqualTo(new ConsumerState.SequencePair(1, 1));
            assertThat(st.delivered()).isEqualTo(new ConsumerState.SequencePair(2, 2));
        }
    }

    @Test
    void leftoversOfAnInterruptedRewriteAreIgnoredAndRemoved() throws IOException {
        Path dir = tmp.resolve("leftovers");
        try (FileStore s = openAt(dir)) {
            put(s, "l", "1");
        }
        Path seg = lastSegment(dir);
        Files.write(seg.resolveSibling(seg.getFileName() + ".tmp"), new byte[] {9, 9, 9});
        Files.write(dir.resolve("msgs").resolve(StoreIndexSnapshot.FILE + ".tmp"), new byte[] {9});
        try (FileStore s = openAt(dir)) {
            assertThat(body(s.loadMsg(1).orElseThrow())).isEqualTo("1");
        }
        try (Stream<Path> files = Files.list(dir.resolve("msgs"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aFailedWriteFailsTheStoreAndLeavesNoTrace() throws IOException {
        Path dir = tmp.resolve("full");
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs /dev/full");
        Files.createDirectories(dir.resolve("msgs"));
        Files.createSymbolicLink(dir.resolve("msgs").resolve(String.format("%020d", 1) + SegmentFile.SUFFIX), full);
        FileStore s = openAt(dir);
        assertThatThrownBy(() -> put(s, "f", "lost")).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.IO));
        assertThatThrownBy(() -> put(s, "f", "again")).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.IO));
        assertThatThrownBy(() -> s.loadMsg(1)).isInstanceOf(StoreException.class);
        s.close();
        assertThat(dir.resolve("msgs").resolve(StoreIndexSnapshot.FILE)).doesNotExist();
    }

    @Test
    void aDirectoryIsOpenedByOneStoreAtATime() {
        Path dir = tmp.resolve("locked");
        FileStore first = openAt(dir);
        assertThatThrownBy(() -> openAt(dir)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.IO));
        first.close();
        openAt(dir).close();
    }

    @Test
    void deleteRemovesTheDirectory() {
        Path dir = tmp.resolve("deleted");
        FileStore s = openAt(dir);
        put(s, "d", "x");
        s.consumerStore("c", ConsumerStore.AckMode.ALL);
        s.delete();
        assertThat(dir).doesNotExist();
    }

    static Path lastSegment(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("msgs"))) {
            return files.filter(p -> p.toString().endsWith(".blk")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    private static int segmentCount(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("msgs"))) {
            return (int) files.filter(p -> p.toString().endsWith(".blk")).count();
        }
    }

    private static long dirSize(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("msgs"))) {
            return files.filter(p -> p.toString().endsWith(".blk")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static boolean filesContain(Path dir, String text) throws IOException {
        byte[] needle = text.getBytes(UTF_8);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                String hay = new String(Files.readAllBytes(p), ISO_8859_1);
                if (hay.contains(new String(needle, ISO_8859_1))) {
                    return true;
                }
            }
        }
        return false;
    }
}
