package io.pocketbus.broker;

import io.pocketbus.broker.spi.Permissions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a parsed configuration tree onto {@link ConfigFile}, with nats-server's key names and aliases (keys are
 * case-insensitive). Unknown keys are errors unless the key is used as a variable, as in nats-server.
 */
final class ConfigReader {

    /** nats-server options the broker does not implement and can safely run without: warned about, ignored. */
    private static final Set<String> IGNORED = Set.of("client_advertise", "debug", "trace", "trace_verbose",
            "trace_headers", "logtime", "logtime_utc", "logfile", "log_file", "logfile_size_limit", "log_size_limit",
            "logfile_max_num", "log_max_num", "syslog", "remote_syslog", "pidfile", "pid_file", "ports_file_dir",
            "prof_port", "prof_block_rate", "http_base_path", "cluster", "gateway", "leaf", "leafnodes", "mqtt",
            "server_tags", "server_metadata", "feature_flags", "default_js_domain", "ocsp_cache",
            "no_fast_producer_stall", "max_closed_clients", "mappings", "maps", "disable_sublist_cache",
            "no_sublist_cache", "max_traced_msg_len", "max_sub_tokens", "max_subscription_tokens",
            "connect_error_reports", "reconnect_error_reports", "write_timeout", "resolver_pinned_accounts");

    /** nats-server options whose absence would weaken security: refused rather than ignored. */
    private static final Set<String> REFUSED = Set.of("tls", "https", "https_port", "ocsp", "allow_non_tls",
            "proxy_protocol", "proxies", "default_sentinel", "resolver_tls");

    private static final Pattern URL_RESOLVER = Pattern.compile("(?i)\\s*URL\\s*\\(.*\\)\\s*");
    private static final Pattern MEMORY_RESOLVER = Pattern.compile("(?i)\\s*(MEM|MEMORY)\\s*");

    private final Set<String> usedVariables;
    private final Optional<Path> directory;
    private final List<String> warnings = new ArrayList<>();

    ConfigReader(Set<String> usedVariables, Optional<Path> directory) {
        this.usedVariables = usedVariables;
        this.directory = directory;
    }

    ConfigFile read(Map<String, ConfigValue> root) {
        Optional<String> serverName = Optional.empty();
        Optional<String> host = Optional.empty();
        Optional<Integer> port = Optional.empty();
        Optional<ConfigListen> monitor = Optional.empty();
        Optional<ConfigAuthorization> authorization = Optional.empty();
        List<ConfigAccount> accounts = List.of();
        Optional<String> noAuthUser = Optional.empty();
        List<String> operators = new ArrayList<>();
        List<String> trustedKeys = new ArrayList<>();
        Optional<ConfigResolver> resolver = Optional.empty();
        Map<String, String> preload = Map.of();
        Optional<String> systemAccount = Optional.empty();
        boolean noSystemAccount = false;
        Optional<ConfigJetStream> jetstream = Optional.empty();
        Optional<String> storeDir = Optional.empty();
        Optional<ConfigWebsocket> websocket = Optional.empty();
        Limits limits = new Limits();
        ConfigValue authPosition = null;

        for (Map.Entry<String, ConfigValue> e : root.entrySet()) {
            ConfigValue v = e.getValue();
            String key = e.getKey().toLowerCase(Locale.ROOT);
            switch (key) {
                case "listen" -> {
                    ConfigListen listen = listen(v);
                    if (!listen.host().isEmpty()) {
                        host = Optional.of(listen.host());
                    }
                    port = Optional.of(listen.port());
                }
                case "port" -> port = Optional.of(port(v));
                case "host", "net" -> host = Optional.of(v.asString());
                case "server_name" -> serverName = Optional.of(v.asString());
                case "http" -> monitor = Optional.of(listen(v));
                case "http_port", "monitor_port" -> monitor = Optional.of(new ConfigListen("", port(v)));
                case "authorization" -> {
                    authorization = Optional.of(authorization(v));
                    authPosition = v;
                }
                case "accounts" -> {
                    accounts = accounts(v);
                    authPosition = authPosition == null ? v : authPosition;
                }
                case "no_auth_user" -> noAuthUser = Optional.of(v.asString());
                case "operator", "operators", "roots", "root", "root_operators", "root_operator" -> {
                    for (ConfigValue item : v.value() instanceof List<?> ? v.asList() : List.of(v)) {
                        operators.add(operatorJwt(item));
                    }
                    authPosition = v;
                }
                case "trusted", "trusted_keys" -> {
                    trustedKeys.addAll(v.asStrings());
                    authPosition = v;
                }
                case "resolver", "account_resolver", "accounts_resolver" -> resolver = Optional.of(resolver(v));
                case "resolver_preload" -> preload = preload(v);
                case "system_account", "system" -> systemAccount = Optional.of(v.asString());
                case "no_system_account", "no_system", "no_sys_acc" -> noSystemAccount = v.asBoolean();
                case "jetstream" -> jetstream = Optional.of(jetstream(v, false));
                case "store_dir", "storedir" -> storeDir = Optional.of(v.asString());
                case "websocket", "ws" -> websocket = Optional.of(websocket(v));
                case "max_payload" -> limits.maxPayload = Optional.of(size(v));
                case "max_control_line" -> limits.maxControlLine = Optional.of(size(v));
                case "max_pending" -> limits.maxPending = Optional.of(size(v));
                case "max_connections", "max_conn" -> limits.maxConnections = Optional.of(v.asInt());
                case "max_subscriptions", "max_subs" -> limits.maxSubscriptions = Optional.of(v.asInt());
                case "ping_interval" -> limits.pingInterval = Optional.of(v.asDuration());
                case "ping_max" -> limits.pingMax = Optional.of(v.asInt());
                case "write_deadline" -> limits.writeDeadline = Optional.of(v.asDuration());
                case "lame_duck_duration" -> limits.lameDuckDuration = Optional.of(v.asDuration());
                case "lame_duck_grace_period" -> limits.lameDuckGracePeriod = Optional.of(v.asDuration());
                default -> otherKey(e.getKey(), v);
            }
        }
        if (storeDir.isPresent()) {
            ConfigJetStream js = jetstream.orElse(ConfigJetStream.enabled(true));
            if (js.storeDir().isEmpty()) {
                jetstream = Optional.of(new ConfigJetStream(js.enabled(), storeDir, js.maxMemory(), js.maxFile(),
                        js.maxStreams(), js.maxConsumers(), js.domain()));
            }
        }
        ConfigFile config = new ConfigFile(serverName, host, port, monitor, limits.build(), authorization, accounts,
                noAuthUser, operators, trustedKeys, resolver, preload, systemAccount, noSystemAccount, jetstream,
                websocket, warnings);
        try {
            ConfigAuthenticators.check(config);
        } catch (IllegalArgumentException | JwtException e) {
            ConfigValue at = authPosition != null ? authPosition : root.values().stream().findFirst().orElseThrow();
            throw ConfigException.at(at, e.getMessage());
        }
        return config;
    }

    private void otherKey(String key, ConfigValue v) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (REFUSED.contains(lower)) {
            throw ConfigException.at(v, "'" + key + "' is not supported by this broker");
        }
        if (IGNORED.contains(lower)) {
            warnings.add(v.source() + ":" + v.line() + ":" + v.column() + ": '" + key + "' is not supported and is ignored");
            return;
        }
        unknown(key, v);
    }

    private void unknown(String key, ConfigValue v) {
        if (!usedVariables.contains(key)) {
            throw ConfigException.at(v, "unknown field \"" + key + "\"");
        }
    }

    private static ConfigListen listen(ConfigValue v) {
        if (v.value() instanceof Long) {
            return new ConfigListen("", port(v));
        }
        String text = v.asString();
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw ConfigException.at(v, "could not parse address string \"" + text + "\"");
        }
        try {
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new ConfigListen(host, Integer.parseInt(text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(v, "could not parse port of \"" + text + "\"");
        }
    }

    private static int port(ConfigValue v) {
        int port = v.asInt();
        if (port < -1 || port > 65535) {
            throw ConfigException.at(v, "port " + port + " is out of range");
        }
        return port;
    }

    private static long size(ConfigValue v) {
        long size = v.asLong();
        if (size < 0) {
            throw ConfigException.at(v, "a size cannot be negative");
        }
        return size;
    }

    private ConfigAuthorization authorization(ConfigValue v) {
        Optional<String> user = Optional.empty();
        Optional<ConfigValue> password = Optional.empty();
        Optional<ConfigSecret> token = Optional.empty();
        Optional<Duration> timeout = Optional.empty();
        Optional<ConfigValue> users = Optional.empty();
        Permissions defaults = Permissions.ALL;
        for (Map.Entry<String, ConfigValue> e : v.asMap().entrySet()) {
            ConfigValue f = e.getValue();
            switch (e.getKey().toLowerCase(Locale.ROOT)) {
                case "user", "username" -> user = Optional.of(f.asString());
                case "pass", "password" -> password = Optional.of(f);
                case "token" -> token = Optional.of(secret(f));
                case "timeout" -> timeout = Optional.of(f.asDuration());
                case "users" -> users = Optional.of(f);
                case "default_permission", "default_permissions", "permissions" -> defaults = ConfigPermissions.parse(f);
                case "auth_callout", "auth_hook" -> throw ConfigException.at(f, "auth_callout is not supported by this broker");
                default -> unknown(e.getKey(), f);
            }
        }
        List<ConfigUser> list = new ArrayList<>();
        if (user.isPresent()) {
            ConfigValue pw = password.orElseThrow(() -> ConfigException.at(v, "authorization user needs a password"));
            list.add(new ConfigUser(user.get(), Optional.of(secret(pw)), defaults, ConfigUser.GLOBAL_ACCOUNT, List.of()));
        }
        if (users.isPresent()) {
            list.addAll(users(users.get(), ConfigUser.GLOBAL_ACCOUNT, defaults));
        }
        if (token.isPresent() && !list.isEmpty()) {
            throw ConfigException.at(v, "can not have a token and a users array");
        }
        return new ConfigAuthorization(token, list, defaults, timeout);
    }

    private static ConfigSecret secret(ConfigValue v) {
        if (v.asString().isEmpty()) {
            throw ConfigException.at(v, "an empty password or token is not allowed");
        }
        return new ConfigSecret(v.asString());
    }

    private List<ConfigUser> users(ConfigValue v, String account, Permissions defaults) {
        List<ConfigUser> users = new ArrayList<>();
        for (ConfigValue entry : v.asList()) {
            Optional<String> nkey = Optional.empty();
            Optional<String> name = Optional.empty();
            Optional<ConfigSecret> password = Optional.empty();
            Optional<Permissions> permissions = Optional.empty();
            List<String> types = List.of();
            for (Map.Entry<String, ConfigValue> e : entry.asMap().entrySet()) {
                ConfigValue f = e.getValue();
                switch (e.getKey().toLowerCase(Locale.ROOT)) {
                    case "nkey" -> nkey = Optional.of(f.asString());
                    case "user", "username" -> name = Optional.of(f.asString());
                    case "pass", "password" -> password = Optional.of(secret(f));
                    case "permission", "permissions", "authorization" -> permissions = Optional.of(ConfigPermissions.parse(f));
                    case "allowed_connection_types", "connection_types", "clients" -> types = connectionTypes(f);
                    default -> unknown(e.getKey(), f);
                }
            }
            Permissions effective = permissions.orElse(defaults);
            if (nkey.isPresent()) {
                if (!NKey.isValidPublicKey(nkey.get(), NKey.Type.USER)) {
                    throw ConfigException.at(entry.asMap().get(nkeyKey(entry)), "not a valid public nkey for a user");
                }
                if (name.isPresent() || password.isPresent()) {
                    throw ConfigException.at(entry, "nkey users do not take usernames or passwords");
                }
                users.add(new ConfigUser(nkey.get(), Optional.empty(), effective, account, types));
            } else if (name.isPresent()) {
                if (password.isEmpty()) {
                    throw ConfigException.at(entry, "user " + name.get() + " needs a password");
                }
                users.add(new ConfigUser(name.get(), password, effective, account, types));
            } else {
                throw ConfigException.at(entry, "user entry requires a user");
            }
        }
        return users;
    }

    private static String nkeyKey(ConfigValue entry) {
        return entry.asMap().keySet().stream().filter(k -> k.equalsIgnoreCase("nkey")).findFirst().orElseThrow();
    }

    private static List<String> connectionTypes(ConfigValue v) {
        Set<String> known = Set.of("STANDARD", "WEBSOCKET", "LEAFNODE", "LEAFNODE_WS", "MQTT", "MQTT_WS", "IN_PROCESS");
        List<String> types = v.asStrings().stream().map(t -> t.toUpperCase(Locale.ROOT)).toList();
        for (String t : types) {
            if (!known.contains(t)) {
                throw ConfigException.at(v, "unknown connection type \"" + t + "\"");
            }
        }
        return types;
    }

    private List<ConfigAccount> accounts(ConfigValue v) {
        List<ConfigAccount> accounts = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : v.asMap().entrySet()) {
            accounts.add(account(e.getKey(), e.getValue()));
        }
        return accounts;
    }

    private ConfigAccount account(String name, ConfigValue v) {
        Optional<ConfigValue> users = Optional.empty();
        List<ConfigExport> exports = List.of();
        List<ConfigImport> imports = List.of();
        Optional<ConfigJetStream> jetstream = Optional.empty();
        Permissions defaults = Permissions.ALL;
        AccountLimits limits = AccountLimits.UNLIMITED;
        for (Map.Entry<String, ConfigValue> e : v.asMap().entrySet()) {
            ConfigValue f = e.getValue();
            switch (e.getKey().toLowerCase(Locale.ROOT)) {
                case "users" -> users = Optional.of(f);
                case "limits" -> limits = accountLimits(f);
                case "exports" -> exports = f.asList().stream().map(ConfigExports::export).toList();
                case "imports" -> imports = f.asList().stream().map(ConfigExports::importOf).toList();
                case "jetstream" -> jetstream = Optional.of(jetstream(f, true));
                case "default_permissions" -> defaults = ConfigPermissions.parse(f);
                case "nkey", "mappings", "maps", "msg_trace", "trace_dest" -> warnings.add(f.source() + ":"
                        + f.line() + ":" + f.column() + ": account option '" + e.getKey() + "' is not supported and is ignored");
                default -> unknown(e.getKey(), f);
            }
        }
        Permissions accountDefaults = defaults;
        List<ConfigUser> list = users.map(u -> users(u, name, accountDefaults)).orElse(List.of());
        return new ConfigAccount(name, list, exports, imports, jetstream, defaults, limits);
    }

    /** An account's {@code limits} block; -1 (nats-server's "no limit") leaves a limit off. */
    private AccountLimits accountLimits(ConfigValue v) {
        Optional<Integer> connections = Optional.empty();
        Optional<Integer> subscriptions = Optional.empty();
        for (Map.Entry<String, ConfigValue> e : v.asMap().entrySet()) {
            ConfigValue f = e.getValue();
            switch (e.getKey().toLowerCase(Locale.ROOT)) {
                case "max_connections", "max_conn" -> connections = limit(f);
                case "max_subscriptions", "max_subs" -> subscriptions = limit(f);
                case "max_payload", "max_pay", "max_leafnodes", "max_leafs" -> warnings.add(f.source() + ":" + f.line()
                        + ":" + f.column() + ": account limit '" + e.getKey() + "' is not supported and is ignored");
                default -> unknown(e.getKey(), f);
            }
        }
        return new AccountLimits(connections, subscriptions);
    }

    private static Optional<Integer> limit(ConfigValue v) {
        int n = v.asInt();
        if (n < -1) {
            throw ConfigException.at(v, "a limit must be -1 (none) or at least 0: " + n);
        }
        return n < 0 ? Optional.empty() : Optional.of(n);
    }

    private ConfigJetStream jetstream(ConfigValue v, boolean account) {
        if (v.value() instanceof Boolean b) {
            return ConfigJetStream.enabled(b);
        }
        if (v.value() instanceof String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "enabled", "enable" -> ConfigJetStream.enabled(true);
                case "disabled", "disable" -> ConfigJetStream.enabled(false);
                default -> throw ConfigException.at(v, "expected 'enabled' or 'disabled' for string value, got '" + s + "'");
            };
        }
        boolean enabled = true;
        Optional<String> storeDir = Optional.empty();
        Optional<Long> maxMemory = Optional.empty();
        Optional<Long> maxFile = Optional.empty();
        Optional<Long> maxStreams = Optional.empty();
        Optional<Long> maxConsumers = Optional.empty();
        Optional<String> domain = Optional.empty();
        for (Map.Entry<String, ConfigValue> e : v.asMap().entrySet()) {
            ConfigValue f = e.getValue();
            String key = e.getKey().toLowerCase(Locale.ROOT);
            if (account) {
                switch (key) {
                    case "max_memory", "max_mem", "mem", "memory" -> maxMemory = Optional.of(f.asLong());
                    case "max_store", "max_file", "max_disk", "store", "disk" -> maxFile = Optional.of(f.asLong());
                    case "max_streams", "streams" -> maxStreams = Optional.of(f.asLong());
                    case "max_consumers", "consumers" -> maxConsumers = Optional.of(f.asLong());
                    default -> ignoredJetStream(e.getKey(), f);
                }
            } else {
                switch (key) {
                    case "store", "store_dir", "storedir" -> storeDir = Optional.of(f.asString());
                    case "max_memory_store", "max_mem_store", "max_mem" -> maxMemory = Optional.of(size(f));
                    case "max_file_store", "max_file" -> maxFile = Optional.of(size(f));
                    case "domain" -> domain = Optional.of(f.asString());
                    case "enable", "enabled" -> enabled = f.asBoolean();
                    case "key", "ek", "encryption_key", "prev_key", "prev_ek", "prev_encryption_key", "cipher" ->
                            throw ConfigException.at(f, "JetStream encryption is not supported by this broker");
                    default -> ignoredJetStream(e.getKey(), f);
                }
            }
        }
        return new ConfigJetStream(enabled, storeDir, maxMemory, maxFile, maxStreams, maxConsumers, domain);
    }

    private void ignoredJetStream(String key, ConfigValue f) {
        warnings.add(f.source() + ":" + f.line() + ":" + f.column() + ": jetstream option '" + key
                + "' is not supported and is ignored");
    }

    private ConfigWebsocket websocket(ConfigValue v) {
        String host = "";
        int port = -1;
        boolean noTls = false;
        Optional<ConfigWebsocket.Tls> tls = Optional.empty();
        boolean sameOrigin = false;
        List<String> origins = List.of();
        boolean compression = false;
        Optional<Duration> handshakeTimeout = Optional.empty();
        Optional<String> noAuthUser = Optional.empty();
        for (Map.Entry<String, ConfigValue> e : v.asMap().entrySet()) {
            ConfigValue f = e.getValue();
            switch (e.getKey().toLowerCase(Locale.ROOT)) {
                case "listen" -> {
                    ConfigListen l = listen(f);
                    host = l.host();
                    port = l.port();
                }
                case "port" -> port = port(f);
                case "host", "net" -> host = f.asString();
                case "no_tls" -> noTls = f.asBoolean();
                case "same_origin" -> sameOrigin = f.asBoolean();
                case "allowed_origins", "allowed_origin", "allow_origins", "allow_origin", "origins", "origin" ->
                        origins = f.asStrings();
                case "compress", "compression" -> compression = f.asBoolean();
                case "handshake_timeout" -> handshakeTimeout = Optional.of(f.asDuration());
                case "no_auth_user" -> noAuthUser = Optional.of(f.asString());
                case "tls" -> tls = Optional.of(websocketTls(f));
                case "authorization", "authentication", "jwt_cookie", "user_cookie", "pass_cookie",
                        "token_cookie" -> throw ConfigException.at(f, "websocket option '" + e.getKey()
                                + "' is not supported by this broker");
                case "advertise", "headers", "ping_interval" -> warnings.add(f.source() + ":" + f.line() + ":"
                        + f.column() + ": websocket option '" + e.getKey() + "' is not supported and is ignored");
                default -> unknown(e.getKey(), f);
            }
        }
        if (!noTls && tls.isEmpty()) {
            throw ConfigException.at(v, "websocket requires TLS configuration (tls { cert_file, key_file }) "
                    + "unless no_tls is true");
        }
        return new ConfigWebsocket(new ConfigListen(host, port), noTls, noTls ? Optional.empty() : tls, sameOrigin,
                origins, compression, handshakeTimeout, noAuthUser);
    }

    /** A server certificate and key; client certificate verification is refused rather than skipped. */
    private ConfigWebsocket.Tls websocketTls(ConfigValue v) {
        Optional<String> cert = Optional.empty();
        Optional<String> key = Optional.empty();
        for (Map.Entry<String, ConfigValue> e : v.asMap().entrySet()) {
            ConfigValue f = e.getValue();
            switch (e.getKey().toLowerCase(Locale.ROOT)) {
                case "cert_file" -> cert = Optional.of(f.asString());
                case "key_file" -> key = Optional.of(f.asString());
                case "verify", "verify_and_map", "verify_cert_and_check_known_urls", "ca_file", "pinned_certs",
                        "cert_store", "cert_match", "cert_match_by", "ocsp_peer" -> throw ConfigException.at(f,
                                "websocket tls option '" + e.getKey() + "' (client certificates) is not supported");
                case "cipher_suites", "curve_preferences", "timeout", "min_version", "handshake_first",
                        "insecure" -> warnings.add(f.source() + ":" + f.line() + ":" + f.column()
                                + ": websocket tls option '" + e.getKey() + "' is not supported and is ignored");
                default -> unknown(e.getKey(), f);
            }
        }
        return new ConfigWebsocket.Tls(cert.orElseThrow(() -> ConfigException.at(v, "missing 'cert_file' in TLS configuration")),
                key.orElseThrow(() -> ConfigException.at(v, "missing 'key_file' in TLS configuration")));
    }

    private ConfigResolver resolver(ConfigValue v) {
        if (v.value() instanceof String s) {
            if (MEMORY_RESOLVER.matcher(s).matches()) {
                return new ConfigResolver(ConfigResolver.Type.MEMORY, Optional.empty(), false);
            }
            if (URL_RESOLVER.matcher(s).matches()) {
                throw ConfigException.at(v, "the URL account resolver is not supported by this broker");
            }
            throw ConfigException.at(v, "error parsing account resolver, should be MEM or a map containing dir and type");
        }
        Map<String, ConfigValue> map = v.asMap();
        Optional<ConfigResolver.Type> type = Optional.empty();
        Optional<String> dir = Optional.empty();
        boolean allowDelete = false;
        for (Map.Entry<String, ConfigValue> e : map.entrySet()) {
            ConfigValue f = e.getValue();
            switch (e.getKey().toLowerCase(Locale.ROOT)) {
                case "type" -> type = Optional.of(switch (f.asString().toUpperCase(Locale.ROOT)) {
                    case "FULL" -> ConfigResolver.Type.FULL;
                    case "CACHE" -> ConfigResolver.Type.CACHE;
                    case "MEM", "MEMORY" -> ConfigResolver.Type.MEMORY;
                    default -> throw ConfigException.at(f, "resolver type must be full, cache or mem");
                });
                case "dir" -> dir = Optional.of(resolvePath(f.asString()));
                case "allow_delete" -> allowDelete = f.asBoolean();
                case "hard_delete", "limit", "ttl", "interval", "timeout" -> warnings.add(f.source() + ":" + f.line()
                        + ":" + f.column() + ": resolver option '" + e.getKey() + "' is not supported and is ignored");
                default -> unknown(e.getKey(), f);
            }
        }
        return new ConfigResolver(type.orElseThrow(() -> ConfigException.at(v, "the resolver needs a type")), dir, allowDelete);
    }

    private static Map<String, String> preload(ConfigValue v) {
        Map<String, String> preload = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : v.asMap().entrySet()) {
            if (!NKey.isValidPublicKey(e.getKey(), NKey.Type.ACCOUNT)) {
                throw ConfigException.at(e.getValue(), "preload: \"" + e.getKey() + "\" is not an account public key");
            }
            preload.put(e.getKey(), e.getValue().asString().trim());
        }
        return preload;
    }

    /** An operator given inline (a JWT) or as a file holding one, possibly armored as nsc writes it. */
    private String operatorJwt(ConfigValue v) {
        String text = v.asString().trim();
        if (text.startsWith("eyJ")) {
            return text;
        }
        Path file = Path.of(resolvePath(text));
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ConfigException.at(v, "error parsing operator JWT: cannot read " + file);
        }
        Matcher jwt = Pattern.compile("eyJ[A-Za-z0-9_\\-.=]+").matcher(content);
        if (!jwt.find()) {
            throw ConfigException.at(v, "error parsing operator JWT: no JWT in " + file);
        }
        return jwt.group();
    }

    /** A relative path is taken from the working directory when it exists there (as nats-server does), else beside the file. */
    private String resolvePath(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute() || Files.exists(p) || directory.isEmpty()) {
            return path;
        }
        return directory.get().resolve(p).normalize().toString();
    }

    private static final class Limits {
        Optional<Long> maxPayload = Optional.empty();
        Optional<Long> maxControlLine = Optional.empty();
        Optional<Long> maxPending = Optional.empty();
        Optional<Integer> maxConnections = Optional.empty();
        Optional<Integer> maxSubscriptions = Optional.empty();
        Optional<Duration> pingInterval = Optional.empty();
        Optional<Integer> pingMax = Optional.empty();
        Optional<Duration> writeDeadline = Optional.empty();
        Optional<Duration> lameDuckDuration = Optional.empty();
        Optional<Duration> lameDuckGracePeriod = Optional.empty();

        ConfigLimits build() {
            return new ConfigLimits(maxPayload, maxControlLine, maxPending, maxConnections, maxSubscriptions,
                    pingInterval, pingMax, writeDeadline, lameDuckDuration, lameDuckGracePeriod);
        }
    }
}
