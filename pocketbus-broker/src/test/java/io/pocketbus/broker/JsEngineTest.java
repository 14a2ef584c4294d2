package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Streams and consumers without networking: what they store, send and refuse. */
class JsEngineTest {
    private final JsRecordingOutput out = new JsRecordingOutput();
    private final JetStreamAccount account = new JetStreamAccount("A", JetStreamConfig.memory().build(),
            JetStreamLimits.UNLIMITED, out, new JetStreamAccount.StreamListener() {
                @Override
                public void streamAdded(JsStream stream) {
                }

                @Override
                public void streamRemoved(JsStream stream) {
                }
            });

    @AfterEach
    void close() {
        account.close();
    }

    private JsonNode call(String api, String body) throws Exception {
        JsApiReply r = JetStreamApi.handle(Optional.of(account), "$JS.API." + api, "_INBOX.api", new byte[0],
                body.getBytes(StandardCharsets.UTF_8));
        return r.payload().length == 0 ? JsJson.object() : JsJson.MAPPER.readTree(r.payload());
    }

    private JsStream stream(String config) throws Exception {
        JsonNode r = call("STREAM.CREATE." + JsJson.MAPPER.readTree(config).get("name").asText(), config);
        assertThat(r.has("error")).as(r.toString()).isFalse();
        return account.requireStream(r.get("config").get("name").asText());
    }

    private JsConsumer consumer(JsStream s, String name, String config) throws Exception {
        JsonNode r = call("CONSUMER.CREATE." + s.name() + "." + name, "{\"stream_name\":\"" + s.name() + "\",\"config\":" + config + "}");
        assertThat(r.has("error")).as(r.toString()).isFalse();
        return s.consumer(name).orElseThrow();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String ack(JsStream s, String subject, String headers, String payload) {
        return new String(s.publish(subject, b(headers), b(payload)), StandardCharsets.UTF_8);
    }

    private void pull(JsConsumer c, String reply, String body) {
        out.interest.add(reply);
        c.pull(b(body), reply);
    }

    @Test
    void pubAcksAndRollups() throws Exception {
        JsStream s = stream("{\"name\":\"S\",\"subjects\":[\"s.*\"],\"storage\":\"memory\",\"allow_rollup_hdrs\":true}");
        assertThat(ack(s, "s.a", "", "1")).isEqualTo("{\"stream\":\"S\",\"seq\":1}");
        ack(s, "s.a", "", "2");
        ack(s, "s.b", "", "3");
        assertThat(ack(s, "s.a", "NATS/1.0\r\nNats-Msg-Id: x\r\n\r\n", "4")).isEqualTo("{\"stream\":\"S\",\"seq\":4}");
        assertThat(ack(s, "s.a", "NATS/1.0\r\nNats-Msg-Id: x\r\n\r\n", "4")).isEqualTo("{\"stream\":\"S\",\"seq\":4,\"duplicate\": true}");
        ack(s, "s.a", "NATS/1.0\r\nNats-Rollup: sub\r\n\r\n", "5");
        assertThat(s.store().fastState().msgs()).isEqualTo(2);
        ack(s, "s.c", "NATS/1.0\r\nNats-Rollup: all\r\n\r\n", "6");
        assertThat(s.store().fastState().msgs()).isEqualTo(1);
        assertThat(ack(s, "s.c", "NATS/1.0\r\nNats-Rollup: bogus\r\n\r\n", "7")).contains("10111", "rollup value invalid");

        JsStream noRollup = stream("{\"name\":\"N\",\"subjects\":[\"n\"],\"storage\":\"memory\",\"max_msg_size\":3,\"max_msgs\":1,\"discard\":\"new\"}");
        assertThat(ack(noRollup, "n", "NATS/1.0\r\nNats-Rollup: sub\r\n\r\n", "x")).contains("\"err_code\":10111", "rollup not permitted");
        assertThat(ack(noRollup, "n", "", "toolong")).contains("\"err_code\":10054", "message size exceeds maximum allowed");
        ack(noRollup, "n", "", "ok");
        assertThat(ack(noRollup, "n", "", "no")).contains("\"err_code\":10077", "maximum messages exceeded", "\"seq\":0");
    }

    @Test
    void deliveriesCarryTheV1AckSubject() throws Exception {
        JsStream s = stream("{\"name\":\"S\",\"subjects\":[\"s.*\"],\"storage\":\"memory\"}");
        ack(s, "s.a", "NATS/1.0\r\nK: v\r\n\r\n", "one");
        ack(s, "s.b", "", "two");
        JsConsumer c = consumer(s, "c", "{\"durable_name\":\"c\",\"ack_policy\":\"explicit\"}");
        pull(c, "_INBOX.p1", "{\"batch\":2}");
        JsRecordingOutput.Sent first = out.next("_INBOX.p1");
        assertThat(first.subject()).isEqualTo("s.a");
        assertThat(first.headers()).isEqualTo("NATS/1.0\r\nK: v\r\n\r\n");
        long ts = s.store().loadMsg(1).orElseThrow().timestamp();
        assertThat(first.reply()).isEqualTo("$JS.ACK.S.c.1.1.1." + ts + ".1");
        JsRecordingOutput.Sent second = out.next("_INBOX.p1");
        assertThat(second.reply()).startsWith("$JS.ACK.S.c.1.2.2.").endsWith(".0");
        c.ack(1, 1, b("+ACK"), "_INBOX.ack");
        assertThat(out.next("_INBOX.ack").payload()).isEmpty();
        JsonNode info = call("CONSUMER.INFO.S.c", "");
        assertThat(info.get("ack_floor").get("stream_seq").asLong()).isEqualTo(1);
        assertThat(info.get("num_ack_pending").asLong()).isEqualTo(1);
        assertThat(info.get("delivered").get("consumer_seq").asLong()).isEqualTo(2);
    }

    @Test
    void pullRequestStatuses() throws Exception {
        JsStream s = stream("{\"name\":\"S\",\"subjects\":[\"s\"],\"storage\":\"memory\"}");
        JsConsumer c = consumer(s, "c", "{\"durable_name\":\"c\",\"ack_policy\":\"explicit\",\"max_waiting\":1}");
        pull(c, "_INBOX.nw", "{\"batch\":5,\"no_wait\":true}");
        assertThat(out.next("_INBOX.nw").headers()).isEqualTo("NATS/1.0 404 No Messages\r\n\r\n");
        pull(c, "_INBOX.exp", "{\"batch\":3,\"expires\":200000000}");
        pull(c, "_INBOX.full", "{\"batch\":1,\"expires\":200000000}");
        assertThat(out.next("_INBOX.full").headers()).isEqualTo("NATS/1.0 409 Exceeded MaxWaiting\r\n\r\n");
        assertThat(out.next("_INBOX.exp").headers())
                .isEqualTo("NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 3\r\nNats-Pending-Bytes: 0\r\n\r\n");
        pull(c, "_INBOX.hb", "{\"batch\":1,\"idle_heartbeat\":2000000000}");
        assertThat(out.next("_INBOX.hb").headers()).isEqualTo("NATS/1.0 400 Bad Request - heartbeat value too large\r\n\r\n");
        ack(s, "s", "", "0123456789");
        pull(c, "_INBOX.mb", "{\"batch\":1,\"max_bytes\":5,\"expires\":5000000000}");
        assertThat(out.next("_INBOX.mb").headers()).startsWith("NATS/1.0 409 Message Size Exceeds MaxBytes\r\n");
        pull(c, "_INBOX.wait", "{\"batch\":1,\"max_bytes\":1000,\"expires\":5000000000}");
        assertThat(out.next("_INBOX.wait").payload()).isEqualTo("0123456789");
        pull(c, "_INBOX.del", "{\"batch\":1,\"expires\":5000000000}");
        call("CONSUMER.DELETE.S.c", "");
        assertThat(out.next("_INBOX.del").headers()).isEqualTo("NATS/1.0 409 Consumer Deleted\r\n\r\n");
    }

    @Test
    void unackedMessagesAreRedeliveredUntilMaxDeliver() throws Exception {
        out.interest.add("$JS.EVENT.ADVISORY.>");
        JsStream s = stream("{\"name\":\"S\",\"subjects\":[\"s\"],\"storage\":\"memory\"}");
        assertThat(out.next("$JS.EVENT.ADVISORY.STREAM.CREATED.S").payload())
                .contains("\"type\":\"io.nats.jetstream.advisory.v1.stream_action\"", "\"stream\":\"S\"", "\"action\":\"create\"");
        ack(s, "s", "", "x");
        JsConsumer c = consumer(s, "c", "{\"durable_name\":\"c\",\"ack_policy\":\"explicit\",\"ack_wait\":100000000,\"max_deliver\":2}");
        assertThat(out.next("$JS.EVENT.ADVISORY.CONSUMER.CREATED.S.c").payload()).contains("\"consumer\":\"c\"");
        pull(c, "_INBOX.r", "{\"batch\":3,\"expires\":1000000000}");
        assertThat(out.next("_INBOX.r").reply()).startsWith("$JS.ACK.S.c.1.1.1.");
        JsRecordingOutput.Sent again = out.next("_INBOX.r");
        assertThat(again.reply()).startsWith("$JS.ACK.S.c.2.1.2.");
        assertThat(out.next("_INBOX.r").headers()).startsWith("NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 1\r\n");
        assertThat(out.next("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.S.c").payload())
                .contains("\"type\":\"io.nats.jetstream.advisory.v1.max_deliver\"", "\"stream_seq\":1", "\"deliveries\":2");
        JsonNode info = call("CONSUMER.INFO.S.c", "");
        assertThat(info.get("num_redelivered").asLong()).isEqualTo(1);
        assertThat(info.get("num_ack_pending").asLong()).isEqualTo(1);
    }

    @Test
    void nakWithDelayAndTerm() throws Exception {
        JsStream s = stream("{\"name\":\"S\",\"subjects\":[\"s\"],\"storage\":\"memory\"}");
        ack(s, "s", "", "x");
        ack(s, "s", "", "y");
        JsConsumer c = consumer(s, "c", "{\"durable_name\":\"c\",\"ack_policy\":\"explicit\"}");
        pull(c, "_INBOX.n", "{\"batch\":4,\"expires\":5000000000}");
        out.next("_INBOX.n");
        out.next("_INBOX.n");
        out.interest.add("$JS.EVENT.ADVISORY.>");
        c.ack(2, 2, b("+TERM no longer wanted"), "");
        assertThat(out.next("$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.S.c").payload())
                .contains("\"type\":\"io.nats.jetstream.advisory.v1.terminated\"", "\"stream_seq\":2", "\"reason\":\"no longer wanted\"");
        c.ack(1, 1, b("-NAK {\"delay\":50000000}"), "");
        JsRecordingOutput.Sent redelivered = out.next("_INBOX.n");
        assertThat(redelivered.payload()).isEqualTo("x");
        assertThat(redelivered.reply()).startsWith("$JS.ACK.S.c.2.1.3.");
        c.ack(1, 3, b(""), "");
        assertThat(call("CONSUMER.INFO.S.c", "").get("ack_floor").get("stream_seq").asLong()).isEqualTo(2);
    }

    @Test
    void pushConsumerWaitsForInterestAndSendsHeartbeats() throws Exception {
        JsStream s = stream("{\"name\":\"S\",\"subjects\":[\"s.*\"],\"storage\":\"memory\"}");
        ack(s, "s.a", "", "1");
        JsConsumer c = consumer(s, "p", "{\"name\":\"p\",\"deliver_subject\":\"deliver.p\",\"ack_policy\":\"none\","
                + "\"idle_heartbeat\":100000000,\"flow_control\":true,\"headers_only\":true,\"deliver_policy\":\"last_per_subject\"}");
        assertThat(out.sent).isEmpty();
        assertThat(call("CONSUMER.INFO.S.p", "").get("num_pending").asLong()).isEqualTo(1);
        out.interest.add("deliver.p");
        JsRecordingOutput.Sent m = out.next("deliver.p");
        assertThat(m.subject()).isEqualTo("s.a");
        assertThat(m.headers()).isEqualTo("NATS/1.0\r\nNats-Msg-Size: 1\r\n\r\n");
        assertThat(m.payload()).isEmpty();
        JsRecordingOutput.Sent hb = out.next("deliver.p");
        assertThat(hb.headers()).isEqualTo("NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 1\r\nNats-Last-Stream: 1\r\n\r\n");
        assertThat(c.pushBound()).isTrue();
    }

    @Test
    void ephemeralWithoutInterestIsRemoved() throws Exception {
        JsStream s = stream("{\"name\":\"S\",\"subjects\":[\"s\"],\"storage\":\"memory\"}");
        JsConsumer c = consumer(s, "e", "{\"name\":\"e\",\"deliver_subject\":\"nobody\",\"inactive_threshold\":100000000}");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (s.consumer("e").isPresent() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(s.consumer("e")).isEmpty();
        assertThat(c.isStopped()).isTrue();
    }

    @Test
    void workQueueAndInterestRetention() throws Exception {
        JsStream wq = stream("{\"name\":\"WQ\",\"subjects\":[\"wq\"],\"storage\":\"memory\",\"retention\":\"workqueue\"}");
        ack(wq, "wq", "", "job");
        JsConsumer w = consumer(wq, "w", "{\"durable_name\":\"w\",\"ack_policy\":\"explicit\"}");
        pull(w, "_INBOX.w", "{\"batch\":1}");
        out.next("_INBOX.w");
        w.ack(1, 1, b("+ACK"), "");
        assertThat(wq.store().fastState().msgs()).isZero();

        JsStream in = stream("{\"name\":\"IN\",\"subjects\":[\"in.*\"],\"storage\":\"memory\",\"retention\":\"interest\"}");
        ack(in, "in.a", "", "dropped");
        assertThat(in.store().fastState().msgs()).isZero();
        JsConsumer a = consumer(in, "a", "{\"durable_name\":\"a\",\"ack_policy\":\"explicit\",\"filter_subject\":\"in.a\"}");
        JsConsumer b = consumer(in, "b", "{\"durable_name\":\"b\",\"ack_policy\":\"explicit\"}");
        ack(in, "in.a", "", "kept");
        pull(a, "_INBOX.a", "{\"batch\":1}");
        pull(b, "_INBOX.b", "{\"batch\":1}");
        out.next("_INBOX.a");
        out.next("_INBOX.b");
        a.ack(2, 1, b("+ACK"), "");
        assertThat(in.store().fastState().msgs()).isEqualTo(1);
        b.ack(2, 1, b("+ACK"), "");
        assertThat(in.store().fastState().msgs()).isZero();

        ack(in, "in.a", "", "still wanted by a");
        call("CONSUMER.DELETE.IN.b", "");
        ack(in, "in.b", "", "nobody wants this");
        assertThat(in.store().fastState().msgs()).isEqualTo(1);
        pull(a, "_INBOX.a2", "{\"batch\":1}");
        out.next("_INBOX.a2");
        a.ack(3, 2, b("+ACK"), "");
        assertThat(in.store().fastState().msgs()).isZero();

        JsStream noAck = stream("{\"name\":\"NA\",\"subjects\":[\"na\"],\"storage\":\"memory\",\"retention\":\"interest\"}");
        JsConsumer n = consumer(noAck, "n", "{\"durable_name\":\"n\",\"ack_policy\":\"none\"}");
        ack(noAck, "na", "", "gone once delivered");
        assertThat(noAck.store().fastState().msgs()).isEqualTo(1);
        pull(n, "_INBOX.na", "{\"batch\":1}");
        out.next("_INBOX.na");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (noAck.store().fastState().msgs() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(noAck.store().fastState().msgs()).isZero();
    }

    @Test
    void ackAllAcknowledgesEverythingBelow() throws Exception {
        JsStream s = stream("{\"name\":\"S\",\"subjects\":[\"s\"],\"storage\":\"memory\"}");
        for (int i = 0; i < 3; i++) {
            ack(s, "s", "", "m" + i);
        }
        JsConsumer c = consumer(s, "c", "{\"durable_name\":\"c\",\"ack_policy\":\"all\"}");
        pull(c, "_INBOX.all", "{\"batch\":3}");
        for (int i = 0; i < 3; i++) {
            out.next("_INBOX.all");
        }
        c.ack(3, 3, b("+ACK"), "");
        JsonNode info = call("CONSUMER.INFO.S.c", "");
        assertThat(info.get("num_ack_pending").asLong()).isZero();
        assertThat(info.get("ack_floor").get("stream_seq").asLong()).isEqualTo(3);
    }
}
