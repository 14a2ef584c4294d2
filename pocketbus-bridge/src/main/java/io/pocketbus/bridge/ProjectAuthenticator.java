package io.pocketbus.bridge;

import io.pocketbus.broker.Broker;
import io.pocketbus.broker.OperatorAuthenticator;
import io.pocketbus.broker.spi.AuthenticationException;
import io.pocketbus.broker.spi.Authenticator;
import io.pocketbus.broker.spi.ConnectAttempt;
import io.pocketbus.broker.spi.Grant;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Operator-mode authentication for the embedded broker, plus the account's {@code conn} limit, which the
 * broker does not enforce itself: a connection that would exceed its account's maximum is refused. The count
 * is taken from the broker's live connections at CONNECT, so two clients connecting at the very same moment
 * may both pass the last free slot; in-process connections, which share one address, are not told apart
 * when a live connection is re-checked.
 */
final class ProjectAuthenticator implements Authenticator {

    private final OperatorAuthenticator operator;
    private final Supplier<Optional<Broker>> broker;
    private final Predicate<String> internalUser;

    ProjectAuthenticator(OperatorAuthenticator operator, Supplier<Optional<Broker>> broker, Predicate<String> internalUser) {
        this.operator = operator;
        this.broker = broker;
        this.internalUser = internalUser;
    }

    @Override
    public boolean requiresNonce() {
        return operator.requiresNonce();
    }

    @Override
    public void onCredentialsChanged(Runnable listener) {
        operator.onCredentialsChanged(listener);
    }

    @Override
    public Grant authenticate(ConnectAttempt attempt) {
        Grant grant = operator.authenticate(attempt);
        long max = operator.accountClaims(grant.account()).map(a -> a.limits().conn()).orElse(-1L);
        if (max >= 0 && !internalUser.test(grant.identity())) {
            // the connection being authenticated is left out: when live connections are re-checked after a
            // credentials change, it is already one of the account's
            long open = broker.get().map(b -> b.connections().stream()
                    .filter(c -> c.account().equals(grant.account()))
                    .filter(c -> !(c.ip() + ":" + c.port()).equals(attempt.remoteAddress()))
                    .count()).orElse(0L);
            if (open >= max) {
                throw new AuthenticationException("maximum account active connections exceeded: " + grant.account());
            }
        }
        return grant;
    }
}
