package io.pocketbus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.StreamInfo;
import io.pocketbus.broker.CredsFile;
import io.pocketbus.core.Collection;
import io.pocketbus.core.CollectionType;
import io.pocketbus.core.Record;
import io.pocketbus.core.TextField;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional durable stream of record events, switched per collection in the {@code recordEvents} settings. */
class RecordEventsStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private static Pocketbus start(Path dir) {
        Pocketbus pb = Pocketbus.builder().dataDir(dir.resolve("pb_data")).http("127.0.0.1:0").nats("127.0.0.1:0")
                // nats-server's 2 s auth timeout is about the network, not about how busy the test machine is
                .natsBroker(b -> b.authTimeout(Duration.ofSeconds(30))).build().start();
        for (String name : List.of("posts", "notes")) {
            Collection c = new Collection(CollectionType.BASE, name);
            c.addField(new TextField("title"));
            c.setCreateRule(Optional.of(""));
            pb.app().save(c);
        }
        return pb;
    }

    private static String superuserToken(Pocketbus pb) {
        Record admin = new Record(pb.app().findCollectionByNameOrId(Collection.SUPERUSERS).orElseThrow());
        admin.set("email", "admin@example.com");
        SuperuserCommand.Action.setPassword(admin, "1234567890");
        pb.app().save(admin);
        return pb.app().newAuthToken(admin);
    }

    private HttpResponse<String> patchSettings(Pocketbus pb, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(pb.url() + "/api/settings"))
                .header("Authorization", token).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void create(Pocketbus pb, String collection, String title) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create(pb.url() + "/api/collections/" + collection + "/records"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"" + title + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    private static Connection connectAsApp(Pocketbus pb) throws Exception {
        CredsFile creds = pb.projectAccounts().identity().appCredentials();
        return Nats.connect(Options.builder().server("nats://127.0.0.1:" + pb.broker().orElseThrow().port())
                .maxReconnects(0).connectionTimeout(Duration.ofSeconds(30))
                .authHandler(Nats.staticCredentials(creds.jwt().toCharArray(), creds.seed().toCharArray())).build());
    }

    @Test
    void anEnabledCollectionsEventsAreKeptForReplayAndOthersAreNot(@TempDir Path dir) throws Exception {
        try (Pocketbus pb = start(dir)) {
            String token = superuserToken(pb);
            HttpResponse<String> enabled = patchSettings(pb, token, "{\"recordEvents\":{\"streams\":[\"posts\"]}}");
            assertThat(enabled.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(enabled.body()).path("recordEvents").path("streams").get(0).asText())
                    .isEqualTo("posts");

            create(pb, "posts", "first");
            create(pb, "notes", "not kept");
            create(pb, "posts", "second");

            try (Connection nc = connectAsApp(pb)) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                StreamInfo info = jsm.getStreamInfo(RecordEventsStream.STREAM);
                assertThat(info.getConfiguration().getSubjects()).containsExactly("pb.records.posts.>");
                assertThat(info.getStreamState().getMsgCount()).isEqualTo(2);

                JetStream js = nc.jetStream();
                JetStreamSubscription replay = js.subscribe("pb.records.>", PullSubscribeOptions.builder()
                        .stream(RecordEventsStream.STREAM).build());
                List<String> titles = new ArrayList<>();
                for (Message m : replay.fetch(2, WAIT)) {
                    assertThat(m.getSubject()).startsWith("pb.records.posts.create.");
                    JsonNode event = JSON.readTree(m.getData());
                    titles.add(event.path("record").path("title").asText());
                    m.ack();
                }
                assertThat(titles).containsExactly("first", "second");

                // switching the collections off removes the stream
                HttpResponse<String> off = patchSettings(pb, token, "{\"recordEvents\":{\"streams\":[]}}");
                assertThat(off.statusCode()).isEqualTo(200);
                assertThat(jsm.getStreamNames()).doesNotContain(RecordEventsStream.STREAM);
            }
        }
    }

    @Test
    void onlyKnownCollectionNamesAndSaneLimitsAreAccepted(@TempDir Path dir) throws Exception {
        try (Pocketbus pb = start(dir)) {
            String token = superuserToken(pb);
            HttpResponse<String> unknown = patchSettings(pb, token, "{\"recordEvents\":{\"streams\":[\"nope\"]}}");
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(unknown.body()).path("data").path("recordEvents").path("streams").path("code")
                    .asText()).isEqualTo("validation_invalid_collection");
            HttpResponse<String> badLimit = patchSettings(pb, token,
                    "{\"recordEvents\":{\"streams\":[\"posts\"],\"maxAge\":-5}}");
            assertThat(badLimit.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(badLimit.body()).path("data").path("recordEvents").has("maxAge")).isTrue();
            HttpResponse<String> otherSectionInvalid = patchSettings(pb, token,
                    "{\"recordEvents\":{\"streams\":[\"posts\"]},\"meta\":{\"appName\":\"\"}}");
            assertThat(otherSectionInvalid.statusCode()).isEqualTo(400);
            // nothing stored, no stream made
            assertThat(pb.app().settings().toJson().has(RecordEventsStream.SECTION)).isFalse();
            try (Connection nc = connectAsApp(pb)) {
                assertThat(nc.jetStreamManagement().getStreamNames()).doesNotContain(RecordEventsStream.STREAM);
            }
            // without superuser auth the settings API answers as always, and reveals nothing about collections
            HttpResponse<String> guest = http.send(HttpRequest.newBuilder(URI.create(pb.url() + "/api/settings"))
                    .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(
                            "{\"recordEvents\":{\"streams\":[\"nope\"]}}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(guest.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aRenamedCollectionStaysInTheStreamAndADeletedOneLeavesIt(@TempDir Path dir) throws Exception {
        try (Pocketbus pb = start(dir)) {
            assertThat(patchSettings(pb, superuserToken(pb), "{\"recordEvents\":{\"streams\":[\"posts\",\"notes\"]}}")
                    .statusCode()).isEqualTo(200);
            Collection posts = pb.app().findCollectionByNameOrId("posts").orElseThrow();
            posts.setName("articles");
            pb.app().save(posts);
            create(pb, "articles", "kept under the new name");

            try (Connection nc = connectAsApp(pb)) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                StreamInfo renamed = jsm.getStreamInfo(RecordEventsStream.STREAM);
                assertThat(renamed.getConfiguration().getSubjects())
                        .containsExactly("pb.records.articles.>", "pb.records.notes.>");
                assertThat(renamed.getStreamState().getMsgCount()).isEqualTo(1);
                assertThat(pb.app().settings().toJson().path("recordEvents").path("streams").toString())
                        .isEqualTo("[\"articles\",\"notes\"]");

                pb.app().delete(pb.app().findCollectionByNameOrId("notes").orElseThrow());
                assertThat(jsm.getStreamInfo(RecordEventsStream.STREAM).getConfiguration().getSubjects())
                        .containsExactly("pb.records.articles.>");
                assertThat(pb.app().settings().toJson().path("recordEvents").path("streams").toString())
                        .isEqualTo("[\"articles\"]");
            }
        }
    }

    @Test
    void theStreamIsReconciledWhenTheServerStarts(@TempDir Path dir) throws Exception {
        try (Pocketbus pb = start(dir)) {
            assertThat(patchSettings(pb, superuserToken(pb), "{\"recordEvents\":{\"streams\":[\"notes\"],"
                    + "\"maxBytes\":1048576}}").statusCode()).isEqualTo(200);
            // deleted behind Pocketbus's back
            try (Connection nc = connectAsApp(pb)) {
                nc.jetStreamManagement().deleteStream(RecordEventsStream.STREAM);
            }
        }
        try (Pocketbus pb = Pocketbus.builder().dataDir(dir.resolve("pb_data")).http("127.0.0.1:0")
                .nats("127.0.0.1:0").natsBroker(b -> b.authTimeout(Duration.ofSeconds(30))).build().start();
                Connection nc = connectAsApp(pb)) {
            StreamInfo info = nc.jetStreamManagement().getStreamInfo(RecordEventsStream.STREAM);
            assertThat(info.getConfiguration().getSubjects()).containsExactly("pb.records.notes.>");
            assertThat(info.getConfiguration().getMaxBytes()).isEqualTo(1048576);
        } catch (JetStreamApiException e) {
            throw new AssertionError("the stream was not recreated at start", e);
        }
    }
}
