package io.pocketbus.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Credentials issuance: {@code POST /api/pocketbus/projects/{id}/credentials} (a signed-in member gets a user JWT
 * and nkey seed for the project) from 1 and 16 concurrent clients, each its own member of the project's group,
 * against the distribution jar's {@code serve} in its own JVM. Reports requests/s and p50/p99 latency, the median
 * round of each, and the server's CPU time per request (which a busy, shared machine does not inflate).
 *
 * With {@code --decay N}, N more issuances follow from 1 client in blocks of {@code --ops}, each block's rate and
 * server CPU per request printed: issuance must not slow down as credentials pile up (each lives an hour).
 *
 * <p>Usage: {@code bench/run-credentials-bench [--rounds 3] [--ops 200] [--decay 0] [--heap 1g] [--server-jvm-arg ARG]...}
 */
public final class CredentialsBench {
    private static final int MAX_CLIENTS = 16;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("pocketbus/target/pocketbus.jar");
        int rounds = 3;
        int ops = 200;
        int decay = 0;
        String heap = "1g";
        List<String> serverJvm = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--ops" -> ops = Integer.parseInt(args[++i]);
                case "--decay" -> decay = Integer.parseInt(args[++i]);
                case "--heap" -> heap = args[++i];
                case "--server-jvm-arg" -> serverJvm.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        try (PocketbusServe server = PocketbusServe.start(jar, heap, serverJvm)) {
            run(server, rounds, ops, decay);
        }
    }

    private static void run(PocketbusServe server, int rounds, int ops, int decay) throws Exception {
        String su = server.superuserToken();
        // one owner with a group and a project, and members invited by the owner
        String[] tokens = new String[MAX_CLIENTS];
        String[] ids = new String[MAX_CLIENTS];
        for (int i = 0; i < MAX_CLIENTS; i++) {
            String email = "member" + i + "@example.com";
            ids[i] = server.call("POST", "/api/collections/users/records", su, "{\"email\":\"" + email
                    + "\",\"password\":\"" + PocketbusServe.PASSWORD + "\",\"passwordConfirm\":\""
                    + PocketbusServe.PASSWORD + "\",\"verified\":true}").path("id").asText();
            tokens[i] = server.call("POST", "/api/collections/users/auth-with-password", null, "{\"identity\":\"" + email
                    + "\",\"password\":\"" + PocketbusServe.PASSWORD + "\"}").path("token").asText();
        }
        String group = server.call("POST", "/api/collections/groups/records", tokens[0], "{\"name\":\"bench\",\"owner\":\""
                + ids[0] + "\"}").path("id").asText();
        for (int i = 1; i < MAX_CLIENTS; i++) {
            String invitation = server.call("POST", "/api/pocketbus/groups/" + group + "/invitations", tokens[0],
                    "{\"email\":\"member" + i + "@example.com\"}").path("id").asText();
            server.call("POST", "/api/pocketbus/invitations/" + invitation + "/accept", tokens[i], "{}");
        }
        String project = server.call("POST", "/api/collections/projects/records", tokens[0],
                "{\"name\":\"bench\",\"group\":\"" + group + "\"}").path("id").asText();
        String path = server.base() + "/api/pocketbus/projects/" + project + "/credentials";

        issue(server, path, tokens, 4, ops / 2);
        System.out.println("| clients | requests/s | p50 ms | p99 ms | server CPU ms/request |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int clients : new int[] {1, MAX_CLIENTS}) {
            List<Run> runs = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                Run run = issue(server, path, tokens, clients, ops);
                System.err.printf(Locale.ROOT, "credentials %2d clients %,8.1f req/s%n", clients, run.rate());
                runs.add(run);
            }
            runs.sort((a, b) -> Double.compare(a.rate(), b.rate()));
            Run median = runs.get(runs.size() / 2);
            System.out.printf(Locale.ROOT, "| %d | %,.1f | %.2f | %.2f | %.2f |%n", clients, median.rate(),
                    median.percentileMillis(0.50), median.percentileMillis(0.99), median.serverCpuMillis()
                            / median.sortedNanos().length);
        }
        if (decay > 0) {
            System.out.println();
            System.out.println("| issued before | requests/s | p99 ms | server CPU ms/request |");
            System.out.println("|---:|---:|---:|---:|");
            int issued = ops / 2 + 2 * rounds * ops;
            for (int done = 0; done < decay; done += ops) {
                Run run = issue(server, path, tokens, 1, ops);
                System.out.printf(Locale.ROOT, "| %,d | %,.1f | %.2f | %.2f |%n", issued + done, run.rate(),
                        run.percentileMillis(0.99), run.serverCpuMillis() / run.sortedNanos().length);
            }
        }
    }

    private static Run issue(PocketbusServe server, String path, String[] tokens, int clients, int ops)
            throws InterruptedException, IOException {
        int each = Math.max(1, ops / clients);
        long[][] latencies = new long[clients][each];
        List<Thread> threads = new ArrayList<>();
        double cpuBefore = server.cpuMillis();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            HttpRequest request = HttpRequest.newBuilder(URI.create(path)).header("Authorization", tokens[client])
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = server.http().send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200 || !r.body().contains("\"seed\"")) {
                            throw new IllegalStateException("credentials answered " + r.statusCode() + ": " + r.body());
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
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        return new Run(all, all.length * 1e9 / elapsed, server.cpuMillis() - cpuBefore);
    }

    private record Run(long[] sortedNanos, double rate, double serverCpuMillis) {
        double percentileMillis(double p) {
            return sortedNanos[(int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1)] / 1e6;
        }
    }
}
