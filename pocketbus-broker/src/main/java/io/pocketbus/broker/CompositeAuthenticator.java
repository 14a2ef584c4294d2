package io.pocketbus.broker;

import io.pocketbus.broker.spi.AuthenticationException;
import io.pocketbus.broker.spi.Authenticator;
import io.pocketbus.broker.spi.ConnectAttempt;
import io.pocketbus.broker.spi.Grant;
import java.util.Optional;

/**
 * The configured modes tried as nats-server tries them: in operator mode only a user JWT is accepted;
 * otherwise CONNECT's {@code nkey} selects an nkey user, its {@code user} a user/password user, its
 * {@code auth_token} the token. A client presenting no credentials at all is {@code no_auth_user} when one is
 * configured.
 */
public final class CompositeAuthenticator implements Authenticator {

    private final Optional<OperatorAuthenticator> operator;
    private final Optional<NKeyAuthenticator> nkeys;
    private final Optional<UserPasswordAuthenticator> users;
    private final Optional<TokenAuthenticator> token;
    private final Optional<String> noAuthUser;

    private CompositeAuthenticator(Builder b) {
        this.operator = b.operator;
        this.nkeys = b.nkeys;
        this.users = b.users;
        this.token = b.token;
        this.noAuthUser = b.noAuthUser;
        if (operator.isPresent() && (nkeys.isPresent() || users.isPresent() || token.isPresent())) {
            throw new IllegalArgumentException("operator mode cannot be combined with users, nkeys or a token");
        }
        if (token.isPresent() && (users.isPresent() || nkeys.isPresent())) {
            throw new IllegalArgumentException("a token cannot be combined with users or nkeys");
        }
        noAuthUser.ifPresent(name -> {
            if (!users.map(u -> u.hasUser(name)).orElse(false) && !nkeys.map(n -> n.hasUser(name)).orElse(false)) {
                throw new IllegalArgumentException("no_auth_user " + name + " is not a configured user");
            }
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The operator mode, when configured. */
    Optional<OperatorAuthenticator> operator() {
        return operator;
    }

    /** In operator mode, the system account the trusted operator names. */
    public Optional<String> systemAccount() {
        return operator.flatMap(OperatorAuthenticator::systemAccount);
    }

    /** Whether any mode is configured; without one the broker needs no authentication at all. */
    public boolean isEmpty() {
        return operator.isEmpty() && nkeys.isEmpty() && users.isEmpty() && token.isEmpty();
    }

    /** nats-server drops {@code auth_required} from INFO when a {@code no_auth_user} exists. */
    @Override
    public boolean authRequired() {
        return !isEmpty() && noAuthUser.isEmpty();
    }

    @Override
    public boolean requiresNonce() {
        return operator.isPresent() || nkeys.isPresent();
    }

    @Override
    public void onCredentialsChanged(Runnable listener) {
        operator.ifPresent(o -> o.onCredentialsChanged(listener));
    }

    @Override
    public Grant authenticate(ConnectAttempt attempt) {
        if (operator.isPresent()) {
            return operator.get().authenticate(attempt);
        }
        if (noCredentials(attempt) && noAuthUser.isPresent()) {
            String name = noAuthUser.get();
            return users.flatMap(u -> u.grantWithoutPassword(name, attempt.transport()))
                    .or(() -> nkeys.flatMap(n -> n.grantWithoutSignature(name, attempt.transport())))
                    .orElseThrow(() -> new AuthenticationException("no_auth_user " + name + " may not use this connection type"));
        }
        if (given(attempt.nkey()) && nkeys.isPresent()) {
            return nkeys.get().authenticate(attempt);
        }
        if (given(attempt.user()) && users.isPresent()) {
            return users.get().authenticate(attempt);
        }
        if (token.isPresent()) {
            return token.get().authenticate(attempt);
        }
        throw new AuthenticationException("no credentials the server accepts were presented");
    }

    /** Like nats-server, an empty string counts as not given. */
    private static boolean noCredentials(ConnectAttempt a) {
        return !given(a.user()) && !given(a.password()) && !given(a.token()) && !given(a.nkey());
    }

    private static boolean given(Optional<String> field) {
        return field.filter(s -> !s.isEmpty()).isPresent();
    }

    /** Collects the configured modes. */
    public static final class Builder {
        private Optional<OperatorAuthenticator> operator = Optional.empty();
        private Optional<NKeyAuthenticator> nkeys = Optional.empty();
        private Optional<UserPasswordAuthenticator> users = Optional.empty();
        private Optional<TokenAuthenticator> token = Optional.empty();
        private Optional<String> noAuthUser = Optional.empty();

        private Builder() {
        }

        public Builder operator(OperatorAuthenticator operator) {
            this.operator = Optional.of(operator);
            return this;
        }

        public Builder nkeys(NKeyAuthenticator nkeys) {
            this.nkeys = Optional.of(nkeys);
            return this;
        }

        public Builder users(UserPasswordAuthenticator users) {
            this.users = Optional.of(users);
            return this;
        }

        public Builder token(TokenAuthenticator token) {
            this.token = Optional.of(token);
            return this;
        }

        public Builder noAuthUser(String name) {
            this.noAuthUser = Optional.of(name);
            return this;
        }

        public CompositeAuthenticator build() {
            return new CompositeAuthenticator(this);
        }
    }
}
