package io.pocketbus.broker;

import io.pocketbus.broker.spi.Permissions;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An account of the {@code accounts} block: its users (whose {@link ConfigUser#account()} is this account),
 * exports, imports, JetStream and default permissions.
 */
public record ConfigAccount(String name, List<ConfigUser> users, List<ConfigExport> exports,
        List<ConfigImport> imports, Optional<ConfigJetStream> jetstream, Permissions defaultPermissions,
        AccountLimits limits) {

    public ConfigAccount {
        users = List.copyOf(users);
        exports = List.copyOf(exports);
        imports = List.copyOf(imports);
    }

    /** An account without limits. */
    public ConfigAccount(String name, List<ConfigUser> users, List<ConfigExport> exports, List<ConfigImport> imports,
            Optional<ConfigJetStream> jetstream, Permissions defaultPermissions) {
        this(name, users, exports, imports, jetstream, defaultPermissions, AccountLimits.UNLIMITED);
    }

    /**
     * The exports and imports as the broker defines them ({@link BrokerBuilder#account}). A chunked service
     * export answers with any number of responses, as a stream one does.
     */
    public AccountConfig toAccountConfig() {
        AccountConfig config = AccountConfig.named(name);
        for (ConfigExport e : exports) {
            config = switch (e.kind()) {
                case STREAM -> config.withStreamExport(new AccountConfig.StreamExport(e.subject(), e.accounts()));
                case SERVICE -> config.withServiceExport(new AccountConfig.ServiceExport(e.subject(), e.accounts(),
                        e.responseType().map(t -> t.toLowerCase(Locale.ROOT)).filter(t -> !t.equals("singleton"))
                                .map(t -> AccountConfig.ResponseType.STREAM).orElse(AccountConfig.ResponseType.SINGLETON)));
            };
        }
        for (ConfigImport i : imports) {
            config = switch (i.kind()) {
                case STREAM -> config.withStreamImport(new AccountConfig.StreamImport(i.account(), i.subject(),
                        i.prefix(), i.to()));
                case SERVICE -> config.withServiceImport(new AccountConfig.ServiceImport(i.account(), i.subject(), i.to()));
            };
        }
        return config;
    }
}
