package io.pocketbus.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.pocketbus.bridge.Clients.Client;
import io.pocketbus.broker.Broker;
import io.pocketbus.broker.JetStreamConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with the REST API: users sign in, create projects and get their NATS credentials through
 * {@code /api/pocketbus}, then use them with jnats against the embedded broker with JetStream; the project's
 * settings are its quotas, applied by the broker without a restart.
 */
class RestCredentialsJnatsTest {
    private static final long MIB = 1024 * 1024;
    private static final String REFUSED = "-ERR 'Authorization Violation'\n";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private ProjectAccounts accounts;
    private Broker broker;
    private DomainServer pb;
    private String aliceToken;
    private String aliceGroup;
    private String bobToken;
    private String bobGroup;

    @BeforeEach
    void start() {
        accounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(dir.resolve("nats"), new SecureRandom(), clock));
        broker = accounts.configure(Broker.builder().port(0).authTimeout(Clients.AUTH_TIMEOUT)
                .jetStream(JetStreamConfig.storeDir(dir.resolve("jetstream")).build())).build();
        accounts.attach(broker);
        broker.start();
        pb = new DomainServer(dir.resolve("pb"), accounts);
        DomainServer.Response alice = pb.register("alice@example.com");
        aliceToken = alice.body().path("token").asText();
        aliceGroup = alice.body().path("record").path("mygroup").asText();
        DomainServer.Response bob = pb.register("bob@example.com");
        bobToken = bob.body().path("token").asText();
        bobGroup = bob.body().path("record").path("mygroup").asText();
    }

    @AfterEach
    void stop() {
        pb.close();
        broker.shutdown();
    }

    private String createProject(String token, String group, Map<String, Object> settings) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "Chat", "group", group));
        body.putAll(settings);
        DomainServer.Response r = pb.call("POST", "/api/collections/projects/records", token, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body().path("id").asText();
    }

    private void updateProject(String project, Map<String, Object> settings) {
        DomainServer.Response r = pb.call("PATCH", "/api/collections/projects/records/" + project, aliceToken, settings);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    private JsonNode memberCredentials(String project, String token) {
        DomainServer.Response r = pb.call("POST", "/api/pocketbus/projects/" + project + "/credentials", token, null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body();
    }

    private Options.Builder options(JsonNode credentials) {
        return Options.builder().server("nats://127.0.0.1:" + broker.port()).maxReconnects(0)
                .connectionTimeout(Clients.AUTH_TIMEOUT)
                .authHandler(Nats.staticCredentials(credentials.path("jwt").asText().toCharArray(),
                        credentials.path("seed").asText().toCharArray()));
    }

    private Client connect(String project, String token) throws Exception {
        return Clients.connect(options(memberCredentials(project, token)));
    }

    private String refusal(JsonNode credentials) throws Exception {
        return RawConnect.attempt(broker.port(), credentials.path("jwt").asText(), credentials.path("seed").asText(), "");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Message m) {
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    @Test
    void aMembersCredentialsWorkInTheirProjectAndNowhereElse() throws Exception {
        String chat = createProject(aliceToken, aliceGroup, Map.of());
        String other = createProject(bobToken, bobGroup, Map.of());
        try (Client a1 = connect(chat, aliceToken); Client a2 = connect(chat, aliceToken);
                Client b = connect(other, bobToken)) {
            Subscription spy = b.connection().subscribe(">");
            Subscription sub = a2.connection().subscribe("orders.>");
            a2.connection().createDispatcher(m -> a2.connection().publish(m.getReplyTo(), bytes("pong " + text(m))))
                    .subscribe("svc.ping");
            a2.connection().flush(Clients.WAIT);
            b.connection().flush(Clients.WAIT);

            a1.connection().publish("orders.new", bytes("first"));
            assertThat(text(sub.nextMessage(Clients.WAIT))).isEqualTo("first");
            assertThat(text(a1.connection().request("svc.ping", bytes("hi"), Clients.WAIT))).isEqualTo("pong hi");

            a1.connection().keyValueManagement().create(KeyValueConfiguration.builder().name("settings")
                    .storageType(StorageType.File).build());
            KeyValue kv = a1.connection().keyValue("settings");
            kv.put("colour", "blue");
            assertThat(a2.connection().keyValue("settings").get("colour").getValueAsString()).isEqualTo("blue");

            // the other project: no message of the first reached its catch-all subscription, no bucket, no stream
            // everything alice sent was routed before her request's reply; a PING after it drains bob's share
            b.connection().flush(Clients.WAIT);
            assertThat(spy.getPendingMessageCount()).isZero();
            assertThat(b.connection().keyValueManagement().getBucketNames()).isEmpty();
            assertThat(b.connection().jetStreamManagement().getStreamNames()).isEmpty();
            assertThatThrownBy(() -> b.connection().jetStreamManagement().getStreamInfo("KV_settings"))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10059));
        }
        // and one project's credentials are for that project only: bob is not a member of alice's group
        assertThat(pb.call("POST", "/api/pocketbus/projects/" + chat + "/credentials", bobToken, null).status())
                .isEqualTo(404);
    }

    @Test
    void aServiceCredentialIsDownloadedUsedAndRevokedClosingItsConnection() throws Exception {
        String chat = createProject(aliceToken, aliceGroup, Map.of());
        String base = "/api/pocketbus/projects/" + chat + "/service-credentials";
        HttpResponse<String> download = pb.download(base + "?download=1", aliceToken,
                Map.of("name", "worker", "publishAllow", List.of("jobs.>"), "subscribeAllow", List.of("jobs.>")));
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"worker.creds\"");
        Path creds = Files.writeString(dir.resolve("worker.creds"), download.body());
        String credentialId = pb.call("GET", base, aliceToken, null).body().path("items").get(0).path("id").asText();

        try (Client alice = connect(chat, aliceToken);
                Client worker = Clients.connect(Options.builder().server("nats://127.0.0.1:" + broker.port())
                        .maxReconnects(0).connectionTimeout(Clients.AUTH_TIMEOUT).authHandler(Nats.credentials(creds.toString())))) {
            Subscription sub = alice.connection().subscribe("jobs.done");
            alice.connection().flush(Clients.WAIT);
            worker.connection().publish("jobs.done", bytes("42"));
            assertThat(text(sub.nextMessage(Clients.WAIT))).isEqualTo("42");

            assertThat(pb.call("DELETE", base + "/" + credentialId, aliceToken, null).status()).isEqualTo(204);
            assertThat(worker.awaitClosed()).isTrue();
            alice.connection().flush(Clients.WAIT);
        }
    }

    @Test
    void anExpiredMemberJwtIsRefused() throws Exception {
        String chat = createProject(aliceToken, aliceGroup, Map.of());
        JsonNode credentials = memberCredentials(chat, aliceToken);
        assertThat(refusal(credentials)).isEqualTo("PONG\n");
        clock.advance(ProjectAccounts.DEFAULT_MEMBER_TTL.plusSeconds(1));
        assertThat(refusal(credentials)).isEqualTo(REFUSED);
    }

    @Test
    void theStorageQuotaRefusesABucketUntilTheProjectSettingsRaiseIt() throws Exception {
        String chat = createProject(aliceToken, aliceGroup, Map.of("jetStreamStorage", MIB));
        try (Client alice = connect(chat, aliceToken)) {
            KeyValueConfiguration big = KeyValueConfiguration.builder().name("big").storageType(StorageType.File)
                    .maxBucketSize(2 * MIB).build();
            assertThatThrownBy(() -> alice.connection().keyValueManagement().create(big))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10047));
            assertThat(alice.connection().jetStreamManagement().getAccountStatistics().getLimits().getMaxStorage())
                    .isEqualTo(MIB);

            updateProject(chat, Map.of("jetStreamStorage", 4 * MIB));
            alice.connection().keyValueManagement().create(big);
            alice.connection().keyValue("big").put("k", "v");
            assertThat(alice.connection().jetStreamManagement().getAccountStatistics().getLimits().getMaxStorage())
                    .isEqualTo(4 * MIB);
        }
    }

    @Test
    void theMemoryQuotaRefusesWhatNoLongerFits() throws Exception {
        String chat = createProject(aliceToken, aliceGroup, Map.of("jetStreamMemory", 64 * 1024));
        try (Client alice = connect(chat, aliceToken)) {
            var jsm = alice.connection().jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("EVENTS").subjects("events.>")
                    .storageType(StorageType.Memory).build());
            var js = alice.connection().jetStream();
            js.publish("events.a", new byte[60 * 1024]);
            assertThatThrownBy(() -> js.publish("events.b", new byte[10 * 1024]))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10002));

            updateProject(chat, Map.of("jetStreamMemory", MIB));
            assertThat(js.publish("events.b", new byte[10 * 1024]).getSeqno()).isEqualTo(2);
        }
    }

    @Test
    void streamAndConsumerCountsFollowTheProjectSettings() throws Exception {
        String chat = createProject(aliceToken, aliceGroup, Map.of("maxStreams", 1, "maxConsumers", 1));
        try (Client alice = connect(chat, aliceToken)) {
            var jsm = alice.connection().jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("ONE").subjects("one.>").storageType(StorageType.Memory).build());
            StreamConfiguration two = StreamConfiguration.builder().name("TWO").subjects("two.>")
                    .storageType(StorageType.Memory).build();
            assertThatThrownBy(() -> jsm.addStream(two))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10027));
            jsm.addOrUpdateConsumer("ONE", ConsumerConfiguration.builder().durable("first").build());
            assertThatThrownBy(() -> jsm.addOrUpdateConsumer("ONE", ConsumerConfiguration.builder().durable("second").build()))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10026));

            updateProject(chat, Map.of("maxStreams", 2, "maxConsumers", 2));
            jsm.addStream(two);
            jsm.addOrUpdateConsumer("ONE", ConsumerConfiguration.builder().durable("second").build());
            assertThat(jsm.getStreamNames()).containsExactlyInAnyOrder("ONE", "TWO");
        }
    }

    @Test
    void connectionAndPayloadLimitsComeFromTheProjectSettings() throws Exception {
        String chat = createProject(aliceToken, aliceGroup, Map.of("maxConnections", 1, "maxPayload", 100));
        try (Client alice = connect(chat, aliceToken)) {
            assertThat(refusal(memberCredentials(chat, aliceToken))).isEqualTo(REFUSED);
            alice.connection().publish("big", new byte[100]);
            alice.connection().flush(Clients.WAIT);
            alice.connection().publish("big", new byte[101]);
            assertThat(alice.errors().poll(Clients.WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("Maximum Payload Violation");
            assertThat(alice.awaitClosed()).isTrue();
        }
        updateProject(chat, Map.of("maxConnections", 2));
        try (Client one = connect(chat, aliceToken); Client two = connect(chat, aliceToken)) {
            two.connection().flush(Clients.WAIT);
            one.connection().flush(Clients.WAIT);
        }
    }

    @Test
    void changedLimitsReachAnAccountAlreadyInUse() throws Exception {
        String chat = createProject(aliceToken, aliceGroup, Map.of());
        try (Client alice = connect(chat, aliceToken)) {
            var jsm = alice.connection().jetStreamManagement();
            assertThat(jsm.getAccountStatistics().getLimits().getMaxStreams()).isEqualTo(-1);
            updateProject(chat, Map.of("maxStreams", 3));
            assertThat(jsm.getAccountStatistics().getLimits().getMaxStreams()).isEqualTo(3);
        }
    }
}
