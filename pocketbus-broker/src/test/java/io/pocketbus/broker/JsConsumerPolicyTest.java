package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Consumer deliver policies, ack verbs, limits, flow control and pull heartbeats, without networking. */
class JsConsumerPolicyTest {
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
    private JsStream stream;

    @AfterEach
    void close() {
        account.close();
    }

    private JsonNode call(String api, String body) throws Exception {
        JsApiReply r = JetStreamApi.handle(Optional.of(account), "$JS.API." + api, "_INBOX.api", new byte[0],
                body.getBytes(StandardCharsets.UTF_8));
        return JsJson.MAPPER.readTree(r.payload());
    }

    private void stream(String subjects, int messages) throws Exception {
        JsonNode r = call("STREAM.CREATE.S", "{\"name\":\"S\",\"subjects\":" + subjects + ",\"storage\":\"memory\"}");
        assertThat(r.has("error")).as(r.toString()).isFalse();
        stream = account.requireStream("S");
        for (int i = 1; i <= messages; i++) {
            publish("s." + (i % 3), "m" + i);
        }
    }

    private void publish(String subject, String payload) {
        stream.publish(subject, new byte[0], payload.getBytes(StandardCharsets.UTF_8));
    }

    private JsConsumer consumer(String name, String config) throws Exception {
        JsonNode r = call("CONSUMER.CREATE.S." + name, "{\"stream_name\":\"S\",\"config\":" + config + "}");
        assertThat(r.has("error")).as(r.toString()).isFalse();
        return stream.consumer(name).orElseThrow();
    }

    /** Pulls {@code n} messages and returns their payloads. */
    private List<String> pull(JsConsumer c, String inbox, int n) throws Exception {
        out.interest.add(inbox);
        c.pull(("{\"batch\":" + n + ",\"expires\":5000000000}").getBytes(StandardCharsets.UTF_8), inbox);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            got.add(out.next(inbox).payload());
        }
        return got;
    }

    @Test
    void deliverPolicies() throws Exception {
        stream("[\"s.*\"]", 6);
        assertThat(pull(consumer("all", "{\"name\":\"all\",\"deliver_policy\":\"all\"}"), "i.all", 2)).containsExactly("m1", "m2");
        assertThat(pull(consumer("seq", "{\"name\":\"seq\",\"deliver_policy\":\"by_start_sequence\",\"opt_start_seq\":4}"), "i.seq", 2))
                .containsExactly("m4", "m5");
        assertThat(pull(consumer("last", "{\"name\":\"last\",\"deliver_policy\":\"last\"}"), "i.last", 1)).containsExactly("m6");
        JsConsumer lps = consumer("lps", "{\"name\":\"lps\",\"deliver_policy\":\"last_per_subject\"}");
        assertThat(call("CONSUMER.INFO.S.lps", "").get("num_pending").asLong()).isEqualTo(3);
        assertThat(pull(lps, "i.lps", 3)).containsExactly("m4", "m5", "m6");
        long t = stream.store().loadMsg(5).orElseThrow().timestamp();
        JsConsumer byTime = consumer("time", "{\"name\":\"time\",\"deliver_policy\":\"by_start_time\",\"opt_start_time\":\""
                + JsJson.time(t) + "\"}");
        assertThat(pull(byTime, "i.time", 2)).containsExactly("m5", "m6");
        JsConsumer fresh = consumer("new", "{\"name\":\"new\",\"deliver_policy\":\"new\"}");
        assertThat(call("CONSUMER.INFO.S.new", "").get("num_pending").asLong()).isZero();
        publish("s.9", "m7");
        assertThat(pull(fresh, "i.new", 1)).containsExactly("m7");
        JsConsumer filtered = consumer("f", "{\"name\":\"f\",\"filter_subjects\":[\"s.1\",\"s.2\"]}");
        assertThat(call("CONSUMER.INFO.S.f", "").get("num_pending").asLong()).isEqualTo(4);
        assertThat(pull(filtered, "i.f", 4)).containsExactly("m1", "m2", "m4", "m5");
    }

    @Test
    void backoffSetsRedeliveryDelaysAndWpiExtendsThem() throws Exception {
        stream("[\"s.*\"]", 1);
        JsConsumer c = consumer("b", "{\"durable_name\":\"b\",\"ack_policy\":\"explicit\",\"backoff\":[50000000,100000000],\"max_deliver\":3}");
        JsonNode cfg = call("CONSUMER.INFO.S.b", "").get("config");
        assertThat(cfg.get("ack_wait").asLong()).isEqualTo(50_000_000L);
        out.interest.add("i.b");
        c.pull("{\"batch\":5,\"expires\":1000000000}".getBytes(StandardCharsets.UTF_8), "i.b");
        assertThat(out.next("i.b").reply()).startsWith("$JS.ACK.S.b.1.1.1.");
        assertThat(out.next("i.b").reply()).startsWith("$JS.ACK.S.b.2.1.2.");
        c.ack(1, 2, "+WPI".getBytes(StandardCharsets.UTF_8), "");
        assertThat(out.next("i.b").reply()).startsWith("$JS.ACK.S.b.3.1.3.");
        // max_deliver 3 reached: no fourth delivery before the request expires.
        assertThat(out.next("i.b").headers()).startsWith("NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 2\r\n");
    }

    @Test
    void nextAcksAndPullsAgain() throws Exception {
        stream("[\"s.*\"]", 2);
        JsConsumer c = consumer("n", "{\"durable_name\":\"n\",\"ack_policy\":\"explicit\"}");
        assertThat(pull(c, "i.n", 1)).containsExactly("m1");
        out.interest.add("i.next");
        c.ack(1, 1, "+NXT".getBytes(StandardCharsets.UTF_8), "i.next");
        assertThat(out.next("i.next").payload()).isEqualTo("m2");
        assertThat(call("CONSUMER.INFO.S.n", "").get("ack_floor").get("stream_seq").asLong()).isEqualTo(1);
    }

    @Test
    void maxAckPendingHoldsDeliveriesBack() throws Exception {
        stream("[\"s.*\"]", 3);
        JsConsumer c = consumer("m", "{\"durable_name\":\"m\",\"ack_policy\":\"explicit\",\"max_ack_pending\":2}");
        out.interest.add("i.m");
        c.pull("{\"batch\":3,\"expires\":5000000000}".getBytes(StandardCharsets.UTF_8), "i.m");
        assertThat(out.next("i.m").payload()).isEqualTo("m1");
        assertThat(out.next("i.m").payload()).isEqualTo("m2");
        assertThat(call("CONSUMER.INFO.S.m", "").get("num_pending").asLong()).isEqualTo(1);
        c.ack(1, 1, new byte[0], "");
        assertThat(out.next("i.m").payload()).isEqualTo("m3");
    }

    @Test
    void flowControlStallsUntilAnswered() throws Exception {
        stream("[\"s.*\"]", 0);
        byte[] big = new byte[1024 * 1024];
        for (int i = 0; i < 6; i++) {
            stream.publish("s.1", new byte[0], big);
        }
        out.interest.add("d.fc");
        JsConsumer c = consumer("fc", "{\"name\":\"fc\",\"deliver_subject\":\"d.fc\",\"flow_control\":true,\"idle_heartbeat\":5000000000}");
        String fcReply = null;
        int delivered = 0;
        while (fcReply == null) {
            JsRecordingOutput.Sent s = out.next("d.fc");
            if (s.headers().startsWith("NATS/1.0 100 FlowControl Request")) {
                fcReply = s.reply();
            } else {
                delivered++;
            }
        }
        assertThat(fcReply).matches("\\$JS\\.FC\\.S\\.fc\\.[0-9A-Za-z]{4}");
        assertThat(delivered).isEqualTo(2);
        int more = 0;
        while (more + delivered < 4) {
            more += out.next("d.fc").headers().isEmpty() ? 1 : 0;
        }
        assertThat(call("CONSUMER.INFO.S.fc", "").get("num_pending").asLong()).isEqualTo(2);
        c.flowControlReply(fcReply);
        int rest = 0;
        while (rest < 2) {
            rest += out.next("d.fc").headers().isEmpty() ? 1 : 0;
        }
        assertThat(call("CONSUMER.INFO.S.fc", "").get("num_pending").asLong()).isZero();
    }

    @Test
    void pullRequestHeartbeats() throws Exception {
        stream("[\"s.*\"]", 0);
        JsConsumer c = consumer("h", "{\"durable_name\":\"h\",\"ack_policy\":\"explicit\"}");
        out.interest.add("i.h");
        c.pull("{\"batch\":1,\"expires\":2000000000,\"idle_heartbeat\":100000000}".getBytes(StandardCharsets.UTF_8), "i.h");
        assertThat(out.next("i.h").headers()).isEqualTo("NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 0\r\nNats-Last-Stream: 0\r\n\r\n");
        publish("s.1", "late");
        JsRecordingOutput.Sent m;
        do {
            m = out.next("i.h");
        } while (!m.headers().isEmpty());
        assertThat(m.payload()).isEqualTo("late");
    }

    @Test
    void pullRequestWithoutInterestIsDropped() throws Exception {
        stream("[\"s.*\"]", 0);
        JsConsumer c = consumer("g", "{\"durable_name\":\"g\",\"ack_policy\":\"explicit\"}");
        c.pull("{\"batch\":1,\"expires\":5000000000}".getBytes(StandardCharsets.UTF_8), "i.gone");
        out.interest.add("i.here");
        c.pull("{\"batch\":1,\"expires\":5000000000}".getBytes(StandardCharsets.UTF_8), "i.here");
        publish("s.1", "x");
        assertThat(out.next("i.here").payload()).isEqualTo("x");
        assertThat(call("CONSUMER.INFO.S.g", "").get("num_waiting").asLong()).isZero();
    }
}
