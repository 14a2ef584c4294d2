package io.pocketbus.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Debian's {@code nats-server}, started by a test on a random loopback port and stopped with it. */
final class NatsServerProcess implements AutoCloseable {
    static final Path EXECUTABLE = Path.of("/usr/sbin/nats-server");
    private static final Pattern LISTENING = Pattern.compile("Listening for client connections on ([0-9.]+:\\d+)");

    private final Process process;
    private final String url;

    private NatsServerProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    static boolean installed() {
        return Files.isExecutable(EXECUTABLE);
    }

    /** Starts {@code nats-server -a 127.0.0.1 -p -1} and waits until it listens. */
    static NatsServerProcess start() throws Exception {
        Process p = new ProcessBuilder(EXECUTABLE.toString(), "-a", "127.0.0.1", "-p", "-1")
                .redirectErrorStream(true).start();
        CompletableFuture<String> address = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            StringBuilder log = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    log.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        address.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                address.completeExceptionally(e);
            }
            address.completeExceptionally(new IllegalStateException("nats-server exited:\n" + log));
        });
        try {
            return new NatsServerProcess(p, "nats://" + address.get(30, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroy();
            throw e;
        }
    }

    /** {@code nats://127.0.0.1:<port>} */
    String url() {
        return url;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
