package io.pocketbus.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A server under test, run as its own process on 127.0.0.1 so both sides are measured alike. */
public final class ServerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final int port;

    private ServerProcess(String name, List<String> command, int port, Path log) {
        this.name = name;
        this.port = port;
        try {
            this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
        awaitPort(Duration.ofSeconds(60), log);
    }

    /** Debian's nats-server, the anchor. */
    public static ServerProcess natsServer(List<String> extraArgs) {
        return natsServer("nats-server", extraArgs);
    }

    /** The nats-server at {@code binary}, named "nats-server" in the tables like the default anchor. */
    public static ServerProcess natsServer(String binary, List<String> extraArgs) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(binary, "-a", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(extraArgs);
        return new ServerProcess("nats-server", command, port, logFile("nats-server"));
    }

    /** Any command that listens on {@code port} once ready. */
    public static ServerProcess command(String name, List<String> command, int port) {
        return new ServerProcess(name, command, port, logFile(name));
    }

    /** The {@code java} that runs this benchmark, for the JVMs it starts. */
    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Pocketbus's broker alone, from the distribution jar, in a JVM given {@code jvmArgs}. */
    public static ServerProcess pocketbusBroker(Path jar, List<String> jvmArgs, List<String> extraArgs) {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString(), "broker", "--addr", "127.0.0.1", "--port", Integer.toString(port)));
        command.addAll(extraArgs);
        return new ServerProcess("pocketbus", command, port, logFile("pocketbus"));
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** Resident set size of the server process, from /proc. */
    public long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS for " + name);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitPort(Duration timeout, Path log) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited: " + readQuietly(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                // A pause, not a spin: on a small machine a spinning bench steals the CPU the server starts on.
                pause();
            }
        }
        close();
        throw new IllegalStateException(name + " did not listen on " + port + ": " + readQuietly(log));
    }

    static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String readQuietly(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static Path logFile(String name) {
        try {
            Path file = Files.createTempFile("bench-" + name, ".log");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
