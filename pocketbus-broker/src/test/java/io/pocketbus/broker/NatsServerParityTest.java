package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pocketbus.broker.spi.Grant;
import io.pocketbus.broker.spi.Permissions;
import io.pocketbus.broker.spi.Permissions.SubjectPermission;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same byte exchanges against Debian's nats-server and against the broker must give the same bytes.
 * Runs only where a {@code nats-server} binary is on the PATH ({@code apt-get install nats-server}).
 */
class NatsServerParityTest {
    private static final String QUIET = "CONNECT {\"verbose\":false}\r\n";

    /** Each exchange ends with PING so both servers are drained to the PONG, or ends by being closed. */
    private static final List<String> SYNCED = List.of(
            "CONNECT {\"verbose\":true}\r\nSUB foo 1\r\nPUB foo 2\r\nhi\r\nUNSUB 1\r\n",
            "CONNECT {}\r\n",
            QUIET + "pub foo 1\r\na\r\nPing\r\n",
            QUIET + "SUB foo..bar 1\r\nSUB foo.>.bar 2\r\n",
            "CONNECT {\"pedantic\":true}\r\nPUB foo.* 1\r\na\r\n",
            QUIET + "SUB foo 1\r\nSUB foo 1\r\nPUB foo 1\r\na\r\n",
            QUIET + "UNSUB 99\r\n",
            QUIET + "+OK\r\nINFO {}\r\nPINGX\r\n",
            QUIET + "SUB foo 1\r\nUNSUB 1 2\r\nPUB foo 1\r\na\r\nPUB foo 1\r\nb\r\nPUB foo 1\r\nc\r\n",
            QUIET + "SUB foo 1\r\nUNSUB 1 0\r\nPUB foo 1\r\nx\r\n",
            "CONNECT {\"verbose\":false,\"echo\":false}\r\nSUB foo 1\r\nPUB foo 1\r\na\r\n",
            "CONNECT {\"verbose\":false,\"headers\":true}\r\nSUB foo 1\r\nHPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n",
            QUIET + "SUB  foo  1 \r\nPUB  foo   2 \r\nab\r\n",
            QUIET + "SUB qn q.* 1\r\nPUB qn 0\r\n\r\n",
            QUIET + "SUB w.* 1\r\nSUB w.> 2\r\nSUB > 3\r\nPUB w.a.b 1\r\nz\r\n");

    private static final List<String> CLOSING = List.of(
            "ZZZ\r\n",
            QUIET + "MSG foo 1 1\r\na\r\n",
            QUIET + "UNSUB\r\n",
            "PUB foo 2\r\nabc\r\n",
            QUIET + "PUB foo bar baz 2\r\nab\r\n",
            QUIET + "SUB foo\r\n",
            QUIET + "PUB foo x\r\n\r\n",
            "CONNECT xx\r\n",
            "PUB foo 2000000\r\n",
            "SUB foo " + "a".repeat(5000) + "\r\n",
            "CONNECT {\"protocol\":2}\r\n",
            "CONNECT {\"no_responders\":true}\r\n",
            QUIET + "HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n",
            "CONNECT {\"verbose\":false,\"headers\":true}\r\nHPUB foo 12 10\r\nNATS/1.0\r\n\r\n\r\n",
            QUIET + "PING\r\n-ERR 'x'\r\n");

    /** Users as in a nats-server {@code authorization} block; the broker gets the same through the SPI. */
    private static final String AUTH_CONFIG = """
            authorization {
              users: [
                {user: a, password: b, permissions: {publish: {allow: ["foo.>", "_INBOX.>"], deny: ["foo.secret"]},
                  subscribe: {allow: ["foo.*", "bar"], deny: ["foo.hidden"]}}}
                {user: q, password: q, permissions: {subscribe: {allow: ["work grp"]}}}
              ]
            }
            """;

    private static final List<String> AUTH_SYNCED = List.of(
            "CONNECT {\"verbose\":false,\"user\":\"a\",\"pass\":\"b\"}\r\nPUB foo.secret 0\r\n\r\n"
                    + "PUB bar 0\r\n\r\nSUB foo.x.y 1\r\nSUB foo.* 3\r\nPUB foo.hidden 0\r\n\r\nPUB foo.ok 0\r\n\r\n",
            "CONNECT {\"verbose\":true,\"user\":\"a\",\"pass\":\"b\"}\r\nPUB bar 0\r\n\r\nSUB foo.x.y 1\r\n",
            "CONNECT {\"verbose\":false,\"user\":\"q\",\"pass\":\"q\"}\r\nSUB work 1\r\nSUB work grp 2\r\n"
                    + "SUB work other 3\r\n");

    private static final List<String> AUTH_CLOSING = List.of(
            "PING\r\n",
            "SUB foo 1\r\n",
            "CONNECT {\"verbose\":false,\"user\":\"a\",\"pass\":\"x\"}\r\nPING\r\n",
            "CONNECT {\"verbose\":false}\r\nPING\r\n");

    /** Limits and reserved replies, given to both servers as the same configuration file. */
    private static final String LIMITS_CONFIG = """
            max_subscriptions: 3
            accounts {
              A {
                users: [{user: a, password: a, permissions: {publish: {allow: ["foo.>"]}, subscribe: {allow: ["foo.*"]}}}]
                limits: {max_subscriptions: 2, max_connections: 1}
              }
              B { users: [{user: b, password: b}] }
              C { users: [{user: c, password: c}], exports: [{stream: "a.>"}, {service: "svc.>"}] }
              D {
                users: [{user: d, password: d}]
                imports: [
                  {stream: {account: C, subject: "a.*.x"}, to: "b.*"}
                  {stream: {account: C, subject: "a.lit"}, to: "lit.b"}
                  {stream: {account: C, subject: "a.m.*.*"}, to: "m.$2.$1"}
                  {stream: {account: C, subject: "a.p.>"}, prefix: "pre"}
                  {service: {account: C, subject: "svc.*"}, to: "local.*"}
                ]
              }
            }
            """;

    private static final List<String> LIMITS_SYNCED = List.of(
            "CONNECT {\"verbose\":true,\"user\":\"a\",\"pass\":\"a\"}\r\nPUB foo.a _R_.x 0\r\n\r\n"
                    + "PUB bar _R_.x 0\r\n\r\nPUB foo.a $JS.ACK.x 0\r\n\r\nPUB foo.a $JS.ACK 0\r\n\r\n"
                    + "PUB foo.a $GNR.x 0\r\n\r\nSUB foo.a q 1\r\nSUB bar q 2\r\nSUB x 3\r\nSUB foo.b 4\r\n"
                    + "SUB foo.c 5\r\nSUB x 6\r\nSUB foo.a q 1\r\nUNSUB 1\r\nSUB foo.c 5\r\n",
            "CONNECT {\"verbose\":false,\"user\":\"b\",\"pass\":\"b\"}\r\nSUB s 1\r\nSUB r 2\r\nSUB t 3\r\n"
                    + "SUB u 4\r\nSUB s 1\r\nSUB t 3 \r\nSUB _R_.x 5\r\nSUB s 1\r\nPUB s _R_.y 1\r\na\r\n");

    private static Process natsServer;
    private static int natsPort;
    private static Broker broker;
    private static Process natsAuthServer;
    private static int natsAuthPort;
    private static Broker authBroker;
    private static Process natsLimitsServer;
    private static int natsLimitsPort;
    private static Broker limitsBroker;

    private static boolean onPath(String binary) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static Process startNatsServer(int port, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("nats-server", "-a", "127.0.0.1", "-p",
                Integer.toString(port)));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException notYet) {
                assertThat(p.isAlive()).as("nats-server exited").isTrue();
                assertThat(System.nanoTime()).as("nats-server did not start").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("nats-server"), "nats-server is not installed");
        natsPort = freePort();
        natsServer = startNatsServer(natsPort);
        broker = Broker.builder().port(0).build().start();

        Path config = dir.resolve("auth.conf");
        Files.writeString(config, AUTH_CONFIG);
        natsAuthPort = freePort();
        natsAuthServer = startNatsServer(natsAuthPort, "-c", config.toString());
        Map<String, Map.Entry<String, Grant>> users = Map.of(
                "a", Map.entry("b", new Grant("$G", "a", new Permissions(
                        new SubjectPermission(List.of("foo.>", "_INBOX.>"), List.of("foo.secret")),
                        new SubjectPermission(List.of("foo.*", "bar"), List.of("foo.hidden")), Optional.empty()),
                        Optional.empty(), Optional.empty())),
                "q", Map.entry("q", new Grant("$G", "q", new Permissions(SubjectPermission.ANY,
                        new SubjectPermission(List.of("work grp"), List.of()), Optional.empty()),
                        Optional.empty(), Optional.empty())));
        authBroker = Broker.builder().port(0)
                .authenticator(new AuthAndPermissionsTest.TableAuthenticator(users)).build().start();

        Path limits = dir.resolve("limits.conf");
        Files.writeString(limits, LIMITS_CONFIG);
        natsLimitsPort = freePort();
        natsLimitsServer = startNatsServer(natsLimitsPort, "-c", limits.toString());
        BrokerBuilder limitsBuilder = Broker.builder();
        assertThat(limitsBuilder.config(ConfigFile.parse(LIMITS_CONFIG))).isEmpty();
        limitsBroker = limitsBuilder.port(0).build().start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Broker b : new Broker[] {broker, authBroker, limitsBroker}) {
            if (b != null) {
                b.shutdown();
            }
        }
        for (Process p : new Process[] {natsServer, natsAuthServer, natsLimitsServer}) {
            if (p != null) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String synced(int port, String input) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.info();
            c.send(input);
            return c.sync();
        }
    }

    private static String closing(int port, String input) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.info();
            c.send(input);
            return c.readToClose();
        }
    }

    @Test
    void exchangesThatKeepTheConnection() throws IOException {
        for (String input : SYNCED) {
            assertThat(synced(broker.port(), input)).as(input).isEqualTo(synced(natsPort, input));
        }
    }

    @Test
    void exchangesThatEndIt() throws IOException {
        for (String input : CLOSING) {
            assertThat(closing(broker.port(), input)).as(input).isEqualTo(closing(natsPort, input));
        }
    }

    @Test
    void authorizationExchangesThatKeepTheConnection() throws IOException {
        for (String input : AUTH_SYNCED) {
            assertThat(synced(authBroker.port(), input)).as(input).isEqualTo(synced(natsAuthPort, input));
        }
    }

    @Test
    void authorizationExchangesThatEndIt() throws IOException {
        for (String input : AUTH_CLOSING) {
            assertThat(closing(authBroker.port(), input)).as(input).isEqualTo(closing(natsAuthPort, input));
        }
    }

    @Test
    void limitAndReservedReplyExchanges() throws IOException {
        for (String input : LIMITS_SYNCED) {
            assertThat(synced(limitsBroker.port(), input)).as(input).isEqualTo(synced(natsLimitsPort, input));
        }
    }

    @Test
    void anAccountAtItsConnectionLimitRefusesTheNextOne() throws IOException {
        String connect = "CONNECT {\"verbose\":false,\"user\":\"a\",\"pass\":\"a\"}\r\nPING\r\n";
        for (int port : new int[] {limitsBroker.port(), natsLimitsPort}) {
            try (RawClient first = new RawClient(port)) {
                first.info();
                first.send(connect);
                assertThat(first.readUntil("PONG\r\n")).isEqualTo("PONG\r\n");
                assertThat(closing(port, connect)).as("port " + port)
                        .isEqualTo("-ERR 'maximum account active connections exceeded'\r\n");
                assertThat(first.sync()).isEmpty();
            }
        }
    }

    @Test
    void importsMapSubjectsWithToAndPrefix() throws IOException {
        assertThat(importExchange(limitsBroker.port())).isEqualTo(importExchange(natsLimitsPort))
                .contains("MSG m.q.p 1 1\r\n3\r\n", "MSG svc.z 9 1\r\nq\r\n");
    }

    /** What the importing and the exporting account receive, with no reply subjects (those are random). */
    private static String importExchange(int port) throws IOException {
        try (RawClient d = new RawClient(port); RawClient c = new RawClient(port)) {
            d.info();
            c.info();
            d.send("CONNECT {\"verbose\":false,\"user\":\"d\",\"pass\":\"d\"}\r\nSUB > 1\r\n").sync();
            c.send("CONNECT {\"verbose\":false,\"user\":\"c\",\"pass\":\"c\"}\r\nSUB svc.> 9\r\n"
                    + "PUB a.q.x 1\r\n1\r\nPUB a.lit 1\r\n2\r\nPUB a.m.p.q 1\r\n3\r\nPUB a.p.r.s 1\r\n4\r\n"
                    + "PUB a.q.y 1\r\n5\r\n").sync();
            String importer = d.send("PUB local.z 1\r\nq\r\n").sync();
            return importer + "|" + c.sync();
        }
    }
}
