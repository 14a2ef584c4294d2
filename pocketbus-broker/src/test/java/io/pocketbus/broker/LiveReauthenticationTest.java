package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.broker.spi.AuthenticationException;
import io.pocketbus.broker.spi.AuthenticationException.Reason;
import io.pocketbus.broker.spi.Authenticator;
import io.pocketbus.broker.spi.ConnectAttempt;
import io.pocketbus.broker.spi.Grant;
import io.pocketbus.broker.spi.Permissions;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When an authenticator reports that its decisions changed, the broker re-checks live connections with the
 * credentials of their CONNECT and closes the refused ones with nats-server's texts for live connections.
 */
class LiveReauthenticationTest {

    /** Users by name: the account each may join, or the reason it is now refused. */
    static final class ChangingAuthenticator implements Authenticator {
        final Map<String, String> accounts = new ConcurrentHashMap<>();
        final Map<String, Reason> refused = new ConcurrentHashMap<>();
        final List<Runnable> listeners = new CopyOnWriteArrayList<>();
        private final boolean authRequired;

        ChangingAuthenticator(boolean authRequired) {
            this.authRequired = authRequired;
        }

        @Override
        public boolean authRequired() {
            return authRequired;
        }

        @Override
        public Grant authenticate(ConnectAttempt attempt) {
            String user = attempt.user().orElse("anonymous");
            Reason reason = refused.get(user);
            if (reason != null) {
                throw new AuthenticationException(reason, "refused " + user);
            }
            String account = accounts.get(user);
            if (account == null) {
                throw new AuthenticationException("unknown " + user);
            }
            return new Grant(account, user, Permissions.ALL, Optional.empty(), Optional.empty());
        }

        @Override
        public void onCredentialsChanged(Runnable listener) {
            listeners.add(listener);
        }

        void changed() {
            listeners.forEach(Runnable::run);
        }
    }

    private ChangingAuthenticator auth;
    private Broker broker;

    @BeforeEach
    void start() {
        auth = new ChangingAuthenticator(true);
        List.of("revoked", "expired", "removed", "moved", "kept").forEach(u -> auth.accounts.put(u, "A"));
        broker = Broker.builder().port(0).authenticator(auth).build().start();
    }

    @AfterEach
    void stop() {
        broker.shutdown();
    }

    private RawClient connected(String user) throws IOException {
        RawClient c = new RawClient(broker.port());
        assertThat(c.info()).contains("\"auth_required\":true");
        c.send("CONNECT {\"verbose\":false,\"user\":\"" + user + "\"}\r\n");
        assertThat(c.sync()).isEmpty();
        return c;
    }

    @Test
    void refusedConnectionsAreClosedWithTheirReasonAndTheOthersStay() throws IOException {
        try (RawClient revoked = connected("revoked"); RawClient expired = connected("expired");
                RawClient removed = connected("removed"); RawClient moved = connected("moved");
                RawClient kept = connected("kept")) {
            auth.refused.put("revoked", Reason.REVOKED);
            auth.refused.put("expired", Reason.EXPIRED);
            auth.accounts.remove("removed");
            auth.accounts.put("moved", "B");
            auth.changed();

            assertThat(revoked.readToClose()).isEqualTo("-ERR 'User Authentication Revoked'\r\n");
            assertThat(expired.readToClose()).isEqualTo("-ERR 'User Authentication Expired'\r\n");
            assertThat(removed.readToClose()).isEqualTo("-ERR 'Authorization Violation'\r\n");
            assertThat(moved.readToClose()).isEqualTo("-ERR 'Authorization Violation'\r\n");
            kept.send("SUB x 1\r\nPUB x 2\r\nhi\r\n");
            assertThat(kept.sync()).isEqualTo("MSG x 1 2\r\nhi\r\n");
        }
    }

    @Test
    void infoLeavesOutAuthRequiredWhenTheAuthenticatorAdmitsClientsWithoutCredentials() throws IOException {
        broker.shutdown();
        auth = new ChangingAuthenticator(false);
        auth.accounts.put("anonymous", "A");
        broker = Broker.builder().port(0).authenticator(auth).build().start();
        try (RawClient c = new RawClient(broker.port())) {
            assertThat(c.info()).doesNotContain("auth_required");
            c.send("CONNECT {\"verbose\":false}\r\nSUB x 1\r\nPUB x 2\r\nhi\r\n");
            assertThat(c.sync()).isEqualTo("MSG x 1 2\r\nhi\r\n");
        }
    }
}
