package io.pocketbus.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.Pocketbus;
import io.pocketbus.broker.Broker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code src/test/node/nats-clients.test.mjs} with {@code node --test} against a Pocketbus started with
 * its broker: the official NATS JavaScript clients ({@code @nats-io/transport-node} over TCP, {@code wsconnect}
 * over WebSocket at {@code /api/nats}; installed by the Maven build with {@code npm ci}) are the clients.
 */
class NatsJsClientsTest {

    @TempDir
    Path dir;

    @Test
    void theOfficialNatsJsClientsWorkAgainstPocketbus() throws Exception {
        Path moduleDir = Path.of("").toAbsolutePath();
        assertThat(moduleDir.resolve("node_modules/@nats-io/transport-node/package.json"))
                .as("the NATS JavaScript clients (installed by `npm ci` in the Maven build)").exists();

        try (Pocketbus pocketbus = Pocketbus.builder().dataDir(dir.resolve("pb_data")).http("127.0.0.1:0")
                .nats("127.0.0.1:0").natsAuthorization(false).build()) {
            pocketbus.start();
            Broker broker = pocketbus.broker().orElseThrow();
            ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-reporter=spec",
                    "src/test/node/nats-clients.test.mjs")
                    .directory(moduleDir.toFile())
                    .redirectErrorStream(true);
            node.environment().put("NATS_URL", "nats://127.0.0.1:" + broker.port());
            node.environment().put("POCKETBUS_URL", pocketbus.url());
            node.environment().put("NO_COLOR", "1");
            Process process = node.start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process));
            boolean finished = process.waitFor(5, TimeUnit.MINUTES);
            if (!finished) {
                process.destroyForcibly();
            }
            String log = output.get(1, TimeUnit.MINUTES);
            System.out.println(log);
            assertThat(finished).as("node --test finished in time:%n%s", log).isTrue();
            assertThat(process.exitValue()).as("node --test exit code; its output:%n%s", log).isZero();
            assertThat(log).contains("pass 5", "fail 0");
        }
    }

    private static String read(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "failed to read the node output: " + e;
        }
    }
}
