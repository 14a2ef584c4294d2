package io.pocketbus.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writer process with SIGKILL at random moments and checks, after every restart, that every
 * acknowledged message is there exactly once with its content, that sequences have no gaps but
 * recorded removals, and that confirmed consumer acks never go back.
 */
class StoreCrashTest {

    @TempDir
    Path tmp;
    private final Random random = new Random();

    /** What the writers acknowledged over all rounds. */
    private final Map<Long, Long> acked = new HashMap<>();
    private final Set<Long> removing = new HashSet<>();
    private final Set<Long> removed = new HashSet<>();

    @Test
    void acknowledgedMessagesSurviveKillsWithWriteSync() throws Exception {
        crashRounds(SyncPolicy.WRITE, 3);
    }

    @Test
    void acknowledgedMessagesSurviveKillsWithSyncAlways() throws Exception {
        crashRounds(SyncPolicy.ALWAYS, 2);
    }

    private void crashRounds(SyncPolicy sync, int rounds) throws Exception {
        Path dir = tmp.resolve("stream");
        for (int round = 0; round < rounds; round++) {
            List<String> lines = runAndKill(dir, "stream", sync, round * 1_000_000L, 300 + random.nextInt(3000));
            for (String line : lines) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "A" -> acked.put(Long.parseLong(f[1]), Long.parseLong(f[2]));
                    case "R" -> removing.add(Long.parseLong(f[1]));
                    case "D" -> removed.add(Long.parseLong(f[1]));
                    default -> throw new AssertionError("unexpected output: " + line);
                }
            }
            verify(dir);
        }
    }

    private void verify(Path dir) {
        try (FileStore store = FileStore.builder(dir).blockSize(16 * 1024).open()) {
            StoreState st = store.state();
            long maxAcked = acked.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
            assertThat(st.lastSeq()).isGreaterThanOrEqualTo(maxAcked);
            for (Map.Entry<Long, Long> a : acked.entrySet()) {
                long seq = a.getKey();
                var msg = store.loadMsg(seq);
                if (removed.contains(seq)) {
                    assertThat(msg).as("removed seq %d", seq).isEmpty();
                } else if (!removing.contains(seq)) {
                    assertThat(msg).as("acknowledged seq %d", seq).isPresent();
                }
                msg.ifPresent(m -> {
                    assertThat(m.subject()).isEqualTo(StoreCrashWriter.subject(a.getValue()));
                    assertThat(m.payload()).isEqualTo(StoreCrashWriter.payload(a.getValue()));
                });
            }
            Set<String> payloads = new HashSet<>();
            long live = 0;
            for (long seq = st.firstSeq(); seq <= st.lastSeq(); seq++) {
                var msg = store.loadMsg(seq);
                if (msg.isEmpty()) {
                    assertThat(removing).as("seq %d is missing without a recorded removal", seq).contains(seq);
                    continue;
                }
                live++;
                if (!msg.get().subject().equals("checker")) {
                    assertThat(payloads.add(new String(msg.get().payload(), UTF_8)))
                            .as("message at seq %d stored twice", seq).isTrue();
                }
            }
            assertThat(live).isEqualTo(st.msgs());
            long seq = store.store("checker", new byte[0], "ok".getBytes(UTF_8), MemoryStore.now());
            assertThat(seq).isEqualTo(st.lastSeq() + 1);
        }
    }

    @Test
    void confirmedConsumerAcksNeverGoBack() throws Exception {
        confirmedAcksRounds(SyncPolicy.WRITE);
    }

    @Test
    void confirmedConsumerAcksNeverGoBackWithSyncAlways() throws Exception {
        confirmedAcksRounds(SyncPolicy.ALWAYS);
    }

    private void confirmedAcksRounds(SyncPolicy sync) throws Exception {
        Path dir = tmp.resolve("consumer");
        long floor = 0;
        long delivered = 0;
        for (int round = 0; round < 3; round++) {
            for (String line : runAndKill(dir, "consumer", sync, 0, 500 + random.nextInt(5000))) {
                String[] f = line.split(" ");
                floor = Math.max(floor, Long.parseLong(f[1]));
                delivered = Math.max(delivered, Long.parseLong(f[2]));
            }
            try (FileStore store = FileStore.builder(dir).open()) {
                ConsumerState st = store.consumerStore("durable", ConsumerStore.AckMode.EXPLICIT).state();
                assertThat(st.ackFloor().consumerSeq()).isGreaterThanOrEqualTo(floor);
                assertThat(st.delivered().consumerSeq()).isGreaterThanOrEqualTo(delivered);
                assertThat(st.ackFloor().consumerSeq()).isLessThanOrEqualTo(st.delivered().consumerSeq());
                floor = st.ackFloor().consumerSeq();
                delivered = st.delivered().consumerSeq();
            }
        }
        assertThat(floor).isPositive();
    }

    /** Runs the writer until it printed {@code killAfter} lines, kills it, and returns all it printed. */
    private List<String> runAndKill(Path dir, String mode, SyncPolicy sync, long firstN, int killAfter)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(java, "-cp", cp, StoreCrashWriter.class.getName(),
                dir.toString(), mode, sync.name(), Long.toString(firstN))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (lines.size() == killAfter) {
                    // SIGKILL through the handle: Process.destroyForcibly would also close our end of the
                    // pipe, losing what the writer printed (acknowledged) just before it died.
                    p.toHandle().destroyForcibly();
                }
                lines.add(line);
            }
        } finally {
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(lines.size()).as("writer output before the kill").isGreaterThanOrEqualTo(killAfter);
        // A line cut by the kill has no newline, so readLine returned it whole only if it was complete;
        // a torn last line is one the writer had not finished printing, i.e. not acknowledged.
        String last = lines.get(lines.size() - 1);
        if (!last.matches("[ARDK]( \\d+)+")) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
