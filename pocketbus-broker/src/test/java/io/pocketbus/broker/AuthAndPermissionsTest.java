package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.pocketbus.broker.spi.AuthenticationException;
import io.pocketbus.broker.spi.Authenticator;
import io.pocketbus.broker.spi.ConnectAttempt;
import io.pocketbus.broker.spi.Grant;
import io.pocketbus.broker.spi.Permissions;
import io.pocketbus.broker.spi.Permissions.ResponsePermission;
import io.pocketbus.broker.spi.Permissions.SubjectPermission;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Authentication through the SPI, accounts and nats-server's permission rules, with jnats and raw bytes. */
class AuthAndPermissionsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** A small user table: user name → (password, grant). */
    static final class TableAuthenticator implements Authenticator {
        private final Map<String, Map.Entry<String, Grant>> users;

        TableAuthenticator(Map<String, Map.Entry<String, Grant>> users) {
            this.users = users;
        }

        @Override
        public Grant authenticate(ConnectAttempt attempt) {
            String user = attempt.user().orElseThrow(() -> new AuthenticationException("no user"));
            Map.Entry<String, Grant> entry = users.get(user);
            if (entry == null || !entry.getKey().equals(attempt.password().orElse(""))) {
                throw new AuthenticationException("bad credentials for " + user);
            }
            if (user.equals("revoked")) {
                throw new AuthenticationException(AuthenticationException.Reason.REVOKED, "revoked");
            }
            if (user.equals("shortlived")) {
                return new Grant("A", user, Permissions.ALL, Optional.of(Instant.now().plusMillis(300)),
                        Optional.empty());
            }
            return entry.getValue();
        }
    }

    private static Grant grant(String account, String user, Permissions p) {
        return new Grant(account, user, p, Optional.empty(), Optional.empty());
    }

    private static Permissions perms(List<String> pubAllow, List<String> pubDeny, List<String> subAllow,
            List<String> subDeny, Optional<ResponsePermission> responses) {
        return new Permissions(new SubjectPermission(pubAllow, pubDeny), new SubjectPermission(subAllow, subDeny),
                responses);
    }

    private static Broker broker;

    @BeforeAll
    static void start() {
        Map<String, Map.Entry<String, Grant>> users = Map.of(
                "alice", Map.entry("pa", grant("A", "alice", Permissions.ALL)),
                "bob", Map.entry("pb", grant("B", "bob", Permissions.ALL)),
                "limited", Map.entry("pl", grant("A", "limited", perms(List.of("foo.>", "_INBOX.>"),
                        List.of("foo.secret"), List.of("foo.*", "bar", "_INBOX.>"), List.of("foo.hidden"),
                        Optional.empty()))),
                "responder", Map.entry("pr", grant("A", "responder", perms(List.of(), List.of(">"),
                        List.of("svc"), List.of(), Optional.of(new ResponsePermission(1, Duration.ofMinutes(1)))))),
                "queued", Map.entry("pq", grant("A", "queued", perms(List.of(), List.of(), List.of("work grp"),
                        List.of(), Optional.empty()))),
                "revoked", Map.entry("px", grant("A", "revoked", Permissions.ALL)),
                "shortlived", Map.entry("ps", grant("A", "shortlived", Permissions.ALL)),
                "few", Map.entry("pf", grant("F", "few", Permissions.ALL).withMaxSubscriptions(2)),
                "solo", Map.entry("po", grant("S", "solo", Permissions.ALL).withAccountMaxConnections(1)));
        // nats-server's 2 s auth timeout is about the network, not about how busy the test machine is
        broker = Broker.builder().port(0).authTimeout(Duration.ofSeconds(30))
                .authenticator(new TableAuthenticator(users)).build().start();
    }

    @AfterAll
    static void stop() {
        broker.shutdown();
    }

    private static Connection connect(String user, String password) throws Exception {
        return connect(user, password, null);
    }

    private static Connection connect(String user, String password, ErrorListener errors) throws Exception {
        Options.Builder b = Options.builder().server("nats://127.0.0.1:" + broker.port()).userInfo(user, password)
                .maxReconnects(0);
        if (errors != null) {
            b.errorListener(errors);
        }
        return Nats.connect(b.build());
    }

    private static ErrorListener collecting(BlockingQueue<String> errors) {
        return new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) {
                errors.add(error);
            }
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private RawClient raw() throws IOException {
        RawClient c = new RawClient(broker.port());
        String info = c.info();
        assertThat(info).contains("\"auth_required\":true");
        return c;
    }

    @Test
    void wrongPasswordIsAnAuthorizationViolation() throws IOException {
        try (RawClient c = raw()) {
            c.send("CONNECT {\"verbose\":false,\"user\":\"alice\",\"pass\":\"nope\"}\r\nPING\r\n");
            assertThat(c.readToClose()).isEqualTo("-ERR 'Authorization Violation'\r\n");
        }
        assertThatThrownBy(() -> connect("alice", "nope")).isInstanceOf(Exception.class);
    }

    @Test
    void revokedCredentialsAtConnectAreAnAuthorizationViolation() throws IOException {
        // nats-server keeps 'User Authentication Revoked' for connections that are already live
        try (RawClient c = raw()) {
            c.send("CONNECT {\"user\":\"revoked\",\"pass\":\"px\"}\r\n");
            assertThat(c.readToClose()).isEqualTo("-ERR 'Authorization Violation'\r\n");
        }
    }

    @Test
    void anythingBeforeConnectIsAnAuthorizationViolation() throws IOException {
        try (RawClient c = raw()) {
            c.send("SUB foo 1\r\n");
            assertThat(c.readToClose()).isEqualTo("-ERR 'Authorization Violation'\r\n");
        }
    }

    @Test
    void silenceAfterInfoHitsTheAuthTimeout() throws IOException {
        try (Broker quick = Broker.builder().port(0).authTimeout(Duration.ofMillis(300))
                .authenticator(new TableAuthenticator(Map.of())).build().start();
                RawClient c = new RawClient(quick.port())) {
            c.info();
            assertThat(c.readToClose()).isEqualTo("-ERR 'Authentication Timeout'\r\n");
        }
    }

    @Test
    void grantExpiryClosesTheConnection() throws IOException {
        try (RawClient c = raw()) {
            c.send("CONNECT {\"verbose\":false,\"user\":\"shortlived\",\"pass\":\"ps\"}\r\n");
            assertThat(c.sync()).isEmpty();
            assertThat(c.readToClose()).isEqualTo("-ERR 'User Authentication Expired'\r\n");
        }
    }

    @Test
    void permissionViolationsKeepTheConnectionOpen() throws IOException {
        try (RawClient c = raw()) {
            c.send("CONNECT {\"verbose\":false,\"user\":\"limited\",\"pass\":\"pl\"}\r\n"
                    + "PUB foo.secret 0\r\n\r\nPUB bar 0\r\n\r\nSUB foo.x.y 1\r\nSUB foo.* q 2\r\nSUB foo.* 3\r\n"
                    + "PUB foo.hidden 0\r\n\r\nPUB foo.ok 0\r\n\r\n");
            String got = c.sync();
            assertThat(got).startsWith("-ERR 'Permissions Violation for Publish to \"foo.secret\"'\r\n"
                    + "-ERR 'Permissions Violation for Publish to \"bar\"'\r\n"
                    + "-ERR 'Permissions Violation for Subscription to \"foo.x.y\"'\r\n");
            assertThat(got).doesNotContain("foo.hidden").contains("MSG foo.ok 2 0\r\n\r\n", "MSG foo.ok 3 0\r\n\r\n");
        }
    }

    @Test
    void verbosePermissionViolationHasNoOk() throws IOException {
        try (RawClient c = raw()) {
            c.send("CONNECT {\"verbose\":true,\"user\":\"limited\",\"pass\":\"pl\"}\r\nPUB bar 0\r\n\r\n"
                    + "SUB foo.x.y 1\r\n");
            assertThat(c.sync()).isEqualTo("+OK\r\n-ERR 'Permissions Violation for Publish to \"bar\"'\r\n"
                    + "-ERR 'Permissions Violation for Subscription to \"foo.x.y\"'\r\n");
        }
    }

    @Test
    void queueRestrictedSubscribePermission() throws IOException {
        try (RawClient c = raw()) {
            c.send("CONNECT {\"verbose\":false,\"user\":\"queued\",\"pass\":\"pq\"}\r\n"
                    + "SUB work 1\r\nSUB work grp 2\r\nSUB work other 3\r\n");
            assertThat(c.sync()).isEqualTo("-ERR 'Permissions Violation for Subscription to \"work\"'\r\n"
                    + "-ERR 'Permissions Violation for Subscription to \"work\" using queue \"other\"'\r\n");
        }
    }

    @Test
    void jnatsSeesPermissionErrorsAndStaysConnected() throws Exception {
        BlockingQueue<String> errors = new LinkedBlockingQueue<>();
        try (Connection nc = connect("limited", "pl", collecting(errors))) {
            nc.publish("foo.secret", bytes("x"));
            assertThat(errors.poll(5, TimeUnit.SECONDS)).isEqualTo("Permissions Violation for Publish to \"foo.secret\"");
            nc.subscribe("nope.allowed");
            assertThat(errors.poll(5, TimeUnit.SECONDS))
                    .isEqualTo("Permissions Violation for Subscription to \"nope.allowed\"");
            Subscription ok = nc.subscribe("foo.fine");
            nc.flush(WAIT);
            nc.publish("foo.fine", bytes("y"));
            assertThat(ok.nextMessage(WAIT)).isNotNull();
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Test
    void jnatsSeesTheSubscriptionLimitAndTheReservedReplyError() throws Exception {
        BlockingQueue<String> errors = new LinkedBlockingQueue<>();
        try (Connection nc = connect("few", "pf", collecting(errors))) {
            Subscription first = nc.subscribe("one");
            nc.subscribe("two");
            nc.subscribe("three");
            assertThat(errors.poll(5, TimeUnit.SECONDS)).isEqualTo("maximum subscriptions exceeded");
            nc.publish("one", "_R_.abc", bytes("x"));
            assertThat(errors.poll(5, TimeUnit.SECONDS))
                    .isEqualTo("Permissions Violation for Publish with Reply of \"_R_.abc\"");
            nc.publish("one", "_INBOX.ok", bytes("y"));
            Message m = first.nextMessage(WAIT);
            assertThat(m.getReplyTo()).isEqualTo("_INBOX.ok");
            first.unsubscribe();
            Subscription again = nc.subscribe("four");
            nc.flush(WAIT);
            nc.publish("four", bytes("z"));
            assertThat(again.nextMessage(WAIT)).isNotNull();
            assertThat(errors).isEmpty();
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Test
    void anAccountConnectionLimitRefusesTheConnectionBeyondIt() throws Exception {
        try (Connection first = connect("solo", "po")) {
            assertThatThrownBy(() -> connect("solo", "po")).isInstanceOf(IOException.class);
            first.flush(WAIT);
            assertThat(first.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Test
    void allowResponsesLetsAResponderReplyOncePerRequest() throws Exception {
        BlockingQueue<String> errors = new LinkedBlockingQueue<>();
        try (Connection responder = connect("responder", "pr", collecting(errors));
                Connection client = connect("alice", "pa")) {
            Dispatcher d = responder.createDispatcher(m -> {
                responder.publish(m.getReplyTo(), bytes("first"));
                responder.publish(m.getReplyTo(), bytes("second"));
            });
            d.subscribe("svc");
            responder.flush(WAIT);
            Message reply = client.request("svc", bytes("q"), WAIT);
            assertThat(reply).isNotNull();
            assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("first");
            assertThat(errors.poll(5, TimeUnit.SECONDS)).startsWith("Permissions Violation for Publish to \"_INBOX.");
            responder.publish("elsewhere", bytes("no"));
            assertThat(errors.poll(5, TimeUnit.SECONDS)).isEqualTo("Permissions Violation for Publish to \"elsewhere\"");
        }
    }

    @Test
    void accountsAreSeparateSubjectSpaces() throws Exception {
        try (Connection a1 = connect("alice", "pa"); Connection a2 = connect("limited", "pl");
                Connection b = connect("bob", "pb")) {
            Subscription inA = a2.subscribe("foo.shared");
            Subscription inB = b.subscribe("foo.shared");
            a2.flush(WAIT);
            b.flush(WAIT);
            a1.publish("foo.shared", bytes("for A"));
            assertThat(inA.nextMessage(WAIT)).isNotNull();
            b.flush(WAIT);
            assertThat(inB.nextMessage(Duration.ofMillis(1))).isNull();
            b.publish("foo.shared", bytes("for B"));
            assertThat(new String(inB.nextMessage(WAIT).getData(), StandardCharsets.UTF_8)).isEqualTo("for B");
            a2.flush(WAIT);
            assertThat(inA.nextMessage(Duration.ofMillis(1))).isNull();
            assertThat(broker.connections()).extracting(ConnectionInfo::account).contains("A", "B");
        }
    }

    @Test
    void hostCanCloseConnectionsByPredicate() throws Exception {
        try (Connection victim = connect("bob", "pb"); Connection bystander = connect("alice", "pa")) {
            int closed = broker.closeConnections(c -> c.authorizedUser().equals("bob"),
                    CloseReason.AUTHENTICATION_REVOKED);
            assertThat(closed).isEqualTo(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (victim.getStatus() == Connection.Status.CONNECTED && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(victim.getStatus()).isNotEqualTo(Connection.Status.CONNECTED);
            bystander.flush(WAIT);
            assertThat(bystander.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Test
    void nonceIsSentOnlyWhenTheAuthenticatorNeedsIt() throws IOException {
        Authenticator nkeys = new Authenticator() {
            @Override
            public boolean requiresNonce() {
                return true;
            }

            @Override
            public Grant authenticate(ConnectAttempt attempt) {
                assertThat(attempt.nonce()).isPresent();
                return Grant.global("n");
            }
        };
        Broker b = Broker.builder().port(0).authenticator(nkeys).build().start();
        try (RawClient c = new RawClient(b.port())) {
            String info = c.info();
            Map<String, Object> fields = Json.parseObject(info.substring(5, info.length() - 3));
            assertThat((String) fields.get("nonce")).hasSize(15);
            c.send("CONNECT {\"verbose\":false,\"nkey\":\"UABC\",\"sig\":\"x\"}\r\n");
            assertThat(c.sync()).isEmpty();
        } finally {
            b.shutdown();
        }
    }
}
