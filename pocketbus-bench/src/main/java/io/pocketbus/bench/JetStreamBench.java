package io.pocketbus.bench;

import io.nats.client.Connection;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * JetStream side by side on file storage: Debian's nats-server ({@code -js -sd DIR}) and Pocketbus's broker
 * ({@code pocketbus broker --jetstream --store DIR [--sync always]}) run the same loads, interleaved, for
 * several rounds; the table gives medians and the Pocketbus / nats-server ratio, per sync mode.
 *
 * <p>nats-server 2.9.10 has no {@code sync_interval} option (it arrived in 2.10), so it cannot fsync before
 * each ack: in the "sync always" rows it runs its default (fsync every 2 minutes) and only Pocketbus syncs.
 *
 * <p>Usage: {@code bench/run-jetstream-bench [--rounds N] [--scale F] [--restart-msgs N] [--modes default,always]}.
 */
public final class JetStreamBench {
    private static final int OBJECT_BYTES = 64 * 1024 * 1024;

    /**
     * A restart is timed in a JVM with the load JVM's heap but not pre-touched: touching 2 GiB up front takes
     * seconds and would time page zeroing, not the recovery of the stream.
     */
    private static final List<String> RESTART_JVM = List.of("-Xms2g", "-Xmx2g");

    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final Path jar;

    private JetStreamBench(Path jar) {
        this.jar = jar;
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("pocketbus/target/pocketbus.jar");
        int rounds = 3;
        double scale = 1.0;
        long restartMsgs = 1_000_000;
        List<String> modes = List.of("default", "always");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--scale" -> scale = Double.parseDouble(args[++i]);
                case "--restart-msgs" -> restartMsgs = Long.parseLong(args[++i]);
                case "--modes" -> modes = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw package -DskipTests");
        }
        JetStreamBench bench = new JetStreamBench(jar);
        for (String mode : modes) {
            if (!mode.equals("default") && !mode.equals("always")) {
                throw new IllegalArgumentException("--modes takes default and/or always, not " + mode);
            }
            bench.runLoads(mode, rounds, scale);
            if (restartMsgs > 0) {
                bench.runRestart(mode, rounds, restartMsgs);
            }
        }
        bench.print();
    }

    private void runLoads(String mode, int rounds, double scale) throws Exception {
        Path natsDir = Files.createTempDirectory("bench-js-nats");
        Path ourDir = Files.createTempDirectory("bench-js-pocketbus");
        try (ServerProcess nats = nats(natsDir); ServerProcess pocketbus = pocketbus(ourDir, mode, BrokerBench.BROKER_JVM)) {
            ServerProcess[] order = {nats, pocketbus};
            for (int round = 0; round < rounds; round++) {
                for (int side = 0; side < 2; side++) {
                    // alternate which server goes first, so neither always runs on a warmer machine
                    measure(order[(round + side) % 2], mode, scale, round == 0);
                }
                System.err.printf("%s sync: round %d of %d done%n", mode, round + 1, rounds);
            }
        } finally {
            delete(natsDir);
            delete(ourDir);
        }
    }

    private void measure(ServerProcess server, String mode, double scale, boolean warmUp) throws Exception {
        String url = server.url();
        if (warmUp) {
            // Every load once, smaller, on both servers: the first measured round must not time the JIT
            // compiling the consumer and KV paths (nats-server has nothing to warm, so this only evens out).
            JetStreamLoad.asyncPublish(url, (long) (scale * 20_000), 1_000);
            JetStreamLoad.syncPublish(url, (long) (scale * 1_000));
            JetStreamLoad.pullConsume(url, (long) (scale * 20_000));
            JetStreamLoad.keyValue(url, (long) (scale * 2_000));
        }
        long syncCount = (long) (scale * 5_000);
        record(mode, "synchronous publish, 128 B", server, JetStreamLoad.syncPublish(url, syncCount), "msgs/s");
        record(mode, "async publish, 1,000 in flight, 128 B", server,
                JetStreamLoad.asyncPublish(url, (long) (scale * 100_000), 1_000), "msgs/s");
        record(mode, "pull consume, explicit acks, batch 100", server,
                JetStreamLoad.pullConsume(url, (long) (scale * 50_000)), "msgs/s");
        double[] kv = JetStreamLoad.keyValue(url, (long) (scale * 5_000));
        record(mode, "KV put, 128 B", server, kv[0], "ops/s");
        record(mode, "KV get", server, kv[1], "ops/s");
        double[] object = JetStreamLoad.object(url, OBJECT_BYTES);
        record(mode, "object put, 64 MiB", server, object[0], "MiB/s");
        record(mode, "object get, 64 MiB", server, object[1], "MiB/s");
    }

    /** Fills one stream per server, then restarts each server in turn and times until the stream answers whole. */
    private void runRestart(String mode, int rounds, long count) throws Exception {
        Path natsDir = Files.createTempDirectory("bench-js-nats");
        Path ourDir = Files.createTempDirectory("bench-js-pocketbus");
        try {
            fillForRestart(nats(natsDir), count);
            fillForRestart(pocketbus(ourDir, mode, BrokerBench.BROKER_JVM), count);
            for (int round = 0; round < rounds; round++) {
                for (int side = 0; side < 2; side++) {
                    boolean ours = (round + side) % 2 == 1;
                    long start = System.nanoTime();
                    try (ServerProcess server = ours ? pocketbus(ourDir, mode, RESTART_JVM) : nats(natsDir)) {
                        awaitStream(server, count);
                        String shape = String.format(Locale.ROOT, "restart, %,d-message stream", count);
                        record(mode, shape, server, (System.nanoTime() - start) / 1e6, "ms");
                    }
                }
            }
        } finally {
            delete(natsDir);
            delete(ourDir);
        }
    }

    private static void fillForRestart(ServerProcess server, long count) throws Exception {
        try (server; Connection nc = JetStreamLoad.connect(server.url())) {
            JetStreamLoad.createStream(nc, "restart");
            JetStreamLoad.fill(nc, "restart.x", count, 1_000, 16);
        }
    }

    private static void awaitStream(ServerProcess server, long count) throws Exception {
        try (Connection nc = JetStreamLoad.connect(server.url())) {
            while (true) {
                try {
                    StreamInfo info = nc.jetStreamManagement().getStreamInfo("restart");
                    if (info.getStreamState().getMsgCount() == count) {
                        return;
                    }
                    throw new IllegalStateException("restarted " + server.name() + " has "
                            + info.getStreamState().getMsgCount() + " of " + count + " messages");
                } catch (io.nats.client.JetStreamApiException | java.io.IOException notReady) {
                    ServerProcess.pause();
                }
            }
        }
    }

    private ServerProcess nats(Path dir) {
        return ServerProcess.natsServer(List.of("-js", "-sd", dir.toString()));
    }

    private ServerProcess pocketbus(Path dir, String mode, List<String> jvm) {
        List<String> args = new ArrayList<>(List.of("--jetstream", "--store", dir.toString()));
        if (mode.equals("always")) {
            args.addAll(List.of("--sync", "always"));
        }
        return ServerProcess.pocketbusBroker(jar, jvm, args);
    }

    private void record(String mode, String load, ServerProcess server, double value, String unit) {
        Row row = rows.computeIfAbsent(mode + "|" + load, k -> new Row(mode, load, unit));
        (server.name().equals("nats-server") ? row.anchor : row.ours).add(value);
        System.err.printf(Locale.ROOT, "%-8s %-42s %-11s %,14.1f %s%n", mode, load, server.name(), value, unit);
    }

    private void print() {
        System.out.println("| sync | load | nats-server | Pocketbus | unit | Pocketbus / nats-server |");
        System.out.println("|---|---|---:|---:|---|---:|");
        for (Row row : rows.values()) {
            double anchor = BrokerBench.median(row.anchor, Double::doubleValue);
            double ours = BrokerBench.median(row.ours, Double::doubleValue);
            // for times lower is better: the ratio stays "above 1.0 means Pocketbus is better"
            double ratio = row.unit.equals("ms") ? anchor / ours : ours / anchor;
            String mode = row.mode.equals("always") ? "always (nats-server: default)" : "default";
            System.out.printf(Locale.ROOT, "| %s | %s | %,.1f | %,.1f | %s | %.2f |%n", mode, row.load, anchor, ours,
                    row.unit, ratio);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Row(String mode, String load, String unit, List<Double> anchor, List<Double> ours) {
        Row(String mode, String load, String unit) {
            this(mode, load, unit, new ArrayList<>(), new ArrayList<>());
        }
    }
}
