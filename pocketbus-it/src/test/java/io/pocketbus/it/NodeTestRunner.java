package io.pocketbus.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one Node test file of this module ({@code src/test/node/…}) with {@code node --test}, against a server
 * the calling JUnit test started, and fails that test with node's output when node's tests fail.
 */
final class NodeTestRunner {
    private NodeTestRunner() {
    }

    /** Returns node's output, after asserting that its tests passed. */
    static String run(String script, Map<String, String> environment) throws Exception {
        Path moduleDir = Path.of("").toAbsolutePath();
        ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-reporter=spec", script)
                .directory(moduleDir.toFile())
                .redirectErrorStream(true);
        node.environment().putAll(environment);
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
        return log;
    }

    private static String read(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "failed to read the node output: " + e;
        }
    }
}
