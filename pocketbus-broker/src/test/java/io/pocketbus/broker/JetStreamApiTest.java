package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The $JS.API handlers as functions: request in, nats-server's JSON out. */
class JetStreamApiTest {
    private final JsRecordingOutput out = new JsRecordingOutput();
    private JetStreamAccount account = account(JetStreamLimits.UNLIMITED);

    private JetStreamAccount account(JetStreamLimits limits) {
        return new JetStreamAccount("A", JetStreamConfig.memory().build(), limits, out, new JetStreamAccount.StreamListener() {
            @Override
            public void streamAdded(JsStream stream) {
            }

            @Override
            public void streamRemoved(JsStream stream) {
            }
        });
    }

    @AfterEach
    void close() {
        account.close();
    }

    private JsonNode call(String api, String body) throws Exception {
        JsApiReply r = JetStreamApi.handle(Optional.of(account), "$JS.API." + api, "_INBOX.1", new byte[0],
                body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.handled()).isTrue();
        return JsJson.MAPPER.readTree(r.payload());
    }

    private static String error(JsonNode n) {
        JsonNode e = n.get("error");
        return e == null ? "none" : e.get("code").asInt() + "/" + e.get("err_code").asInt() + " " + e.get("description").asText();
    }

    @Test
    void streamCreateEchoesDefaultsAndIsIdempotent() throws Exception {
        JsonNode r = call("STREAM.CREATE.S", "{\"name\":\"S\",\"subjects\":[\"s.>\"],\"storage\":\"memory\"}");
        assertThat(r.get("type").asText()).isEqualTo("io.nats.jetstream.api.v1.stream_create_response");
        assertThat(r.get("did_create").asBoolean()).isTrue();
        JsonNode c = r.get("config");
        assertThat(c.get("retention").asText()).isEqualTo("limits");
        assertThat(c.get("max_msgs").asLong()).isEqualTo(-1);
        assertThat(c.get("max_bytes").asLong()).isEqualTo(-1);
        assertThat(c.get("max_age").asLong()).isZero();
        assertThat(c.get("max_msg_size").asLong()).isEqualTo(-1);
        assertThat(c.get("discard").asText()).isEqualTo("old");
        assertThat(c.get("num_replicas").asInt()).isEqualTo(1);
        assertThat(c.get("duplicate_window").asLong()).isEqualTo(120_000_000_000L);
        assertThat(r.get("state").get("first_ts").asText()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(r.get("created").asText()).endsWith("Z");

        JsonNode again = call("STREAM.CREATE.S", "{\"name\":\"S\",\"subjects\":[\"s.>\"],\"storage\":\"memory\"}");
        assertThat(error(again)).isEqualTo("none");
        assertThat(again.has("did_create")).isFalse();
        assertThat(error(call("STREAM.CREATE.S", "{\"name\":\"S\",\"subjects\":[\"t.>\"],\"storage\":\"memory\"}")))
                .isEqualTo("400/10058 stream name already in use with a different configuration");
    }

    @Test
    void streamErrorsCarryNatsServerCodes() throws Exception {
        assertThat(error(call("STREAM.INFO.NOPE", ""))).isEqualTo("404/10059 stream not found");
        JsonNode notFound = call("STREAM.INFO.NOPE", "");
        assertThat(notFound.get("type").asText()).isEqualTo("io.nats.jetstream.api.v1.stream_info_response");
        assertThat(error(call("STREAM.CREATE.X", "{\"name\":\"Y\"}"))).isEqualTo("400/10056 stream name in subject does not match request");
        assertThat(error(call("STREAM.CREATE.a.b", "{\"name\":\"a.b\"}"))).startsWith("400/10003");
        assertThat(error(call("STREAM.CREATE.R", "{\"name\":\"R\",\"num_replicas\":3}")))
                .isEqualTo("500/10074 replicas > 1 not supported in non-clustered mode");
        assertThat(error(call("STREAM.CREATE.J", "{\"name\":\"J\",\"subjects\":[\"$JS.API.>\"]}")))
                .isEqualTo("500/10052 subjects that overlap with jetstream api require no-ack to be true");
        assertThat(error(call("STREAM.CREATE.B", "{nope"))).startsWith("400/10025 invalid JSON");
        call("STREAM.CREATE.S1", "{\"name\":\"S1\",\"subjects\":[\"a.*\"],\"storage\":\"memory\"}");
        assertThat(error(call("STREAM.CREATE.S2", "{\"name\":\"S2\",\"subjects\":[\"a.b\"],\"storage\":\"memory\"}")))
                .isEqualTo("400/10065 subjects overlap with an existing stream");
        JsonNode unknown = call("STREAM.FROB.S1", "");
        assertThat(unknown.get("type").asText()).isEqualTo("io.nats.jetstream.api.v1.system_response");
        assertThat(error(unknown)).isEqualTo("400/10003 bad request");
    }

    @Test
    void firstSeqAndUnsupportedFeatures() throws Exception {
        call("STREAM.CREATE.F", "{\"name\":\"F\",\"storage\":\"memory\",\"first_seq\":100}");
        assertThat(new String(account.requireStream("F").publish("F", new byte[0], new byte[] {1}), StandardCharsets.UTF_8))
                .isEqualTo("{\"stream\":\"F\",\"seq\":100}");
        assertThat(error(call("STREAM.CREATE.M", "{\"name\":\"M\",\"sources\":[{\"name\":\"F\"},{\"name\":\"F\"}]}")))
                .isEqualTo("400/10140 duplicate source configuration detected");
        assertThat(error(call("STREAM.CREATE.M", "{\"name\":\"M\",\"sources\":[{\"name\":\"F\"}],\"mirror\":{\"name\":\"F\"}}")))
                .isEqualTo("400/10031 stream mirrors can not also contain other sources");
        assertThat(error(call("STREAM.CREATE.M", "{\"name\":\"M\",\"subjects\":[\"m\"],\"mirror\":{\"name\":\"F\"}}")))
                .isEqualTo("400/10034 stream mirrors can not contain subjects");
        assertThat(error(call("STREAM.CREATE.M", "{\"name\":\"M\",\"mirror\":{\"name\":\"F\",\"filter_subject\":\"x\"}}")))
                .isEqualTo("400/10033 stream mirrors can not contain filtered subjects");
        call("STREAM.CREATE.M", "{\"name\":\"M\",\"storage\":\"memory\",\"mirror\":{\"name\":\"F\"}}");
        assertThat(error(call("STREAM.UPDATE.M", "{\"name\":\"M\",\"storage\":\"memory\",\"mirror\":{\"name\":\"G\"}}")))
                .isEqualTo("400/10055 stream mirror configuration can not be updated");
        assertThat(error(call("STREAM.CREATE.T", "{\"name\":\"T\",\"allow_msg_ttl\":true}")))
                .isEqualTo("500/10052 allow_msg_ttl is not supported by this server");
        assertThat(error(call("CONSUMER.CREATE.F.r", "{\"stream_name\":\"F\",\"config\":{\"name\":\"r\",\"deliver_subject\":\"x\",\"rate_limit_bps\":1000}}")))
                .isEqualTo("500/10012 consumer rate limit is not supported by this server");
        JsApiReply r = JetStreamApi.handle(Optional.of(account), "$JS.API.INFO", "_INBOX.1",
                "NATS/1.0\r\nNats-Required-Api-Level: 1\r\n\r\n".getBytes(StandardCharsets.UTF_8), new byte[0]);
        assertThat(error(JsJson.MAPPER.readTree(r.payload()))).isEqualTo("412/10185 JetStream minimum api level required");
    }

    @Test
    void disabledAccountAnswers10039() throws Exception {
        JsApiReply r = JetStreamApi.handle(Optional.empty(), "$JS.API.INFO", "_INBOX.1", new byte[0], new byte[0]);
        JsonNode n = JsJson.MAPPER.readTree(r.payload());
        assertThat(error(n)).isEqualTo("503/10039 JetStream not enabled for account");
    }

    @Test
    void accountLimitsAreEnforced() throws Exception {
        account.close();
        account = account(new JetStreamLimits(1000, 2000, 2, 1));
        assertThat(error(call("STREAM.CREATE.BIG", "{\"name\":\"BIG\",\"storage\":\"memory\",\"max_bytes\":5000}")))
                .isEqualTo("500/10028 insufficient memory resources available");
        call("STREAM.CREATE.A1", "{\"name\":\"A1\",\"storage\":\"memory\"}");
        call("STREAM.CREATE.A2", "{\"name\":\"A2\",\"storage\":\"memory\"}");
        assertThat(error(call("STREAM.CREATE.A3", "{\"name\":\"A3\",\"storage\":\"memory\"}")))
                .isEqualTo("400/10027 maximum number of streams reached");
        call("CONSUMER.CREATE.A1.c1", "{\"stream_name\":\"A1\",\"config\":{\"name\":\"c1\",\"ack_policy\":\"explicit\"}}");
        assertThat(error(call("CONSUMER.CREATE.A1.c2", "{\"stream_name\":\"A1\",\"config\":{\"name\":\"c2\",\"ack_policy\":\"explicit\"}}")))
                .isEqualTo("400/10026 maximum consumers limit reached");
        JsStream a1 = account.requireStream("A1");
        assertThat(new String(a1.publish("A1", new byte[0], new byte[900]), StandardCharsets.UTF_8)).contains("\"seq\":1");
        JsonNode refused = JsJson.MAPPER.readTree(a1.publish("A1", new byte[0], new byte[900]));
        assertThat(error(refused)).isEqualTo("400/10002 resource limits exceeded for account");
        JsonNode info = call("INFO", "");
        assertThat(info.get("type").asText()).isEqualTo("io.nats.jetstream.api.v1.account_info_response");
        assertThat(info.get("streams").asInt()).isEqualTo(2);
        assertThat(info.get("consumers").asInt()).isEqualTo(1);
        assertThat(info.get("limits").get("max_memory").asLong()).isEqualTo(1000);
    }

    @Test
    void msgGetDeleteAndPurge() throws Exception {
        call("STREAM.CREATE.M", "{\"name\":\"M\",\"subjects\":[\"m.*\"],\"storage\":\"memory\"}");
        JsStream m = account.requireStream("M");
        m.publish("m.a", "NATS/1.0\r\nX: 1\r\n\r\n".getBytes(StandardCharsets.UTF_8), "A1".getBytes(StandardCharsets.UTF_8));
        m.publish("m.b", new byte[0], "B1".getBytes(StandardCharsets.UTF_8));
        m.publish("m.a", new byte[0], "A2".getBytes(StandardCharsets.UTF_8));
        JsonNode got = call("STREAM.MSG.GET.M", "{\"seq\":1}");
        assertThat(got.get("type").asText()).isEqualTo("io.nats.jetstream.api.v1.stream_msg_get_response");
        assertThat(got.get("message").get("subject").asText()).isEqualTo("m.a");
        assertThat(got.get("message").get("seq").asLong()).isEqualTo(1);
        assertThat(got.get("message").get("data").asText()).isEqualTo("QTE=");
        assertThat(JsJson.parseTime(got.get("message").get("time").asText())).isEqualTo(m.store().loadMsg(1).orElseThrow().timestamp());
        assertThat(new String(java.util.Base64.getDecoder().decode(got.get("message").get("hdrs").asText()), StandardCharsets.UTF_8))
                .isEqualTo("NATS/1.0\r\nX: 1\r\n\r\n");
        JsonNode last = call("STREAM.MSG.GET.M", "{\"last_by_subj\":\"m.a\"}");
        assertThat(last.get("message").get("seq").asLong()).isEqualTo(3);
        assertThat(error(call("STREAM.MSG.GET.M", "{\"last_by_subj\":\"m.z\"}"))).isEqualTo("404/10037 no message found");
        assertThat(call("STREAM.MSG.GET.M", "{\"next_by_subj\":\"m.b\",\"seq\":1}").get("message").get("seq").asLong()).isEqualTo(2);
        assertThat(call("STREAM.MSG.DELETE.M", "{\"seq\":2}").get("success").asBoolean()).isTrue();
        assertThat(error(call("STREAM.MSG.DELETE.M", "{\"seq\":2}"))).isEqualTo("400/10043 sequence 2 not found");
        JsonNode purged = call("STREAM.PURGE.M", "{\"filter\":\"m.a\",\"keep\":1}");
        assertThat(purged.get("purged").asLong()).isEqualTo(1);
        assertThat(error(call("STREAM.PURGE.M", "{\"seq\":2,\"keep\":1}"))).isEqualTo("400/10003 bad request");
        JsonNode names = call("STREAM.NAMES", "{\"subject\":\"m.a\"}");
        assertThat(names.get("streams").get(0).asText()).isEqualTo("M");
        assertThat(names.get("limit").asInt()).isEqualTo(1024);
        assertThat(call("STREAM.NAMES", "{\"subject\":\"zz\"}").get("streams").isNull()).isTrue();
        assertThat(call("STREAM.LIST", "").get("streams").get(0).get("config").get("name").asText()).isEqualTo("M");
    }

    @Test
    void denyDeleteAndSealed() throws Exception {
        call("STREAM.CREATE.D", "{\"name\":\"D\",\"storage\":\"memory\",\"deny_delete\":true,\"deny_purge\":true}");
        account.requireStream("D").publish("D", new byte[0], new byte[] {1});
        assertThat(error(call("STREAM.MSG.DELETE.D", "{\"seq\":1}"))).isEqualTo("500/10057 message delete not permitted");
        assertThat(error(call("STREAM.PURGE.D", ""))).isEqualTo("500/10110 stream purge not permitted");
        assertThat(error(call("STREAM.UPDATE.D", "{\"name\":\"D\",\"storage\":\"memory\"}")))
                .isEqualTo("500/10052 stream configuration update can not cancel deny message deletes");
        call("STREAM.UPDATE.D", "{\"name\":\"D\",\"storage\":\"memory\",\"deny_delete\":true,\"deny_purge\":true,\"sealed\":true}");
        assertThat(error(JsJson.MAPPER.readTree(account.requireStream("D").publish("D", new byte[0], new byte[] {2}))))
                .isEqualTo("400/10109 invalid operation on sealed stream");
    }

    @Test
    void directGetAddsStreamHeaders() throws Exception {
        call("STREAM.CREATE.KV_b", "{\"name\":\"KV_b\",\"subjects\":[\"$KV.b.>\"],\"storage\":\"memory\",\"allow_direct\":true}");
        JsStream s = account.requireStream("KV_b");
        s.publish("$KV.b.k", new byte[0], "v".getBytes(StandardCharsets.UTF_8));
        JsApiReply r = JetStreamApi.directGet(s, "$JS.API.DIRECT.GET.KV_b.$KV.b.k", new byte[0]);
        String h = new String(r.headers(), StandardCharsets.UTF_8);
        assertThat(h).startsWith("NATS/1.0\r\nNats-Stream: KV_b\r\nNats-Subject: $KV.b.k\r\nNats-Sequence: 1\r\nNats-Time-Stamp: ")
                .endsWith("Z\r\n\r\n");
        assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo("v");
        assertThat(new String(JetStreamApi.directGet(s, "$JS.API.DIRECT.GET.KV_b.$KV.b.x", new byte[0]).headers(), StandardCharsets.UTF_8))
                .isEqualTo("NATS/1.0 404 Message Not Found\r\n\r\n");
        assertThat(new String(JetStreamApi.directGet(s, "$JS.API.DIRECT.GET.KV_b", new byte[0]).headers(), StandardCharsets.UTF_8))
                .isEqualTo("NATS/1.0 408 Empty Request\r\n\r\n");
        assertThat(new String(JetStreamApi.directGet(s, "$JS.API.DIRECT.GET.KV_b", "{\"seq\":1}".getBytes(StandardCharsets.UTF_8)).payload(),
                StandardCharsets.UTF_8)).isEqualTo("v");
        assertThat(JetStreamApi.handle(Optional.of(account), "$JS.API.DIRECT.GET.KV_b", "r", new byte[0], new byte[0]).handled()).isFalse();
    }

    @Test
    void consumerCreateChecks() throws Exception {
        call("STREAM.CREATE.C", "{\"name\":\"C\",\"subjects\":[\"c.*\"],\"storage\":\"memory\"}");
        JsonNode ok = call("CONSUMER.CREATE.C.dur.c.a", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"dur\",\"ack_policy\":\"explicit\",\"filter_subject\":\"c.a\"}}");
        assertThat(ok.get("type").asText()).isEqualTo("io.nats.jetstream.api.v1.consumer_create_response");
        JsonNode cfg = ok.get("config");
        assertThat(cfg.get("ack_wait").asLong()).isEqualTo(30_000_000_000L);
        assertThat(cfg.get("max_ack_pending").asLong()).isEqualTo(1000);
        assertThat(cfg.get("max_waiting").asLong()).isEqualTo(512);
        assertThat(cfg.get("max_deliver").asLong()).isEqualTo(-1);
        assertThat(cfg.get("deliver_policy").asText()).isEqualTo("all");
        assertThat(cfg.get("replay_policy").asText()).isEqualTo("instant");
        assertThat(error(call("CONSUMER.CREATE.C.dur.c.b", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"dur\",\"filter_subject\":\"c.a\"}}")))
                .isEqualTo("400/10131 Consumer create request did not match filtered subject from create subject");
        assertThat(error(call("CONSUMER.CREATE.C.x", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"y\"}}")))
                .isEqualTo("400/10017 consumer name in subject does not match durable name in request");
        assertThat(error(call("CONSUMER.CREATE.C", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"y\"}}")))
                .isEqualTo("400/10020 consumer expected to be ephemeral but a durable name was set in request");
        assertThat(error(call("CONSUMER.DURABLE.CREATE.C.z", "{\"stream_name\":\"C\",\"config\":{}}")))
                .isEqualTo("400/10018 consumer expected to be durable but a durable name was not set");
        assertThat(error(call("CONSUMER.CREATE.C.dur", "{\"stream_name\":\"C\",\"action\":\"create\",\"config\":{\"durable_name\":\"dur\",\"ack_policy\":\"none\"}}")))
                .isEqualTo("400/10148 consumer already exists");
        assertThat(error(call("CONSUMER.CREATE.C.dur", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"dur\",\"ack_policy\":\"none\",\"filter_subject\":\"c.a\"}}")))
                .isEqualTo("500/10012 ack policy can not be updated");
        assertThat(error(call("CONSUMER.CREATE.C.new", "{\"stream_name\":\"C\",\"action\":\"update\",\"config\":{\"name\":\"new\"}}")))
                .isEqualTo("400/10149 consumer does not exist");
        assertThat(error(call("CONSUMER.CREATE.C.hb", "{\"stream_name\":\"C\",\"config\":{\"name\":\"hb\",\"deliver_subject\":\"d\",\"idle_heartbeat\":1000}}")))
                .isEqualTo("400/10083 consumer idle heartbeat needs to be >= 100ms");
        assertThat(error(call("CONSUMER.CREATE.C.fs", "{\"stream_name\":\"C\",\"config\":{\"name\":\"fs\",\"filter_subject\":\"c.a\",\"filter_subjects\":[\"c.b\"]}}")))
                .isEqualTo("400/10136 consumer cannot have both FilterSubject and FilterSubjects specified");
        assertThat(error(call("CONSUMER.INFO.C.nope", ""))).isEqualTo("404/10014 consumer not found");
        assertThat(call("CONSUMER.NAMES.C", "").get("consumers").get(0).asText()).isEqualTo("dur");
        assertThat(call("CONSUMER.DELETE.C.dur", "").get("success").asBoolean()).isTrue();
        assertThat(call("CONSUMER.LIST.C", "").get("total").asInt()).isZero();
    }

    @Test
    void workQueueConsumerRules() throws Exception {
        call("STREAM.CREATE.WQ", "{\"name\":\"WQ\",\"subjects\":[\"wq.*\"],\"storage\":\"memory\",\"retention\":\"workqueue\"}");
        assertThat(error(call("CONSUMER.CREATE.WQ.a", "{\"stream_name\":\"WQ\",\"config\":{\"name\":\"a\",\"ack_policy\":\"none\"}}")))
                .isEqualTo("400/10098 workqueue stream requires explicit ack");
        call("CONSUMER.CREATE.WQ.a", "{\"stream_name\":\"WQ\",\"config\":{\"durable_name\":\"a\",\"ack_policy\":\"explicit\"}}");
        assertThat(error(call("CONSUMER.CREATE.WQ.b", "{\"stream_name\":\"WQ\",\"config\":{\"durable_name\":\"b\",\"ack_policy\":\"explicit\"}}")))
                .isEqualTo("400/10099 multiple non-filtered consumers not allowed on workqueue stream");
    }
}
