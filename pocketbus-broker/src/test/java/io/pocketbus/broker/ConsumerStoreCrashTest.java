package io.pocketbus.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer log writes unconfirmed progress lazily. A process that mixes unconfirmed acks (no reply,
 * as {@code msg.ack()} sends them) with confirmed ones is SIGKILLed at random moments; after each restart
 * the state is consistent and nothing a confirmation covered went back: not the confirmed ack, not the
 * unconfirmed acks and deliveries recorded before it.
 */
class ConsumerStoreCrashTest {

    @TempDir
    Path tmp;
    private final Random random = new Random();

    @Test
    void confirmedProgressSurvivesKillsBetweenLazyWrites() throws Exception {
        crashRounds(SyncPolicy.WRITE);
    }

    @Test
    void confirmedProgressSurvivesKillsBetweenLazyWritesWithSyncAlways() throws Exception {
        crashRounds(SyncPolicy.ALWAYS);
    }

    private void crashRounds(SyncPolicy sync) throws Exception {
        Path dir = tmp.resolve("consumer");
        long floor = 0;
        long delivered = 0;
        for (int round = 0; round < 2; round++) {
            Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xshare:off", "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    Writer.class.getName(), dir.toString(), sync.name())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            int killAfter = 200 + random.nextInt(3000);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(writer.getInputStream(), UTF_8))) {
                for (int i = 0; i < killAfter; i++) {
                    String line = in.readLine();
                    assertThat(line).as("writer output").isNotNull().startsWith("K ");
                    String[] f = line.split(" ");
                    floor = Math.max(floor, Long.parseLong(f[1]));
                    delivered = Math.max(delivered, Long.parseLong(f[2]));
                }
                writer.destroyForcibly();
                assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            try (FileConsumerStore c = FileConsumerStore.open(dir, ConsumerStore.AckMode.EXPLICIT, sync)) {
                ConsumerState st = c.state();
                assertThat(st.ackFloor().consumerSeq()).isGreaterThanOrEqualTo(floor);
                assertThat(st.delivered().consumerSeq()).isGreaterThanOrEqualTo(delivered);
                assertThat(st.ackFloor().consumerSeq()).isLessThanOrEqualTo(st.delivered().consumerSeq());
                long low = st.ackFloor().streamSeq();
                long high = st.delivered().streamSeq();
                assertThat(st.pending().keySet()).allSatisfy(seq -> assertThat(seq).isGreaterThan(low).isLessThanOrEqualTo(high));
                floor = st.ackFloor().consumerSeq();
                delivered = st.delivered().consumerSeq();
            }
        }
        assertThat(floor).isPositive();
    }

    /**
     * The killed process. Per round of three deliveries: two unconfirmed acks, then a confirmed one, which
     * brings the floor up to the round's last delivery; then it prints {@code K <floor> <delivered>}.
     * Every few rounds a burst of unconfirmed-only progress goes first, left to the lazy writer.
     */
    public static final class Writer {
        private Writer() {
        }

        public static void main(String[] args) throws java.io.IOException {
            PrintStream out = new PrintStream(System.out, false, UTF_8);
            ConsumerStore c = FileConsumerStore.open(Path.of(args[0]), ConsumerStore.AckMode.EXPLICIT,
                    SyncPolicy.valueOf(args[1]));
            long next = c.state().delivered().consumerSeq() + 1;
            for (long round = 0; ; round++) {
                if (round % 7 == 0) {
                    for (int i = 0; i < 20; i++, next++) {
                        c.updateDelivered(next, next, 1, next);
                        c.updateAcks(next, next);
                    }
                }
                c.updateDelivered(next, next, 1, next);
                c.updateDelivered(next + 1, next + 1, 1, next + 1);
                c.updateDelivered(next + 2, next + 2, 1, next + 2);
                c.updateAcks(next, next);
                c.updateAcks(next + 2, next + 2);
                c.updateAcks(next + 1, next + 1);
                c.awaitDurable();
                ConsumerState st = c.state();
                out.println("K " + st.ackFloor().consumerSeq() + " " + st.delivered().consumerSeq());
                out.flush();
                next += 3;
            }
        }
    }
}
