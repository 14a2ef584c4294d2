package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /jsz} with nats-server's field names, after jnats made a stream and a consumer. */
class MonitorJszTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode get(Broker broker, String pathAndQuery) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + broker.monitorPort().orElseThrow() + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return MAPPER.readTree(r.body());
    }

    @Test
    void jszReportsAccountsStreamsAndConsumers() throws Exception {
        try (Broker broker = Broker.builder().port(0).monitorPort(0).jetStream(JetStreamConfig.memory().build())
                .build().start();
                Connection nc = Nats.connect("nats://127.0.0.1:" + broker.port())) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                    .storageType(StorageType.Memory).build());
            jsm.addOrUpdateConsumer("ORDERS", ConsumerConfiguration.builder().durable("worker")
                    .ackPolicy(AckPolicy.Explicit).build());
            nc.jetStream().publish("orders.new", new byte[10]);
            nc.jetStream().publish("orders.new", new byte[10]);

            JsonNode summary = get(broker, "/jsz");
            assertThat(summary.has("disabled")).isFalse();
            assertThat(fieldNames(summary)).containsExactly("server_id", "now", "config", "memory", "storage",
                    "reserved_memory", "reserved_storage", "accounts", "ha_assets", "api", "streams", "consumers",
                    "messages", "bytes");
            assertThat(summary.get("server_id").asText()).isEqualTo(broker.serverId());
            assertThat(summary.get("streams").asLong()).isEqualTo(1);
            assertThat(summary.get("consumers").asLong()).isEqualTo(1);
            assertThat(summary.get("messages").asLong()).isEqualTo(2);
            assertThat(summary.get("memory").asLong()).isEqualTo(summary.get("bytes").asLong()).isPositive();
            assertThat(summary.get("api").get("total").asLong()).isGreaterThanOrEqualTo(2);
            assertThat(summary.get("accounts").asLong()).isEqualTo(1);

            JsonNode detail = get(broker, "/jsz?accounts=true&streams=true&consumers=true&config=true");
            JsonNode account = detail.get("account_details").get(0);
            assertThat(account.get("name").asText()).isEqualTo("$G");
            assertThat(account.get("reserved_memory").bigIntegerValue())
                    .isEqualTo(BigInteger.TWO.pow(64).subtract(BigInteger.ONE));
            JsonNode stream = account.get("stream_detail").get(0);
            assertThat(fieldNames(stream)).containsExactly("name", "created", "cluster", "config", "state",
                    "consumer_detail");
            assertThat(stream.get("state").get("messages").asLong()).isEqualTo(2);
            assertThat(stream.get("config").get("subjects").get(0).asText()).isEqualTo("orders.>");
            JsonNode consumer = stream.get("consumer_detail").get(0);
            assertThat(consumer.get("name").asText()).isEqualTo("worker");
            assertThat(consumer.get("num_pending").asLong()).isEqualTo(2);
            assertThat(consumer.get("config").get("ack_policy").asText()).isEqualTo("explicit");

            JsonNode noConfig = get(broker, "/jsz?consumers=1");
            JsonNode plainStream = noConfig.get("account_details").get(0).get("stream_detail").get(0);
            assertThat(plainStream.has("config")).isFalse();
            assertThat(plainStream.get("consumer_detail").get(0).has("config")).isFalse();
            assertThat(get(broker, "/jsz?acc=OTHER").has("account_details")).isFalse();
            assertThat(broker.monitor("jsz", Map.of()).body()).contains("\"streams\":1");
        }
    }

    @Test
    void jszSaysDisabledWithoutJetStream() throws Exception {
        try (Broker broker = Broker.builder().port(0).monitorPort(0).build().start()) {
            JsonNode jsz = get(broker, "/jsz");
            assertThat(jsz.get("disabled").asBoolean()).isTrue();
            assertThat(jsz.get("config").get("max_memory").asLong()).isZero();
            assertThat(jsz.get("streams").asLong()).isZero();
        }
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
