package io.pocketbus.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.Pocketbus;
import io.pocketbus.broker.Broker;
import java.nio.file.Path;
import java.util.Map;
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
            String log = NodeTestRunner.run("src/test/node/nats-clients.test.mjs", Map.of(
                    "NATS_URL", "nats://127.0.0.1:" + broker.port(),
                    "POCKETBUS_URL", pocketbus.url()));
            assertThat(log).contains("pass 5", "fail 0");
        }
    }
}
