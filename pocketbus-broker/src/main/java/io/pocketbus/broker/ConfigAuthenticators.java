package io.pocketbus.broker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a configuration's authorization, accounts and operator settings into a {@link CompositeAuthenticator}.
 * Reading a file checks the combination first ({@code check}), so that an error can name the line; only the
 * real build opens a resolver directory.
 */
final class ConfigAuthenticators {

    private ConfigAuthenticators() {
    }

    /** Checks the configuration would build, without touching the file system. */
    static void check(ConfigFile config) {
        build(config, false);
    }

    /** @throws IllegalArgumentException when the settings cannot be combined */
    static Optional<CompositeAuthenticator> build(ConfigFile config) {
        return build(config, true);
    }

    private static Optional<CompositeAuthenticator> build(ConfigFile config, boolean openResolver) {
        CompositeAuthenticator.Builder builder = CompositeAuthenticator.builder();
        if (config.operatorMode()) {
            if (!config.users().isEmpty() || config.authorization().flatMap(ConfigAuthorization::token).isPresent()) {
                throw new IllegalArgumentException("operator mode does not allow users or a token in the configuration");
            }
            builder.operator(operator(config, openResolver));
        } else {
            List<ConfigUser> users = config.users();
            List<ConfigUser> withPassword = users.stream().filter(u -> u.password().isPresent()).toList();
            List<ConfigUser> withNKey = users.stream().filter(u -> u.password().isEmpty()).toList();
            if (!withPassword.isEmpty()) {
                builder.users(new UserPasswordAuthenticator(withPassword));
            }
            if (!withNKey.isEmpty()) {
                builder.nkeys(new NKeyAuthenticator(withNKey));
            }
            config.authorization().flatMap(ConfigAuthorization::token)
                    .ifPresent(t -> builder.token(new TokenAuthenticator(t, config.authorization().get().defaultPermissions())));
            config.noAuthUser().ifPresent(builder::noAuthUser);
        }
        CompositeAuthenticator authenticator = builder.build();
        return authenticator.isEmpty() ? Optional.empty() : Optional.of(authenticator);
    }

    private static OperatorAuthenticator operator(ConfigFile config, boolean openResolver) {
        OperatorAuthenticator.Builder op = OperatorAuthenticator.builder();
        config.operatorJwts().forEach(op::trustedOperator);
        config.trustedKeys().forEach(op::trustedKey);
        op.resolver(resolver(config, openResolver));
        return op.build();
    }

    private static JwtAccountResolver resolver(ConfigFile config, boolean open) {
        Map<String, String> preload = config.resolverPreload();
        preload.forEach((key, jwt) -> {
            if (!JwtAccountResolver.verifiedAccount(jwt).subject().equals(key)) {
                throw new IllegalArgumentException("resolver_preload: the JWT for " + key + " is for another account");
            }
        });
        ConfigResolver resolver = config.resolver().orElseGet(() -> {
            if (preload.isEmpty()) {
                throw new IllegalArgumentException("operator mode needs a resolver (MEMORY or a directory)");
            }
            return new ConfigResolver(ConfigResolver.Type.MEMORY, Optional.empty(), false);
        });
        String dir = resolver.dir().orElse("");
        if (resolver.type() != ConfigResolver.Type.MEMORY && dir.isEmpty()) {
            throw new IllegalArgumentException("dir has no value and needs to point to a directory");
        }
        if (resolver.type() == ConfigResolver.Type.MEMORY || !open) {
            return JwtMemoryResolver.preloaded(List.copyOf(preload.values()));
        }
        JwtDirectoryResolver directory = JwtDirectoryResolver.open(Path.of(dir));
        preload.values().forEach(directory::store);
        return directory;
    }
}
