package io.pocketbus.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Message;
import io.nats.client.Subscription;
import io.pocketbus.bridge.Clients.Client;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator, account and user JWTs Pocketbus issues, accepted by a real nats-server in operator mode
 * (Debian's {@code nats-server}, when installed) with the accounts preloaded into its MEMORY resolver: the
 * scale-out path, where a nats-server cluster serves the projects.
 */
class NatsServerOperatorModeTest {

    private static final Path NATS_SERVER = Path.of("/usr/sbin/nats-server");

    @TempDir
    Path dir;

    private ProjectAccounts accounts;
    private IssuedCredential revoked;
    private Process server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(NATS_SERVER), "Debian's nats-server is not installed");
        accounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(dir.resolve("data")));
        accounts.provision("projecta", ProjectLimits.UNLIMITED);
        accounts.provision("projectb", ProjectLimits.UNLIMITED);
        accounts.provision("limited", ProjectLimits.UNLIMITED.withMaxConnections(1));
        accounts.provision("small", ProjectLimits.UNLIMITED.withMaxPayload(100));
        revoked = accounts.createServiceCredential("projecta", "old", CredentialScope.FULL, Optional.empty());
        accounts.revoke("projecta", revoked.info().id());

        port = freePort();
        Path operatorJwt = Files.writeString(dir.resolve("operator.jwt"), accounts.identity().operatorJwt());
        String config = "listen: 127.0.0.1:" + port + "\n" + accounts.natsServerConfig(operatorJwt);
        Path conf = Files.writeString(dir.resolve("nats-server.conf"), config);
        Path log = dir.resolve("nats-server.log");
        server = new ProcessBuilder(NATS_SERVER.toString(), "-c", conf.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitListening(log);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits until the server answers with INFO, or fails with its log when it exits. */
    private void awaitListening(Path log) throws Exception {
        while (server.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(5000);
                if (s.getInputStream().read() == 'I') {
                    return;
                }
            } catch (IOException notYet) {
                server.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
        throw new IllegalStateException("nats-server exited: " + Files.readString(log));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void issuedCredentialsWorkInTheirProjectAndSeeNothingOfAnother() throws Exception {
        IssuedCredential alice = accounts.issueMemberCredentials("projecta", "alice", ProjectRole.MEMBER);
        IssuedCredential service = accounts.createServiceCredential("projecta", "svc", CredentialScope.builder()
                .subscribe(java.util.List.of("svc.>"), java.util.List.of()).allowResponses(true).build(), Optional.empty());
        IssuedCredential mallory = accounts.issueMemberCredentials("projectb", "mallory", ProjectRole.MEMBER);
        try (Client a = Clients.connect(port, alice); Client svc = Clients.connect(port, service);
                Client b = Clients.connect(port, mallory)) {
            svc.connection().createDispatcher(m -> svc.connection().publish(m.getReplyTo(), bytes("pong")))
                    .subscribe("svc.ping");
            svc.connection().flush(Clients.WAIT);
            Subscription spy = b.connection().subscribe(">");
            Subscription own = a.connection().subscribe("orders.>");
            b.connection().flush(Clients.WAIT);
            a.connection().flush(Clients.WAIT);

            Message reply = a.connection().request("svc.ping", bytes("ping"), Clients.WAIT);
            assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("pong");
            a.connection().publish("orders.new", bytes("secret"));
            assertThat(own.nextMessage(Clients.WAIT)).isNotNull();
            a.connection().flush(Clients.WAIT);
            b.connection().flush(Clients.WAIT);
            assertThat(spy.getPendingMessageCount()).isZero();
        }
    }

    @Test
    void aRevokedCredentialIsRefused() throws Exception {
        assertThat(RawConnect.attempt(port, revoked)).isEqualTo("-ERR 'Authorization Violation'\n");
        IssuedCredential fine = accounts.createServiceCredential("projecta", "new", CredentialScope.FULL, Optional.empty());
        assertThat(RawConnect.attempt(port, fine)).isEqualTo("PONG\n");
    }

    @Test
    void theProjectsLimitsAreEnforcedByNatsServer() throws Exception {
        IssuedCredential one = accounts.issueMemberCredentials("limited", "u1", ProjectRole.MEMBER);
        IssuedCredential two = accounts.issueMemberCredentials("limited", "u2", ProjectRole.MEMBER);
        String tooBig = "PUB big 101\r\n" + "x".repeat(101) + "\r\n";
        IssuedCredential small = accounts.issueMemberCredentials("small", "u3", ProjectRole.MEMBER);
        assertThat(RawConnect.attempt(port, small, tooBig)).contains("-ERR 'Maximum Payload Violation'\n").doesNotContain("PONG");
        try (Client first = Clients.connect(port, one)) {
            first.connection().flush(Clients.WAIT);
            assertThat(RawConnect.attempt(port, two)).isEqualTo("-ERR 'maximum account active connections exceeded'\n");
        }
    }
}
