package io.pocketbus.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract on a file store under sync always, where appended records stay in the store's buffer
 * until the group commit writes and forces them: every read, removal and rotation must see them meanwhile.
 */
class FileStoreSyncAlwaysTest extends StreamStoreContractTest {

    @TempDir
    Path tmp;
    private final AtomicInteger stores = new AtomicInteger();

    @Override
    StreamStore create(StoreConfig config, boolean realClock) {
        FileStore.Builder b = FileStore.builder(tmp.resolve("s" + stores.incrementAndGet())).config(config)
                .syncPolicy(SyncPolicy.ALWAYS).blockSize(4096);
        return (realClock ? b : b.clock(clock::get)).open();
    }

    @Override
    long expectedSize(String subject, byte[] headers, byte[] payload) {
        return 22 + subject.length() + (headers.length > 0 ? 4 + headers.length : 0) + payload.length + 8;
    }

    @Test
    void messagesWaitingForTheGroupCommitAreReadRemovedAndKept() {
        Path dir = tmp.resolve("waiting");
        try (FileStore s = FileStore.builder(dir).syncPolicy(SyncPolicy.ALWAYS).blockSize(4096).open()) {
            for (int i = 1; i <= 200; i++) {
                StreamStore.Appended a = s.storeDeferred("w." + (i % 4), NO_HEADERS, ("m" + i).getBytes(UTF_8), i);
                assertThat(body(s.loadMsg(a.seq()).orElseThrow())).isEqualTo("m" + i);
            }
            StreamStore.Appended last = s.storeDeferred("w.x", NO_HEADERS, "last".getBytes(UTF_8), 201);
            assertThat(s.eraseMsg(last.seq())).isTrue();
            assertThat(s.removeMsg(199)).isTrue();
            assertThat(s.loadLastMsg("w.x")).isEmpty();
            assertThat(body(s.loadLastMsg("w.0").orElseThrow())).isEqualTo("m200");
        }
        try (FileStore s = FileStore.builder(dir).open()) {
            assertThat(s.state().msgs()).isEqualTo(199);
            assertThat(s.loadMsg(199)).isEmpty();
            assertThat(s.loadMsg(201)).isEmpty();
            assertThat(body(s.loadMsg(200).orElseThrow())).isEqualTo("m200");
        }
    }
}
