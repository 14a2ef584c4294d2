package io.pocketbus.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * {@link NatsServerAccountSync} against Debian's nats-server 2.9 in operator mode with a full resolver that
 * starts knowing only the system account: projects provisioned, updated, revoked and removed in Pocketbus take
 * effect on that server at once, live connections included.
 */
class NatsServerAccountSyncTest {

    private static final Path NATS_SERVER = Path.of("/usr/sbin/nats-server");

    @TempDir
    Path dir;

    private ProjectAccounts accounts;
    private NatsServerAccountSync sync;
    private Process server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(NATS_SERVER), "Debian's nats-server is not installed");
        accounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(dir.resolve("data")));
        accounts.provision("before", ProjectLimits.UNLIMITED);

        port = freePort();
        Path operatorJwt = Files.writeString(dir.resolve("operator.jwt"), accounts.identity().operatorJwt());
        String config = "listen: 127.0.0.1:" + port + "\n"
                + NatsServerAccountSync.fullResolverConfig(accounts.identity(), operatorJwt, dir.resolve("jwt"));
        Files.writeString(dir.resolve("nats-server.conf"), config);
        startServer();
        sync = NatsServerAccountSync.start(accounts, "nats://127.0.0.1:" + port);
    }

    private void startServer() throws Exception {
        Path log = dir.resolve("nats-server.log");
        server = new ProcessBuilder(NATS_SERVER.toString(), "-c", dir.resolve("nats-server.conf").toString())
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitListening(log);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (sync != null) {
            sync.close();
        }
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

    @Test
    void accountsExistingAtStartAndProvisionedLaterServeTheirCredentials() throws Exception {
        accounts.provision("later", ProjectLimits.UNLIMITED);
        IssuedCredential early = accounts.issueMemberCredentials("before", "u1", ProjectRole.MEMBER);
        IssuedCredential late = accounts.issueMemberCredentials("later", "u2", ProjectRole.MEMBER);
        try (Client a = Clients.connect(port, early); Client b = Clients.connect(port, late)) {
            Subscription sub = b.connection().subscribe("hello");
            b.connection().flush(Clients.WAIT);
            a.connection().publish("hello", "x".getBytes(StandardCharsets.UTF_8));
            b.connection().publish("hello", "own".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(sub.nextMessage(Clients.WAIT).getData(), StandardCharsets.UTF_8))
                    .as("the projects are separate accounts on nats-server too").isEqualTo("own");
        }
    }

    @Test
    void aRevokedCredentialsLiveConnectionIsClosedAndItCannotReconnect() throws Exception {
        IssuedCredential service = accounts.createServiceCredential("before", "svc", CredentialScope.FULL, Optional.empty());
        IssuedCredential other = accounts.createServiceCredential("before", "other", CredentialScope.FULL, Optional.empty());
        try (Client revoked = Clients.connect(port, service); Client kept = Clients.connect(port, other)) {
            revoked.connection().flush(Clients.WAIT);
            assertThat(accounts.revoke("before", service.info().id())).isTrue();
            assertThat(revoked.awaitClosed()).isTrue();
            kept.connection().flush(Clients.WAIT);
            assertThat(kept.connection().getStatus()).isEqualTo(io.nats.client.Connection.Status.CONNECTED);
        }
        assertThat(RawConnect.attempt(port, service)).contains("Authorization Violation");
    }

    @Test
    void changedLimitsReachTheServer() throws Exception {
        IssuedCredential one = accounts.issueMemberCredentials("before", "u1", ProjectRole.MEMBER);
        IssuedCredential two = accounts.issueMemberCredentials("before", "u2", ProjectRole.MEMBER);
        assertThat(RawConnect.attempt(port, two, "PUB big 101\r\n" + "x".repeat(101) + "\r\n")).endsWith("PONG\n");
        accounts.updateLimits("before", ProjectLimits.UNLIMITED.withMaxConnections(1).withMaxPayload(100));
        try (Client first = Clients.connect(port, one)) {
            first.connection().flush(Clients.WAIT);
            assertThat(RawConnect.attempt(port, two)).isEqualTo("-ERR 'maximum account active connections exceeded'\n");
        }
        assertThat(RawConnect.attempt(port, two, "PUB big 101\r\n" + "x".repeat(101) + "\r\n"))
                .contains("-ERR 'Maximum Payload Violation'");
    }

    @Test
    void aRemovedProjectsAccountIsDeletedAndItsClientsDisconnected() throws Exception {
        IssuedCredential member = accounts.issueMemberCredentials("before", "u1", ProjectRole.MEMBER);
        try (Client c = Clients.connect(port, member)) {
            c.connection().flush(Clients.WAIT);
            accounts.remove("before");
            assertThat(c.awaitClosed()).isTrue();
        }
        assertThat(RawConnect.attempt(port, member)).doesNotContain("PONG");
    }

    @Test
    void changesMadeWhileTheServerIsDownArePushedWhenTheConnectionIsBack() throws Exception {
        IssuedCredential service = accounts.createServiceCredential("before", "svc", CredentialScope.FULL, Optional.empty());
        assertThat(RawConnect.attempt(port, service)).endsWith("PONG\n");
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);

        accounts.revoke("before", service.info().id());
        accounts.provision("meanwhile", ProjectLimits.UNLIMITED);
        startServer();
        IssuedCredential later = accounts.issueMemberCredentials("meanwhile", "u1", ProjectRole.MEMBER);
        // the resync after reconnecting brings the revocation and the new account; nothing else changes
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!RawConnect.attempt(port, later).endsWith("PONG\n")) {
            assertThat(System.nanoTime()).as("the new account reached the restarted server").isLessThan(giveUp);
            server.waitFor(50, TimeUnit.MILLISECONDS);
        }
        assertThat(RawConnect.attempt(port, service)).contains("Authorization Violation");
    }
}
