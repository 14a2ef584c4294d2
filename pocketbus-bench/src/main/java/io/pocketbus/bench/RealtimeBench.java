package io.pocketbus.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;

/**
 * Realtime fan-out: {@code N} SSE subscribers (PocketBase's protocol, as the SDK speaks it: {@code GET
 * /api/realtime}, then {@code POST /api/realtime} with {@code ticks/*}) on one public collection, while records are
 * created at a steady rate. Per rate: the delivery latency (from just before the create request is sent to the
 * subscriber reading the event) p50/p99 over every delivery, and the events lost. The highest rate of the ladder
 * with nothing lost is reported. The server is the distribution jar's {@code serve} in its own JVM.
 *
 * <p>Usage: {@code bench/run-realtime-bench [--subscribers 1000] [--rates 10,20,50,100,200] [--seconds 5]
 * [--heap 1g] [--server-jvm-arg ARG]...}
 */
public final class RealtimeBench {
    private static final String COLLECTION = "ticks";

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("pocketbus/target/pocketbus.jar");
        int subscribers = 1000;
        int[] rates = {10, 20, 50, 100, 200};
        int seconds = 5;
        String heap = "1g";
        List<String> serverJvm = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--subscribers" -> subscribers = Integer.parseInt(args[++i]);
                case "--rates" -> rates = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--heap" -> heap = args[++i];
                case "--server-jvm-arg" -> serverJvm.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        try (PocketbusServe server = PocketbusServe.start(jar, heap, serverJvm)) {
            new RealtimeBench().run(server, subscribers, rates, seconds);
        }
    }

    private void run(PocketbusServe server, int subscriberCount, int[] rates, int seconds) throws Exception {
        server.call("POST", "/api/collections", server.superuserToken(), "{\"name\":\"" + COLLECTION
                + "\",\"type\":\"base\",\"listRule\":\"\",\"viewRule\":\"\",\"createRule\":\"\",\"fields\":["
                + "{\"name\":\"seq\",\"type\":\"number\"},{\"name\":\"round\",\"type\":\"number\"},"
                + "{\"name\":\"payload\",\"type\":\"text\"}]}");
        HttpClient sse = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Subscriber> subscribers = new ArrayList<>();
        Semaphore connecting = new Semaphore(32);
        List<CompletableFuture<Subscriber>> opening = new ArrayList<>();
        ExecutorService openers = Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < subscriberCount; i++) {
            opening.add(CompletableFuture.supplyAsync(() -> {
                connecting.acquireUninterruptibly();
                try {
                    return Subscriber.open(server, sse);
                } finally {
                    connecting.release();
                }
            }, openers));
        }
        for (CompletableFuture<Subscriber> f : opening) {
            subscribers.add(f.join());
        }
        openers.shutdown();
        System.err.printf(Locale.ROOT, "%d subscribers connected%n", subscribers.size());

        // warm-up round (JIT on both sides), not reported
        int roundNo = 0;
        round(server, subscribers, roundNo, 20, 3);
        System.out.printf(Locale.ROOT, "%nRealtime fan-out, %d SSE subscribers on %s/*, %d s per rate%n%n",
                subscribers.size(), COLLECTION, seconds);
        System.out.println("| create rate /s (target) | achieved /s | deliveries /s | p50 ms | p99 ms | max ms | lost "
                + "| server CPU µs/delivery |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
        Result best = null;
        for (int rate : rates) {
            Result res = round(server, subscribers, ++roundNo, rate, seconds);
            System.out.printf(Locale.ROOT, "| %d | %.1f | %,.0f | %.1f | %.1f | %.1f | %d | %.1f |%n", rate,
                    res.achievedRate, res.deliveryRate, res.p50, res.p99, res.max, res.lost, res.cpuMicrosPerDelivery);
            if (res.lost != 0) {
                break;
            }
            best = res;
        }
        // the achieved create rate, which falls short of the target once the create path saturates
        System.out.printf(Locale.ROOT, "%nHighest rate with no event lost: %s%n", best == null ? "none of the ladder"
                : String.format(Locale.ROOT, "%.1f records/s (%,.0f deliveries/s)", best.achievedRate, best.deliveryRate));
        subscribers.forEach(Subscriber::close);
    }

    private record Result(double achievedRate, double deliveryRate, double p50, double p99, double max, long lost,
                          double cpuMicrosPerDelivery) {
    }

    /** Creates {@code rate × seconds} records at a steady pace, then waits until every delivery arrived or stalled. */
    private Result round(PocketbusServe server, List<Subscriber> subscribers, int round, int rate, int seconds)
            throws Exception {
        int total = rate * seconds;
        AtomicLongArray sentAt = new AtomicLongArray(total);
        subscribers.forEach(s -> s.expect(round, total, sentAt));
        List<CompletableFuture<HttpResponse<String>>> creates = new ArrayList<>(total);
        String path = server.base() + "/api/collections/" + COLLECTION + "/records";
        double cpuBefore = server.cpuMillis();
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            String body = "{\"seq\":" + i + ",\"round\":" + round + ",\"payload\":\"tick " + i + "\"}";
            sentAt.set(i, System.nanoTime());
            creates.add(server.http().sendAsync(HttpRequest.newBuilder(URI.create(path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> c : creates) {
            HttpResponse<String> r = c.join();
            if (r.statusCode() != 200) {
                throw new IllegalStateException("create answered " + r.statusCode() + ": " + r.body());
            }
        }
        double achieved = total * 1e9 / (System.nanoTime() - start);
        long expected = (long) total * subscribers.size();
        long received = 0;
        long stalledSince = System.nanoTime();
        while (true) {
            long now = subscribers.stream().mapToLong(Subscriber::received).sum();
            if (now != received) {
                received = now;
                stalledSince = System.nanoTime();
            }
            if (received >= expected || System.nanoTime() - stalledSince > 3_000_000_000L) {
                break;
            }
            Thread.sleep(20);
        }
        // the server CPU includes the creates: what one delivery costs with its share of the write path
        double cpuMicros = (server.cpuMillis() - cpuBefore) * 1000 / Math.max(1, received);
        long lastDelivery = subscribers.stream().mapToLong(Subscriber::lastDelivery).max().orElse(start);
        long[] latencies = subscribers.stream().flatMapToLong(Subscriber::latencies).sorted().toArray();
        if (latencies.length == 0) {
            return new Result(achieved, 0, Double.NaN, Double.NaN, Double.NaN, expected, cpuMicros);
        }
        return new Result(achieved, received * 1e9 / (lastDelivery - start), percentile(latencies, 0.50),
                percentile(latencies, 0.99), latencies[latencies.length - 1] / 1e6, expected - received, cpuMicros);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** One SSE client: reads its stream on a virtual thread and records each tick's delivery latency. */
    private static final class Subscriber {
        private final InputStream stream;
        private volatile int round = -1;
        private volatile AtomicLongArray sentAt;
        private volatile long[] latencies = new long[0];
        private final AtomicInteger received = new AtomicInteger();
        private volatile long lastDelivery;

        private Subscriber(InputStream stream) {
            this.stream = stream;
        }

        static Subscriber open(PocketbusServe server, HttpClient sse) {
            try {
                HttpResponse<InputStream> response = sse.send(HttpRequest.newBuilder(URI.create(server.base()
                        + "/api/realtime")).header("Accept", "text/event-stream").build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                Subscriber s = new Subscriber(response.body());
                BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
                String clientId = connectEvent(lines);
                server.call("POST", "/api/realtime", null, "{\"clientId\":\"" + clientId + "\",\"subscriptions\":[\""
                        + COLLECTION + "/*\"]}");
                Thread.ofVirtual().start(() -> s.read(lines));
                return s;
            } catch (IOException e) {
                throw new IllegalStateException("cannot open a realtime stream: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static String connectEvent(BufferedReader lines) throws IOException {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("data:") && line.contains("clientId")) {
                    int at = line.indexOf("\"clientId\":\"") + 12;
                    return line.substring(at, line.indexOf('"', at));
                }
            }
            throw new IOException("the stream ended before PB_CONNECT");
        }

        void expect(int round, int total, AtomicLongArray sentAt) {
            this.latencies = new long[total];
            this.sentAt = sentAt;
            this.received.set(0);
            this.round = round;
        }

        long received() {
            return received.get();
        }

        long lastDelivery() {
            return lastDelivery;
        }

        LongStream latencies() {
            return Arrays.stream(latencies, 0, Math.min(received.get(), latencies.length));
        }

        private void read(BufferedReader lines) {
            try {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("data:") && line.contains("\"seq\":")) {
                        long now = System.nanoTime();
                        int eventRound = number(line, "\"round\":");
                        if (eventRound != round) {
                            continue;
                        }
                        int seq = number(line, "\"seq\":");
                        // the only writer: the latency is stored before the count that publishes it
                        int n = received.get();
                        if (n < latencies.length) {
                            latencies[n] = now - sentAt.get(seq);
                        }
                        lastDelivery = now;
                        received.set(n + 1);
                    }
                }
            } catch (IOException closed) {
                // the bench is over, or the server ended the stream: later ticks count as lost
            }
        }

        private static int number(String line, String key) {
            int at = line.indexOf(key) + key.length();
            int end = at;
            while (end < line.length() && (Character.isDigit(line.charAt(end)) || line.charAt(end) == '-')) {
                end++;
            }
            return Integer.parseInt(line, at, end, 10);
        }

        void close() {
            try {
                stream.close();
            } catch (IOException ignored) {
                // closing a stream the server may already have ended
            }
        }
    }
}
