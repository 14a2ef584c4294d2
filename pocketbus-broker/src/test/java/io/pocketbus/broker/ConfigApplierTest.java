package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A nats-server configuration file applied to the broker, proven with jnats against the started broker. */
class ConfigApplierTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static ConfigFile parse(String text) {
        return ConfigFile.parse(text, name -> Optional.empty());
    }

    private static Connection connect(Broker broker, String user, String password, ErrorListener errors)
            throws Exception {
        return Nats.connect(Options.builder().server("nats://127.0.0.1:" + broker.port()).userInfo(user, password)
                .maxReconnects(0).connectionTimeout(Duration.ofSeconds(30)).errorListener(errors).build());
    }

    @Test
    void aNatsServerConfigurationRunsUnchanged(@TempDir Path dir) throws Exception {
        ConfigFile file = parse("""
                server_name: "configured"
                listen: 127.0.0.1:-1
                http: 127.0.0.1:-1
                max_payload: 2KB
                ping_interval: "30s"
                ping_max: 3
                write_deadline: "5s"
                websocket { listen: "127.0.0.1:-1", no_tls: true }
                jetstream { store_dir: "%s" }
                accounts {
                  ORDERS {
                    users: [{user: seller, password: s1, permissions: {publish: ["orders.>", "$JS.API.>"], subscribe: "_INBOX.>"}}]
                    exports: [{stream: "orders.events.>"}]
                    jetstream: enabled
                  }
                  BILLING {
                    users: [{user: biller, password: b1}]
                    imports: [{stream: {account: ORDERS, subject: "orders.events.>"}}]
                  }
                }
                """.formatted(dir.resolve("js").toString().replace("\\", "/")));
        BrokerBuilder builder = Broker.builder();
        assertThat(builder.config(file)).isEmpty();
        BlockingQueue<String> errors = new LinkedBlockingQueue<>();
        ErrorListener collecting = new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) {
                errors.add(error);
            }
        };
        try (Broker broker = builder.build().start();
                Connection seller = connect(broker, "seller", "s1", collecting);
                Connection biller = connect(broker, "biller", "b1", collecting)) {
            assertThat(broker.port()).isPositive();
            assertThat(broker.serverName()).isEqualTo("configured");
            assertThat(seller.getServerInfo().getMaxPayload()).isEqualTo(2048);
            assertThat(seller.getServerInfo().isAuthRequired()).isTrue();
            assertThat(broker.websocketPort()).hasValueSatisfying(p -> assertThat(p).isPositive());

            Subscription imported = biller.subscribe("orders.events.>");
            biller.flush(WAIT);
            seller.publish("orders.events.created", "o-1".getBytes(StandardCharsets.UTF_8));
            Message m = imported.nextMessage(WAIT);
            assertThat(m).isNotNull();
            assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("o-1");

            seller.publish("billing.secret", new byte[0]);
            assertThat(errors.poll(10, TimeUnit.SECONDS))
                    .isEqualTo("Permissions Violation for Publish to \"billing.secret\"");

            JetStreamManagement jsm = seller.jetStreamManagement();
            StreamInfo stream = jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.log")
                    .build());
            assertThat(stream.getConfiguration().getName()).isEqualTo("ORDERS");

            HttpResponse<String> varz = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + broker.monitorPort().orElseThrow() + "/varz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(varz.body()).contains("\"server_name\":\"configured\"", "\"max_payload\":2048");
        }
    }

    @Test
    void unsupportedOptionsAreReportedNotIgnored() {
        List<String> warnings = Broker.builder().config(parse("""
                port: -1
                lame_duck_duration: "30s"
                websocket { port: -1, no_tls: true, compression: true, ping_interval: "1m" }
                """));
        assertThat(warnings).anyMatch(w -> w.contains("lame_duck_duration"))
                .anyMatch(w -> w.contains("ping_interval")).noneMatch(w -> w.contains("compression"));
    }

    @Test
    void optionsThatWouldLoosenSecurityAreRefused() {
        assertThatThrownBy(() -> Broker.builder().config(parse(
                "websocket { port: -1, tls { cert_file: a.pem, key_file: b.pem, verify: true } }")))
                .hasMessageContaining("client certificates");
        assertThatThrownBy(() -> Broker.builder().config(parse(
                "websocket { port: -1, tls { cert_file: missing.pem, key_file: missing.key } }")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.pem");
        assertThatThrownBy(() -> Broker.builder().config(parse("host: 127.0.0.1\nhttp: 127.0.0.2:8222")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("127.0.0.2");
    }
}
