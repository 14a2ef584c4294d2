package io.pocketbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.pocketbus.bridge.ProjectLimits;
import io.pocketbus.bridge.ProjectRole;
import io.pocketbus.broker.CredsFile;
import io.pocketbus.core.Collection;
import io.pocketbus.core.CollectionType;
import io.pocketbus.core.TextField;
import io.pocketbus.core.spi.MessageBus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Record events on the embedded broker, in the app's own account. */
class BrokerMessageBusTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Pocketbus start(Path dir, boolean authorization) {
        Pocketbus pb = Pocketbus.builder().dataDir(dir.resolve("pb_data")).http("127.0.0.1:0").nats("127.0.0.1:0")
                .natsAuthorization(authorization)
                // nats-server's 2 s auth timeout is about the network, not about how busy the test machine is
                .natsBroker(b -> b.authTimeout(Duration.ofSeconds(30))).build().start();
        Collection posts = new Collection(CollectionType.BASE, "posts");
        posts.addField(new TextField("title"));
        posts.setCreateRule(Optional.of(""));
        pb.app().save(posts);
        return pb;
    }

    private static Connection connect(Pocketbus pb, Optional<CredsFile> creds) throws Exception {
        Options.Builder options = Options.builder().server("nats://127.0.0.1:" + pb.broker().orElseThrow().port())
                .maxReconnects(0).connectionTimeout(Duration.ofSeconds(30));
        creds.ifPresent(c -> options.authHandler(Nats.staticCredentials(c.jwt().toCharArray(),
                c.seed().toCharArray())));
        return Nats.connect(options.build());
    }

    private static JsonNode createPost(Pocketbus pb, String title) throws Exception {
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(pb.url() + "/api/collections/posts/records"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"" + title + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(200);
        return JSON.readTree(created.body());
    }

    @Test
    void theAppAccountReceivesRecordEventsAndProjectsDoNot(@TempDir Path dir) throws Exception {
        try (Pocketbus pb = start(dir, true)) {
            pb.projectAccounts().provision("project1", ProjectLimits.UNLIMITED);
            CredsFile projectCreds = CredsFile.parse(pb.projectAccounts()
                    .issueMemberCredentials("project1", "user1", ProjectRole.MEMBER).credsFile());
            try (Connection app = connect(pb, Optional.of(pb.projectAccounts().identity().appCredentials()));
                    Connection project = connect(pb, Optional.of(projectCreds))) {
                Subscription appEvents = app.subscribe("pb.records.>");
                Subscription projectEvents = project.subscribe("pb.records.>");
                app.flush(WAIT);
                project.flush(WAIT);

                JsonNode post = createPost(pb, "hello");
                Message event = appEvents.nextMessage(WAIT);
                assertThat(event).isNotNull();
                assertThat(event.getSubject()).isEqualTo("pb.records.posts.create." + post.get("id").asText());
                JsonNode payload = JSON.readTree(event.getData());
                assertThat(payload.get("action").asText()).isEqualTo("create");
                assertThat(payload.get("record").get("title").asText()).isEqualTo("hello");

                // a message the project publishes itself arrives after anything of the app's would have
                project.publish("pb.records.marker", new byte[0]);
                Message first = projectEvents.nextMessage(WAIT);
                assertThat(first).isNotNull();
                assertThat(first.getSubject()).isEqualTo("pb.records.marker");
            }
        }
    }

    @Test
    void withoutAuthorizationEveryClientSeesTheEvents(@TempDir Path dir) throws Exception {
        try (Pocketbus pb = start(dir, false); Connection nc = connect(pb, Optional.empty())) {
            Subscription events = nc.subscribe("pb.records.posts.create.*");
            nc.flush(WAIT);
            JsonNode post = createPost(pb, "open");
            Message event = events.nextMessage(WAIT);
            assertThat(event).isNotNull();
            assertThat(event.getSubject()).endsWith(post.get("id").asText());
        }
    }

    @Test
    void aSlowSubscriberDoesNotHoldUpThePublisherNorTheOthers(@TempDir Path dir) throws Exception {
        try (Pocketbus pb = start(dir, true)) {
            MessageBus bus = pb.app().messageBus();
            CountDownLatch release = new CountDownLatch(1);
            bus.subscribe("load.>", m -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            bus.subscribe("load.>", m -> received.add(new String(m.data(), StandardCharsets.UTF_8)));
            int count = 1_000;
            for (int i = 0; i < count; i++) {
                bus.publish("load." + i, String.valueOf(i).getBytes(StandardCharsets.UTF_8));
            }
            // the fast subscriber gets every message, in publish order, while the slow one is stuck
            for (int i = 0; i < count; i++) {
                assertThat(received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(String.valueOf(i));
            }
            release.countDown();
        }
    }

    @Test
    void theBusConnectsOnFirstUseAndClosesWithPocketbus(@TempDir Path dir) throws Exception {
        Pocketbus pb = start(dir, true);
        MessageBus bus = pb.app().messageBus();
        assertThat(bus).isInstanceOf(BrokerMessageBus.class);
        // saving the collection published nothing the broker keeps; the first subscription connects at the latest
        bus.subscribe("any", m -> { });
        assertThat(pb.broker().orElseThrow().connections()).extracting(c -> c.name()).contains("pocketbus-events");
        pb.stop();
        assertThatThrownBy(() -> bus.subscribe("any", m -> { })).hasMessageContaining("closed");
        // a publish after stop reaches no one and does not fail
        bus.publish("after.stop", new byte[0]);
    }

    @Test
    void beforeTheBrokerRunsPublishingReachesNoOneAndSubscribingIsRefused(@TempDir Path dir) {
        Pocketbus pb = Pocketbus.builder().dataDir(dir.resolve("pb_data")).http("127.0.0.1:0").nats("127.0.0.1:0")
                .build();
        try {
            MessageBus bus = pb.app().messageBus();
            bus.publish("early", new byte[0]);
            assertThatThrownBy(() -> bus.subscribe("early", m -> { })).hasMessageContaining("not started");
        } finally {
            pb.stop();
        }
    }

    @Test
    void realtimeSubscribersReceiveRecordEventsThroughTheBroker(@TempDir Path dir) throws Exception {
        try (Pocketbus pb = start(dir, true)) {
            Collection posts = pb.app().findCollectionByNameOrId("posts").orElseThrow();
            posts.setListRule(Optional.of(""));
            posts.setViewRule(Optional.of(""));
            pb.app().save(posts);
            HttpClient http = HttpClient.newHttpClient();
            LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
            HttpResponse<java.util.stream.Stream<String>> sse = http.send(HttpRequest.newBuilder(
                    URI.create(pb.url() + "/api/realtime")).build(), HttpResponse.BodyHandlers.ofLines());
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    sse.body().forEach(lines::add);
                } catch (java.io.UncheckedIOException closedByTheTest) {
                    // the stream ends when the test closes it
                }
            });
            try {
                String clientId = JSON.readTree(nextData(lines)).get("clientId").asText();
                HttpResponse<String> subscribed = http.send(HttpRequest.newBuilder(
                                URI.create(pb.url() + "/api/realtime")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"clientId\":\"" + clientId
                                + "\",\"subscriptions\":[\"posts\"]}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(subscribed.statusCode()).isEqualTo(204);
                JsonNode post = createPost(pb, "live");
                JsonNode event = JSON.readTree(nextData(lines));
                assertThat(event.get("action").asText()).isEqualTo("create");
                assertThat(event.get("record").get("id").asText()).isEqualTo(post.get("id").asText());
                // the events came over the broker: realtime is a subscriber of the app's bus connection there
                assertThat(pb.broker().orElseThrow().subscriptions()).anyMatch(s -> s.subject().equals("pb.records.>"));
            } finally {
                reader.interrupt();
                sse.body().close();
            }
        }
    }

    private static String nextData(LinkedBlockingQueue<String> lines) throws InterruptedException {
        while (true) {
            String line = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(line).as("an SSE line within %s", WAIT).isNotNull();
            if (line.startsWith("data:")) {
                return line.substring("data:".length());
            }
        }
    }

    @Test
    void theBusReconnectsWhenTheBrokerDropsIt(@TempDir Path dir) throws Exception {
        try (Pocketbus pb = start(dir, false); Connection nc = connect(pb, Optional.empty())) {
            Subscription events = nc.subscribe("pb.records.>");
            nc.flush(WAIT);
            createPost(pb, "before");
            assertThat(events.nextMessage(WAIT)).isNotNull();
            assertThat(pb.broker().orElseThrow().closeConnections(c -> c.name().equals("pocketbus-events"),
                    io.pocketbus.broker.CloseReason.KICKED)).isEqualTo(1);
            // saves while it reconnects are buffered by jnats and published once it is back
            JsonNode after = createPost(pb, "after");
            Message event = events.nextMessage(WAIT);
            assertThat(event).isNotNull();
            assertThat(event.getSubject()).endsWith(after.get("id").asText());
        }
    }
}
