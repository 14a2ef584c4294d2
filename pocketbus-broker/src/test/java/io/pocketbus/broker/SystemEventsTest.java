package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.pocketbus.broker.spi.Grant;
import io.pocketbus.broker.spi.Permissions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SystemEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void connectAndDisconnectEventsInTheSystemAccount() throws Exception {
        Broker broker = Broker.builder().port(0).serverName("events")
                .authenticator(a -> new Grant(a.user().orElseThrow(), a.user().orElseThrow(), Permissions.ALL,
                        Optional.empty(), Optional.empty()))
                .build().start();
        Options.Builder base = Options.builder().server("nats://127.0.0.1:" + broker.port());
        try (Connection sys = Nats.connect(base.userInfo("$SYS", "x").build())) {
            Subscription connects = sys.subscribe("$SYS.ACCOUNT.*.CONNECT");
            Subscription disconnects = sys.subscribe("$SYS.ACCOUNT.A.DISCONNECT");
            sys.flush(WAIT);
            Connection app = Nats.connect(Options.builder().server("nats://127.0.0.1:" + broker.port())
                    .userInfo("A", "x").connectionName("evt-client").build());
            app.publish("x", new byte[10]);
            app.flush(WAIT);
            Message connect = connects.nextMessage(WAIT);
            assertThat(connect.getSubject()).isEqualTo("$SYS.ACCOUNT.A.CONNECT");
            Map<String, Object> event = Json.parseObject(new String(connect.getData(), StandardCharsets.UTF_8));
            assertThat(event).containsEntry("type", "io.nats.server.advisory.v1.client_connect");
            @SuppressWarnings("unchecked")
            Map<String, Object> client = (Map<String, Object>) event.get("client");
            assertThat(client).containsEntry("acc", "A").containsEntry("name", "evt-client")
                    .containsEntry("lang", "java").containsEntry("user", "A");
            @SuppressWarnings("unchecked")
            Map<String, Object> server = (Map<String, Object>) event.get("server");
            assertThat(server).containsEntry("name", "events").containsEntry("ver", Broker.SERVER_VERSION);

            app.close();
            Message disconnect = disconnects.nextMessage(WAIT);
            Map<String, Object> gone = Json.parseObject(new String(disconnect.getData(), StandardCharsets.UTF_8));
            assertThat(gone).containsEntry("type", "io.nats.server.advisory.v1.client_disconnect")
                    .containsEntry("reason", "Client Closed");
            @SuppressWarnings("unchecked")
            Map<String, Object> received = (Map<String, Object>) gone.get("received");
            assertThat(received).containsEntry("msgs", 1L).containsEntry("bytes", 10L);
        } finally {
            broker.shutdown();
        }
    }
}
