package io.pocketbus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The records API over HTTP on loopback, side by side with {@link BaselineServer}: create a record, view by
 * id, list 30 with a filter and sort, from 1 and from 16 concurrent clients. Also jar size, time from start
 * to the first answered request, and idle resident memory.
 *
 * <p>Usage: {@code bench/run-data-bench [--rounds N] [--ops N] [--only OP/CLIENTS,...] [--server-jvm-arg ARG]...}.
 */
public final class DataApiBench {
    private static final List<String> SERVER_JVM = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch");
    private static final String RECORDS = "/api/collections/posts/records";

    private final HttpClient http = BenchHttp.newClient();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, List<Double>> ours = new LinkedHashMap<>();
    private final Map<String, List<Double>> baseline = new LinkedHashMap<>();
    private final List<String> serverJvm = new ArrayList<>(SERVER_JVM);
    private final List<String> only = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("pocketbus/target/pocketbus.jar");
        int rounds = 3;
        int ops = 2000;
        DataApiBench bench = new DataApiBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--ops" -> ops = Integer.parseInt(args[++i]);
                // e.g. -XX:StartFlightRecording=filename=/tmp/%p.jfr,settings=profile to profile both servers
                case "--server-jvm-arg" -> bench.serverJvm.add(args[++i]);
                // rows to run, e.g. create/16,view/16 (all six by default)
                case "--only" -> bench.only.addAll(List.of(args[++i].split(",")));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        bench.run(jar, rounds, ops);
    }

    private void run(Path jar, int rounds, int ops) throws Exception {
        Path dir = Files.createTempDirectory("pocketbus-data-bench");
        String java = ServerProcess.javaBinary();
        BenchHttp.exec(List.of(java, "-jar", jar.toString(), "superuser", "upsert", "bench@example.com",
                "benchpassword1", "--dir", dir.resolve("pb_data").toString()));
        int pbPort = ServerProcess.freePort();
        long started = System.nanoTime();
        List<String> serve = new ArrayList<>(List.of(java));
        serve.addAll(serverJvm);
        serve.addAll(List.of("-jar", jar.toString(), "serve", "--http", "127.0.0.1:" + pbPort,
                "--dir", dir.resolve("pb_data").toString(), "--nats", "off"));
        try (ServerProcess pocketbus = ServerProcess.command("pocketbus", serve, pbPort)) {
            String pb = "http://127.0.0.1:" + pbPort;
            BenchHttp.awaitHealthy(http, pb);
            double startMillis = (System.nanoTime() - started) / 1e6;
            String token = superuserToken(pb);
            createPostsCollection(pb, token);
            int basePort = ServerProcess.freePort();
            List<String> base = new ArrayList<>(List.of(java));
            base.addAll(serverJvm);
            base.addAll(List.of("-cp", System.getProperty("java.class.path"), BaselineServer.class.getName(),
                    Integer.toString(basePort), dir.resolve("baseline.db").toString()));
            try (ServerProcess baselineServer = ServerProcess.command("baseline", base, basePort)) {
                String bl = "http://127.0.0.1:" + basePort;
                Target[] targets = {new Target(pb, true, pocketbus.pid()), new Target(bl, false, baselineServer.pid())};
                // warm-up, not recorded: every measured row once on each side, so both JITs compile their paths
                // before the first measured round (Pocketbus has more code to compile than the baseline)
                for (Target t : targets) {
                    runOp(t, "create", 1, 1000);
                    for (int clients : new int[] {1, 16}) {
                        for (String op : new String[] {"create", "view", "list"}) {
                            if (only.isEmpty() || only.contains(op + "/" + clients)) {
                                runOp(t, op, clients, ops);
                            }
                        }
                    }
                }
                for (int round = 0; round < rounds; round++) {
                    for (int side = 0; side < 2; side++) {
                        Target t = targets[(round + side) % 2];
                        for (int clients : new int[] {1, 16}) {
                            for (String op : new String[] {"create", "view", "list"}) {
                                if (!only.isEmpty() && !only.contains(op + "/" + clients)) {
                                    continue;
                                }
                                Duration cpuBefore = cpuTime(t);
                                double rate = runOp(t, op, clients, ops);
                                double cpuMicros = cpuTime(t).minus(cpuBefore).toNanos() / 1e3 / ops(clients, ops);
                                (t.pocketbus ? ours : baseline).computeIfAbsent(op + "|" + clients, k -> new ArrayList<>()).add(rate);
                                System.err.printf(Locale.ROOT, "%-9s %-6s %2d clients %,10.0f req/s %,7.0f µs server CPU/req%n",
                                        t.pocketbus ? "pocketbus" : "baseline", op, clients, rate, cpuMicros);
                            }
                        }
                    }
                }
                System.out.println("| operation | clients | baseline req/s | Pocketbus req/s | Pocketbus / baseline |");
                System.out.println("|---|---:|---:|---:|---:|");
                for (String key : ours.keySet()) {
                    double o = BrokerBench.median(ours.get(key), Double::doubleValue);
                    double b = BrokerBench.median(baseline.get(key), Double::doubleValue);
                    String[] k = key.split("\\|");
                    System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %.2f |%n", k[0], k[1], b, o, o / b);
                }
                System.out.printf(Locale.ROOT, "%njar size: %.1f MiB; start to first answered request: %.0f ms;"
                        + " idle RSS after the runs: Pocketbus %.0f MiB, baseline %.0f MiB (both with a 1 GiB pre-touched heap)%n",
                        Files.size(jar) / 1048576.0, startMillis, pocketbus.residentBytes() / 1048576.0,
                        baselineServer.residentBytes() / 1048576.0);
            }
        }
        idleMemory(jar, java);
    }

    /** Idle RSS of a freshly started server without a pre-touched heap, which is what a user sees. */
    private void idleMemory(Path jar, String java) throws Exception {
        Path dir = Files.createTempDirectory("pocketbus-idle");
        int port = ServerProcess.freePort();
        try (ServerProcess pocketbus = ServerProcess.command("pocketbus", List.of(java, "-jar", jar.toString(), "serve",
                "--http", "127.0.0.1:" + port, "--dir", dir.toString(), "--nats", "off"), port)) {
            BenchHttp.awaitHealthy(http, "http://127.0.0.1:" + port);
            Thread.sleep(2000);
            System.out.printf(Locale.ROOT, "idle RSS with default JVM settings: %.0f MiB%n", pocketbus.residentBytes() / 1048576.0);
        }
    }

    /** CPU time the server process has used so far: a per-request cost that other load on the machine distorts less. */
    private static Duration cpuTime(Target target) {
        return ProcessHandle.of(target.pid).flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO);
    }

    private static int ops(int clients, int totalOps) {
        return Math.max(1, totalOps / clients) * clients;
    }

    private double runOp(Target target, String op, int clients, int totalOps) throws Exception {
        List<String> ids = target.ids;
        int each = Math.max(1, totalOps / clients);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    try {
                        request(target, op, ids);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return each * clients * 1e9 / (System.nanoTime() - start);
    }

    private void request(Target target, String op, List<String> ids) throws IOException, InterruptedException {
        HttpRequest.Builder b;
        switch (op) {
            case "create" -> {
                String body = "{\"title\":\"post " + ThreadLocalRandom.current().nextInt() + "\",\"views\":"
                        + ThreadLocalRandom.current().nextInt(1000) + "}";
                b = HttpRequest.newBuilder(URI.create(target.base + RECORDS))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            }
            case "view" -> {
                String id;
                synchronized (ids) {
                    id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                }
                b = HttpRequest.newBuilder(URI.create(target.base + RECORDS + "/" + id)).GET();
            }
            default -> b = HttpRequest.newBuilder(URI.create(target.base + RECORDS
                    + (target.pocketbus ? "?perPage=30&sort=-created&filter=views%3E500" : "?minViews=500"))).GET();
        }
        HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(op + " answered " + response.statusCode() + ": " + response.body());
        }
        if (op.equals("create")) {
            String id = json.readTree(response.body()).path("id").asText();
            synchronized (ids) {
                ids.add(id);
            }
        }
    }

    private String superuserToken(String base) throws IOException, InterruptedException {
        JsonNode auth = BenchHttp.post(http, base + "/api/collections/_superusers/auth-with-password", null,
                "{\"identity\":\"bench@example.com\",\"password\":\"benchpassword1\"}");
        return auth.path("token").asText();
    }

    private void createPostsCollection(String base, String token) throws IOException, InterruptedException {
        BenchHttp.post(http, base + "/api/collections", token, """
                {"name":"posts","type":"base","listRule":"","viewRule":"","createRule":"","fields":[
                 {"name":"title","type":"text"},{"name":"views","type":"number"},
                 {"name":"created","type":"autodate","onCreate":true},
                 {"name":"updated","type":"autodate","onCreate":true,"onUpdate":true}]}""");
    }

    private record Target(String base, boolean pocketbus, long pid, List<String> ids) {
        Target(String base, boolean pocketbus, long pid) {
            this(base, pocketbus, pid, new ArrayList<>());
        }
    }
}
