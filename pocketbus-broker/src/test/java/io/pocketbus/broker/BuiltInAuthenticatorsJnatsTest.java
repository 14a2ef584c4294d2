package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.pocketbus.broker.spi.Authenticator;
import io.pocketbus.broker.spi.Permissions;
import io.pocketbus.broker.spi.Permissions.SubjectPermission;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every built-in authentication mode, end to end with jnats against the broker. */
class BuiltInAuthenticatorsJnatsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private static Broker start(Authenticator authenticator) {
        return Broker.builder().port(0).authenticator(authenticator).build().start();
    }

    private static Options.Builder options(Broker broker) {
        // generous: the first connection of a cold JVM on a loaded machine is slow, and a success never waits
        return Options.builder().server("nats://127.0.0.1:" + broker.port()).maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(30));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Publishes on one connection and expects it on a subscription of the other: the connection works. */
    private static void assertRoundTrip(Connection nc, String subject) throws Exception {
        Subscription sub = nc.subscribe(subject);
        nc.flush(WAIT);
        nc.publish(subject, bytes("hello"));
        Message m = sub.nextMessage(WAIT);
        assertThat(m).isNotNull();
        assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    /**
     * Sends a CONNECT with these fields over a raw socket (jnats waits out its connect timeout after a refusal,
     * as it does with nats-server) and returns what the broker answered before closing. {@code sign} adds
     * {@code sig}: the INFO nonce signed with that key.
     */
    private static String refusal(Broker broker, Map<String, String> fields, Optional<NKey> sign) throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            String info = c.info();
            StringBuilder connect = new StringBuilder("{\"verbose\":false,\"protocol\":1");
            fields.forEach((k, v) -> connect.append(",\"").append(k).append("\":\"").append(v).append('"'));
            if (sign.isPresent()) {
                Matcher nonce = Pattern.compile("\"nonce\":\"([^\"]+)\"").matcher(info);
                assertThat(nonce.find()).as("INFO carries a nonce").isTrue();
                connect.append(",\"sig\":\"").append(Attempts.sign(sign.get(), nonce.group(1))).append('"');
            }
            c.send("CONNECT " + connect + "}\r\nPING\r\n");
            return c.readToClose();
        }
    }

    private static final String VIOLATION = "-ERR 'Authorization Violation'\r\n";

    @Test
    void token() throws Exception {
        try (Broker broker = start(TokenAuthenticator.of("s3cr3t"))) {
            try (Connection nc = Nats.connect(options(broker).token("s3cr3t".toCharArray()).build())) {
                assertRoundTrip(nc, "token.works");
            }
            // jnats waits out its connect timeout after a refusal (with nats-server too), so keep that short;
            // it reports the server's error to the listener as soon as it reads it
            BlockingQueue<String> errors = new LinkedBlockingQueue<>();
            assertThatThrownBy(() -> Nats.connect(options(broker).connectionTimeout(Duration.ofSeconds(1))
                    .token("wrong".toCharArray()).errorListener(collecting(errors)).build())).isInstanceOf(Exception.class);
            assertThat(errors.poll(10, TimeUnit.SECONDS)).contains("Authorization Violation");
            assertThat(refusal(broker, Map.of("auth_token", "wrong"), Optional.empty())).isEqualTo(VIOLATION);
            assertThat(refusal(broker, Map.of(), Optional.empty())).isEqualTo(VIOLATION);
        }
    }

    @Test
    void usersFromAConfigFileWithPlainAndBcryptPasswordsAndNKeys() throws Exception {
        ConfigFile config = ConfigFile.load(ConfigFileTest.resource("users.conf"), env -> Optional.empty());
        try (Broker broker = start(config.authenticator().orElseThrow())) {
            try (Connection admin = Nats.connect(options(broker).userInfo("admin", "admin-pass").build())) {
                assertRoundTrip(admin, "public.bcrypt");
            }
            try (Connection team = Nats.connect(options(broker).userInfo("team", "t3am").build())) {
                assertRoundTrip(team, "orders.new");
            }
            NKey nkey = NKey.fromSeed(ConfigFileTest.USERS_CONF_NKEY_SEED);
            Options nkeyOptions = options(broker).authHandler(Nats.staticCredentials(null,
                    nkey.seed().orElseThrow().toCharArray())).build();
            try (Connection nc = Nats.connect(nkeyOptions)) {
                assertRoundTrip(nc, "public.nkey");
            }
            try (Connection anonymous = Nats.connect(options(broker).build())) {
                assertRoundTrip(anonymous, "orders.as-no-auth-user");
            }
            assertThat(refusal(broker, Map.of("user", "admin", "pass", "wrong"), Optional.empty())).isEqualTo(VIOLATION);
            assertThat(refusal(broker, Map.of("user", "nobody", "pass", "t3am"), Optional.empty())).isEqualTo(VIOLATION);
            assertThat(refusal(broker, Map.of("user", "browser", "pass", "b"), Optional.empty())).isEqualTo(VIOLATION);
            NKey stranger = NKey.create(NKey.Type.USER, RANDOM);
            assertThat(refusal(broker, Map.of("nkey", stranger.publicKey()), Optional.of(stranger))).isEqualTo(VIOLATION);
            assertThat(refusal(broker, Map.of("nkey", nkey.publicKey()), Optional.of(stranger))).isEqualTo(VIOLATION);
        }
    }

    @Test
    void configuredPermissionsAreEnforced() throws Exception {
        ConfigFile config = ConfigFile.load(ConfigFileTest.resource("users.conf"), env -> Optional.empty());
        BlockingQueue<String> errors = new LinkedBlockingQueue<>();
        try (Broker broker = start(config.authenticator().orElseThrow());
                Connection team = Nats.connect(options(broker).userInfo("team", "t3am")
                        .errorListener(collecting(errors)).build())) {
            team.publish("orders.secret", bytes("x"));
            assertThat(errors.poll(5, TimeUnit.SECONDS)).isEqualTo("Permissions Violation for Publish to \"orders.secret\"");
            team.subscribe("audit.log");
            assertThat(errors.poll(5, TimeUnit.SECONDS)).isEqualTo("Permissions Violation for Subscription to \"audit.log\"");
            assertThat(team.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Test
    void accountsExportsAndImportsFromAConfigFile() throws Exception {
        ConfigFile config = ConfigFile.load(ConfigFileTest.resource("accounts.conf"), env -> Optional.empty());
        BrokerBuilder builder = Broker.builder().port(0).authenticator(config.authenticator().orElseThrow());
        config.accounts().forEach(a -> builder.account(a.toAccountConfig()));
        try (Broker broker = builder.build().start();
                Connection orders = Nats.connect(options(broker).userInfo("orders", "o").build());
                Connection billing = Nats.connect(options(broker).userInfo("billing", "b").build());
                Connection auditor = Nats.connect(options(broker).userInfo("auditor", "a").build())) {
            Subscription imported = auditor.subscribe("from_orders.orders.events.>");
            Subscription notVisible = auditor.subscribe("orders.events.>");
            orders.createDispatcher(m -> orders.publish(m.getReplyTo(), bytes("order " + new String(m.getData(),
                    StandardCharsets.UTF_8)))).subscribe("orders.lookup");
            orders.flush(WAIT);
            auditor.flush(WAIT);

            orders.publish("orders.events.created", bytes("o-1"));
            Message m = imported.nextMessage(WAIT);
            assertThat(m.getSubject()).isEqualTo("from_orders.orders.events.created");
            Message reply = auditor.request("lookup", bytes("42"), WAIT);
            assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("order 42");
            assertThat(billing.request("lookup", bytes("43"), Duration.ofMillis(200)))
                    .as("billing's default permissions only publish billing.>").isNull();
            auditor.flush(WAIT);
            assertThat(notVisible.nextMessage(Duration.ofMillis(1)))
                    .as("accounts are separate subject spaces: anything leaked would have arrived before the flush")
                    .isNull();
        }
    }

    /** An operator, an account and the .creds of a user of that account. */
    private static final class Operator {
        final NKey operator = NKey.create(NKey.Type.OPERATOR, RANDOM);
        final NKey account = NKey.create(NKey.Type.ACCOUNT, RANDOM);
        final String operatorJwt = NatsJwt.issue(JwtOperatorClaims.of(operator.publicKey(), "op", List.of(),
                Optional.empty()), operator);
        final JwtMemoryResolver resolver = JwtMemoryResolver.preloaded(List.of(
                NatsJwt.issue(JwtAccountClaims.builder(account.publicKey()).name("APP").build(), operator)));

        OperatorAuthenticator authenticator() {
            return OperatorAuthenticator.builder().trustedOperator(operatorJwt).resolver(resolver).build();
        }

        Path creds(Path dir, NKey user, JwtUserClaims.Builder claims) throws Exception {
            Path file = dir.resolve(user.publicKey() + ".creds");
            Files.writeString(file, new CredsFile(NatsJwt.issue(claims.build(), account), user.seed().orElseThrow()).render());
            return file;
        }
    }

    @Test
    void jwtCredsFile(@TempDir Path dir) throws Exception {
        Operator op = new Operator();
        NKey user = NKey.create(NKey.Type.USER, RANDOM);
        Permissions perms = new Permissions(new SubjectPermission(List.of("app.>", "_INBOX.>"), List.of()),
                new SubjectPermission(List.of("app.>", "_INBOX.>"), List.of()), Optional.empty());
        Path creds = op.creds(dir, user, JwtUserClaims.builder(user.publicKey()).name("svc").permissions(perms));
        BlockingQueue<String> errors = new LinkedBlockingQueue<>();
        try (Broker broker = start(op.authenticator());
                Connection nc = Nats.connect(options(broker).authHandler(Nats.credentials(creds.toString()))
                        .errorListener(collecting(errors)).build())) {
            assertRoundTrip(nc, "app.orders");
            nc.publish("other.subject", bytes("x"));
            assertThat(errors.poll(5, TimeUnit.SECONDS)).isEqualTo("Permissions Violation for Publish to \"other.subject\"");
            assertThat(broker.connections()).anyMatch(c -> c.account().equals(op.account.publicKey())
                    && c.authorizedUser().equals(user.publicKey()));
        }
    }

    @Test
    void theAccountJwtConnectionLimitRefusesConnectionsBeyondIt(@TempDir Path dir) throws Exception {
        Operator op = new Operator();
        op.resolver.store(NatsJwt.issue(JwtAccountClaims.builder(op.account.publicKey()).name("APP")
                .limits(new JwtLimits(-1, -1, -1, -1, -1, true, 1, -1, 0, 0, 0, 0, false)).build(), op.operator));
        NKey user = NKey.create(NKey.Type.USER, RANDOM);
        String jwt = NatsJwt.issue(JwtUserClaims.builder(user.publicKey()).build(), op.account);
        Path creds = op.creds(dir, user, JwtUserClaims.builder(user.publicKey()));
        try (Broker broker = start(op.authenticator())) {
            try (Connection nc = Nats.connect(options(broker).authHandler(Nats.credentials(creds.toString())).build())) {
                assertRoundTrip(nc, "first.connection");
                assertThat(refusal(broker, Map.of("jwt", jwt), Optional.of(user)))
                        .isEqualTo("-ERR 'maximum account active connections exceeded'\r\n");
                assertRoundTrip(nc, "still.connected");
            }
        }
    }

    @Test
    void expiredRevokedAndForeignJwtsAreRefused(@TempDir Path dir) throws Exception {
        Operator op = new Operator();
        NKey user = NKey.create(NKey.Type.USER, RANDOM);
        String expired = NatsJwt.issue(JwtUserClaims.builder(user.publicKey())
                .expires(Instant.now().minusSeconds(10)).build(), op.account);
        NKey revokedUser = NKey.create(NKey.Type.USER, RANDOM);
        Path revokedCreds = op.creds(dir, revokedUser, JwtUserClaims.builder(revokedUser.publicKey()));
        String revoked = CredsFile.parse(Files.readString(revokedCreds)).jwt();
        Operator other = new Operator();
        String foreign = NatsJwt.issue(JwtUserClaims.builder(user.publicKey()).build(), other.account);

        try (Broker broker = start(op.authenticator())) {
            try (Connection nc = Nats.connect(options(broker).authHandler(Nats.credentials(revokedCreds.toString())).build())) {
                assertRoundTrip(nc, "before.revocation");
            }
            op.resolver.store(NatsJwt.issue(JwtAccountClaims.builder(op.account.publicKey()).name("APP")
                    .revocations(Map.of(revokedUser.publicKey(), Instant.now().plusSeconds(1))).build(), op.operator,
                    Clock.offset(Clock.systemUTC(), Duration.ofSeconds(2))));

            // nats-server answers every refusal at CONNECT with Authorization Violation, expired and revoked alike
            assertThat(refusal(broker, Map.of("jwt", expired), Optional.of(user))).isEqualTo(VIOLATION);
            assertThat(refusal(broker, Map.of("jwt", revoked), Optional.of(revokedUser))).isEqualTo(VIOLATION);
            assertThat(refusal(broker, Map.of("jwt", foreign), Optional.of(user))).isEqualTo(VIOLATION);
            String valid = NatsJwt.issue(JwtUserClaims.builder(user.publicKey()).build(), op.account);
            assertThat(refusal(broker, Map.of("jwt", valid), Optional.of(revokedUser))).isEqualTo(VIOLATION);
            assertThat(refusal(broker, Map.of("jwt", valid), Optional.empty())).isEqualTo(VIOLATION);
        }
    }

    @Test
    void aLiveConnectionIsClosedWhenItsUserIsRevoked(@TempDir Path dir) throws Exception {
        Operator op = new Operator();
        NKey revokedUser = NKey.create(NKey.Type.USER, RANDOM);
        NKey keptUser = NKey.create(NKey.Type.USER, RANDOM);
        Path revokedCreds = op.creds(dir, revokedUser, JwtUserClaims.builder(revokedUser.publicKey()));
        Path keptCreds = op.creds(dir, keptUser, JwtUserClaims.builder(keptUser.publicKey()));
        BlockingQueue<String> errors = new LinkedBlockingQueue<>();
        BlockingQueue<ConnectionListener.Events> events = new LinkedBlockingQueue<>();
        try (Broker broker = start(op.authenticator());
                Connection kept = Nats.connect(options(broker).authHandler(Nats.credentials(keptCreds.toString())).build());
                Connection nc = Nats.connect(options(broker).authHandler(Nats.credentials(revokedCreds.toString()))
                        .errorListener(collecting(errors)).connectionListener((conn, event) -> events.add(event)).build())) {
            assertRoundTrip(nc, "before.revocation");
            op.resolver.store(NatsJwt.issue(JwtAccountClaims.builder(op.account.publicKey()).name("APP")
                    .revocations(Map.of(revokedUser.publicKey(), Instant.now().plusSeconds(1))).build(), op.operator,
                    Clock.offset(Clock.systemUTC(), Duration.ofSeconds(2))));
            assertThat(errors.poll(10, TimeUnit.SECONDS)).isEqualTo("User Authentication Revoked");
            ConnectionListener.Events event;
            do {
                event = events.poll(10, TimeUnit.SECONDS);
            } while (event != null && event != ConnectionListener.Events.CLOSED);
            assertThat(event).isEqualTo(ConnectionListener.Events.CLOSED);
            assertRoundTrip(kept, "still.connected");
        }
    }

    @Test
    void aLiveConnectionIsClosedWhenItsJwtExpires(@TempDir Path dir) throws Exception {
        Operator op = new Operator();
        NKey user = NKey.create(NKey.Type.USER, RANDOM);
        BlockingQueue<String> errors = new LinkedBlockingQueue<>();
        BlockingQueue<ConnectionListener.Events> events = new LinkedBlockingQueue<>();
        try (Broker broker = start(op.authenticator())) {
            Path warmUp = op.creds(dir, user, JwtUserClaims.builder(user.publicKey()));
            try (Connection nc = Nats.connect(options(broker).authHandler(Nats.credentials(warmUp.toString())).build())) {
                assertRoundTrip(nc, "warm.up");
            }
            // JWT times have a resolution of one second: five seconds keep the connect well inside validity
            // even on a loaded machine
            Path creds = op.creds(dir, user, JwtUserClaims.builder(user.publicKey()).expires(Instant.now().plusSeconds(5)));
            try (Connection nc = Nats.connect(options(broker).authHandler(Nats.credentials(creds.toString()))
                    .errorListener(collecting(errors)).connectionListener((conn, event) -> events.add(event)).build())) {
                assertRoundTrip(nc, "short.lived");
                assertThat(errors.poll(10, TimeUnit.SECONDS)).isEqualTo("User Authentication Expired");
                ConnectionListener.Events event;
                do {
                    event = events.poll(10, TimeUnit.SECONDS);
                } while (event != null && event != ConnectionListener.Events.CLOSED);
                assertThat(event).isEqualTo(ConnectionListener.Events.CLOSED);
            }
        }
    }

    private static ErrorListener collecting(BlockingQueue<String> errors) {
        return new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) {
                errors.add(error);
            }

            @Override
            public void exceptionOccurred(Connection conn, Exception exp) {
                if (exp instanceof io.nats.client.AuthenticationException) {
                    errors.add(exp.getMessage());
                }
            }
        };
    }
}
