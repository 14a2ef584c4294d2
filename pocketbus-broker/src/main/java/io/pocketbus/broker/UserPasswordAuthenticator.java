package io.pocketbus.broker;

import io.pocketbus.broker.spi.AuthenticationException;
import io.pocketbus.broker.spi.Authenticator;
import io.pocketbus.broker.spi.ConnectAttempt;
import io.pocketbus.broker.spi.Grant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code authorization { user, password }} and {@code users [...]}: CONNECT's {@code user}/{@code pass} are
 * checked against the configured users (plain or bcrypt passwords); the user's account and permissions are
 * granted.
 */
public final class UserPasswordAuthenticator implements Authenticator {

    private final Map<String, ConfigUser> users = new LinkedHashMap<>();

    public UserPasswordAuthenticator(List<ConfigUser> users) {
        for (ConfigUser user : users) {
            if (user.password().isEmpty()) {
                throw new IllegalArgumentException("user " + user.name() + " has no password");
            }
            if (this.users.putIfAbsent(user.name(), user) != null) {
                throw new IllegalArgumentException("duplicate user " + user.name());
            }
        }
    }

    @Override
    public Grant authenticate(ConnectAttempt attempt) {
        String name = attempt.user().orElseThrow(() -> new AuthenticationException("no user presented"));
        ConfigUser user = users.get(name);
        if (user == null || !user.allowsTransport(attempt.transport())) {
            throw new AuthenticationException("unknown user " + name);
        }
        if (!user.password().orElseThrow().matches(attempt.password().orElse(""))) {
            throw new AuthenticationException("wrong password for user " + name);
        }
        return user.grant();
    }

    /** The grant of a configured user without checking a password: for {@code no_auth_user}. */
    Optional<Grant> grantWithoutPassword(String name, String transport) {
        return Optional.ofNullable(users.get(name)).filter(u -> u.allowsTransport(transport)).map(ConfigUser::grant);
    }

    boolean hasUser(String name) {
        return users.containsKey(name);
    }
}
