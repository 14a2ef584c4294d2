package io.pocketbus.broker;

import io.pocketbus.broker.spi.Grant;
import io.pocketbus.broker.spi.Permissions;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A user from the configuration ({@code authorization.users[]} or {@code accounts.X.users[]}): a name and
 * password, or an nkey, with its permissions, account and allowed connection types.
 *
 * @param name the user name, or for an nkey user its public key
 * @param password empty for an nkey user
 * @param account the account the user joins ({@code $G}, the global account, when none is configured)
 * @param allowedConnectionTypes {@code allowed_connection_types} ("STANDARD", "WEBSOCKET", …); empty = any
 */
public record ConfigUser(String name, Optional<ConfigSecret> password, Permissions permissions, String account,
        List<String> allowedConnectionTypes) {

    /** The account nats-server puts users in when none is configured. */
    public static final String GLOBAL_ACCOUNT = "$G";

    public ConfigUser {
        allowedConnectionTypes = List.copyOf(allowedConnectionTypes);
    }

    /** A user name and password (plain or bcrypt) in the global account, allowed everything. */
    public static ConfigUser withPassword(String name, String password) {
        return new ConfigUser(name, Optional.of(new ConfigSecret(password)), Permissions.ALL, GLOBAL_ACCOUNT, List.of());
    }

    /** An nkey user in the global account, allowed everything. */
    public static ConfigUser withNKey(String publicKey) {
        if (!NKey.isValidPublicKey(publicKey, NKey.Type.USER)) {
            throw new IllegalArgumentException("not a user nkey: " + publicKey);
        }
        return new ConfigUser(publicKey, Optional.empty(), Permissions.ALL, GLOBAL_ACCOUNT, List.of());
    }

    public ConfigUser withPermissions(Permissions permissions) {
        return new ConfigUser(name, password, permissions, account, allowedConnectionTypes);
    }

    public ConfigUser inAccount(String account) {
        return new ConfigUser(name, password, permissions, account, allowedConnectionTypes);
    }

    public ConfigUser withAllowedConnectionTypes(List<String> types) {
        return new ConfigUser(name, password, permissions, account, types);
    }

    /** Whether the user may connect over this transport (a {@code ConnectAttempt.transport()}). */
    public boolean allowsTransport(String transport) {
        return connectionTypeAllowed(allowedConnectionTypes, transport);
    }

    Grant grant() {
        return new Grant(account, name, permissions, Optional.empty(), Optional.empty());
    }

    /** nats-server's connection type names for our transports; an empty list allows every type. */
    static boolean connectionTypeAllowed(List<String> allowed, String transport) {
        if (allowed.isEmpty()) {
            return true;
        }
        String type = switch (transport) {
            case "websocket" -> "WEBSOCKET";
            case "in-process" -> "IN_PROCESS";
            default -> "STANDARD";
        };
        return allowed.stream().anyMatch(a -> a.toUpperCase(Locale.ROOT).equals(type));
    }

    @Override
    public String toString() {
        return "ConfigUser[" + name + " in " + account + "]";
    }
}
