package io.pocketbus.broker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A nats-server configuration file read into a typed model: what the broker applies to its builder. Options
 * nats-server has but the broker does not support are either refused (when ignoring them would weaken
 * security, e.g. {@code tls}) or listed in {@link #warnings()}; unknown options are errors, as in nats-server.
 *
 * @param host {@code host}/{@code net}, or the host of {@code listen}
 * @param port {@code port}, or the port of {@code listen}
 * @param monitor {@code http} / {@code http_port}: the monitoring listener
 * @param authorization the top-level {@code authorization} block
 * @param accounts the {@code accounts} block
 * @param noAuthUser {@code no_auth_user}
 * @param operatorJwts the trusted operator JWTs ({@code operator}: files or inline JWTs, already read)
 * @param trustedKeys {@code trusted_keys}: operator public keys trusted without a JWT
 * @param resolverPreload {@code resolver_preload}: account public key → account JWT
 * @param systemAccount {@code system_account}; in operator mode a trusted operator JWT may name it instead
 */
public record ConfigFile(
        Optional<String> serverName,
        Optional<String> host,
        Optional<Integer> port,
        Optional<ConfigListen> monitor,
        ConfigLimits limits,
        Optional<ConfigAuthorization> authorization,
        List<ConfigAccount> accounts,
        Optional<String> noAuthUser,
        List<String> operatorJwts,
        List<String> trustedKeys,
        Optional<ConfigResolver> resolver,
        Map<String, String> resolverPreload,
        Optional<String> systemAccount,
        boolean noSystemAccount,
        Optional<ConfigJetStream> jetstream,
        Optional<ConfigWebsocket> websocket,
        List<String> warnings) {

    public ConfigFile {
        accounts = List.copyOf(accounts);
        operatorJwts = List.copyOf(operatorJwts);
        trustedKeys = List.copyOf(trustedKeys);
        resolverPreload = Map.copyOf(resolverPreload);
        warnings = List.copyOf(warnings);
    }

    /** Reads a configuration file; {@code $VARIABLES} not defined in it come from the process environment. */
    public static ConfigFile load(Path file) {
        return load(file, name -> Optional.ofNullable(System.getenv(name)));
    }

    public static ConfigFile load(Path file, Function<String, Optional<String>> environment) {
        ConfigParser.Result parsed = ConfigParser.parseFile(file, environment);
        return new ConfigReader(parsed.usedVariables(), Optional.ofNullable(file.toAbsolutePath().getParent()))
                .read(parsed.root());
    }

    /** Reads configuration text; includes and relative paths resolve against the working directory. */
    public static ConfigFile parse(String text) {
        return parse(text, name -> Optional.ofNullable(System.getenv(name)));
    }

    public static ConfigFile parse(String text, Function<String, Optional<String>> environment) {
        ConfigParser.Result parsed = ConfigParser.parse(text, "<string>", Optional.empty(), environment);
        return new ConfigReader(parsed.usedVariables(), Optional.empty()).read(parsed.root());
    }

    /** Every configured user: the {@code authorization} block's and the accounts'. */
    public List<ConfigUser> users() {
        List<ConfigUser> all = new ArrayList<>();
        authorization.ifPresent(a -> all.addAll(a.users()));
        accounts.forEach(a -> all.addAll(a.users()));
        return all;
    }

    /** Whether the file puts the server in operator (JWT) mode. */
    public boolean operatorMode() {
        return !operatorJwts.isEmpty() || !trustedKeys.isEmpty();
    }

    /**
     * The authenticator for the configured modes, in nats-server's order; empty when the file configures no
     * authentication, so every client may connect.
     *
     * @throws IllegalArgumentException when the modes cannot be combined (a file read by {@link #load} was
     *     already checked, with the error's line)
     */
    public Optional<CompositeAuthenticator> authenticator() {
        return ConfigAuthenticators.build(this);
    }
}
