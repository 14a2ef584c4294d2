package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The NATS JS clients ({@code @nats-io/jetstream}, {@code /kv}, {@code /obj} 3.x) from Node against the
 * broker: the script in {@code src/test/node} does the checks; its dependencies come from npm on first use.
 */
class NatsJsClientTest {
    private static final Path PROJECT = Path.of("src/test/node");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void jetStreamKvAndObjectStoreFromNode(String storage) throws Exception {
        installDependencies();
        Broker broker = Broker.builder().port(0).jetStream(JetStreamConfig.storeDir(dir).build()).build().start();
        try {
            Run r = run(List.of("node", "jetstream.test.mjs", String.valueOf(broker.port()), storage), 120);
            assertThat(r.exit).as(r.output).isZero();
            assertThat(r.output).contains("ok");
        } finally {
            broker.shutdown();
        }
    }

    private static void installDependencies() throws Exception {
        if (Files.isDirectory(PROJECT.resolve("node_modules/@nats-io/jetstream"))) {
            return;
        }
        Run r = run(List.of("npm", Files.exists(PROJECT.resolve("package-lock.json")) ? "ci" : "install", "--no-audit",
                "--no-fund"), 300);
        assertThat(r.exit).as(r.output).isZero();
    }

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true).start();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Run(-1, "timed out: " + new String(out, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
