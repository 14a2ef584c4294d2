package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several publishers, plain and queue subscribers, and a connection that keeps subscribing and
 * unsubscribing (so sublist generations and match caches churn) all at once: nothing is lost or
 * duplicated.
 */
@Timeout(120)
class ConcurrentTrafficTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void everyMessageArrivesExactlyOnceWhileSubscriptionsChurn() throws Exception {
        int publishers = 4;
        int perPublisher = 5000;
        int total = publishers * perPublisher;
        Broker broker = Broker.builder().port(0).build().start();
        String url = "nats://127.0.0.1:" + broker.port();
        List<Connection> connections = new ArrayList<>();
        // Own threads: the common pool may have a single worker on a small machine.
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            List<AtomicInteger> plain = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Connection c = Nats.connect(url);
                connections.add(c);
                AtomicInteger n = new AtomicInteger();
                plain.add(n);
                Dispatcher d = c.createDispatcher(m -> n.incrementAndGet());
                d.subscribe("load.>");
                c.flush(WAIT);
            }
            AtomicInteger queued = new AtomicInteger();
            for (int i = 0; i < 2; i++) {
                Connection c = Nats.connect(url);
                connections.add(c);
                Dispatcher d = c.createDispatcher(m -> queued.incrementAndGet());
                d.subscribe("load.*", "workers");
                c.flush(WAIT);
            }
            Connection churner = Nats.connect(url);
            connections.add(churner);
            AtomicBoolean churning = new AtomicBoolean(true);
            CompletableFuture<Void> churn = CompletableFuture.runAsync(() -> {
                while (churning.get()) {
                    Subscription s = churner.subscribe("load.*");
                    Subscription w = churner.subscribe("load.>", "other");
                    s.unsubscribe();
                    w.unsubscribe();
                }
            }, threads);
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                Connection c = Nats.connect(url);
                connections.add(c);
                String subject = "load." + p;
                sends.add(CompletableFuture.runAsync(() -> {
                    byte[] payload = new byte[32];
                    for (int i = 0; i < perPublisher; i++) {
                        c.publish(subject, payload);
                    }
                    try {
                        c.flush(WAIT);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, threads));
            }
            for (CompletableFuture<Void> f : sends) {
                f.get(60, TimeUnit.SECONDS);
            }
            churning.set(false);
            churn.get(30, TimeUnit.SECONDS);
            for (Connection c : connections) {
                c.flush(WAIT);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((plain.stream().anyMatch(n -> n.get() < total) || queued.get() < total)
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            for (AtomicInteger n : plain) {
                assertThat(n.get()).isEqualTo(total);
            }
            assertThat(queued.get()).isEqualTo(total);
            assertThat(broker.slowConsumers()).isZero();
        } finally {
            for (Connection c : connections) {
                c.close();
            }
            threads.shutdownNow();
            broker.shutdown();
        }
    }
}
