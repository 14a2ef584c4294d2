package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Field;
import io.pocketbus.core.Record;
import io.pocketbus.core.Scaffolds;
import io.pocketbus.db.sqlite.SqliteDialect;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/realtime} over real HTTP, read with a raw streaming SSE reader. */
class RealtimeApiTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path temp;
    App app;
    HttpServer server;
    final List<Sse> streams = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Path data = Files.createTempDirectory(temp, "pb_data");
        ApiScenario.copyFixture(data);
        app = App.builder().dataDir(data).dialect(SqliteDialect.create()).build();
        app.setRuleValidator(io.pocketbus.core.RuleCheck::validate);
        app.bootstrap();
        app.save(collection("""
                {"name":"posts","type":"base",
                 "listRule":"owner = @request.auth.id","viewRule":"owner = @request.auth.id","fields":[
                  {"name":"title","type":"text"},
                  {"name":"secret","type":"text","hidden":true},
                  {"name":"owner","type":"relation","collectionId":"_pb_users_auth_","maxSelect":1}]}"""));
        app.save(collection("""
                {"name":"notes","type":"base","listRule":"","viewRule":"","fields":[{"name":"text","type":"text"}]}"""));
        Router router = new Router();
        Apis.bind(router, List.of("*"), new ApiHooks());
        server = HttpServer.builder().app(app).router(router).address("127.0.0.1:0").build();
        server.start();
    }

    @AfterEach
    void stop() {
        streams.forEach(Sse::close);
        server.stop();
        app.close();
    }

    private static Collection collection(String json) throws IOException {
        Collection c = Collection.fromJson(MAPPER.readTree(json));
        List<Field> fields = new ArrayList<>(c.fields());
        fields.add(0, Scaffolds.idField());
        c.setFields(fields);
        return c;
    }

    private Record user(String email) {
        Collection users = app.findCollectionByNameOrId("users").orElseThrow();
        return app.findRecordsByField(users, "email", email).getFirst();
    }

    private String token(String collection, String email) {
        Collection c = app.findCollectionByNameOrId(collection).orElseThrow();
        return app.newAuthToken(app.findRecordsByField(c, "email", email).getFirst());
    }

    private Record save(String collection, Map<String, Object> values) {
        Record r = new Record(app.findCollectionByNameOrId(collection).orElseThrow()).load(values);
        app.save(r);
        return r;
    }

    private HttpResponse<String> subscribe(String clientId, String authToken, String... subscriptions)
            throws Exception {
        String body = MAPPER.writeValueAsString(Map.of("clientId", clientId, "subscriptions", List.of(subscriptions)));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/realtime"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authToken != null) {
            b.header("Authorization", authToken);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Sse connect() throws Exception {
        Sse sse = Sse.open(server.baseUrl() + "/api/realtime");
        streams.add(sse);
        return sse;
    }

    private static String options(String json) {
        return "?options=" + URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    @Test
    void connectSendsPbConnectWithTheClientIdOnEveryFrame() throws Exception {
        Sse sse = connect();
        assertThat(sse.response.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=UTF-8");
        assertThat(sse.response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(sse.response.headers().firstValue("X-Accel-Buffering")).hasValue("no");
        Frame connect = sse.next();
        assertThat(connect.event).isEqualTo("PB_CONNECT");
        assertThat(connect.id).matches("[a-zA-Z0-9]{40}");
        assertThat(connect.data).isEqualTo("{\"clientId\":\"" + connect.id + "\"}");
        assertThat(connect.raw).isEqualTo("id:" + connect.id + "\nevent:PB_CONNECT\ndata:" + connect.data + "\n");

        assertThat(subscribe(connect.id, null, "notes/*").statusCode()).isEqualTo(204);
        Record note = save("notes", Map.of("text", "hello"));
        Frame created = sse.next();
        assertThat(created.id).isEqualTo(connect.id);
        assertThat(created.event).isEqualTo("notes/*");
        JsonNode data = MAPPER.readTree(created.data);
        assertThat(data.get("action").asText()).isEqualTo("create");
        assertThat(data.get("record").get("id").asText()).isEqualTo(note.id());
        assertThat(data.get("record").get("text").asText()).isEqualTo("hello");
        assertThat(created.data).startsWith("{\"record\":{");
    }

    @Test
    void subscriptionRequestsAreValidated() throws Exception {
        HttpResponse<String> unknown = subscribe("missing", null, "notes/*");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"message\":\"Missing or invalid client id.\"");

        HttpResponse<String> blank = subscribe("", null);
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(blank.body()).contains("\"clientId\":{\"code\":\"validation_required\"");

        String clientId = connect().next().id;
        HttpResponse<String> tooLong = subscribe(clientId, null, "x".repeat(2501));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("\"subscriptions\":{\"0\":{\"code\":\"validation_length_too_long\"");
        HttpResponse<String> tooMany = subscribe(clientId, null, java.util.Collections.nCopies(1001, "a")
                .toArray(String[]::new));
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(subscribe(clientId, null, java.util.Collections.nCopies(1000, "a").toArray(String[]::new))
                .statusCode()).isEqualTo(204);
    }

    @Test
    void aGuestMayBecomeAuthenticatedButAnotherAuthCannotTakeOver() throws Exception {
        String clientId = connect().next().id;
        String user1 = token("users", "test@example.com");
        assertThat(subscribe(clientId, null, "notes/*").statusCode()).isEqualTo(204);
        assertThat(subscribe(clientId, user1, "notes/*").statusCode()).isEqualTo(204);
        HttpResponse<String> other = subscribe(clientId, token("users", "test2@example.com"), "notes/*");
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).contains("The current and the previous request authorization don't match.");
        assertThat(subscribe(clientId, null, "notes/*").statusCode()).isEqualTo(403);
        assertThat(subscribe(clientId, user1, "notes/*").statusCode()).isEqualTo(204);
    }

    @Test
    void eventsFollowTheRulesOfEachSubscriber() throws Exception {
        Record owner = user("test@example.com");
        Sse ownerSse = connect();
        Sse otherSse = connect();
        Sse guestSse = connect();
        Sse superSse = connect();
        String ownerId = ownerSse.next().id;
        String otherId = otherSse.next().id;
        String guestId = guestSse.next().id;
        String superId = superSse.next().id;
        String filtered = "posts/*" + options("{\"query\":{\"filter\":\"title = 'second'\"}}");
        assertThat(subscribe(ownerId, token("users", "test@example.com"), "posts/*", "notes/*").statusCode())
                .isEqualTo(204);
        assertThat(subscribe(otherId, token("users", "test2@example.com"), "posts/*", "notes/*").statusCode())
                .isEqualTo(204);
        assertThat(subscribe(guestId, null, "posts/*", "notes/*").statusCode()).isEqualTo(204);
        assertThat(subscribe(superId, token("_superusers", "test@example.com"), filtered, "notes/*").statusCode())
                .isEqualTo(204);

        Record first = save("posts", Map.of("title", "first", "secret", "s1", "owner", owner.id()));
        Frame ownerCreate = ownerSse.next();
        assertThat(ownerCreate.event).isEqualTo("posts/*");
        JsonNode record = MAPPER.readTree(ownerCreate.data).get("record");
        assertThat(record.get("id").asText()).isEqualTo(first.id());
        assertThat(record.has("secret")).as("hidden field for a non-superuser").isFalse();

        Record second = save("posts", Map.of("title", "second", "secret", "s2", "owner", owner.id()));
        assertThat(MAPPER.readTree(ownerSse.next().data).get("record").get("id").asText()).isEqualTo(second.id());
        Frame superCreate = superSse.next();
        assertThat(superCreate.event).isEqualTo(filtered);
        JsonNode superRecord = MAPPER.readTree(superCreate.data).get("record");
        assertThat(superRecord.get("id").asText()).isEqualTo(second.id());
        assertThat(superRecord.get("secret").asText()).isEqualTo("s2");

        first.set("title", "first again");
        app.save(first);
        JsonNode update = MAPPER.readTree(ownerSse.next().data);
        assertThat(update.get("action").asText()).isEqualTo("update");
        assertThat(update.get("record").get("title").asText()).isEqualTo("first again");

        app.delete(first);
        JsonNode delete = MAPPER.readTree(ownerSse.next().data);
        assertThat(delete.get("action").asText()).isEqualTo("delete");
        assertThat(delete.get("record").get("id").asText()).isEqualTo(first.id());

        // a public marker: each client's next frame is the marker, so nothing else reached them before it
        Record marker = save("notes", Map.of("text", "marker"));
        for (Sse sse : List.of(ownerSse, otherSse, guestSse, superSse)) {
            Frame f = sse.next();
            assertThat(f.event).isEqualTo("notes/*");
            assertThat(MAPPER.readTree(f.data).get("record").get("id").asText()).isEqualTo(marker.id());
        }
    }

    @Test
    void viewTopicsOptionsAndUnsubscribing() throws Exception {
        Record owner = user("test@example.com");
        Record post = save("posts", Map.of("title", "one", "owner", owner.id()));
        Sse ownerSse = connect();
        Sse otherSse = connect();
        String ownerId = ownerSse.next().id;
        String otherId = otherSse.next().id;
        String picked = "posts/" + post.id() + options("{\"query\":{\"fields\":\"id,title,expand.owner.email\","
                + "\"expand\":\"owner\"}}");
        String ownerToken = token("users", "test@example.com");
        assertThat(subscribe(ownerId, ownerToken, picked, "notes/*").statusCode()).isEqualTo(204);
        assertThat(subscribe(otherId, token("users", "test2@example.com"), "posts/" + post.id(), "notes/*")
                .statusCode()).isEqualTo(204);

        post.set("title", "two");
        app.save(post);
        Frame f = ownerSse.next();
        assertThat(f.event).isEqualTo(picked);
        JsonNode record = MAPPER.readTree(f.data).get("record");
        assertThat(record.get("title").asText()).isEqualTo("two");
        assertThat(record.has("owner")).as("fields picked").isFalse();
        assertThat(record.get("expand").get("owner").get("email").asText()).isEqualTo("test@example.com");

        assertThat(subscribe(ownerId, ownerToken, "notes/*").statusCode()).isEqualTo(204);
        post.set("title", "three");
        app.save(post);
        Record marker = save("notes", Map.of("text", "marker"));
        for (Sse sse : List.of(ownerSse, otherSse)) {
            assertThat(MAPPER.readTree(sse.next().data).get("record").get("id").asText()).isEqualTo(marker.id());
        }
    }

    @Test
    void aDeletedAuthRecordLeavesItsClientsAsGuests() throws Exception {
        Record user = save("users", Map.of("email", "gone@example.com", "password", "1234567890",
                "passwordConfirm", "1234567890"));
        Sse sse = connect();
        String clientId = sse.next().id;
        assertThat(subscribe(clientId, app.newAuthToken(user), "posts/*", "notes/*").statusCode()).isEqualTo(204);
        app.delete(user);
        Record marker = save("notes", Map.of("text", "marker"));
        assertThat(MAPPER.readTree(sse.next().data).get("record").get("id").asText()).isEqualTo(marker.id());
        // a guest now: another auth may bind to the client
        assertThat(subscribe(clientId, token("users", "test2@example.com"), "notes/*").statusCode()).isEqualTo(204);
    }

    @Test
    void anAuthRecordShowsItsEmailToItselfOnly() throws Exception {
        Record self = user("test@example.com");
        assertThat(self.emailVisibility()).isFalse();
        Sse selfSse = connect();
        Sse superSse = connect();
        String selfId = selfSse.next().id;
        String superId = superSse.next().id;
        assertThat(subscribe(selfId, token("users", "test@example.com"), "users/" + self.id()).statusCode())
                .isEqualTo(204);
        assertThat(subscribe(superId, token("_superusers", "test@example.com"), "users/*").statusCode())
                .isEqualTo(204);
        self.set("name", "renamed");
        app.save(self);
        for (Sse sse : List.of(selfSse, superSse)) {
            JsonNode record = MAPPER.readTree(sse.next().data).get("record");
            assertThat(record.get("email").asText()).isEqualTo("test@example.com");
            assertThat(record.has("password")).isFalse();
            assertThat(record.has("tokenKey")).isFalse();
        }
    }

    @Test
    void anIdleStreamEnds() throws Exception {
        Realtime.of(app).timeouts(Duration.ofMillis(200), Duration.ofMinutes(1));
        Sse sse = connect();
        assertThat(sse.next().event).isEqualTo("PB_CONNECT");
        assertThat(sse.awaitEnd()).isTrue();
        assertThat(Realtime.of(app).clientCount()).isZero();
    }

    @Test
    void theMaximumLifetimeEndsABusyStream() throws Exception {
        Realtime.of(app).timeouts(Duration.ofMinutes(1), Duration.ofMillis(300));
        Sse sse = connect();
        String clientId = sse.next().id;
        assertThat(subscribe(clientId, null, "notes/*").statusCode()).isEqualTo(204);
        assertThat(sse.awaitEnd()).isTrue();
    }

    /** One parsed SSE frame. */
    record Frame(String id, String event, String data, String raw) {
    }

    /** A raw SSE reader over java.net.http's streaming body. */
    static final class Sse {
        private static final Frame END = new Frame("", "", "", "");
        final HttpResponse<Stream<String>> response;
        private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        private final Thread reader;

        private Sse(HttpResponse<Stream<String>> response) {
            this.response = response;
            this.reader = Thread.ofVirtual().start(this::read);
        }

        static Sse open(String url) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().build();
            return new Sse(CLIENT.send(request, HttpResponse.BodyHandlers.ofLines()));
        }

        private void read() {
            String id = "";
            String event = "";
            String data = "";
            StringBuilder raw = new StringBuilder();
            try (Stream<String> lines = response.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.isEmpty()) {
                        frames.add(new Frame(id, event, data, raw.toString()));
                        id = "";
                        event = "";
                        data = "";
                        raw.setLength(0);
                        continue;
                    }
                    raw.append(line).append('\n');
                    if (line.startsWith("id:")) {
                        id = line.substring(3);
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6);
                    } else if (line.startsWith("data:")) {
                        data = line.substring(5);
                    }
                }
            } catch (RuntimeException e) {
                // the stream was closed under us
            }
            frames.add(END);
        }

        Frame next() throws InterruptedException {
            Frame f = frames.poll(20, TimeUnit.SECONDS);
            assertThat(f).as("an SSE frame").isNotNull().isNotSameAs(END);
            return f;
        }

        boolean awaitEnd() throws InterruptedException {
            Frame f;
            do {
                f = frames.poll(20, TimeUnit.SECONDS);
            } while (f != null && f != END);
            return f == END;
        }

        void close() {
            reader.interrupt();
        }
    }
}
