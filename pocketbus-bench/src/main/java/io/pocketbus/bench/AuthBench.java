package io.pocketbus.bench;

import io.pocketbus.tools.security.Passwords;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * App-user auth over HTTP on loopback: {@code auth-with-password} and {@code auth-refresh} on the default
 * {@code users} collection, from 1 and from 16 concurrent clients (each its own user), against the
 * distribution jar's {@code serve} in its own JVM. Reports throughput, p50/p99 latency, the server's CPU time
 * per request and the share of it spent in bcrypt.
 *
 * <p>bcrypt share: one password login does exactly one bcrypt verification at the stored hash's cost
 * ({@link Passwords#DEFAULT_COST}, as PocketBase). The CPU time of one verification is measured in this JVM
 * (same library and cost, warmed up, per-thread CPU time so other load on the machine does not count); the
 * server's CPU time over a run is read from {@code /proc/<pid>/stat}. Share = requests × verification CPU /
 * server CPU. CPU time rather than wall time, so the result holds on a shared, busy machine.
 *
 * <p>Usage: {@code bench/run-auth-bench [--rounds N] [--password-ops N] [--refresh-ops N]}.
 */
public final class AuthBench {
    private static final List<String> SERVER_JVM = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch");
    private static final String USERS = "/api/collections/users";
    private static final String PASSWORD = "benchpassword1";
    private static final int MAX_CLIENTS = 16;

    private final HttpClient http = BenchHttp.newClient();
    private final Map<String, Series> results = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("pocketbus/target/pocketbus.jar");
        int rounds = 3;
        int passwordOps = 96;
        int refreshOps = 1600;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--password-ops" -> passwordOps = Integer.parseInt(args[++i]);
                case "--refresh-ops" -> refreshOps = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        new AuthBench().run(jar, rounds, passwordOps, refreshOps);
    }

    private void run(Path jar, int rounds, int passwordOps, int refreshOps) throws Exception {
        Path dir = Files.createTempDirectory("pocketbus-auth-bench").resolve("pb_data");
        String java = ServerProcess.javaBinary();
        BenchHttp.exec(List.of(java, "-jar", jar.toString(), "superuser", "upsert", "bench@example.com", PASSWORD,
                "--dir", dir.toString()));
        int port = ServerProcess.freePort();
        List<String> serve = new ArrayList<>(List.of(java));
        serve.addAll(SERVER_JVM);
        serve.addAll(List.of("-jar", jar.toString(), "serve", "--http", "127.0.0.1:" + port, "--dir", dir.toString()));
        if (serveHasNatsOption(java, jar)) {
            serve.addAll(List.of("--nats", "off"));
        }
        try (ServerProcess pocketbus = ServerProcess.command("pocketbus", serve, port)) {
            String base = "http://127.0.0.1:" + port;
            BenchHttp.awaitHealthy(http, base);
            String superuser = BenchHttp.post(http, base + "/api/collections/_superusers/auth-with-password", null,
                    "{\"identity\":\"bench@example.com\",\"password\":\"" + PASSWORD + "\"}").path("token").asText();
            List<String> emails = new ArrayList<>();
            for (int i = 0; i < MAX_CLIENTS; i++) {
                String email = "user" + i + "@example.com";
                BenchHttp.post(http, base + USERS + "/records", superuser, "{\"email\":\"" + email
                        + "\",\"password\":\"" + PASSWORD + "\",\"passwordConfirm\":\"" + PASSWORD + "\",\"verified\":true}");
                emails.add(email);
            }
            String[] tokens = new String[MAX_CLIENTS];
            for (int i = 0; i < MAX_CLIENTS; i++) {
                tokens[i] = login(base, emails.get(i));
            }
            // warm-up of both paths on the server (JIT) before anything is measured
            runOp(pocketbus, base, "password", 4, passwordOps / 2, emails, tokens);
            runOp(pocketbus, base, "refresh", 4, refreshOps, emails, tokens);
            for (int round = 0; round < rounds; round++) {
                for (int clients : new int[] {1, MAX_CLIENTS}) {
                    for (String op : new String[] {"password", "refresh"}) {
                        Run r = runOp(pocketbus, base, op, clients, op.equals("password") ? passwordOps : refreshOps,
                                emails, tokens);
                        results.computeIfAbsent(op + "|" + clients, k -> new Series()).add(r);
                        System.err.printf(Locale.ROOT, "auth-%-8s %2d clients %,8.1f req/s%n",
                                op.equals("password") ? "password" : "refresh", clients, r.rate());
                    }
                }
            }
        }
        double bcryptCpuMillis = bcryptVerifyCpuMillis();
        System.out.printf(Locale.ROOT, "bcrypt cost %d: %.1f ms CPU per verification (median of 40, this JVM)%n%n",
                Passwords.DEFAULT_COST, bcryptCpuMillis);
        System.out.println("| operation | clients | req/s | p50 ms | p99 ms | server CPU ms/req | bcrypt share of server CPU |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, Series> e : results.entrySet()) {
            String[] k = e.getKey().split("\\|");
            boolean password = k[0].equals("password");
            Series s = e.getValue();
            double cpuPerRequest = s.serverCpuMillisPerRequest();
            System.out.printf(Locale.ROOT, "| auth-%s | %s | %,.1f | %.1f | %.1f | %.2f | %s |%n",
                    password ? "with-password" : "refresh", k[1], s.medianRate(), s.percentileMillis(0.50),
                    s.percentileMillis(0.99), cpuPerRequest,
                    password ? String.format(Locale.ROOT, "%.0f %%", Math.min(100, 100 * bcryptCpuMillis / cpuPerRequest))
                            : "0 % (no bcrypt)");
        }
    }

    /** {@code serve --nats off} exists once the broker runs beside the HTTP API; older jars do not know it. */
    private static boolean serveHasNatsOption(String java, Path jar) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java, "-jar", jar.toString(), "serve", "--help").redirectErrorStream(true).start();
        String help = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return help.contains("--nats");
    }

    private Run runOp(ServerProcess server, String base, String op, int clients, int totalOps, List<String> emails,
            String[] tokens) throws Exception {
        int each = Math.max(1, totalOps / clients);
        long[][] latencies = new long[clients][each];
        List<Thread> threads = new ArrayList<>();
        long cpuBefore = server.cpuNanos();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    long t0 = System.nanoTime();
                    try {
                        if (op.equals("password")) {
                            login(base, emails.get(client));
                        } else {
                            tokens[client] = refresh(base, tokens[client]);
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    latencies[client][i] = System.nanoTime() - t0;
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        long elapsed = System.nanoTime() - start;
        long cpuNanos = server.cpuNanos() - cpuBefore;
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).toArray();
        return new Run(all, each * clients * 1e9 / elapsed, cpuNanos / 1e6);
    }

    private String login(String base, String email) throws IOException, InterruptedException {
        return BenchHttp.post(http, base + USERS + "/auth-with-password", null,
                "{\"identity\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}").path("token").asText();
    }

    private String refresh(String base, String token) throws IOException, InterruptedException {
        return BenchHttp.post(http, base + USERS + "/auth-refresh", token, "").path("token").asText();
    }

    private static double bcryptVerifyCpuMillis() {
        String hash = Passwords.hash(PASSWORD);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20; i++) {
            Passwords.verify(PASSWORD, hash);
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long t0 = threads.getCurrentThreadCpuTime();
            if (!Passwords.verify(PASSWORD, hash)) {
                throw new IllegalStateException("bcrypt verification failed");
            }
            millis.add((threads.getCurrentThreadCpuTime() - t0) / 1e6);
        }
        return BrokerBench.median(millis, Double::doubleValue);
    }

    private record Run(long[] latencyNanos, double rate, double serverCpuMillis) {
    }

    /** The rounds of one operation and client count: median rate, pooled latencies, summed CPU. */
    private static final class Series {
        private final List<Run> runs = new ArrayList<>();

        void add(Run run) {
            runs.add(run);
        }

        double medianRate() {
            return BrokerBench.median(runs, Run::rate);
        }

        double percentileMillis(double p) {
            long[] all = runs.stream().flatMapToLong(r -> Arrays.stream(r.latencyNanos())).sorted().toArray();
            return all[(int) Math.min(all.length - 1, Math.ceil(p * all.length) - 1)] / 1e6;
        }

        double serverCpuMillisPerRequest() {
            double cpu = runs.stream().mapToDouble(Run::serverCpuMillis).sum();
            long requests = runs.stream().mapToLong(r -> r.latencyNanos().length).sum();
            return cpu / requests;
        }
    }
}
