package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.BaseConsumerContext;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.StreamContext;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** jnats' simplified consumer API, queue push consumers and per-account JetStream over the wire. */
class JetStreamJnatsMoreTest {
    private Broker broker;
    private Connection nc;

    @BeforeEach
    void start() throws Exception {
        broker = Broker.builder().port(0)
                .authenticator(new UserPasswordAuthenticator(List.of(
                        ConfigUser.withPassword("app", "pw").inAccount("APP"),
                        ConfigUser.withPassword("other", "pw").inAccount("OTHER"),
                        ConfigUser.withPassword("plain", "pw").inAccount("PLAIN"))))
                .jetStream(JetStreamConfig.memory().disableAccount("PLAIN").build())
                .build().start();
        nc = connect("app");
        nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("S").subjects("s.>")
                .storageType(StorageType.Memory).build());
    }

    @AfterEach
    void stop() throws Exception {
        nc.close();
        broker.shutdown();
    }

    private Connection connect(String user) throws Exception {
        return Nats.connect(Options.builder().server("nats://127.0.0.1:" + broker.port()).userInfo(user, "pw").build());
    }

    private static String text(Message m) {
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    private void publish(int n) throws Exception {
        JetStream js = nc.jetStream();
        for (int i = 0; i < n; i++) {
            js.publish("s." + i, ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void simplifiedConsumeFetchIterateAndNext() throws Exception {
        publish(10);
        StreamContext sc = nc.getStreamContext("S");
        ConsumerContext cc = sc.createOrUpdateConsumer(ConsumerConfiguration.builder().durable("simple")
                .ackPolicy(AckPolicy.Explicit).build());
        assertThat(text(cc.next(Duration.ofSeconds(2)))).isEqualTo("m0");
        try (FetchConsumer fetch = cc.fetch(FetchConsumeOptions.builder().maxMessages(3).expiresIn(2000).build())) {
            for (int i = 1; i <= 3; i++) {
                Message m = fetch.nextMessage();
                assertThat(text(m)).isEqualTo("m" + i);
                m.ack();
            }
        }
        // Each style on its own consumer: an iterator or consume() pulls ahead, holding the messages it got.
        ConsumerContext iterated = sc.createOrUpdateConsumer(ConsumerConfiguration.builder().durable("iterated")
                .ackPolicy(AckPolicy.Explicit).build());
        try (IterableConsumer it = iterated.iterate()) {
            for (int i = 0; i < 10; i++) {
                Message m = it.nextMessage(Duration.ofSeconds(2));
                assertThat(text(m)).isEqualTo("m" + i);
                m.ack();
            }
        }
        ConsumerContext consumed = sc.createOrUpdateConsumer(ConsumerConfiguration.builder().durable("consumed")
                .ackPolicy(AckPolicy.Explicit).build());
        CountDownLatch all = new CountDownLatch(10);
        try (MessageConsumer consumer = consumed.consume(m -> {
            m.ack();
            all.countDown();
        })) {
            assertThat(all.await(5, TimeUnit.SECONDS)).isTrue();
        }
        BaseConsumerContext ordered = sc.createOrderedConsumer(new io.nats.client.api.OrderedConsumerConfiguration());
        assertThat(text(ordered.next(Duration.ofSeconds(2)))).isEqualTo("m0");
    }

    @Test
    void queuePushConsumerDeliversEachMessageOnce() throws Exception {
        JetStream js = nc.jetStream();
        PushSubscribeOptions opts = PushSubscribeOptions.builder().durable("workers").deliverGroup("q").build();
        JetStreamSubscription a = js.subscribe("s.>", "q", opts);
        JetStreamSubscription b = js.subscribe("s.>", "q", opts);
        publish(20);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        int received = 0;
        while (received < 20) {
            Message m = a.nextMessage(Duration.ofMillis(100));
            if (m == null) {
                m = b.nextMessage(Duration.ofMillis(100));
            }
            if (m != null) {
                assertThat(seen.add(text(m))).as("delivered twice: %s", text(m)).isTrue();
                m.ack();
                received++;
            }
        }
        assertThat(seen).hasSize(20);
    }

    @Test
    void accountsHaveTheirOwnJetStream() throws Exception {
        try (Connection other = connect("other")) {
            JetStreamManagement jsm = other.jetStreamManagement();
            assertThat(jsm.getStreamNames()).isEmpty();
            assertThatThrownBy(() -> jsm.getStreamInfo("S"))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10059));
        }
        try (Connection plain = connect("plain")) {
            assertThatThrownBy(() -> plain.jetStreamManagement().getAccountStatistics())
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10039));
        }
        assertThat(nc.jetStreamManagement().getAccountStatistics().getStreams()).isEqualTo(1);
    }
}
