package io.pocketbus.broker;

import io.pocketbus.broker.spi.AuthenticationException;
import io.pocketbus.broker.spi.Authenticator;
import io.pocketbus.broker.spi.ConnectAttempt;
import io.pocketbus.broker.spi.Grant;
import io.pocketbus.broker.spi.Permissions;
import java.util.Optional;

/** {@code authorization { token: … }}: a client presenting the token ({@code auth_token}) joins the account. */
public final class TokenAuthenticator implements Authenticator {

    private final ConfigSecret token;
    private final Permissions permissions;

    public TokenAuthenticator(ConfigSecret token, Permissions permissions) {
        this.token = token;
        this.permissions = permissions;
    }

    /** A token (plain or bcrypt) that grants everything in the global account. */
    public static TokenAuthenticator of(String token) {
        return new TokenAuthenticator(new ConfigSecret(token), Permissions.ALL);
    }

    @Override
    public Grant authenticate(ConnectAttempt attempt) {
        String presented = attempt.token().orElseThrow(() -> new AuthenticationException("no auth_token presented"));
        if (!token.matches(presented)) {
            throw new AuthenticationException("wrong auth_token");
        }
        return new Grant(ConfigUser.GLOBAL_ACCOUNT, "token", permissions, Optional.empty(), Optional.empty());
    }
}
