package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same configuration file and the same JWTs against Debian's nats-server, when it is installed: our
 * operator, account and user JWTs must satisfy the real server, and the real server settles what a client
 * sees when it is refused.
 */
class NatsServerInteropTest {

    private static final Path NATS_SERVER = Path.of("/usr/sbin/nats-server");
    private static final SecureRandom RANDOM = new SecureRandom();

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Process startNatsServer(Path config, Path dir) throws Exception {
        Process p = new ProcessBuilder(NATS_SERVER.toString(), "-c", config.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("nats-server.log").toFile())
                .start();
        return p;
    }

    /** Waits until the server accepts connections (it writes INFO first) or has exited. */
    private static void awaitListening(Process p, int port, Path log) throws Exception {
        while (p.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(5000);
                if (s.getInputStream().read() == 'I') {
                    return;
                }
            } catch (IOException notYet) {
                Thread.onSpinWait();
                p.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
        throw new IllegalStateException("nats-server exited: " + Files.readString(log));
    }

    private static String refusal(int port, String jwt, NKey key) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            var in = s.getInputStream();
            StringBuilder info = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                info.append((char) c);
            }
            String nonce = info.toString().replaceAll(".*\"nonce\":\"([^\"]+)\".*", "$1").trim();
            String connect = "CONNECT {\"verbose\":false,\"protocol\":1,\"jwt\":\"" + jwt + "\",\"sig\":\""
                    + Attempts.sign(key, nonce) + "\"}\r\nPING\r\n";
            s.getOutputStream().write(connect.getBytes(StandardCharsets.US_ASCII));
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void theGoldenConfigurationsAreValidForNatsServer() throws Exception {
        assumeTrue(Files.isExecutable(NATS_SERVER), "Debian's nats-server is not installed");
        for (String name : List.of("server.conf", "users.conf", "accounts.conf")) {
            Path file = ConfigFileTest.resource(name);
            Process check = new ProcessBuilder(NATS_SERVER.toString(), "-t", "-c", file.toString())
                    .directory(file.getParent().toFile()).redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor()).as(name + ": " + output).isZero();
        }
    }

    /**
     * Snippets both parsers must accept, or both refuse. Left out on purpose: users without a password and
     * {@code no_auth_user} without users (nats-server accepts both; the broker refuses them), and TLS options.
     */
    private static final List<String> ACCEPTED = List.of(
            "port: 4222", "port = 4222", "port 4222", "server_name: 'a b'", "max_payload: 1mb", "max_payload: 2MB",
            "ping_interval: \"2m\"", "authorization { token: \"abc\" }",
            "authorization: { users: [ {user: a, password: b}, {user: c, password: d} ] }",
            "authorization {\n users = [\n  {user: a, password: b}\n  {user: c, password: d}\n ]\n}",
            "# comment\nport: 4222 # trailing\n// other\n", "PORT: 4222\nport: $PORT",
            "listen: 127.0.0.1:4222", "listen: \"localhost:4222\"", "http_port: 8222", "http: 8222",
            "jetstream: enabled", "jetstream { store_dir: \"/tmp/x\", max_mem: 1G }",
            "accounts { A { users [ {user: a, password: a} ] } }\nno_auth_user: a",
            "lame_duck_duration: \"30s\"; write_deadline: \"2s\"", "{ port: 4222 }", "authorization\n{\n token: t\n}",
            "authorization { users: [ {user: a, password: b, permissions: { subscribe: \"a b\" } } ] }",
            "authorization { permissions: { publish: \">\" }, users: [ {user: a, password: b} ] }",
            "authorization { timeout: \"1s\" }", "port: 4222; max_payload: 1k",
            "websocket { port: 8080, no_tls: true }", "server_name: (\n edge-1\n)\nport: 1");
    private static final List<String> REFUSED = List.of(
            "port: ", "port =\n 4222", "bogus: 1", "port: 4222 4223", "max_payload: .5", "a {", "listen: localhost",
            "authorization { token: a, users: [{user: b, password: c}] }",
            "accounts { A { users [ {user: a, password: a} ] } }\nauthorization { users [ {user: a, password: b} ] }",
            "authorization { users: [ {user: a, password: b, permissions: { publish: \"a..b\" } } ] }",
            "authorization { users: [ {user: a, password: b, permissions: { subscribe: \"a b c\" } } ] }",
            "authorization { users: [ {nkey: UNOTVALID} ] }", "jetstream: maybe", "port: $NOT_DEFINED_ANYWHERE",
            "authorization { users: [ {user: a, password: b, bogus: 1} ] }");

    @Test
    void acceptsAndRefusesWhatNatsServerAcceptsAndRefuses(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(NATS_SERVER), "Debian's nats-server is not installed");
        for (String text : ACCEPTED) {
            assertThat(natsServerAccepts(dir, text)).as("nats-server accepts %s", text).isTrue();
            ConfigFile.parse(text, env -> Optional.empty());
        }
        for (String text : REFUSED) {
            assertThat(natsServerAccepts(dir, text)).as("nats-server refuses %s", text).isFalse();
            assertThatThrownBy(() -> ConfigFile.parse(text, env -> Optional.empty())).as(text)
                    .isInstanceOf(ConfigException.class);
        }
    }

    private static boolean natsServerAccepts(Path dir, String text) throws Exception {
        Path file = Files.writeString(dir.resolve("snippet.conf"), text + "\n");
        Process check = new ProcessBuilder(NATS_SERVER.toString(), "-t", "-c", file.toString())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        check.getInputStream().readAllBytes();
        return check.waitFor() == 0;
    }

    @Test
    void ourJwtsAndConfigurationWorkWithNatsServer(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(NATS_SERVER), "Debian's nats-server is not installed");
        NKey operator = NKey.create(NKey.Type.OPERATOR, RANDOM);
        NKey sys = NKey.create(NKey.Type.ACCOUNT, RANDOM);
        NKey account = NKey.create(NKey.Type.ACCOUNT, RANDOM);
        NKey user = NKey.create(NKey.Type.USER, RANDOM);
        NKey revokedUser = NKey.create(NKey.Type.USER, RANDOM);
        Instant past = Instant.now().minusSeconds(60);
        String operatorJwt = NatsJwt.issue(JwtOperatorClaims.of(operator.publicKey(), "op", List.of(),
                Optional.of(sys.publicKey())), operator);
        String sysJwt = NatsJwt.issue(JwtAccountClaims.builder(sys.publicKey()).name("SYS").build(), operator);
        String accountJwt = NatsJwt.issue(JwtAccountClaims.builder(account.publicKey()).name("APP")
                .revocations(Map.of(revokedUser.publicKey(), Instant.now().plusSeconds(5))).build(), operator);
        String revoked = NatsJwt.issue(JwtUserClaims.builder(revokedUser.publicKey()).build(), account,
                java.time.Clock.fixed(past, java.time.ZoneOffset.UTC));
        String expired = NatsJwt.issue(JwtUserClaims.builder(user.publicKey()).expires(past.plusSeconds(1)).build(),
                account, java.time.Clock.fixed(past, java.time.ZoneOffset.UTC));
        Path creds = dir.resolve("user.creds");
        Files.writeString(creds, new CredsFile(NatsJwt.issue(JwtUserClaims.builder(user.publicKey()).name("u").build(),
                account), user.seed().orElseThrow()).render());
        Files.writeString(dir.resolve("op.jwt"), operatorJwt);
        int port = freePort();
        Path config = dir.resolve("nats.conf");
        Files.writeString(config, """
                listen: 127.0.0.1:%d
                operator: "./op.jwt"
                system_account: %s
                resolver: MEMORY
                resolver_preload: {
                  %s: %s
                  %s: %s
                }
                """.formatted(port, sys.publicKey(), sys.publicKey(), sysJwt, account.publicKey(), accountJwt));

        assertThat(ConfigFile.load(config, env -> Optional.empty()).authenticator()).isPresent();

        Process server = startNatsServer(config, dir);
        try {
            awaitListening(server, port, dir.resolve("nats-server.log"));
            Options options = Options.builder().server("nats://127.0.0.1:" + port).maxReconnects(0)
                    .authHandler(Nats.credentials(creds.toString())).build();
            try (Connection nc = Nats.connect(options)) {
                Subscription sub = nc.subscribe("interop");
                nc.flush(Duration.ofSeconds(5));
                nc.publish("interop", "hi".getBytes(StandardCharsets.UTF_8));
                Message m = sub.nextMessage(Duration.ofSeconds(5));
                assertThat(m).isNotNull();
            }
            assertThat(refusal(port, revoked, revokedUser)).startsWith("-ERR 'Authorization Violation'");
            assertThat(refusal(port, expired, user)).startsWith("-ERR 'Authorization Violation'");
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
