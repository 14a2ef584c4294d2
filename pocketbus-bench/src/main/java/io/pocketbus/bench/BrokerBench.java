package io.pocketbus.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Core messaging side by side: Debian's nats-server and Pocketbus's broker run the same loads, interleaved,
 * for several rounds; the table gives medians and the Pocketbus / nats-server ratio.
 *
 * <p>Usage: {@code bench/run-broker-bench [--rounds N] [--scale F] [--idle N] [--only request-reply]
 * [--pocketbus-jvm-arg ARG]...}; {@code --pocketbus-jvm-arg} adds an option to the Pocketbus JVM (a JFR
 * recording, say).
 */
public final class BrokerBench {
    /** The broker's JVM gets a fixed, pre-touched heap, as the load JVM does (see the bench script). */
    static final List<String> BROKER_JVM = List.of("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch");
    /**
     * Requests per request/reply measurement (all requesters together): with 20,000 the 8-requester run lasted
     * about a second, and its p99 (the 200 slowest) swung with any one scheduling hiccup of the machine.
     */
    private static final int REQUESTS = 40_000;

    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final boolean requestReplyOnly;
    private final List<String> pocketbusJvm;

    private BrokerBench(boolean requestReplyOnly, List<String> pocketbusJvm) {
        this.requestReplyOnly = requestReplyOnly;
        this.pocketbusJvm = pocketbusJvm;
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("pocketbus/target/pocketbus.jar");
        int rounds = 3;
        double scale = 1.0;
        int idle = 10_000;
        boolean requestReplyOnly = false;
        List<String> pocketbusJvm = new ArrayList<>(BROKER_JVM);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--scale" -> scale = Double.parseDouble(args[++i]);
                case "--idle" -> idle = Integer.parseInt(args[++i]);
                case "--only" -> {
                    if (!args[++i].equals("request-reply")) {
                        throw new IllegalArgumentException("--only takes request-reply");
                    }
                    requestReplyOnly = true;
                }
                case "--pocketbus-jvm-arg" -> pocketbusJvm.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw package -DskipTests");
        }
        new BrokerBench(requestReplyOnly, pocketbusJvm).run(jar, rounds, scale, idle);
    }

    private void run(Path jar, int rounds, double scale, int idle) throws Exception {
        try (ServerProcess nats = ServerProcess.natsServer(List.of());
             ServerProcess pocketbus = ServerProcess.pocketbusBroker(jar, pocketbusJvm, List.of())) {
            ServerProcess[] order = {nats, pocketbus};
            for (ServerProcess server : order) {
                warmUp(server);
            }
            List<Load> loads = loads(scale);
            for (int round = 0; round < rounds; round++) {
                // Each load runs on both servers back to back, so both meet the same background load from the
                // rest of the machine; which goes first alternates, so neither always runs on a warmer machine.
                for (Load load : loads) {
                    for (int side = 0; side < 2; side++) {
                        load.run(order[(round + side) % 2]);
                    }
                }
                System.err.printf("round %d of %d done%n", round + 1, rounds);
            }
        }
        if (idle > 0) {
            measureIdle(jar, idle);
        }
        print();
    }

    /** Before the first round: the broker's JIT has compiled the publish, delivery and request/reply paths. */
    private static void warmUp(ServerProcess server) throws Exception {
        RawLoad.run(server.port(), Shape.ONE_TO_ONE, 128, 200_000);
        JnatsLoad.run(server.url(), Shape.ONE_TO_ONE, 128, 100_000);
        JnatsLoad.requestReply(server, 1, 5_000);
        JnatsLoad.requestReply(server, 8, 2_500);
    }

    /** One measurement on one server, recording its rows. */
    private interface Load {
        void run(ServerProcess server) throws Exception;
    }

    private List<Load> loads(double scale) {
        List<Load> loads = new ArrayList<>();
        if (!requestReplyOnly) {
            int[] sizes = {16, 128, 16 * 1024};
            for (Shape shape : Shape.values()) {
                for (int size : sizes) {
                    long count = (long) (scale * (size > 1024 ? 60_000 : 1_000_000));
                    loads.add(server -> record("raw protocol", shape.label, size, server,
                            RawLoad.run(server.port(), shape, size, count), "msgs/s"));
                }
            }
            for (Shape shape : Shape.values()) {
                for (int size : sizes) {
                    long count = (long) (scale * (size > 1024 ? 30_000 : 300_000));
                    loads.add(server -> record("jnats", shape.label, size, server,
                            JnatsLoad.run(server.url(), shape, size, count), "msgs/s"));
                }
            }
        }
        for (int requesters : new int[] {1, 8}) {
            int each = (int) (scale * REQUESTS / requesters);
            loads.add(server -> {
                JnatsLoad.Latency latency = JnatsLoad.requestReply(server, requesters, each);
                String shape = "request/reply, " + requesters + " requester" + (requesters > 1 ? "s" : "");
                record("jnats", shape + " (throughput)", 16, server, latency.perSecond(), "req/s");
                record("jnats", shape + " (p50 latency)", 16, server, latency.p50Micros(), "µs");
                record("jnats", shape + " (p99 latency)", 16, server, latency.p99Micros(), "µs");
                record("jnats", shape + " (server CPU)", 16, server, latency.serverCpuMicros(), "µs/request");
            });
        }
        return loads;
    }

    private void measureIdle(Path jar, int count) throws Exception {
        // Memory is measured on servers without a pre-touched heap: with one, the JVM's RSS would not grow
        // with the connections and the figure would flatter Pocketbus.
        try (ServerProcess nats = ServerProcess.natsServer(List.of())) {
            record("idle connections", count + " connections", 0, nats,
                    IdleConnections.bytesPerConnection(nats, count), "bytes RSS/conn");
        }
        try (ServerProcess pocketbus = ServerProcess.pocketbusBroker(jar, List.of("-Xmx2g"), List.of())) {
            record("idle connections", count + " connections", 0, pocketbus,
                    IdleConnections.bytesPerConnection(pocketbus, count), "bytes RSS/conn");
        }
    }

    private void record(String load, String shape, int size, ServerProcess server, double value, String unit) {
        Row row = rows.computeIfAbsent(load + "|" + shape + "|" + size, k -> new Row(load, shape, size, unit));
        (server.name().equals("nats-server") ? row.anchor : row.ours).add(value);
        System.err.printf(Locale.ROOT, "%-16s %-40s %6d B  %-11s %,14.1f %s%n", load, shape, size, server.name(), value, unit);
    }

    private void print() {
        System.out.println("| load | shape | payload | nats-server | Pocketbus | unit | Pocketbus / nats-server |");
        System.out.println("|---|---|---:|---:|---:|---|---:|");
        for (Row row : rows.values()) {
            double anchor = median(row.anchor, Double::doubleValue);
            double ours = median(row.ours, Double::doubleValue);
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %,.1f | %,.1f | %s | %.2f |%n", row.load, row.shape,
                    row.size == 0 ? "-" : row.size + " B", anchor, ours, row.unit, ours / anchor);
        }
    }

    static <T> double median(List<T> values, ToDoubleFunction<T> f) {
        double[] sorted = values.stream().mapToDouble(f).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private record Row(String load, String shape, int size, String unit, List<Double> anchor, List<Double> ours) {
        Row(String load, String shape, int size, String unit) {
            this(load, shape, size, unit, new ArrayList<>(), new ArrayList<>());
        }
    }
}
