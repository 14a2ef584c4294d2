package io.pocketbus.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker process with JetStream on file storage is SIGKILLed while jnats publishes with acks and a
 * durable consumer acks synchronously. After each restart every acknowledged message is there exactly
 * once, and the consumer's ack floor never goes below what the broker confirmed.
 */
class JetStreamCrashTest {
    private static final Duration WAIT = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    private final Random random = new Random();
    /** Message number → stream sequence, for every publish the broker acknowledged. */
    private final Map<Long, Long> acked = new ConcurrentHashMap<>();
    /** Stream sequences whose acks the broker confirmed. */
    private final Set<Long> confirmed = new ConcurrentSkipListSet<>();

    @Test
    void acknowledgedMessagesAndConfirmedAcksSurviveKills() throws Exception {
        crashRounds(SyncPolicy.WRITE);
    }

    /** Under sync always confirmed acks go through the consumer log's group commit. */
    @Test
    void confirmedAcksSurviveKillsWithSyncAlways() throws Exception {
        crashRounds(SyncPolicy.ALWAYS);
    }

    /**
     * Sync always with a publisher keeping up to 1,000 publishes in flight: PubAcks leave after group
     * commits while the broker keeps appending, and every acknowledged sequence survives each kill.
     */
    @Test
    void asyncAcknowledgedPublishesSurviveKillsWithSyncAlways() throws Exception {
        long next = 0;
        for (int round = 0; round < 3; round++) {
            Process broker = startBroker(SyncPolicy.ALWAYS);
            try (Connection nc = connect(port(broker))) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                if (round == 0) {
                    jsm.addStream(StreamConfiguration.builder().name("ASYNC").subjects("async.>")
                            .storageType(StorageType.File).build());
                } else {
                    verifyAcked(jsm);
                }
                JetStream js = nc.jetStream();
                long killAt = acked.size() + 2_000 + random.nextInt(3_000);
                ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
                boolean alive = true;
                while (alive) {
                    long n = next++;
                    try {
                        inFlight.add(js.publishAsync("async." + n % 5, payload(n))
                                .thenAccept(ack -> acked.put(n, ack.getSeqno())));
                    } catch (RuntimeException e) {
                        alive = false;
                    }
                    if (acked.size() >= killAt && broker.isAlive()) {
                        broker.toHandle().destroyForcibly();
                    }
                    while (inFlight.size() >= 1_000 || (!broker.isAlive() && !inFlight.isEmpty())) {
                        try {
                            inFlight.poll().get(5, TimeUnit.SECONDS);
                        } catch (ExecutionException | TimeoutException e) {
                            alive = false;
                        }
                    }
                }
            } finally {
                broker.destroyForcibly();
                assertThat(broker.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
        }
        Process broker = startBroker(SyncPolicy.ALWAYS);
        try (Connection nc = connect(port(broker))) {
            verifyAcked(nc.jetStreamManagement());
        } finally {
            broker.destroyForcibly();
            broker.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(acked).hasSizeGreaterThan(6_000);
    }

    /** Every acknowledged publish is stored under the sequence its PubAck gave. */
    private void verifyAcked(JetStreamManagement jsm) throws Exception {
        StreamInfo info = jsm.getStreamInfo("ASYNC");
        assertThat(info.getStreamState().getMsgCount()).isGreaterThanOrEqualTo(acked.size());
        for (Map.Entry<Long, Long> a : acked.entrySet()) {
            MessageInfo m = jsm.getMessage("ASYNC", a.getValue());
            assertThat(new String(m.getData(), UTF_8)).as("acknowledged message %d (seq %d)", a.getKey(), a.getValue())
                    .isEqualTo(new String(payload(a.getKey()), UTF_8));
        }
    }

    private void crashRounds(SyncPolicy sync) throws Exception {
        long next = 0;
        long unconfirmed = -1;
        for (int round = 0; round < 3; round++) {
            Process broker = startBroker(sync);
            try (Connection nc = connect(port(broker))) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                if (round == 0) {
                    jsm.addStream(StreamConfiguration.builder().name("CRASH").subjects("crash.>")
                            .storageType(StorageType.File).build());
                    jsm.addOrUpdateConsumer("CRASH", ConsumerConfiguration.builder().durable("reader")
                            .ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofSeconds(1)).build());
                } else {
                    verify(jsm);
                }
                JetStream js = nc.jetStream();
                if (unconfirmed >= 0) {
                    // Its ack was lost in the crash: publishing it again must not store it twice.
                    publish(js, unconfirmed);
                }
                Thread reader = Thread.ofVirtual().start(() -> read(js));
                long killAt = acked.size() + 100 + random.nextInt(600);
                unconfirmed = -1;
                while (true) {
                    long n = next++;
                    if (acked.size() >= killAt && broker.isAlive()) {
                        broker.toHandle().destroyForcibly();
                    }
                    if (!publish(js, n)) {
                        unconfirmed = n;
                        break;
                    }
                }
                reader.join(Duration.ofSeconds(30));
            } finally {
                broker.destroyForcibly();
                assertThat(broker.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
        }
        Process broker = startBroker(sync);
        try (Connection nc = connect(port(broker))) {
            verify(nc.jetStreamManagement());
        } finally {
            broker.destroyForcibly();
            broker.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(acked).hasSizeGreaterThan(300);
        assertThat(confirmedFloor()).isPositive();
    }

    /** Publishes message n with its msg id; false when the broker did not acknowledge it. */
    private boolean publish(JetStream js, long n) {
        try {
            var ack = js.publish("crash." + n % 7, payload(n), PublishOptions.builder().messageId("m" + n).build());
            acked.put(n, ack.getSeqno());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private void read(JetStream js) {
        try {
            JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("CRASH", "reader"));
            while (true) {
                List<Message> batch = sub.fetch(50, Duration.ofMillis(500));
                for (Message m : batch) {
                    m.ackSync(WAIT);
                    confirmed.add(m.metaData().streamSequence());
                }
            }
        } catch (Exception e) {
            // The broker was killed: this round is over.
        }
    }

    private void verify(JetStreamManagement jsm) throws Exception {
        StreamInfo info = jsm.getStreamInfo("CRASH");
        long last = info.getStreamState().getLastSequence();
        Set<String> seen = new HashSet<>();
        long count = 0;
        for (long seq = info.getStreamState().getFirstSequence(); seq <= last; seq++) {
            MessageInfo m = jsm.getMessage("CRASH", seq);
            assertThat(seen.add(new String(m.getData(), UTF_8))).as("seq %d stored twice", seq).isTrue();
            count++;
        }
        assertThat(count).isEqualTo(info.getStreamState().getMsgCount());
        for (Map.Entry<Long, Long> a : acked.entrySet()) {
            assertThat(seen).as("acknowledged message %d (seq %d)", a.getKey(), a.getValue())
                    .contains(new String(payload(a.getKey()), UTF_8));
        }
        ConsumerInfo ci = jsm.getConsumerInfo("CRASH", "reader");
        // Every sequence up to this one had its ack confirmed, so the floor cannot be below it.
        assertThat(ci.getAckFloor().getStreamSequence()).isGreaterThanOrEqualTo(confirmedFloor());
        assertThat(ci.getDelivered().getStreamSequence()).isGreaterThanOrEqualTo(ci.getAckFloor().getStreamSequence());
        // What was delivered was stored for good: the stream never ends below the consumer's position.
        assertThat(ci.getDelivered().getStreamSequence()).isLessThanOrEqualTo(last);
    }

    private long confirmedFloor() {
        long floor = 0;
        while (confirmed.contains(floor + 1)) {
            floor++;
        }
        return floor;
    }

    private static byte[] payload(long n) {
        return ("message-" + n).getBytes(UTF_8);
    }

    private Process startBroker(SyncPolicy sync) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(java, "-Xshare:off", "-cp", cp, JetStreamCrashBroker.class.getName(),
                dir.toString(), sync.name()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static int port(Process broker) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(broker.getInputStream(), UTF_8));
        String line = in.readLine();
        assertThat(line).startsWith("PORT ");
        return Integer.parseInt(line.substring(5).trim());
    }

    private static Connection connect(int port) throws Exception {
        return Nats.connect(Options.builder().server("nats://127.0.0.1:" + port).maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(5)).build());
    }
}
