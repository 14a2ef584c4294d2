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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * JetStream side by side on file storage: Debian's nats-server ({@code -js -sd DIR}) and Pocketbus's broker
 * ({@code pocketbus broker --jetstream --store DIR [--sync always]}) run the same loads, interleaved, for
 * several rounds; the table gives medians and the Pocketbus / nats-server ratio, per sync mode.
 *
 * <p>The "sync always" rows need an anchor that also syncs before every ack. Debian 12's nats-server 2.9.10 has
 * no such option ({@code sync_interval: always} arrived in 2.10), so those rows run Debian 13's nats-server 2.10
 * ({@code bench/nats-server-sync-always} fetches it; {@code --nats-sync-always PATH} names another) with
 * {@code jetstream { sync_interval: always }}, which opens its block files with {@code O_SYNC}.
 *
 * <p>Beside each rate the table gives the server's CPU time per operation (utime + stime from
 * {@code /proc/<pid>/stat} over the measured part): on a machine shared with other work it moves less
 * than the rate does.
 *
 * <p>Usage: {@code bench/run-jetstream-bench [--rounds N] [--scale F] [--restart-msgs N] [--modes default,always]
 * [--only sync,async,pull,kv,object] [--warm-up F] [--pocketbus-jvm-arg ARG]... [--nats-sync-always PATH]};
 * {@code --warm-up} scales the
 * warm-up loads apart from the measured ones (by default both follow {@code --scale}: at small scales the JIT may
 * still be compiling in the measured rounds), {@code --pocketbus-jvm-arg} adds an option to the Pocketbus JVM
 * (a JFR recording, say).
 */
public final class JetStreamBench {
    private static final int OBJECT_BYTES = 64 * 1024 * 1024;
    private static final List<String> LOADS = List.of("sync", "async", "pull", "kv", "object");
    /** Linux's USER_HZ: /proc times are in these ticks. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /**
     * A restart is timed in a JVM with the load JVM's heap but not pre-touched: touching 2 GiB up front takes
     * seconds and would time page zeroing, not the recovery of the stream.
     */
    private static final List<String> RESTART_JVM = List.of("-Xms2g", "-Xmx2g");

    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final Path jar;
    private final Set<String> loads;
    private final List<String> pocketbusJvm;
    private final double warmUp;
    private final String natsSyncAlways;

    private JetStreamBench(Path jar, Set<String> loads, List<String> pocketbusJvm, double warmUp, String natsSyncAlways) {
        this.jar = jar;
        this.loads = loads;
        this.pocketbusJvm = pocketbusJvm;
        this.warmUp = warmUp;
        this.natsSyncAlways = natsSyncAlways;
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("pocketbus/target/pocketbus.jar");
        int rounds = 3;
        double scale = 1.0;
        long restartMsgs = 1_000_000;
        List<String> modes = List.of("default", "always");
        Set<String> loads = new LinkedHashSet<>(LOADS);
        List<String> pocketbusJvm = new ArrayList<>(BrokerBench.BROKER_JVM);
        double warmUpScale = Double.NaN;
        String natsSyncAlways = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--scale" -> scale = Double.parseDouble(args[++i]);
                case "--restart-msgs" -> restartMsgs = Long.parseLong(args[++i]);
                case "--modes" -> modes = List.of(args[++i].split(","));
                case "--only" -> loads = new LinkedHashSet<>(List.of(args[++i].split(",")));
                case "--pocketbus-jvm-arg" -> pocketbusJvm.add(args[++i]);
                case "--warm-up" -> warmUpScale = Double.parseDouble(args[++i]);
                case "--nats-sync-always" -> natsSyncAlways = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw package -DskipTests");
        }
        if (!LOADS.containsAll(loads)) {
            throw new IllegalArgumentException("--only takes some of " + LOADS + ", not " + loads);
        }
        for (String mode : modes) {
            if (!mode.equals("default") && !mode.equals("always")) {
                throw new IllegalArgumentException("--modes takes default and/or always, not " + mode);
            }
        }
        if (modes.contains("always") && natsSyncAlways.isEmpty()) {
            throw new IllegalArgumentException("sync always needs --nats-sync-always PATH (see bench/nats-server-sync-always)");
        }
        JetStreamBench bench = new JetStreamBench(jar, loads, List.copyOf(pocketbusJvm),
                Double.isNaN(warmUpScale) ? scale : warmUpScale, natsSyncAlways);
        for (String mode : modes) {
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
        try (ServerProcess nats = nats(natsDir, mode); ServerProcess pocketbus = pocketbus(ourDir, mode, pocketbusJvm)) {
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

    private void measure(ServerProcess server, String mode, double scale, boolean firstRound) throws Exception {
        String url = server.url();
        if (firstRound) {
            // Every load once, smaller, on both servers: the first measured round must not time the JIT
            // compiling the consumer and KV paths (nats-server has nothing to warm, so this only evens out).
            JetStreamLoad.asyncPublish(url, (long) (warmUp * 20_000), 1_000, JetStreamLoad.Meter.NONE);
            JetStreamLoad.syncPublish(url, (long) (warmUp * 1_000), JetStreamLoad.Meter.NONE);
            JetStreamLoad.pullConsume(url, (long) (warmUp * 20_000), JetStreamLoad.Meter.NONE);
            JetStreamLoad.keyValue(url, (long) (warmUp * 2_000), JetStreamLoad.Meter.NONE);
        }
        ServerCpu cpu = new ServerCpu(server);
        if (loads.contains("sync")) {
            long n = (long) (scale * 5_000);
            double rate = JetStreamLoad.syncPublish(url, n, cpu);
            record(mode, "synchronous publish, 128 B", server, rate, "msgs/s", cpu.perOp(0, n));
        }
        if (loads.contains("async")) {
            long n = (long) (scale * 100_000);
            double rate = JetStreamLoad.asyncPublish(url, n, 1_000, cpu);
            record(mode, "async publish, 1,000 in flight, 128 B", server, rate, "msgs/s", cpu.perOp(0, n));
        }
        if (loads.contains("pull")) {
            long n = (long) (scale * 50_000);
            double rate = JetStreamLoad.pullConsume(url, n, cpu);
            record(mode, "pull consume, explicit acks, batch 100", server, rate, "msgs/s", cpu.perOp(0, n));
        }
        if (loads.contains("kv")) {
            long n = (long) (scale * 5_000);
            double[] kv = JetStreamLoad.keyValue(url, n, cpu);
            record(mode, "KV put, 128 B", server, kv[0], "ops/s", cpu.perOp(0, n));
            record(mode, "KV get", server, kv[1], "ops/s", cpu.perOp(1, n));
        }
        if (loads.contains("object")) {
            double[] object = JetStreamLoad.object(url, OBJECT_BYTES, cpu);
            long mib = OBJECT_BYTES / (1024 * 1024);
            record(mode, "object put, 64 MiB", server, object[0], "MiB/s", cpu.perOp(0, mib));
            record(mode, "object get, 64 MiB", server, object[1], "MiB/s", cpu.perOp(1, mib));
        }
    }

    /** The server's CPU time over each measured phase of one load; read back per operation. */
    private static final class ServerCpu implements JetStreamLoad.Meter {
        private final ServerProcess server;
        private final List<Long> phases = new ArrayList<>();
        private long startTicks;

        ServerCpu(ServerProcess server) {
            this.server = server;
        }

        @Override
        public void start() {
            startTicks = ticks();
        }

        @Override
        public void stop() {
            phases.add(ticks() - startTicks);
        }

        /** Microseconds of server CPU per operation in phase {@code index} of the load just run; clears after the last. */
        double perOp(int index, long ops) {
            double micros = phases.get(index) * 1e6 / CLOCK_TICKS_PER_SECOND / ops;
            if (index == phases.size() - 1) {
                phases.clear();
            }
            return micros;
        }

        private long ticks() {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(server.pid()), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Fills one stream per server, then restarts each server in turn and times until the stream answers whole. */
    private void runRestart(String mode, int rounds, long count) throws Exception {
        Path natsDir = Files.createTempDirectory("bench-js-nats");
        Path ourDir = Files.createTempDirectory("bench-js-pocketbus");
        try {
            fillForRestart(nats(natsDir, mode), count);
            fillForRestart(pocketbus(ourDir, mode, pocketbusJvm), count);
            for (int round = 0; round < rounds; round++) {
                for (int side = 0; side < 2; side++) {
                    boolean ours = (round + side) % 2 == 1;
                    long start = System.nanoTime();
                    try (ServerProcess server = ours ? pocketbus(ourDir, mode, RESTART_JVM) : nats(natsDir, mode)) {
                        awaitStream(server, count);
                        String shape = String.format(Locale.ROOT, "restart, %,d-message stream", count);
                        record(mode, shape, server, (System.nanoTime() - start) / 1e6, "ms", Double.NaN);
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

    private ServerProcess nats(Path dir, String mode) throws IOException {
        if (!mode.equals("always")) {
            return ServerProcess.natsServer(List.of("-js", "-sd", dir.toString()));
        }
        Path config = dir.resolve("sync-always.conf");
        Files.writeString(config, "jetstream {\n  store_dir: \"" + dir.resolve("store") + "\"\n  sync_interval: always\n}\n");
        return ServerProcess.natsServer(natsSyncAlways, List.of("-c", config.toString()));
    }

    private ServerProcess pocketbus(Path dir, String mode, List<String> jvm) {
        List<String> args = new ArrayList<>(List.of("--jetstream", "--store", dir.toString()));
        if (mode.equals("always")) {
            args.addAll(List.of("--sync", "always"));
        }
        return ServerProcess.pocketbusBroker(jar, jvm, args);
    }

    private void record(String mode, String load, ServerProcess server, double value, String unit, double cpuMicros) {
        Row row = rows.computeIfAbsent(mode + "|" + load, k -> new Row(mode, load, unit));
        boolean anchor = server.name().equals("nats-server");
        (anchor ? row.anchor : row.ours).add(value);
        (anchor ? row.anchorCpu : row.ourCpu).add(cpuMicros);
        System.err.printf(Locale.ROOT, "%-8s %-42s %-11s %,14.1f %s  server CPU %,.1f µs/op%n", mode, load, server.name(),
                value, unit, cpuMicros);
    }

    private void print() {
        System.out.println("| sync | load | nats-server | Pocketbus | unit | Pocketbus / nats-server"
                + " | server CPU µs/op nats-server | Pocketbus |");
        System.out.println("|---|---|---:|---:|---|---:|---:|---:|");
        for (Row row : rows.values()) {
            double anchor = BrokerBench.median(row.anchor, Double::doubleValue);
            double ours = BrokerBench.median(row.ours, Double::doubleValue);
            // for times lower is better: the ratio stays "above 1.0 means Pocketbus is better"
            double ratio = row.unit.equals("ms") ? anchor / ours : ours / anchor;
            String mode = row.mode.equals("always") ? "always (nats-server 2.10)" : "default";
            System.out.printf(Locale.ROOT, "| %s | %s | %,.1f | %,.1f | %s | %.2f | %s | %s |%n", mode, row.load, anchor, ours,
                    row.unit, ratio, cpu(row.anchorCpu), cpu(row.ourCpu));
        }
    }

    private static String cpu(List<Double> micros) {
        double median = BrokerBench.median(micros, Double::doubleValue);
        return Double.isNaN(median) ? "" : String.format(Locale.ROOT, "%,.1f", median);
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

    private record Row(String mode, String load, String unit, List<Double> anchor, List<Double> ours,
            List<Double> anchorCpu, List<Double> ourCpu) {
        Row(String mode, String load, String unit) {
            this(mode, load, unit, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }
    }
}
