package io.pocketbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.pocketbus.broker.CredsFile;
import io.pocketbus.broker.NKey;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out on Debian's nats-server 2.9 in operator mode with a full resolver (configured from
 * {@code pocketbus nats-server-config}), the embedded broker off:
 * Pocketbus pushes the project accounts there, its record events travel in the app account there, and what the
 * REST API does to credentials and limits takes effect on that server at once.
 */
class ExternalNatsServerTest {
    private static final Path NATS_SERVER = Path.of("/usr/sbin/nats-server");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private Process server;
    private String natsUrl;
    private Pocketbus pocketbus;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(NATS_SERVER), "Debian's nats-server is not installed");
        Path data = dir.resolve("pb_data");
        StringWriter operatorConfig = new StringWriter();
        assertThat(PocketbusCli.commandLine().setOut(new PrintWriter(operatorConfig)).execute("nats-server-config",
                "--dir", data.toString(), "--resolver-dir", dir.resolve("resolver").toString())).isZero();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String config = "listen: 127.0.0.1:" + port + "\n" + operatorConfig;
        Path conf = Files.writeString(dir.resolve("nats-server.conf"), config);
        Path log = dir.resolve("nats-server.log");
        server = new ProcessBuilder(NATS_SERVER.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        awaitListening(port, log);
        natsUrl = "nats://127.0.0.1:" + port;
        pocketbus = Pocketbus.builder().dataDir(data).http("127.0.0.1:0").natsResolver(natsUrl).bus(natsUrl).build()
                .start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (pocketbus != null) {
            pocketbus.stop();
        }
        if (server != null) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void awaitListening(int port, Path log) throws Exception {
        while (server.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(5000);
                if (s.getInputStream().read() == 'I') {
                    return;
                }
            } catch (IOException notYet) {
                server.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
        throw new IllegalStateException("nats-server exited: " + Files.readString(log));
    }

    private JsonNode call(String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(pocketbus.url() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            r.header("Authorization", token);
        }
        HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    private record Client(Connection connection, BlockingQueue<ConnectionListener.Events> events) {
        boolean awaitClosed() throws InterruptedException {
            ConnectionListener.Events e;
            do {
                e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } while (e != null && e != ConnectionListener.Events.CLOSED);
            return e == ConnectionListener.Events.CLOSED;
        }
    }

    private Client connect(String jwt, String seed) throws Exception {
        BlockingQueue<ConnectionListener.Events> events = new LinkedBlockingQueue<>();
        Connection c = Nats.connect(Options.builder().server(natsUrl).maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(30))
                .authHandler(Nats.staticCredentials(jwt.toCharArray(), seed.toCharArray()))
                .connectionListener((conn, event) -> events.add(event)).build());
        return new Client(c, events);
    }

    @Test
    void credentialsIssuedAndRevokedThroughTheApiActOnTheExternalServer() throws Exception {
        Collection users = pocketbus.app().findCollectionByNameOrId("users").orElseThrow();
        Record alice = new Record(users);
        alice.set("email", "alice@example.com");
        alice.set("password", "alice-password-1");
        pocketbus.app().save(alice);
        String token = call("POST", "/api/collections/users/auth-with-password", null,
                Map.of("identity", "alice@example.com", "password", "alice-password-1")).path("token").asText();
        String group = pocketbus.app().findRecordById(users, alice.id()).orElseThrow().getString("mygroup");

        CredsFile app = pocketbus.projectAccounts().identity().appCredentials();
        try (Connection appListener = connect(app.jwt(), app.seed()).connection()) {
            Subscription events = appListener.subscribe("pb.records.projects.create.>");
            appListener.flush(WAIT);
            String project = call("POST", "/api/collections/projects/records", token,
                    Map.of("name", "shop", "group", group)).path("id").asText();
            assertThat(events.nextMessage(WAIT)).as("the record event, in the app account of nats-server").isNotNull()
                    .extracting(m -> m.getSubject()).isEqualTo("pb.records.projects.create." + project);

            JsonNode member = call("POST", "/api/pocketbus/projects/" + project + "/credentials", token, Map.of());
            JsonNode service = call("POST", "/api/pocketbus/projects/" + project + "/service-credentials", token,
                    Map.of("name", "worker", "publishAllow", List.of("orders")));
            Client memberClient = connect(member.path("jwt").asText(), member.path("seed").asText());
            Client serviceClient = connect(service.path("jwt").asText(), service.path("seed").asText());
            try (Connection m = memberClient.connection(); Connection s = serviceClient.connection()) {
                Subscription orders = m.subscribe("orders");
                m.flush(WAIT);
                s.publish("orders", "1".getBytes(StandardCharsets.UTF_8));
                assertThat(orders.nextMessage(WAIT)).as("the project's account works on nats-server").isNotNull();

                call("DELETE", "/api/pocketbus/projects/" + project + "/service-credentials/"
                        + service.path("id").asText(), token, null);
                assertThat(serviceClient.awaitClosed()).as("the revoked credential's live connection").isTrue();
                m.flush(WAIT);
                assertThat(m.getStatus()).isEqualTo(Connection.Status.CONNECTED);

                call("PATCH", "/api/collections/projects/records/" + project, token, Map.of("maxConnections", 1));
                m.flush(WAIT);
                JsonNode second = call("POST", "/api/pocketbus/projects/" + project + "/credentials", token, Map.of());
                assertThat(rawConnect(second)).as("max connections 1 holds on nats-server")
                        .isEqualTo("-ERR 'maximum account active connections exceeded'");

                call("DELETE", "/api/collections/projects/records/" + project, token, null);
                assertThat(memberClient.awaitClosed()).as("a deleted project's clients are disconnected").isTrue();
            }
            assertThat(rawConnect(member)).isEqualTo("-ERR 'Authorization Violation'");
        }
    }

    /** CONNECT with a credential over a plain socket: the server's first answer (jnats hides refusals). */
    private String rawConnect(JsonNode credential) throws IOException {
        URI uri = URI.create(natsUrl);
        try (Socket s = new Socket(uri.getHost(), uri.getPort());
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            s.setSoTimeout((int) WAIT.toMillis());
            Matcher nonce = Pattern.compile("\"nonce\":\"([^\"]+)\"").matcher(in.readLine());
            assertThat(nonce.find()).isTrue();
            String sig = Base64.getUrlEncoder().withoutPadding().encodeToString(NKey.fromSeed(credential.path("seed")
                    .asText()).sign(nonce.group(1).getBytes(StandardCharsets.UTF_8)));
            String connect = "CONNECT {\"verbose\":false,\"protocol\":1,\"jwt\":\"" + credential.path("jwt").asText()
                    + "\",\"sig\":\"" + sig + "\"}\r\nPING\r\n";
            s.getOutputStream().write(connect.getBytes(StandardCharsets.US_ASCII));
            return in.readLine();
        }
    }
}
