package io.pocketbus.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pocketbus.core.App;
import io.pocketbus.core.LocalMessageBus;
import io.pocketbus.core.Record;
import io.pocketbus.core.RecordEvents;
import io.pocketbus.core.spi.MessageBus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;
    App app;
    final BlockingQueue<MessageBus.Message> published = new LinkedBlockingQueue<>();

    @BeforeEach
    void open() {
        app = Fixtures.fixtureApp(temp);
        app.messageBus().subscribe(RecordEvents.ALL, published::add);
    }

    @AfterEach
    void close() {
        app.close();
    }

    private MessageBus.Message next() throws InterruptedException {
        MessageBus.Message m = published.poll(10, TimeUnit.SECONDS);
        assertThat(m).as("a published record event").isNotNull();
        return m;
    }

    private static JsonNode json(MessageBus.Message m) throws IOException {
        return JSON.readTree(m.data());
    }

    @Test
    void publishesCreateUpdateDeleteAfterCommit() throws Exception {
        Record r = new Record(app.findCollectionByNameOrId("demo2").orElseThrow()).load(Map.of("title", "one"));
        app.save(r);
        MessageBus.Message created = next();
        assertThat(created.subject()).isEqualTo("pb.records.demo2.create." + r.id());
        JsonNode body = json(created);
        assertThat(body.get("action").asText()).isEqualTo("create");
        assertThat(body.get("record").get("id").asText()).isEqualTo(r.id());
        assertThat(body.get("record").get("title").asText()).isEqualTo("one");
        assertThat(body.get("record").get("collectionName").asText()).isEqualTo("demo2");

        r.set("title", "two");
        app.save(r);
        MessageBus.Message updated = next();
        assertThat(updated.subject()).isEqualTo("pb.records.demo2.update." + r.id());
        assertThat(json(updated).get("record").get("title").asText()).isEqualTo("two");

        app.delete(r);
        MessageBus.Message deleted = next();
        assertThat(deleted.subject()).isEqualTo("pb.records.demo2.delete." + r.id());
        assertThat(json(deleted).get("action").asText()).isEqualTo("delete");
    }

    @Test
    void showsTheRecordAsASuperuserSeesIt() throws Exception {
        Record user = app.findCollectionByNameOrId("users").map(c -> app.findRecordsBySql(c,
                "SELECT * FROM users WHERE emailVisibility = 0 LIMIT 1", java.util.List.of()).getFirst()).orElseThrow();
        user.set("name", "renamed");
        app.save(user);
        JsonNode record = json(next()).get("record");
        assertThat(record.get("email").asText()).isEqualTo(user.email());
        assertThat(record.has("password")).isFalse();
        assertThat(record.has("tokenKey")).isFalse();
    }

    @Test
    void aRolledBackChangePublishesNothing() throws Exception {
        Record r = new Record(app.findCollectionByNameOrId("demo2").orElseThrow()).load(Map.of("title", "doomed"));
        assertThatThrownBy(() -> app.runInTransaction(tx -> {
            tx.save(r);
            throw new IllegalStateException("roll back");
        })).hasMessage("roll back");
        // a later committed change is the next event: the rolled-back one was never published
        Record kept = new Record(app.findCollectionByNameOrId("demo2").orElseThrow()).load(Map.of("title", "kept"));
        app.save(kept);
        assertThat(next().subject()).isEqualTo("pb.records.demo2.create." + kept.id());
        assertThat(published).isEmpty();
    }

    @Test
    void nestedSavesPublishOnlyWhenTheOuterTransactionCommits() throws Exception {
        Record a = new Record(app.findCollectionByNameOrId("demo2").orElseThrow()).load(Map.of("title", "alpha"));
        Record b = new Record(app.findCollectionByNameOrId("demo2").orElseThrow()).load(Map.of("title", "bravo"));
        app.runInTransaction(tx -> {
            tx.save(a);
            tx.save(b);
            assertThat(published).isEmpty();
        });
        assertThat(next().subject()).endsWith(a.id());
        assertThat(next().subject()).endsWith(b.id());
    }

    @Test
    void idsThatAreNotSubjectTokensAreEncoded() throws Exception {
        Record r = new Record(app.findCollectionByNameOrId("demo2").orElseThrow()).load(Map.of("title", "odd"));
        r.setId("a.b*c");
        assertThat(RecordEvents.subject(r, "create")).isEqualTo("pb.records.demo2.create.a%2Eb%2Ac");
    }

    @Test
    void usesTheConfiguredBus() throws Exception {
        try (LocalMessageBus bus = LocalMessageBus.create()) {
            BlockingQueue<MessageBus.Message> got = new LinkedBlockingQueue<>();
            bus.subscribe("pb.records.users.>", got::add);
            Path dir = temp.resolve("other");
            App other = App.builder().dataDir(dir).dialect(SqliteDialect.create()).messageBus(bus).build();
            other.bootstrap();
            try {
                Record r = new Record(other.findCollectionByNameOrId("users").orElseThrow())
                        .load(Map.of("email", "a@example.com", "password", "1234567890", "passwordConfirm", "1234567890"));
                other.save(r);
                MessageBus.Message m = got.poll(10, TimeUnit.SECONDS);
                assertThat(m).isNotNull();
                assertThat(m.subject()).isEqualTo("pb.records.users.create." + r.id());
                assertThat(other.messageBus()).isSameAs(bus);
            } finally {
                other.close();
            }
        }
    }
}
