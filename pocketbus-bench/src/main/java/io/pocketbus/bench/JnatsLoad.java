package io.pocketbus.bench;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The same shapes through the real jnats client, and request/reply latency. */
final class JnatsLoad {
    private JnatsLoad() {
    }

    static Connection connect(String url) {
        try {
            return Nats.connect(new Options.Builder().server(url).maxReconnects(0).build());
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect to " + url, e);
        }
    }

    /** Returns published msgs/s for {@code count} messages of {@code size} bytes. */
    static double run(String url, Shape shape, int size, long count) throws Exception {
        String subject = "bench.jnats." + System.nanoTime();
        List<Connection> subscribers = new ArrayList<>();
        AtomicLong received = new AtomicLong();
        long expected = shape.queue ? count : count * shape.subscribers;
        CountDownLatch done = new CountDownLatch(shape.subscribers == 0 ? 0 : 1);
        try (Connection publisher = connect(url)) {
            for (int i = 0; i < shape.subscribers; i++) {
                Connection nc = connect(url);
                subscribers.add(nc);
                Dispatcher dispatcher = nc.createDispatcher(msg -> {
                    if (received.incrementAndGet() == expected) {
                        done.countDown();
                    }
                });
                dispatcher.setPendingLimits(-1, -1);
                if (shape.queue) {
                    dispatcher.subscribe(subject, "q");
                } else {
                    dispatcher.subscribe(subject);
                }
                nc.flush(Duration.ofSeconds(5));
            }
            byte[] payload = new byte[size];
            Arrays.fill(payload, (byte) 'x');
            long start = System.nanoTime();
            for (long i = 0; i < count; i++) {
                publisher.publish(subject, payload);
            }
            publisher.flush(Duration.ofSeconds(60));
            if (!done.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("received " + received.get() + " of " + expected);
            }
            return count * 1e9 / (System.nanoTime() - start);
        } finally {
            for (Connection nc : subscribers) {
                nc.close();
            }
        }
    }

    /**
     * Request/reply from {@code requesters} threads, each with its own connection; the server's CPU time is
     * read from {@code server} at the start and the end of the measured part.
     */
    static Latency requestReply(ServerProcess server, int requesters, int requestsEach) throws Exception {
        String url = server.url();
        String subject = "bench.rr." + System.nanoTime();
        try (Connection responder = connect(url)) {
            responder.createDispatcher(msg -> responder.publish(msg.getReplyTo(), msg.getData())).subscribe(subject);
            responder.flush(Duration.ofSeconds(5));
            long[][] samples = new long[requesters][requestsEach];
            List<Thread> threads = new ArrayList<>();
            byte[] payload = new byte[16];
            CountDownLatch ready = new CountDownLatch(requesters);
            CountDownLatch go = new CountDownLatch(1);
            for (int r = 0; r < requesters; r++) {
                long[] mine = samples[r];
                threads.add(Thread.ofPlatform().start(() -> {
                    try (Connection nc = connect(url)) {
                        nc.request(subject, payload, Duration.ofSeconds(5));
                        ready.countDown();
                        go.await();
                        for (int i = 0; i < requestsEach; i++) {
                            long t0 = System.nanoTime();
                            if (nc.request(subject, payload, Duration.ofSeconds(5)) == null) {
                                throw new IllegalStateException("request timed out");
                            }
                            mine[i] = System.nanoTime() - t0;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            ready.await();
            long cpuStart = server.cpuNanos();
            long start = System.nanoTime();
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            long elapsed = System.nanoTime() - start;
            long cpu = server.cpuNanos() - cpuStart;
            long[] all = Arrays.stream(samples).flatMapToLong(Arrays::stream).sorted().toArray();
            return new Latency(all.length * 1e9 / elapsed, percentile(all, 50), percentile(all, 99),
                    cpu / 1000.0 / all.length);
        }
    }

    private static double percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1000.0;
    }

    /** Throughput in requests/s; latencies and the server's CPU time per request in microseconds. */
    record Latency(double perSecond, double p50Micros, double p99Micros, double serverCpuMicros) {
    }
}
