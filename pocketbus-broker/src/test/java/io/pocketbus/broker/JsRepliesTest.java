package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JetStream answers leave with the read batch of the request they answer, or, under sync always, from the
 * thread whose fsync released them: they still reach a publisher that turned echo off, and a connection's
 * PubAcks arrive in the order it published, whichever stream and whichever fsync released them.
 */
abstract class JsRepliesTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    @TempDir
    Path dir;
    private Broker broker;

    abstract SyncPolicy syncPolicy();

    @BeforeEach
    void start() throws Exception {
        broker = Broker.builder().port(0)
                .jetStream(JetStreamConfig.storeDir(dir).syncPolicy(syncPolicy()).build()).build().start();
    }

    @AfterEach
    void stop() {
        broker.shutdown();
    }

    private Connection connect(boolean echo) throws Exception {
        Options.Builder b = Options.builder().server("nats://127.0.0.1:" + broker.port());
        if (!echo) {
            b.noEcho();
        }
        return Nats.connect(b.build());
    }

    private static void addStream(Connection nc, String name, String subject) throws Exception {
        nc.jetStreamManagement().addStream(StreamConfiguration.builder().name(name).subjects(subject)
                .storageType(StorageType.File).build());
    }

    @Test
    void answersReachAPublisherWithoutEcho() throws Exception {
        try (Connection nc = connect(false)) {
            addStream(nc, "ORDERS", "orders.>");
            JetStream js = nc.jetStream();
            for (int i = 1; i <= 3; i++) {
                assertThat(js.publish("orders.new", bytes("o" + i)).getSeqno()).isEqualTo(i);
            }
            assertThat(nc.jetStreamManagement().getStreamInfo("ORDERS").getStreamState().getMsgCount()).isEqualTo(3);

            nc.keyValueManagement().create(KeyValueConfiguration.builder().name("CFG")
                    .storageType(StorageType.File).build());
            KeyValue kv = nc.keyValue("CFG");
            assertThat(kv.put("colour", bytes("blue"))).isEqualTo(1);
            assertThat(kv.put("colour", bytes("green"))).isEqualTo(2);
            assertThat(new String(kv.get("colour").getValue(), StandardCharsets.UTF_8)).isEqualTo("green");
        }
    }

    @Test
    void pubAcksFollowPublishOrderAcrossStreamsAndRefusals() throws Exception {
        try (Connection nc = connect(true)) {
            addStream(nc, "A", "a.>");
            addStream(nc, "B", "b.>");
            Subscription acks = nc.subscribe("acks.>");
            int n = 300;
            for (int i = 0; i < n; i++) {
                String subject = (i % 2 == 0 ? "a." : "b.") + i;
                Headers h = new Headers();
                if (i % 7 == 3) {
                    // Refused at once, before the fsync the acks ahead of it wait for.
                    h.add("Nats-Expected-Stream", "NONE");
                }
                nc.publish(NatsMessage.builder().subject(subject).replyTo("acks." + i).headers(h)
                        .data(bytes("m" + i)).build());
            }
            nc.flush(WAIT);
            List<String> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Message m = acks.nextMessage(WAIT);
                assertThat(m).as("ack %d", i).isNotNull();
                order.add(m.getSubject());
                String body = new String(m.getData(), StandardCharsets.UTF_8);
                assertThat(body).contains(i % 7 == 3 ? "\"err_code\":10060" : "\"seq\":");
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                expected.add("acks." + i);
            }
            assertThat(order).containsExactlyElementsOf(expected);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static final class Default extends JsRepliesTest {
        @Override
        SyncPolicy syncPolicy() {
            return SyncPolicy.WRITE;
        }
    }

    static final class SyncAlways extends JsRepliesTest {
        @Override
        SyncPolicy syncPolicy() {
            return SyncPolicy.ALWAYS;
        }
    }
}
