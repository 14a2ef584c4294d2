package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.impl.InProcessDataPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** In-process connections: the same protocol over a pipe pair, usable by jnats and by raw bytes. */
class InProcessConnectionTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int REGISTRY_KEY = 1;
    private static Broker broker;

    @BeforeAll
    static void start() {
        broker = Broker.builder().port(0).build().start();
        InProcessDataPort.BROKERS.put(REGISTRY_KEY, broker);
    }

    @AfterAll
    static void stop() {
        InProcessDataPort.BROKERS.remove(REGISTRY_KEY);
        broker.shutdown();
    }

    private static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (!out.toString(StandardCharsets.UTF_8).contains(marker)) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            out.write(b);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rawProtocolOverThePipes() throws IOException {
        try (InProcessConnection c = broker.connectInProcess()) {
            assertThat(readUntil(c.input(), "\r\n")).startsWith("INFO {").contains("\"client_ip\":\"in-process\"");
            c.output().write("CONNECT {\"verbose\":false}\r\nSUB a 1\r\nPUB a 2\r\nhi\r\nPING\r\n"
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(readUntil(c.input(), "PONG\r\n")).isEqualTo("MSG a 1 2\r\nhi\r\nPONG\r\n");
            assertThat(broker.connections()).anyMatch(i -> i.kind().equals("in-process"));
        }
    }

    @Test
    void jnatsInProcessTalksToTcpClients() throws Exception {
        Options inProcess = Options.builder().server("nats://localhost:" + REGISTRY_KEY)
                .dataPortType(InProcessDataPort.class.getName()).build();
        try (Connection local = Nats.connect(inProcess);
                Connection remote = Nats.connect("nats://127.0.0.1:" + broker.port())) {
            Dispatcher d = local.createDispatcher(m -> local.publish(m.getReplyTo(), m.getData()));
            d.subscribe("inproc.echo");
            local.flush(WAIT);
            Message reply = remote.request("inproc.echo", "ping".getBytes(StandardCharsets.UTF_8), WAIT);
            assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("ping");

            Subscription s = remote.subscribe("inproc.events");
            remote.flush(WAIT);
            for (int i = 0; i < 1000; i++) {
                local.publish("inproc.events", new byte[256]);
            }
            for (int i = 0; i < 1000; i++) {
                assertThat(s.nextMessage(WAIT)).isNotNull();
            }
        }
    }

    @Test
    void webSocketBridgeReportsTheRealClient() throws IOException {
        try (InProcessConnection c = broker.connectWebSocketBridge("203.0.113.7", 40123)) {
            assertThat(readUntil(c.input(), "\r\n")).contains("\"client_ip\":\"203.0.113.7\"");
            c.output().write("CONNECT {\"verbose\":false,\"name\":\"bridged\"}\r\nPING\r\n"
                    .getBytes(StandardCharsets.UTF_8));
            readUntil(c.input(), "PONG\r\n");
            ConnectionInfo info = broker.connections().stream().filter(i -> i.name().equals("bridged")).findFirst()
                    .orElseThrow();
            assertThat(info.kind()).isEqualTo("websocket");
            assertThat(info.ip()).isEqualTo("203.0.113.7");
            assertThat(info.port()).isEqualTo(40123);
        }
    }

    @Test
    void closingTheClientEndRemovesTheConnection() throws Exception {
        InProcessConnection c = broker.connectInProcess();
        readUntil(c.input(), "\r\n");
        c.output().write("CONNECT {\"verbose\":false,\"name\":\"closing\"}\r\nPING\r\n".getBytes(StandardCharsets.UTF_8));
        readUntil(c.input(), "PONG\r\n");
        assertThat(broker.connections()).anyMatch(i -> i.name().equals("closing"));
        c.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (broker.connections().stream().anyMatch(i -> i.name().equals("closing"))) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
