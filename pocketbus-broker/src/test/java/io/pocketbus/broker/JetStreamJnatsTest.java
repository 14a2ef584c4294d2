package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.nats.client.PublishOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JetStream streams and consumers with the real Java client, on memory and on file storage. */
abstract class JetStreamJnatsTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    @TempDir
    Path dir;
    Broker broker;
    Connection nc;

    abstract StorageType storage();

    JetStreamConfig jetStreamConfig() {
        return JetStreamConfig.storeDir(dir).build();
    }

    @BeforeEach
    void start() throws Exception {
        broker = Broker.builder().port(0).jetStream(jetStreamConfig()).build().start();
        nc = connect();
    }

    @AfterEach
    void stop() throws Exception {
        if (nc != null) {
            nc.close();
        }
        broker.shutdown();
    }

    Connection connect() throws Exception {
        return Nats.connect(Options.builder().server("nats://127.0.0.1:" + broker.port()).build());
    }

    void restart() throws Exception {
        nc.close();
        broker.shutdown();
        broker = Broker.builder().port(0).jetStream(jetStreamConfig()).build().start();
        nc = connect();
    }

    StreamInfo createStream(String name, String... subjects) throws Exception {
        return nc.jetStreamManagement().addStream(StreamConfiguration.builder().name(name).subjects(subjects)
                .storageType(storage()).build());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(Message m) {
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    @Test
    void publishesWithAcksAndReportsStreamState() throws Exception {
        StreamInfo created = createStream("ORDERS", "orders.*");
        assertThat(created.getConfiguration().getSubjects()).containsExactly("orders.*");
        assertThat(created.getConfiguration().getStorageType()).isEqualTo(storage());
        JetStream js = nc.jetStream();
        PublishAck a1 = js.publish("orders.new", bytes("one"));
        PublishAck a2 = js.publish("orders.paid", bytes("two"));
        assertThat(a1.getStream()).isEqualTo("ORDERS");
        assertThat(a1.getSeqno()).isEqualTo(1);
        assertThat(a2.getSeqno()).isEqualTo(2);
        StreamInfo info = nc.jetStreamManagement().getStreamInfo("ORDERS");
        assertThat(info.getStreamState().getMsgCount()).isEqualTo(2);
        assertThat(info.getStreamState().getFirstSequence()).isEqualTo(1);
        assertThat(info.getStreamState().getLastSequence()).isEqualTo(2);
        assertThatThrownBy(() -> nc.jetStreamManagement().getStreamInfo("NOPE"))
                .isInstanceOfSatisfying(JetStreamApiException.class, e -> {
                    assertThat(e.getApiErrorCode()).isEqualTo(10059);
                    assertThat(e.getErrorCode()).isEqualTo(404);
                });
    }

    @Test
    void deduplicatesAndChecksExpectations() throws Exception {
        createStream("D", "d.>");
        JetStream js = nc.jetStream();
        PublishAck first = js.publish("d.a", bytes("x"), PublishOptions.builder().messageId("m1").build());
        PublishAck again = js.publish("d.a", bytes("x"), PublishOptions.builder().messageId("m1").build());
        assertThat(again.isDuplicate()).isTrue();
        assertThat(again.getSeqno()).isEqualTo(first.getSeqno());
        assertThatThrownBy(() -> js.publish("d.a", bytes("y"), PublishOptions.builder().expectedLastSequence(7).build()))
                .isInstanceOfSatisfying(JetStreamApiException.class, e -> {
                    assertThat(e.getApiErrorCode()).isEqualTo(10071);
                    assertThat(e.getMessage()).contains("wrong last sequence: 1");
                });
        assertThatThrownBy(() -> js.publish("d.b", bytes("y"), PublishOptions.builder().expectedLastSubjectSequence(1).build()))
                .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10071));
        assertThat(js.publish("d.b", bytes("y"), PublishOptions.builder().expectedLastSubjectSequence(0).build()).getSeqno())
                .isEqualTo(2);
        assertThatThrownBy(() -> js.publish("d.c", bytes("y"), PublishOptions.builder().expectedStream("OTHER").build()))
                .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10060));
        assertThatThrownBy(() -> js.publish("d.c", bytes("y"), PublishOptions.builder().expectedLastMsgId("zz").build()))
                .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10070));
        assertThat(nc.jetStreamManagement().getStreamInfo("D").getStreamState().getMsgCount()).isEqualTo(2);
    }

    @Test
    void pullFetchWithExplicitAcks() throws Exception {
        createStream("P", "p.*");
        JetStream js = nc.jetStream();
        for (int i = 0; i < 5; i++) {
            js.publish("p.x", bytes("m" + i));
        }
        JetStreamSubscription sub = js.subscribe("p.*", PullSubscribeOptions.builder().durable("worker").build());
        List<Message> batch = sub.fetch(3, WAIT);
        assertThat(batch).extracting(JetStreamJnatsTest::text).containsExactly("m0", "m1", "m2");
        assertThat(batch.get(0).metaData().streamSequence()).isEqualTo(1);
        assertThat(batch.get(2).metaData().pendingCount()).isEqualTo(2);
        for (Message m : batch) {
            m.ackSync(WAIT);
        }
        ConsumerInfo ci = nc.jetStreamManagement().getConsumerInfo("P", "worker");
        assertThat(ci.getNumPending()).isEqualTo(2);
        assertThat(ci.getAckFloor().getStreamSequence()).isEqualTo(3);
        assertThat(ci.getDelivered().getConsumerSequence()).isEqualTo(3);
        assertThat(ci.getNumAckPending()).isZero();
        List<Message> rest = sub.fetch(10, Duration.ofMillis(500));
        assertThat(rest).extracting(JetStreamJnatsTest::text).containsExactly("m3", "m4");
        rest.get(0).nak();
        Message again = sub.fetch(1, WAIT).get(0);
        assertThat(text(again)).isEqualTo("m3");
        assertThat(again.metaData().deliveredCount()).isEqualTo(2);
    }

    @Test
    void pushSubscribeDeliversAndAcks() throws Exception {
        createStream("PS", "ps.>");
        JetStream js = nc.jetStream();
        js.publish("ps.1", bytes("a"));
        JetStreamSubscription sub = js.subscribe("ps.>", PushSubscribeOptions.builder().durable("pusher").build());
        Message m = sub.nextMessage(WAIT);
        assertThat(text(m)).isEqualTo("a");
        assertThat(m.getSubject()).isEqualTo("ps.1");
        m.ackSync(WAIT);
        js.publish("ps.2", bytes("b"));
        Message m2 = sub.nextMessage(WAIT);
        assertThat(text(m2)).isEqualTo("b");
        m2.ackSync(WAIT);
        ConsumerInfo ci = nc.jetStreamManagement().getConsumerInfo("PS", "pusher");
        assertThat(ci.getAckFloor().getStreamSequence()).isEqualTo(2);
    }

    @Test
    void orderedConsumerReadsEverythingInOrder() throws Exception {
        createStream("O", "o.>");
        JetStream js = nc.jetStream();
        for (int i = 0; i < 20; i++) {
            js.publish("o." + (i % 3), bytes("v" + i));
        }
        JetStreamSubscription sub = js.subscribe("o.>", PushSubscribeOptions.builder().ordered(true).build());
        for (int i = 0; i < 20; i++) {
            Message m = sub.nextMessage(WAIT);
            assertThat(m).as("message %d", i).isNotNull();
            assertThat(text(m)).isEqualTo("v" + i);
        }
    }

    @Test
    void streamAndConsumerSurviveRestartOnFileStorage() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(storage() == StorageType.File);
        createStream("R", "r.*");
        JetStream js = nc.jetStream();
        for (int i = 0; i < 4; i++) {
            js.publish("r.x", bytes("m" + i));
        }
        JetStreamSubscription sub = js.subscribe("r.*", PullSubscribeOptions.builder().durable("dur").build());
        for (Message m : sub.fetch(2, WAIT)) {
            m.ackSync(WAIT);
        }
        restart();
        StreamInfo info = nc.jetStreamManagement().getStreamInfo("R");
        assertThat(info.getStreamState().getMsgCount()).isEqualTo(4);
        ConsumerInfo ci = nc.jetStreamManagement().getConsumerInfo("R", "dur");
        assertThat(ci.getAckFloor().getStreamSequence()).isEqualTo(2);
        assertThat(ci.getNumPending()).isEqualTo(2);
        JetStreamSubscription again = nc.jetStream().subscribe("r.*", PullSubscribeOptions.builder().durable("dur").build());
        assertThat(again.fetch(5, Duration.ofSeconds(1))).extracting(JetStreamJnatsTest::text).containsExactly("m2", "m3");
    }

    @Test
    void mirrorCopiesTheOriginWithItsSequences() throws Exception {
        createStream("ORIGIN", "origin.>");
        JetStream js = nc.jetStream();
        for (int i = 1; i <= 5; i++) {
            js.publish("origin." + i, bytes("o" + i));
        }
        JetStreamManagement jsm = nc.jetStreamManagement();
        jsm.deleteMessage("ORIGIN", 2);
        jsm.addStream(StreamConfiguration.builder().name("COPY").storageType(storage())
                .mirror(io.nats.client.api.Mirror.builder().sourceName("ORIGIN").build()).build());
        awaitLastSeq(jsm, "COPY", 5);
        js.publish("origin.6", bytes("o6"));
        awaitLastSeq(jsm, "COPY", 6);
        StreamInfo copy = jsm.getStreamInfo("COPY");
        assertThat(copy.getStreamState().getMsgCount()).isEqualTo(5);
        assertThat(copy.getMirrorInfo().getName()).isEqualTo("ORIGIN");
        assertThat(copy.getMirrorInfo().getLag()).isZero();
        assertThat(new String(jsm.getMessage("COPY", 6).getData(), StandardCharsets.UTF_8)).isEqualTo("o6");
        assertThat(jsm.getMessage("COPY", 3).getSubject()).isEqualTo("origin.3");
        assertThatThrownBy(() -> jsm.getMessage("COPY", 2))
                .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10037));
        if (storage() == StorageType.File) {
            restart();
            nc.jetStream().publish("origin.7", bytes("o7"));
            awaitLastSeq(nc.jetStreamManagement(), "COPY", 7);
            assertThat(nc.jetStreamManagement().getStreamInfo("COPY").getStreamState().getMsgCount()).isEqualTo(6);
        }
    }

    @Test
    void sourcesAggregateStreams() throws Exception {
        createStream("EU", "eu.>");
        createStream("US", "us.>");
        JetStream js = nc.jetStream();
        js.publish("eu.order", bytes("e1"));
        js.publish("us.order", bytes("u1"));
        js.publish("us.refund", bytes("u2"));
        JetStreamManagement jsm = nc.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name("ALL").storageType(storage())
                .sources(io.nats.client.api.Source.builder().sourceName("EU").build(),
                        io.nats.client.api.Source.builder().sourceName("US").filterSubject("us.order").build())
                .build());
        awaitMessages(jsm, "ALL", 2);
        js.publish("eu.order", bytes("e2"));
        awaitMessages(jsm, "ALL", 3);
        var copied = jsm.getLastMessage("ALL", "eu.order");
        assertThat(new String(copied.getData(), StandardCharsets.UTF_8)).isEqualTo("e2");
        assertThat(copied.getHeaders().getFirst("Nats-Stream-Source")).isEqualTo("EU 2");
        assertThat(jsm.getStreamInfo("ALL").getSourceInfos()).extracting(i -> i.getName()).containsExactly("EU", "US");
        if (storage() == StorageType.File) {
            restart();
            nc.jetStream().publish("us.order", bytes("u3"));
            awaitMessages(nc.jetStreamManagement(), "ALL", 4);
            assertThat(nc.jetStreamManagement().getStreamInfo("ALL").getStreamState().getMsgCount()).isEqualTo(4);
        }
    }

    private static void awaitMessages(JetStreamManagement jsm, String stream, long count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (jsm.getStreamInfo(stream).getStreamState().getMsgCount() < count) {
            assertThat(System.nanoTime()).as("%s did not reach %d messages", stream, count).isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(jsm.getStreamInfo(stream).getStreamState().getMsgCount()).isEqualTo(count);
    }

    private static void awaitLastSeq(JetStreamManagement jsm, String stream, long seq) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (jsm.getStreamInfo(stream).getStreamState().getLastSequence() < seq) {
            assertThat(System.nanoTime()).as("%s did not reach seq %d", stream, seq).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    static final class Memory extends JetStreamJnatsTest {
        @Override
        StorageType storage() {
            return StorageType.Memory;
        }
    }

    static final class File extends JetStreamJnatsTest {
        @Override
        StorageType storage() {
            return StorageType.File;
        }
    }

    /** File storage under sync always: every PubAck and confirmed ack waits for a group commit. */
    static final class FileSyncAlways extends JetStreamJnatsTest {
        @Override
        StorageType storage() {
            return StorageType.File;
        }

        @Override
        JetStreamConfig jetStreamConfig() {
            return JetStreamConfig.storeDir(dir).syncPolicy(SyncPolicy.ALWAYS).build();
        }
    }
}
