package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Server-driven connection life: pings, stale connections, slow consumers, lame duck, shutdown. */
@Timeout(60)
class ConnectionLifecycleTest {
    private static final String QUIET = "CONNECT {\"verbose\":false,\"protocol\":1}\r\n";

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void platformThreadsServeOnlyTheConfiguredNumberOfConnectionsAtATime() throws Exception {
        Broker broker = Broker.builder().port(0).platformThreadConnections(1).build().start();
        try {
            try (RawClient first = new RawClient(broker.port()); RawClient second = new RawClient(broker.port())) {
                for (RawClient c : new RawClient[] {first, second}) {
                    c.info();
                    c.send(QUIET);
                    assertThat(c.sync()).doesNotContain("-ERR");
                }
                // Thread.getAllStackTraces lists platform threads only: the second connection runs on virtual ones.
                assertThat(platformClientThreads()).contains("pocketbus-client-1-reader", "pocketbus-client-1-writer")
                        .doesNotContain("pocketbus-client-2-reader", "pocketbus-client-2-writer");
                assertThat(broker.connectionThreads().availablePlatformSlots()).isZero();
            }
            await(() -> broker.connectionThreads().availablePlatformSlots() == 1);
            try (RawClient third = new RawClient(broker.port())) {
                third.info();
                third.send(QUIET);
                assertThat(third.sync()).doesNotContain("-ERR");
                assertThat(platformClientThreads()).contains("pocketbus-client-3-reader", "pocketbus-client-3-writer");
            }
        } finally {
            broker.shutdown();
        }
    }

    private static java.util.List<String> platformClientThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("pocketbus-client-")).toList();
    }

    @Test
    void unansweredPingsEndInStaleConnection() throws IOException {
        Broker broker = Broker.builder().port(0).pingInterval(Duration.ofMillis(100)).maxPingsOut(2).build().start();
        try (RawClient c = new RawClient(broker.port())) {
            c.info();
            c.send(QUIET);
            assertThat(c.readToClose()).isEqualTo("PING\r\nPING\r\n-ERR 'Stale Connection'\r\n");
        } finally {
            broker.shutdown();
        }
    }

    @Test
    void answeredPingsKeepTheConnection() throws IOException {
        // Generous slack: the client has ten intervals to answer, so a busy machine cannot fake staleness.
        Broker broker = Broker.builder().port(0).pingInterval(Duration.ofMillis(100)).maxPingsOut(10).build().start();
        try (RawClient c = new RawClient(broker.port())) {
            c.info();
            c.send(QUIET);
            for (int i = 0; i < 3; i++) {
                assertThat(c.readUntil("PING\r\n")).isEqualTo("PING\r\n");
                c.send("PONG\r\n");
            }
            assertThat(c.sync()).doesNotContain("-ERR");
        } finally {
            broker.shutdown();
        }
    }

    @Test
    void slowConsumerIsCutWithoutStallingOthers() throws Exception {
        Broker broker = Broker.builder().port(0).maxPending(256 * 1024).build().start();
        try (Socket stuck = new Socket("127.0.0.1", broker.port());
                RawClient healthy = new RawClient(broker.port());
                RawClient publisher = new RawClient(broker.port())) {
            stuck.setReceiveBufferSize(4096);
            stuck.getOutputStream().write("CONNECT {\"verbose\":false}\r\nSUB big 1\r\nPING\r\n".getBytes());
            healthy.info();
            healthy.send(QUIET + "SUB done 1\r\n").sync();
            publisher.info();
            publisher.send(QUIET).sync();
            await(() -> broker.subscriptions().stream().anyMatch(s -> s.subject().equals("big")));
            String payload = "x".repeat(60_000);
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                batch.append("PUB big ").append(payload.length()).append("\r\n").append(payload).append("\r\n");
            }
            while (broker.slowConsumers() == 0) {
                publisher.send(batch.toString());
                publisher.sync();
            }
            publisher.send("PUB done 2\r\nok\r\n").sync();
            assertThat(healthy.readUntil("ok\r\n")).isEqualTo("MSG done 1 2\r\nok\r\n");
            await(() -> broker.subscriptions().stream().noneMatch(s -> s.subject().equals("big")));
        } finally {
            broker.shutdown();
        }
    }

    @Test
    void blockedWriteHitsTheWriteDeadline() throws Exception {
        Broker broker = Broker.builder().port(0).writeDeadline(Duration.ofMillis(200)).build().start();
        try (Socket stuck = new Socket("127.0.0.1", broker.port());
                RawClient publisher = new RawClient(broker.port())) {
            stuck.setReceiveBufferSize(4096);
            stuck.getOutputStream().write("CONNECT {\"verbose\":false}\r\nSUB big 1\r\nPING\r\n".getBytes());
            publisher.info();
            publisher.send(QUIET).sync();
            await(() -> broker.subscriptions().stream().anyMatch(s -> s.subject().equals("big")));
            String payload = "y".repeat(60_000);
            while (broker.slowConsumers() == 0) {
                publisher.send("PUB big " + payload.length() + "\r\n" + payload + "\r\n");
                publisher.sync();
            }
            assertThat(broker.slowConsumers()).isEqualTo(1);
        } finally {
            broker.shutdown();
        }
    }

    @Test
    void lameDuckAnnouncesItselfThenCloses() throws Exception {
        Broker broker = Broker.builder().port(0).lameDuckGracePeriod(Duration.ofMillis(100)).build().start();
        try (RawClient c = new RawClient(broker.port())) {
            c.info();
            c.send(QUIET).sync();
            CompletableFuture<Void> ldm = CompletableFuture.runAsync(broker::lameDuck);
            String info = c.readUntil("\r\n");
            assertThat(info).startsWith("INFO {").contains("\"ldm\":true");
            assertThat(c.readToClose()).isEmpty();
            ldm.get(10, TimeUnit.SECONDS);
            assertThat(broker.isReady()).isFalse();
        } finally {
            broker.shutdown();
        }
    }

    @Test
    void connectionsBeyondTheLimitAreRefused() throws Exception {
        Broker broker = Broker.builder().port(0).maxConnections(1).build().start();
        try (RawClient first = new RawClient(broker.port()); RawClient second = new RawClient(broker.port())) {
            first.info();
            first.send(QUIET).sync();
            assertThat(second.info()).startsWith("INFO {");
            assertThat(second.readToClose()).isEqualTo("-ERR 'maximum connections exceeded'\r\n");
            assertThat(first.sync()).isEmpty();
        } finally {
            broker.shutdown();
        }
    }

    @Test
    void shutdownClosesClientsAndFreesThePort() throws Exception {
        Broker broker = Broker.builder().port(0).build().start();
        int port = broker.port();
        try (RawClient c = new RawClient(port)) {
            c.info();
            c.send(QUIET).sync();
            broker.shutdown();
            assertThat(c.readToClose()).isEmpty();
        }
        Broker again = Broker.builder().port(port).build().start();
        assertThat(again.port()).isEqualTo(port);
        again.shutdown();
    }
}
