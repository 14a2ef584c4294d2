package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * nats.js ({@code @nats-io/nats-core} wsconnect) over the {@code ws} package, a client that offers
 * permessage-deflate, against a broker with WebSocket compression on: the script in {@code src/test/node-ws}
 * checks the negotiation and compressed traffic both ways; its dependencies come from npm on first use.
 */
class WebSocketCompressionNodeTest {
    private static final Path PROJECT = Path.of("src/test/node-ws");

    @Test
    void natsJsOverACompressingWebSocketClient() throws Exception {
        if (!Files.isDirectory(PROJECT.resolve("node_modules/ws"))) {
            Run install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
            assertThat(install.exit()).as(install.output()).isZero();
        }
        try (Broker broker = Broker.builder().port(0).websocketPort(0)
                .websocket(WebSocketOptions.PLAIN.withCompression(true)).build().start()) {
            Run r = run(List.of("node", "compression.test.mjs", String.valueOf(broker.websocketPort().orElseThrow())),
                    120);
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("ok");
        }
    }

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Run(-1, "timed out: " + new String(out, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
