package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The broker with the real Java client, io.nats:jnats. */
class JnatsClientTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static Broker broker;

    @BeforeAll
    static void start() {
        broker = Broker.builder().port(0).maxPayload(64 * 1024).build().start();
    }

    @AfterAll
    static void stop() {
        broker.shutdown();
    }

    private static Connection connect() throws Exception {
        return connect(Options.builder());
    }

    private static Connection connect(Options.Builder options) throws Exception {
        return Nats.connect(options.server("nats://127.0.0.1:" + broker.port()).build());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Message m) {
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    @Test
    void seesTheServerItExpects() throws Exception {
        try (Connection nc = connect()) {
            assertThat(nc.getServerInfo().getVersion()).isEqualTo(Broker.SERVER_VERSION);
            assertThat(nc.getServerInfo().isHeadersSupported()).isTrue();
            assertThat(nc.getMaxPayload()).isEqualTo(64 * 1024);
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Test
    void publishAndSubscribe() throws Exception {
        try (Connection sub = connect(); Connection pub = connect()) {
            Subscription s = sub.subscribe("greet.one");
            sub.flush(WAIT);
            pub.publish("greet.one", bytes("hello"));
            Message m = s.nextMessage(WAIT);
            assertThat(m.getSubject()).isEqualTo("greet.one");
            assertThat(text(m)).isEqualTo("hello");
        }
    }

    @Test
    void wildcards() throws Exception {
        try (Connection nc = connect()) {
            Subscription star = nc.subscribe("wc.*.x");
            Subscription full = nc.subscribe("wc.>");
            nc.flush(WAIT);
            nc.publish("wc.a.x", bytes("1"));
            nc.publish("wc.a.b.c", bytes("2"));
            assertThat(text(star.nextMessage(WAIT))).isEqualTo("1");
            assertThat(text(full.nextMessage(WAIT))).isEqualTo("1");
            assertThat(text(full.nextMessage(WAIT))).isEqualTo("2");
            nc.flush(WAIT);
            assertThat(star.nextMessage(Duration.ofMillis(1))).isNull();
        }
    }

    @Test
    void queueGroupDeliversEachMessageToOneMember() throws Exception {
        try (Connection a = connect(); Connection b = connect(); Connection pub = connect()) {
            Subscription qa = a.subscribe("jobs", "workers");
            Subscription qb = b.subscribe("jobs", "workers");
            Subscription all = pub.subscribe("jobs");
            a.flush(WAIT);
            b.flush(WAIT);
            int n = 200;
            for (int i = 0; i < n; i++) {
                pub.publish("jobs", bytes(Integer.toString(i)));
            }
            for (int i = 0; i < n; i++) {
                assertThat(all.nextMessage(WAIT)).isNotNull();
            }
            a.flush(WAIT);
            b.flush(WAIT);
            List<String> got = new ArrayList<>();
            for (Subscription s : List.of(qa, qb)) {
                Message m;
                while ((m = s.nextMessage(Duration.ofMillis(50))) != null) {
                    got.add(text(m));
                }
            }
            assertThat(got).hasSize(n).doesNotHaveDuplicates();
        }
    }

    @Test
    void requestReplyWithTheMuxedInbox() throws Exception {
        try (Connection service = connect(); Connection client = connect()) {
            Dispatcher d = service.createDispatcher(m -> service.publish(m.getReplyTo(), bytes("re:" + text(m))));
            d.subscribe("svc.echo");
            service.flush(WAIT);
            for (int i = 0; i < 20; i++) {
                Message reply = client.request("svc.echo", bytes("q" + i), WAIT);
                assertThat(text(reply)).isEqualTo("re:q" + i);
            }
            List<CompletableFuture<Message>> inFlight = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                inFlight.add(client.request("svc.echo", bytes("p" + i)));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(text(inFlight.get(i).get(5, TimeUnit.SECONDS))).isEqualTo("re:p" + i);
            }
        }
    }

    @Test
    void oldStyleRequestsWithAutoUnsubscribe() throws Exception {
        try (Connection service = connect(); Connection client = connect(Options.builder().oldRequestStyle())) {
            Dispatcher d = service.createDispatcher(m -> service.publish(m.getReplyTo(), m.getData()));
            d.subscribe("svc.old");
            service.flush(WAIT);
            assertThat(text(client.request("svc.old", bytes("x"), WAIT))).isEqualTo("x");
        }
    }

    @Test
    void headersTravelAndRepeatedKeysSurvive() throws Exception {
        try (Connection nc = connect()) {
            Subscription s = nc.subscribe("hdr");
            nc.flush(WAIT);
            Headers h = new Headers().add("Trace-Id", "abc").add("Multi", "1", "2");
            nc.publish("hdr", h, bytes("body"));
            Message m = s.nextMessage(WAIT);
            assertThat(m.hasHeaders()).isTrue();
            assertThat(m.getHeaders().getFirst("Trace-Id")).isEqualTo("abc");
            assertThat(m.getHeaders().get("Multi")).containsExactly("1", "2");
            assertThat(text(m)).isEqualTo("body");
        }
    }

    @Test
    void noRespondersFailsTheRequestAtOnce() throws Exception {
        try (Connection nc = connect()) {
            CompletableFuture<Message> f = nc.request("nobody.home", bytes("?"));
            Throwable t = catchThrowable(() -> f.get(30, TimeUnit.SECONDS));
            assertThat(t).isNotNull().isNotInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void echoOffSkipsOwnMessages() throws Exception {
        try (Connection quiet = connect(Options.builder().noEcho()); Connection other = connect()) {
            Subscription own = quiet.subscribe("echo");
            Subscription theirs = other.subscribe("echo");
            quiet.flush(WAIT);
            other.flush(WAIT);
            quiet.publish("echo", bytes("mine"));
            other.publish("echo", bytes("yours"));
            assertThat(List.of(text(theirs.nextMessage(WAIT)), text(theirs.nextMessage(WAIT))))
                    .containsExactlyInAnyOrder("mine", "yours");
            assertThat(text(own.nextMessage(WAIT))).isEqualTo("yours");
            quiet.flush(WAIT);
            assertThat(own.nextMessage(Duration.ofMillis(1))).isNull();
        }
    }

    @Test
    void maxPayloadIsEnforcedByTheClientFromInfo() throws Exception {
        try (Connection nc = connect()) {
            assertThatThrownBy(() -> nc.publish("big", new byte[64 * 1024 + 1]))
                    .isInstanceOf(IllegalArgumentException.class);
            Subscription s = nc.subscribe("big");
            nc.flush(WAIT);
            nc.publish("big", new byte[64 * 1024 - 100]);
            assertThat(s.nextMessage(WAIT).getData()).hasSize(64 * 1024 - 100);
        }
    }

    @Test
    void drainDeliversWhatIsInFlightThenCloses() throws Exception {
        Connection nc = connect();
        Connection pub = connect();
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        Dispatcher d = nc.createDispatcher(m -> got.add(text(m)));
        d.subscribe("drain.me");
        nc.flush(WAIT);
        for (int i = 0; i < 100; i++) {
            pub.publish("drain.me", bytes(Integer.toString(i)));
        }
        pub.flush(WAIT);
        assertThat(nc.drain(WAIT).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(got).hasSize(100);
        assertThat(nc.getStatus()).isEqualTo(Connection.Status.CLOSED);
        pub.close();
    }

    @Test
    void reconnectsAfterABrokerRestartOnTheSamePort() throws Exception {
        Broker first = Broker.builder().port(0).build().start();
        int port = first.port();
        CountDownLatch reconnected = new CountDownLatch(1);
        ConnectionListener listener = (conn, event) -> {
            if (event == ConnectionListener.Events.RECONNECTED) {
                reconnected.countDown();
            }
        };
        Broker second = null;
        try (Connection nc = Nats.connect(Options.builder().server("nats://127.0.0.1:" + port)
                .reconnectWait(Duration.ofMillis(50)).maxReconnects(-1).connectionListener(listener).build())) {
            Subscription s = nc.subscribe("again");
            nc.flush(WAIT);
            first.shutdown();
            second = Broker.builder().port(port).build().start();
            assertThat(reconnected.await(20, TimeUnit.SECONDS)).isTrue();
            nc.flush(WAIT);
            nc.publish("again", bytes("back"));
            assertThat(text(s.nextMessage(WAIT))).isEqualTo("back");
        } finally {
            first.shutdown();
            if (second != null) {
                second.shutdown();
            }
        }
    }

    @Test
    void monitoringViewShowsConnectionsAndSubscriptions() throws Exception {
        try (Connection nc = connect(Options.builder().connectionName("monitored"))) {
            nc.subscribe("mon.a");
            nc.subscribe("mon.b", "q");
            nc.flush(WAIT);
            ConnectionInfo info = broker.connections().stream().filter(c -> c.name().equals("monitored"))
                    .findFirst().orElseThrow();
            assertThat(info.lang()).isEqualTo("java");
            assertThat(info.account()).isEqualTo(Broker.GLOBAL_ACCOUNT);
            assertThat(info.subscriptions()).isEqualTo(2);
            assertThat(broker.subscriptions()).anySatisfy(s -> {
                assertThat(s.subject()).isEqualTo("mon.b");
                assertThat(s.queue()).contains("q");
                assertThat(s.cid()).isEqualTo(info.cid());
            });
        }
    }
}
