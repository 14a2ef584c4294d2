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
 * nkey users ({@code users [ {nkey: U…} ]}): the client proves it holds the seed of a configured user key by
 * signing the INFO nonce ({@code nkey} + {@code sig} in CONNECT).
 */
public final class NKeyAuthenticator implements Authenticator {

    private final Map<String, ConfigUser> users = new LinkedHashMap<>();

    public NKeyAuthenticator(List<ConfigUser> nkeyUsers) {
        for (ConfigUser user : nkeyUsers) {
            if (!NKey.isValidPublicKey(user.name(), NKey.Type.USER)) {
                throw new IllegalArgumentException("not a user nkey: " + user.name());
            }
            if (users.putIfAbsent(user.name(), user) != null) {
                throw new IllegalArgumentException("duplicate nkey user " + user.name());
            }
        }
    }

    @Override
    public boolean requiresNonce() {
        return true;
    }

    @Override
    public Grant authenticate(ConnectAttempt attempt) {
        String nkey = attempt.nkey().orElseThrow(() -> new AuthenticationException("no nkey presented"));
        ConfigUser user = users.get(nkey);
        if (user == null || !user.allowsTransport(attempt.transport())) {
            throw new AuthenticationException("unknown nkey " + nkey);
        }
        String nonce = attempt.nonce().orElseThrow(() -> new AuthenticationException("no nonce was sent"));
        String sig = attempt.signature().orElseThrow(() -> new AuthenticationException("signature missing"));
        if (!NKey.fromPublicKey(nkey).verifyNonce(nonce, sig)) {
            throw new AuthenticationException("nonce signature does not verify for " + nkey);
        }
        return user.grant();
    }

    /** The grant of a configured nkey user without a signature: for {@code no_auth_user}. */
    Optional<Grant> grantWithoutSignature(String nkey, String transport) {
        return Optional.ofNullable(users.get(nkey)).filter(u -> u.allowsTransport(transport)).map(ConfigUser::grant);
    }

    boolean hasUser(String nkey) {
        return users.containsKey(nkey);
    }
}
