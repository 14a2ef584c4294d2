package io.pocketbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.core.RecordEvents;
import io.pocketbus.core.spi.MessageBus;
import io.pocketbus.db.sqlite.SqliteDialect;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NatsMessageBus} against Debian's nats-server on a random loopback port. */
class NatsMessageBusTest {
    private static final Path NATS_SERVER = Path.of("/usr/sbin/nats-server");
    private static final Pattern LISTENING = Pattern.compile("Listening for client connections on ([0-9.]+:\\d+)");
    private static Process server;
    private static String url;

    @TempDir
    Path temp;

    @BeforeAll
    static void startNatsServer() throws Exception {
        assumeTrue(Files.isExecutable(NATS_SERVER), "Debian's nats-server is installed");
        server = new ProcessBuilder(NATS_SERVER.toString(), "-a", "127.0.0.1", "-p", "-1")
                .redirectErrorStream(true).start();
        CompletableFuture<String> address = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        address.complete(m.group(1));
                    }
                }
            } catch (java.io.IOException e) {
                address.completeExceptionally(e);
            }
            address.completeExceptionally(new IllegalStateException("nats-server exited"));
        });
        url = "nats://" + address.get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopNatsServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void publishesAndSubscribesWithWildcardsAndHeaders() throws Exception {
        try (NatsMessageBus a = NatsMessageBus.connect(url); NatsMessageBus b = NatsMessageBus.connect(url)) {
            BlockingQueue<MessageBus.Message> got = new LinkedBlockingQueue<>();
            MessageBus.Subscription sub = b.subscribe("pb.records.*.create.>", got::add);
            a.publish("pb.records.posts.update.1", "skip".getBytes(StandardCharsets.UTF_8));
            a.publish("pb.records.posts.create.1", "one".getBytes(StandardCharsets.UTF_8), Map.of("k", "v"));
            MessageBus.Message m = got.poll(10, TimeUnit.SECONDS);
            assertThat(m).isNotNull();
            assertThat(m.subject()).isEqualTo("pb.records.posts.create.1");
            assertThat(new String(m.data(), StandardCharsets.UTF_8)).isEqualTo("one");
            assertThat(m.headers()).containsEntry("k", "v");

            sub.unsubscribe();
            BlockingQueue<MessageBus.Message> marker = new LinkedBlockingQueue<>();
            b.subscribe("marker", marker::add);
            a.publish("pb.records.posts.create.2", "two".getBytes(StandardCharsets.UTF_8));
            a.publish("marker", new byte[0]);
            assertThat(marker.poll(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(got).isEmpty();
        }
    }

    @Test
    void recordEventsOfOneNodeReachAnotherNode() throws Exception {
        try (NatsMessageBus nodeA = NatsMessageBus.connect(url); NatsMessageBus nodeB = NatsMessageBus.connect(url)) {
            BlockingQueue<MessageBus.Message> seenOnB = new LinkedBlockingQueue<>();
            nodeB.subscribe(RecordEvents.ALL, seenOnB::add);
            App app = App.builder().dataDir(temp.resolve("pb_data")).dialect(SqliteDialect.create())
                    .messageBus(nodeA).build();
            app.bootstrap();
            try {
                Collection users = app.findCollectionByNameOrId("users").orElseThrow();
                Record user = new Record(users);
                user.set("email", "nats@example.com");
                user.set("password", "1234567890");
                app.save(user);
                MessageBus.Message m = seenOnB.poll(10, TimeUnit.SECONDS);
                assertThat(m).isNotNull();
                assertThat(m.subject()).isEqualTo("pb.records.users.create." + user.id());
                assertThat(new String(m.data(), StandardCharsets.UTF_8)).startsWith("{\"action\":\"create\"")
                        .contains("\"email\":\"nats@example.com\"");
            } finally {
                app.close();
            }
        }
    }
}
