package io.pocketbus.broker;

import io.pocketbus.broker.spi.Permissions;
import java.util.List;
import java.util.Optional;

/**
 * An account of the {@code accounts} block: its users (whose {@link ConfigUser#account()} is this account),
 * exports, imports, JetStream and default permissions.
 */
public record ConfigAccount(String name, List<ConfigUser> users, List<ConfigExport> exports,
        List<ConfigImport> imports, Optional<ConfigJetStream> jetstream, Permissions defaultPermissions) {

    public ConfigAccount {
        users = List.copyOf(users);
        exports = List.copyOf(exports);
        imports = List.copyOf(imports);
    }
}
