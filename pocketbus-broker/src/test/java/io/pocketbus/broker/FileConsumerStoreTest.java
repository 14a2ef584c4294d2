package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the consumer log's records reach the OS: lazily for unconfirmed progress, at once for what
 * {@link ConsumerStore#awaitDurable} confirms. The log is read back from a copy taken while the store is
 * still open, as a process killed at that moment would leave it.
 */
class FileConsumerStoreTest {

    @TempDir
    Path tmp;

    @Test
    void awaitDurableWritesEverythingRecordedBeforeIt() throws IOException {
        Path dir = tmp.resolve("live");
        for (SyncPolicy sync : SyncPolicy.values()) {
            try (FileConsumerStore c = FileConsumerStore.open(dir.resolve(sync.name()), ConsumerStore.AckMode.EXPLICIT, sync)) {
                for (long i = 1; i <= 100; i++) {
                    c.updateDelivered(i, i, 1, i);
                }
                for (long i = 1; i <= 60; i++) {
                    c.updateAcks(i, i);
                }
                c.awaitDurable();
                ConsumerState crashed = openCopy(dir.resolve(sync.name()), sync.name());
                assertThat(crashed).isEqualTo(c.state());
                assertThat(crashed.ackFloor()).isEqualTo(new ConsumerState.SequencePair(60, 60));
                assertThat(crashed.delivered()).isEqualTo(new ConsumerState.SequencePair(100, 100));
            }
        }
    }

    @Test
    void unconfirmedProgressReachesTheLogWithoutAwaitDurable() throws Exception {
        Path dir = tmp.resolve("lazy");
        try (FileConsumerStore c = FileConsumerStore.open(dir, ConsumerStore.AckMode.EXPLICIT, SyncPolicy.WRITE)) {
            long before = Files.size(dir.resolve(FileConsumerStore.FILE));
            for (long i = 1; i <= 10; i++) {
                c.updateDelivered(i, i, 1, i);
                c.updateAcks(i, i);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Files.size(dir.resolve(FileConsumerStore.FILE)) == before && System.nanoTime() < deadline) {
                Thread.sleep(FileConsumerStore.FLUSH_DELAY / 1_000_000);
            }
            ConsumerState crashed = openCopy(dir, "copy");
            assertThat(crashed.ackFloor()).isEqualTo(new ConsumerState.SequencePair(10, 10));
            assertThat(crashed.delivered()).isEqualTo(new ConsumerState.SequencePair(10, 10));
        }
    }

    @Test
    void closeWritesWhatIsBuffered() throws IOException {
        Path dir = tmp.resolve("close");
        try (FileConsumerStore c = FileConsumerStore.open(dir, ConsumerStore.AckMode.ALL, SyncPolicy.WRITE)) {
            c.updateDelivered(1, 5, 1, 1);
            c.updateDelivered(2, 7, 1, 2);
            c.updateAcks(2, 7);
        }
        try (FileConsumerStore c = FileConsumerStore.open(dir, ConsumerStore.AckMode.ALL, SyncPolicy.WRITE)) {
            assertThat(c.state().ackFloor()).isEqualTo(new ConsumerState.SequencePair(2, 7));
            assertThat(c.state().pending()).isEmpty();
        }
    }

    /** The state a store opened on a copy of the log finds: what a crash now would leave. */
    private ConsumerState openCopy(Path dir, String name) throws IOException {
        Path copy = tmp.resolve("copy-" + name);
        Files.createDirectories(copy);
        Files.copy(dir.resolve(FileConsumerStore.FILE), copy.resolve(FileConsumerStore.FILE));
        try (FileConsumerStore c = FileConsumerStore.open(copy, ConsumerStore.AckMode.EXPLICIT, SyncPolicy.WRITE)) {
            return c.state();
        }
    }
}
