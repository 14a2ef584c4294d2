package io.pocketbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.pocketbus.bridge.ProjectLimits;
import io.pocketbus.bridge.ProjectRole;
import io.pocketbus.broker.Broker;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker beside the HTTP API: NATS over TCP, over WebSocket at /api/nats, monitoring for superusers. */
class PocketbusNatsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final HttpClient client = HttpClient.newHttpClient();

    private static Connection connect(String url) throws Exception {
        return Nats.connect(Options.builder().server(url).maxReconnects(0).connectionTimeout(Duration.ofSeconds(30))
                .build());
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            r.header("Authorization", token);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void natsOverTcpAndOverWebSocketOnTheHttpPort(@TempDir Path dir) throws Exception {
        try (Pocketbus pb = Pocketbus.builder().dataDir(dir.resolve("pb_data")).http("127.0.0.1:0")
                .nats("127.0.0.1:0").natsAuthorization(false).natsMonitor("127.0.0.1:0").natsWebSocket("127.0.0.1:0").build().start()) {
            Broker broker = pb.broker().orElseThrow();
            try (Connection tcp = connect("nats://127.0.0.1:" + broker.port());
                    Connection ws = connect("ws://127.0.0.1:" + pb.port() + Pocketbus.NATS_PATH);
                    Connection ownListener = connect("ws://127.0.0.1:" + broker.websocketPort().orElseThrow())) {
                Subscription overWs = ws.subscribe("greet.>");
                Subscription overOwn = ownListener.subscribe("greet.>");
                ws.flush(WAIT);
                ownListener.flush(WAIT);
                Headers headers = new Headers().add("X-From", "tcp");
                tcp.publish("greet.ws", headers, "hello".getBytes(StandardCharsets.UTF_8));
                for (Subscription sub : new Subscription[] {overWs, overOwn}) {
                    Message m = sub.nextMessage(WAIT);
                    assertThat(m).isNotNull();
                    assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("hello");
                    assertThat(m.getHeaders().getFirst("X-From")).isEqualTo("tcp");
                }

                ws.createDispatcher(m -> ws.publish(m.getReplyTo(), ("echo " + new String(m.getData(),
                        StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8))).subscribe("echo");
                ws.flush(WAIT);
                Message reply = tcp.request("echo", "x".getBytes(StandardCharsets.UTF_8), WAIT);
                assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("echo x");
                assertThat(broker.connections()).anyMatch(c -> c.kind().equals("websocket"));
            }
            assertThat(get("http://127.0.0.1:" + broker.monitorPort().orElseThrow() + "/varz", null).body())
                    .contains("\"server_id\":\"" + broker.serverId() + "\"");
        }
    }

    @Test
    void byDefaultNatsClientsNeedProjectCredentials(@TempDir Path dir) throws Exception {
        // nats-server's 2 s auth timeout is about the network, not about how busy the test machine is
        try (Pocketbus pb = Pocketbus.builder().dataDir(dir.resolve("pb_data")).http("127.0.0.1:0")
                .nats("127.0.0.1:0").natsBroker(b -> b.authTimeout(Duration.ofSeconds(30))).build().start()) {
            String url = "nats://127.0.0.1:" + pb.broker().orElseThrow().port();
            // jnats waits out its connect timeout after a refusal (with nats-server too), so keep that short;
            // it reports the server's error to the listener as soon as it reads it
            BlockingQueue<String> errors = new LinkedBlockingQueue<>();
            assertThatThrownBy(() -> Nats.connect(Options.builder().server(url).maxReconnects(0)
                    .connectionTimeout(Duration.ofSeconds(1)).errorListener(new ErrorListener() {
                        @Override
                        public void errorOccurred(Connection conn, String error) {
                            errors.add(error);
                        }
                    }).build())).isInstanceOf(Exception.class);
            assertThat(errors.poll(10, TimeUnit.SECONDS)).contains("Authorization Violation");

            pb.projectAccounts().provision("project1", ProjectLimits.UNLIMITED);
            Path creds = dir.resolve("member.creds");
            Files.writeString(creds, pb.projectAccounts()
                    .issueMemberCredentials("project1", "user1", ProjectRole.MEMBER).credsFile());
            try (Connection nc = Nats.connect(Options.builder().server(url).maxReconnects(0)
                    .connectionTimeout(Duration.ofSeconds(30)).authHandler(Nats.credentials(creds.toString())).build())) {
                Subscription sub = nc.subscribe("greet");
                nc.publish("greet", "hi".getBytes(StandardCharsets.UTF_8));
                Message msg = sub.nextMessage(WAIT);
                assertThat(new String(msg.getData(), StandardCharsets.UTF_8)).isEqualTo("hi");
            }
        }
    }

    @Test
    void monitoringUnderTheApiIsForSuperusersOnly(@TempDir Path dir) throws Exception {
        try (Pocketbus pb = Pocketbus.builder().dataDir(dir.resolve("pb_data")).http("127.0.0.1:0")
                .nats("127.0.0.1:0").natsAuthorization(false).build().start()) {
            Collection superusers = pb.app().findCollectionByNameOrId(Superusers.COLLECTION).orElseThrow();
            Record admin = new Record(superusers);
            admin.set("email", "admin@example.com");
            SuperuserCommand.Action.setPassword(admin, "1234567890");
            pb.app().save(admin);
            String token = pb.app().newAuthToken(admin);
            String base = pb.url() + Pocketbus.NATS_PATH + "/monitor/";

            assertThat(get(base + "varz", null).statusCode()).isEqualTo(401);
            HttpResponse<String> varz = get(base + "varz", token);
            assertThat(varz.statusCode()).isEqualTo(200);
            assertThat(varz.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/json"));
            assertThat(varz.body()).contains("\"server_id\":\"" + pb.broker().orElseThrow().serverId() + "\"");
            assertThat(get(base + "healthz", token).body()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(get(base + "connz?subs=1", token).body()).contains("\"connections\"");
            assertThat(get(base + "subsz", token).statusCode()).isEqualTo(200);
            assertThat(get(base + "accountz", token).statusCode()).isEqualTo(200);
            assertThat(get(base + "nope", token).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void withoutNatsThereIsNoBroker(@TempDir Path dir) throws Exception {
        try (Pocketbus pb = Pocketbus.builder().dataDir(dir.resolve("pb_data")).http("127.0.0.1:0").build().start()) {
            assertThat(pb.broker()).isEmpty();
            assertThat(get(pb.url() + Pocketbus.NATS_PATH + "/monitor/varz", null).statusCode()).isEqualTo(404);
        }
    }
}
