package io.pocketbus.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store's read-ahead ({@link SegmentReadCache}): reads served from a stretch read earlier must
 * match the disk after every change that moves or rewrites bytes, and never return removed messages.
 */
class SegmentReadCacheTest {

    @TempDir
    Path tmp;

    private FileStore open(long blockSize) {
        return FileStore.builder(tmp.resolve("s")).blockSize(blockSize).open();
    }

    private static byte[] payload(long seq, int size) {
        byte[] p = new byte[size];
        Arrays.fill(p, (byte) ('a' + seq % 26));
        byte[] tag = Long.toString(seq).getBytes(UTF_8);
        System.arraycopy(tag, 0, p, 0, Math.min(tag.length, size));
        return p;
    }

    private static void assertMsg(StreamStore s, long seq, int size) {
        Optional<StoredMsg> m = s.loadMsg(seq);
        assertThat(m).as("message %d", seq).isPresent();
        assertThat(m.get().seq()).isEqualTo(seq);
        assertThat(m.get().subject()).isEqualTo("m." + seq);
        assertThat(m.get().payload()).isEqualTo(payload(seq, size));
    }

    @Test
    void readsInOrderAcrossSegmentsAndRecordsLargerThanAStretch() {
        try (FileStore s = open(256 * 1024)) {
            int[] sizes = new int[600];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = i % 97 == 0 ? 100_000 : 10 + (i * 31) % 700;
                s.store("m." + (i + 1), new byte[0], payload(i + 1, sizes[i]), 0);
            }
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < sizes.length; i++) {
                    assertMsg(s, i + 1, sizes[i]);
                }
            }
        }
    }

    @Test
    void readersAtDifferentPositionsEachGetTheirOwnMessages() {
        try (FileStore s = open(64 * 1024)) {
            int n = 3_000;
            for (long seq = 1; seq <= n; seq++) {
                s.store("m." + seq, new byte[0], payload(seq, 120), 0);
            }
            int readers = 7;
            for (int step = 0; step < n / readers; step++) {
                for (int r = 0; r < readers; r++) {
                    assertMsg(s, 1 + r * (n / readers) + step, 120);
                }
            }
        }
    }

    @Test
    void aReaderFollowingTheTailSeesEachNewMessage() {
        try (FileStore s = open(16 * 1024)) {
            for (long seq = 1; seq <= 1_000; seq++) {
                s.store("m." + seq, new byte[0], payload(seq, 50), 0);
                assertMsg(s, seq, 50);
                if (seq > 3) {
                    assertMsg(s, seq - 3, 50);
                }
            }
        }
    }

    @Test
    void erasedAndRemovedMessagesAreNotServedFromAnEarlierRead() {
        try (FileStore s = open(1024 * 1024)) {
            for (long seq = 1; seq <= 100; seq++) {
                s.store("m." + seq, new byte[0], payload(seq, 80), 0);
            }
            assertMsg(s, 10, 80);
            assertThat(s.eraseMsg(11)).isTrue();
            assertThat(s.removeMsg(12)).isTrue();
            assertThat(s.loadMsg(11)).isEmpty();
            assertThat(s.loadMsg(12)).isEmpty();
            assertMsg(s, 13, 80);
            assertThat(s.loadNextMsg(">", 11).map(StoredMsg::seq)).contains(13L);
        }
    }

    @Test
    void purgedMessagesAreGoneAndLaterOnesRead() {
        try (FileStore s = open(8 * 1024)) {
            for (long seq = 1; seq <= 200; seq++) {
                s.store("m." + seq, new byte[0], payload(seq, 90), 0);
            }
            assertMsg(s, 150, 90);
            s.purge();
            for (long seq = 1; seq <= 200; seq++) {
                assertThat(s.loadMsg(seq)).isEmpty();
            }
            for (long seq = 201; seq <= 400; seq++) {
                s.store("m." + seq, new byte[0], payload(seq, 90), 0);
            }
            for (long seq = 201; seq <= 400; seq++) {
                assertMsg(s, seq, 90);
            }
        }
    }

    @Test
    void compactionMovesRecordsAndReadsFollowThem() throws Exception {
        long block = 64 * 1024;
        try (FileStore s = open(block)) {
            int n = 2_000;
            for (long seq = 1; seq <= n; seq++) {
                s.store("m." + seq, new byte[0], payload(seq, 100), 0);
            }
            Path msgs = tmp.resolve("s").resolve("msgs");
            long firstBefore = firstSegmentBytes(msgs);
            // Read the first messages so a stretch of the first segment is held, then remove most of them:
            // the first segments are rewritten with the survivors at new offsets.
            for (long seq = 1; seq <= 50; seq++) {
                assertMsg(s, seq, 100);
            }
            for (long seq = 1; seq <= n - 500; seq++) {
                if (seq % 10 != 0) {
                    assertThat(s.removeMsg(seq)).isTrue();
                }
            }
            assertThat(firstSegmentBytes(msgs)).as("first segment compacted").isLessThan(firstBefore / 2);
            for (long seq = 1; seq <= n; seq++) {
                if (seq > n - 500 || seq % 10 == 0) {
                    assertMsg(s, seq, 100);
                } else {
                    assertThat(s.loadMsg(seq)).isEmpty();
                }
            }
            s.compact(n - 100);
            for (long seq = 1; seq < n - 100; seq++) {
                assertThat(s.loadMsg(seq)).isEmpty();
            }
            for (long seq = n - 100; seq <= n; seq++) {
                assertMsg(s, seq, 100);
            }
        }
    }

    private static long firstSegmentBytes(Path dir) throws Exception {
        try (Stream<Path> list = Files.list(dir)) {
            Path first = list.filter(p -> p.getFileName().toString().endsWith(SegmentFile.SUFFIX)).sorted().findFirst().orElseThrow();
            return Files.size(first);
        }
    }
}
