package io.pocketbus.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shaded jar the way a user does: {@code java -jar pocketbus.jar serve}, then SIGTERM. */
class DistributionJarTest {
    private static final Pattern LISTENING = Pattern.compile("Listening for client connections on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern STARTED = Pattern.compile("Server started at (http://\\S+)");

    @TempDir
    Path dir;

    static Path jar() {
        Path jar = Path.of("..", "pocketbus", "target", "pocketbus.jar").toAbsolutePath().normalize();
        assertThat(jar).as("the distribution jar (build the pocketbus module first)").exists();
        return jar;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void printsTheVersion() throws Exception {
        Process process = new ProcessBuilder(java(), "-jar", jar().toString(), "--version")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(output.trim()).matches("pocketbus \\S+");
    }

    @Test
    void brokerRunsAloneLikeNatsServerUntilSigterm() throws Exception {
        Path config = dir.resolve("nats.conf");
        Files.writeString(config, "lame_duck_grace_period: \"1s\"\nmax_payload: 4KB\n");
        Process process = new ProcessBuilder(java(), "-jar", jar().toString(), "broker", "--addr", "127.0.0.1",
                "--port", "0", "--config", config.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (java.io.IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("exited before listening: " + lines));
        });
        try {
            try (Connection nc = Nats.connect(Options.builder()
                    .server("nats://127.0.0.1:" + port.get(60, TimeUnit.SECONDS)).maxReconnects(0).build())) {
                assertThat(nc.getServerInfo().getMaxPayload()).isEqualTo(4096);
                Subscription sub = nc.subscribe("jar.test");
                nc.publish("jar.test", "ok".getBytes(StandardCharsets.UTF_8));
                assertThat(sub.nextMessage(Duration.ofSeconds(30)).getData()).asString().isEqualTo("ok");
            }
            process.toHandle().destroy(); // SIGTERM: lame duck, then shutdown
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            reader.join();
        } finally {
            process.destroyForcibly();
        }
        assertThat(lines).contains("Server is ready", "Entering lame duck mode, then shutting down",
                "Server Exiting..");
    }

    @Test
    void servesUntilSigtermThenShutsDownGracefully() throws Exception {
        Path data = dir.resolve("pb_data");
        Process process = new ProcessBuilder(java(), "-jar", jar().toString(), "serve", "--http", "127.0.0.1:0",
                "--nats", "127.0.0.1:0", "--dir", data.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                    Matcher m = STARTED.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
            } catch (java.io.IOException e) {
                url.completeExceptionally(e);
            }
            url.completeExceptionally(new IllegalStateException("exited before starting: " + lines));
        });
        try {
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url.get(60, TimeUnit.SECONDS) + "/api/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);

            process.toHandle().destroy(); // SIGTERM, keeping our end of its output open
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            reader.join();
        } finally {
            process.destroyForcibly();
        }
        assertThat(lines).anyMatch(l -> l.contains("REST API:"));
        assertThat(lines).anyMatch(l -> l.contains("NATS:") && l.contains("nats://127.0.0.1:"));
        assertThat(lines).anyMatch(l -> l.contains("/api/nats"));
        assertThat(lines).anyMatch(l -> l.contains("pocketbus superuser upsert EMAIL PASSWORD"));
        assertThat(lines).contains("Stopped.");
        assertThat(Files.exists(data.resolve("data.db"))).isTrue();
        // a clean close checkpoints the WAL away
        assertThat(Files.exists(data.resolve("data.db-wal"))).isFalse();
    }
}
