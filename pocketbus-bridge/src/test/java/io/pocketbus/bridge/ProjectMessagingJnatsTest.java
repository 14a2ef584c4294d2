package io.pocketbus.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.pocketbus.bridge.Clients.Client;
import io.pocketbus.broker.Broker;
import io.pocketbus.broker.ConnectionInfo;
import io.pocketbus.broker.CredsFile;
import io.pocketbus.broker.NKey;
import io.pocketbus.broker.spi.AuthenticationException;
import io.pocketbus.broker.spi.ConnectAttempt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Project accounts on the embedded broker, end to end with jnats and the credentials issued for them. */
class ProjectMessagingJnatsTest {

    private static final Duration WAIT = Clients.WAIT;

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock();
    private ProjectAccounts accounts;
    private Broker broker;

    @BeforeEach
    void start() {
        accounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(dataDir, new SecureRandom(), clock));
        accounts.provision("projecta", ProjectLimits.UNLIMITED);
        accounts.provision("projectb", ProjectLimits.UNLIMITED);
        broker = startBroker(accounts);
    }

    private static Broker startBroker(ProjectAccounts accounts) {
        Broker b = accounts.configure(Broker.builder().port(0).websocketPort(0).authTimeout(Clients.AUTH_TIMEOUT)).build();
        accounts.attach(b);
        return b.start();
    }

    @AfterEach
    void stop() {
        broker.shutdown();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A refused CONNECT: nats-server says {@code Authorization Violation} whatever the reason; until the broker
     * does the same at CONNECT (the {@code broker} helper's open item) it may name revocation or expiry.
     */
    private static final String REFUSED =
            "-ERR '(Authorization Violation|User Authentication Revoked|User Authentication Expired)'\n";

    private String refusal(IssuedCredential credential) throws Exception {
        return RawConnect.attempt(broker.port(), credential);
    }

    private Client member(String project, String user) throws Exception {
        return Clients.connect(broker.port(), accounts.issueMemberCredentials(project, user, ProjectRole.MEMBER));
    }

    @Test
    void membersOfAProjectPublishSubscribeAndRequest() throws Exception {
        try (Client alice = member("projecta", "alice"); Client bob = member("projecta", "bob")) {
            Subscription sub = bob.connection().subscribe("orders.>");
            bob.connection().createDispatcher(m -> bob.connection().publish(m.getReplyTo(), bytes("pong " + new String(m.getData(), StandardCharsets.UTF_8))))
                    .subscribe("svc.ping");
            bob.connection().flush(WAIT);

            alice.connection().publish("orders.new", bytes("first"));
            Message m = sub.nextMessage(WAIT);
            assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("first");

            Message reply = alice.connection().request("svc.ping", bytes("hi"), WAIT);
            assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("pong hi");
        }
        assertThat(broker.accounts()).contains(accounts.accountPublicKey("projecta").orElseThrow());
    }

    @Test
    void memberCredentialsWorkOverWebSocketAsInABrowser() throws Exception {
        IssuedCredential alice = accounts.issueMemberCredentials("projecta", "alice", ProjectRole.MEMBER);
        int wsPort = broker.websocketPort().orElseThrow();
        try (Client ws = Clients.connect(Clients.options("ws://127.0.0.1:" + wsPort, alice));
                Client tcp = member("projecta", "bob")) {
            Subscription sub = ws.connection().subscribe("chat.>");
            ws.connection().flush(WAIT);
            tcp.connection().publish("chat.room", bytes("hello browser"));
            assertThat(new String(sub.nextMessage(WAIT).getData(), StandardCharsets.UTF_8)).isEqualTo("hello browser");
            assertThat(broker.connections()).anySatisfy(c -> {
                assertThat(c.kind()).isEqualTo("websocket");
                assertThat(c.authorizedUser()).isEqualTo(alice.info().id());
                assertThat(c.account()).isEqualTo(accounts.accountPublicKey("projecta").orElseThrow());
            });
        }
    }

    @Test
    void theAppsOwnAccountIsSeparateFromEveryProject() throws Exception {
        CredsFile app = accounts.identity().appCredentials();
        Path creds = Files.writeString(dataDir.resolve("app.creds"), app.render());
        try (Client appClient = Clients.connect(Options.builder().server("nats://127.0.0.1:" + broker.port())
                        .maxReconnects(0).connectionTimeout(Duration.ofSeconds(30)).authHandler(Nats.credentials(creds.toString())));
                Client member = member("projecta", "alice")) {
            Subscription records = appClient.connection().subscribe("pb.records.>");
            Subscription spy = member.connection().subscribe("pb.records.>");
            appClient.connection().flush(WAIT);
            member.connection().flush(WAIT);
            appClient.connection().publish("pb.records.posts.create.abc", bytes("{}"));
            assertThat(records.nextMessage(WAIT).getSubject()).isEqualTo("pb.records.posts.create.abc");
            appClient.connection().flush(WAIT);
            member.connection().flush(WAIT);
            assertThat(spy.getPendingMessageCount()).isZero();
        }
    }

    @Test
    void anotherProjectSeesNothingOfIt() throws Exception {
        try (Client a = member("projecta", "alice"); Client b = member("projectb", "mallory")) {
            Subscription everything = b.connection().subscribe(">");
            Subscription own = a.connection().subscribe(">");
            b.connection().flush(WAIT);
            a.connection().flush(WAIT);

            a.connection().publish("orders.new", bytes("secret"));
            a.connection().flush(WAIT);
            // delivery to every matching subscriber happens while the publish is processed, so after A's
            // flush and then B's, anything routed to B would be in B's queue
            b.connection().flush(WAIT);
            assertThat(own.nextMessage(WAIT)).isNotNull();
            assertThat(everything.getPendingMessageCount()).isZero();
        }
    }

    @Test
    void aViewerSubscribesButCannotPublish() throws Exception {
        IssuedCredential viewerCreds = accounts.issueMemberCredentials("projecta", "victor", ProjectRole.VIEWER);
        try (Client alice = member("projecta", "alice"); Client viewer = Clients.connect(broker.port(), viewerCreds)) {
            Subscription watched = viewer.connection().subscribe("orders.>");
            Subscription aliceSees = alice.connection().subscribe("orders.>");
            viewer.connection().flush(WAIT);
            alice.connection().flush(WAIT);

            viewer.connection().publish("orders.fake", bytes("nope"));
            assertThat(viewer.errors().poll(WAIT.toSeconds(), TimeUnit.SECONDS)).contains("Permissions Violation");
            alice.connection().publish("orders.real", bytes("yes"));
            assertThat(watched.nextMessage(WAIT).getSubject()).isEqualTo("orders.real");
            assertThat(aliceSees.nextMessage(WAIT).getSubject()).isEqualTo("orders.real");
        }
    }

    @Test
    void aServiceCredentialIsScopedAndWorksAsACredsFile() throws Exception {
        CredentialScope scope = CredentialScope.builder()
                .publish(List.of("orders.>"), List.of("orders.internal"))
                .subscribe(List.of("replies.>"), List.of())
                .build();
        IssuedCredential service = accounts.createServiceCredential("projecta", "order-service", scope,
                Optional.of(Instant.now().plus(Duration.ofDays(30))));
        Path creds = Files.writeString(dataDir.resolve("order-service.creds"), service.credsFile());
        try (Client alice = member("projecta", "alice");
                Client svc = Clients.connect(Clients.options(broker.port(), service)
                        .authHandler(Nats.credentials(creds.toString())))) {
            Subscription orders = alice.connection().subscribe("orders.>");
            alice.connection().flush(WAIT);

            svc.connection().publish("orders.internal", bytes("denied"));
            assertThat(svc.errors().poll(WAIT.toSeconds(), TimeUnit.SECONDS)).contains("Permissions Violation");
            svc.connection().publish("orders.new", bytes("allowed"));
            assertThat(orders.nextMessage(WAIT).getSubject()).isEqualTo("orders.new");

            svc.connection().subscribe("elsewhere");
            assertThat(svc.errors().poll(WAIT.toSeconds(), TimeUnit.SECONDS)).contains("Permissions Violation");
        }
    }

    @Test
    void aRevokedCredentialsLiveConnectionIsClosedAndItCannotConnectAgain() throws Exception {
        IssuedCredential service = accounts.createServiceCredential("projecta", "worker", CredentialScope.FULL, Optional.empty());
        try (Client alice = member("projecta", "alice"); Client worker = Clients.connect(broker.port(), service)) {
            worker.connection().flush(WAIT);
            assertThat(accounts.revoke("projecta", service.info().id())).isTrue();
            assertThat(worker.errors().poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("User Authentication Revoked");
            assertThat(worker.awaitClosed()).isTrue();
            assertThat(alice.connection().getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
        assertThat(refusal(service)).matches(REFUSED);
        assertThat(accounts.listCredentials("projecta")).filteredOn(c -> c.id().equals(service.info().id()))
                .singleElement().satisfies(c -> assertThat(c.revokedAt()).isPresent());
        assertThat(accounts.revoke("projecta", service.info().id())).isFalse();
    }

    @Test
    void revokingAMemberClosesAllTheirConnections() throws Exception {
        try (Client one = member("projecta", "bob"); Client two = member("projecta", "bob"); Client alice = member("projecta", "alice")) {
            assertThat(accounts.revokeMember("projecta", "bob")).isEqualTo(2);
            assertThat(one.awaitClosed()).isTrue();
            assertThat(two.awaitClosed()).isTrue();
            alice.connection().flush(WAIT);
            assertThat(alice.connection().getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Test
    void anExpiredJwtIsRefused() throws Exception {
        IssuedCredential member = accounts.issueMemberCredentials("projecta", "alice", ProjectRole.MEMBER);
        assertThat(refusal(member)).isEqualTo("PONG\n");
        clock.advance(ProjectAccounts.DEFAULT_MEMBER_TTL.plusSeconds(1));
        assertThat(refusal(member)).matches(REFUSED);
        assertThat(accounts.listCredentials("projecta")).isEmpty();
    }

    @Test
    void theMaximumConnectionsOfAProjectAreEnforced() throws Exception {
        accounts.updateLimits("projecta", ProjectLimits.UNLIMITED.withMaxConnections(2));
        try (Client one = member("projecta", "alice"); Client two = member("projecta", "bob");
                Client other = member("projectb", "carol")) {
            IssuedCredential third = accounts.issueMemberCredentials("projecta", "dave", ProjectRole.MEMBER);
            assertThat(refusal(third)).matches(REFUSED);
            one.connection().flush(WAIT);
            two.connection().flush(WAIT);
            other.connection().flush(WAIT);
        }
    }

    @Test
    void aLiveConnectionReCheckedAtTheConnectionLimitStillPasses() throws Exception {
        accounts.updateLimits("projecta", ProjectLimits.UNLIMITED.withMaxConnections(2));
        IssuedCredential alice = accounts.issueMemberCredentials("projecta", "alice", ProjectRole.MEMBER);
        try (Client one = Clients.connect(broker.port(), alice); Client two = member("projecta", "bob")) {
            two.connection().flush(WAIT);
            ConnectionInfo live = broker.connections().stream()
                    .filter(c -> c.authorizedUser().equals(alice.info().id())).findFirst().orElseThrow();
            String nonce = "re-check-nonce";
            String sig = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(NKey.fromSeed(alice.seed()).sign(nonce.getBytes(StandardCharsets.UTF_8)));
            ConnectAttempt again = new ConnectAttempt(Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of(sig), Optional.of(alice.jwt()), Optional.of(nonce),
                    live.ip() + ":" + live.port(), "tcp");
            assertThat(accounts.authenticator().authenticate(again).account())
                    .isEqualTo(accounts.accountPublicKey("projecta").orElseThrow());
            ConnectAttempt newcomer = new ConnectAttempt(again.user(), again.password(), again.token(), again.nkey(),
                    again.signature(), again.jwt(), again.nonce(), "127.0.0.1:1", "tcp");
            assertThatThrownBy(() -> accounts.authenticator().authenticate(newcomer))
                    .isInstanceOf(AuthenticationException.class).hasMessageContaining("maximum account active connections");
            one.connection().flush(WAIT);
        }
    }

    @Test
    void theMaximumPayloadOfAProjectIsEnforced() throws Exception {
        accounts.updateLimits("projecta", ProjectLimits.UNLIMITED.withMaxPayload(100));
        try (Client alice = member("projecta", "alice"); Client bob = member("projecta", "bob")) {
            Subscription sub = alice.connection().subscribe("big");
            alice.connection().flush(WAIT);
            bob.connection().publish("big", new byte[100]);
            assertThat(sub.nextMessage(WAIT).getData()).hasSize(100);
            bob.connection().publish("big", new byte[101]);
            assertThat(bob.errors().poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("Maximum Payload Violation");
            assertThat(bob.awaitClosed()).isTrue();
        }
    }

    @Test
    void accountsAndCredentialsAreRestoredOnTheNextStart() throws Exception {
        IssuedCredential service = accounts.createServiceCredential("projecta", "worker", CredentialScope.FULL, Optional.empty());
        IssuedCredential revoked = accounts.createServiceCredential("projecta", "old", CredentialScope.FULL, Optional.empty());
        accounts.revoke("projecta", revoked.info().id());
        String accountKey = accounts.accountPublicKey("projecta").orElseThrow();
        broker.shutdown();

        accounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(dataDir, new SecureRandom(), clock));
        broker = startBroker(accounts);
        assertThat(accounts.projectIds()).containsExactly("projecta", "projectb");
        assertThat(accounts.accountPublicKey("projecta")).contains(accountKey);
        try (Client worker = Clients.connect(broker.port(), service); Client alice = member("projecta", "alice")) {
            Subscription sub = alice.connection().subscribe("after.restart");
            alice.connection().flush(WAIT);
            worker.connection().publish("after.restart", bytes("still here"));
            assertThat(sub.nextMessage(WAIT)).isNotNull();
        }
        assertThat(refusal(revoked)).matches(REFUSED);
    }

    @Test
    void aMemberRemovedAfterARestartLosesTheCredentialsIssuedBeforeIt() throws Exception {
        IssuedCredential bob = accounts.issueMemberCredentials("projecta", "bob", ProjectRole.MEMBER);
        IssuedCredential alice = accounts.issueMemberCredentials("projecta", "alice", ProjectRole.MEMBER);
        broker.shutdown();

        accounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(dataDir, new SecureRandom(), clock));
        broker = startBroker(accounts);
        try (Client connected = Clients.connect(broker.port(), bob)) {
            assertThat(accounts.revokeMember("projecta", "bob")).isEqualTo(1);
            assertThat(connected.awaitClosed()).isTrue();
        }
        assertThat(refusal(bob)).matches(REFUSED);
        assertThat(refusal(alice)).isEqualTo("PONG\n");
    }

    @Test
    void removingAProjectClosesItsConnectionsAndRefusesItsCredentials() throws Exception {
        IssuedCredential service = accounts.createServiceCredential("projecta", "worker", CredentialScope.FULL, Optional.empty());
        try (Client worker = Clients.connect(broker.port(), service); Client other = member("projectb", "carol")) {
            accounts.remove("projecta");
            assertThat(worker.awaitClosed()).isTrue();
            other.connection().flush(WAIT);
        }
        assertThat(refusal(service)).matches(REFUSED);
        assertThat(accounts.projectIds()).containsExactly("projectb");
        assertThatThrownBy(() -> accounts.listCredentials("projecta")).isInstanceOf(ProjectAccountException.class);
        assertThat(dataDir.resolve("nats/projects/projecta.json")).doesNotExist();
    }
}
