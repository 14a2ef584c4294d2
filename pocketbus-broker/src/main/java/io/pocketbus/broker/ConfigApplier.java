package io.pocketbus.broker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts a {@link ConfigFile} onto a {@link BrokerBuilder}. What the broker cannot do is never dropped
 * silently: where ignoring it would loosen security (other listen addresses) the configuration is refused
 * ({@link ConfigReader} already refuses TLS on the client port and client certificates); otherwise the setting is
 * named in the returned warnings.
 */
final class ConfigApplier {
    private final ConfigFile file;
    private final BrokerBuilder builder;
    private final List<String> warnings = new ArrayList<>();

    private ConfigApplier(ConfigFile file, BrokerBuilder builder) {
        this.file = file;
        this.builder = builder;
    }

    /** @throws IllegalArgumentException when the configuration asks for something the broker must not fake */
    static List<String> apply(ConfigFile file, BrokerBuilder builder) {
        ConfigApplier applier = new ConfigApplier(file, builder);
        applier.warnings.addAll(file.warnings());
        applier.listeners();
        applier.limits(file.limits());
        applier.authentication();
        applier.jetStream();
        return List.copyOf(applier.warnings);
    }

    private void listeners() {
        file.host().ifPresent(builder::host);
        file.port().ifPresent(p -> builder.port(p < 0 ? 0 : p));
        file.serverName().ifPresent(builder::serverName);
        String host = builder.host();
        file.monitor().ifPresent(m -> {
            sameHost("http", m, host);
            builder.monitorPort(m.port() < 0 ? 0 : m.port());
        });
        file.websocket().ifPresent(ws -> {
            sameHost("websocket", ws.listen(), host);
            WebSocketOptions options = WebSocketOptions.PLAIN.withCompression(ws.compression())
                    .withSameOrigin(ws.sameOrigin()).withAllowedOrigins(ws.allowedOrigins());
            if (ws.tls().isPresent()) {
                options = options.withTls(PemTls.serverContext(Path.of(ws.tls().get().certFile()),
                        Path.of(ws.tls().get().keyFile())));
            }
            builder.websocket(options);
            ws.handshakeTimeout().ifPresent(t -> warnings.add(
                    "websocket: handshake_timeout is not supported; the upgrade must finish within the auth timeout"));
            ws.noAuthUser().ifPresent(u -> warnings.add("websocket: no_auth_user '" + u
                    + "' is not supported; WebSocket clients must present credentials"));
            builder.websocketPort(ws.listen().port() < 0 ? 0 : ws.listen().port());
        });
    }

    /** Every listener binds the client listener's host; another host in the file cannot be honoured. */
    private static void sameHost(String what, ConfigListen listen, String host) {
        if (!listen.host().isEmpty() && !listen.host().equals(host)) {
            throw new IllegalArgumentException(what + ": listening on " + listen.host()
                    + " is not supported; this broker binds every listener to the client host " + host);
        }
    }

    private void limits(ConfigLimits limits) {
        limits.maxPayload().ifPresent(v -> builder.maxPayload(toInt("max_payload", v)));
        limits.maxControlLine().ifPresent(v -> builder.maxControlLine(toInt("max_control_line", v)));
        limits.maxPending().ifPresent(builder::maxPending);
        limits.maxConnections().ifPresent(builder::maxConnections);
        limits.pingInterval().ifPresent(builder::pingInterval);
        limits.pingMax().ifPresent(builder::maxPingsOut);
        limits.writeDeadline().ifPresent(builder::writeDeadline);
        limits.lameDuckGracePeriod().ifPresent(builder::lameDuckGracePeriod);
        limits.maxSubscriptions().ifPresent(builder::maxSubscriptions);
        limits.lameDuckDuration().ifPresent(v -> warnings.add("lame_duck_duration is not supported; in lame-duck "
                + "mode every client is closed at once when lame_duck_grace_period ends"));
    }

    private static int toInt(String name, long value) {
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " out of range: " + value);
        }
        return (int) value;
    }

    private void authentication() {
        file.accounts().forEach(a -> builder.account(a.toAccountConfig()).accountLimits(a.name(), a.limits()));
        Optional<CompositeAuthenticator> authenticator = file.authenticator();
        authenticator.ifPresent(builder::authenticator);
        file.authorization().flatMap(ConfigAuthorization::timeout).ifPresent(builder::authTimeout);
        Optional<String> system = file.systemAccount()
                .or(() -> authenticator.flatMap(CompositeAuthenticator::systemAccount));
        system.ifPresent(builder::systemAccount);
        if (file.noSystemAccount()) {
            warnings.add("no_system_account is not supported; connect and disconnect events still go to the "
                    + "system account");
        }
    }

    private void jetStream() {
        Optional<ConfigJetStream> server = file.jetstream().filter(ConfigJetStream::enabled);
        if (server.isEmpty()) {
            file.accounts().stream().filter(a -> a.jetstream().map(ConfigJetStream::enabled).orElse(false))
                    .forEach(a -> warnings.add("account " + a.name()
                            + ": jetstream is enabled for the account but not for the server; it stays off"));
            return;
        }
        ConfigJetStream js = server.get();
        JetStreamConfig.Builder config = js.storeDir().map(d -> JetStreamConfig.storeDir(Path.of(d)))
                .orElseGet(() -> JetStreamConfig.storeDir(Path.of(System.getProperty("java.io.tmpdir"), "nats",
                        "jetstream")));
        js.domain().ifPresent(config::domain);
        if (js.maxMemory().isPresent() || js.maxFile().isPresent()) {
            warnings.add("jetstream: server-wide max_memory_store and max_file_store are not enforced; "
                    + "limit accounts instead");
        }
        for (ConfigAccount account : file.accounts()) {
            account.jetstream().ifPresent(a -> {
                if (a.enabled()) {
                    config.accountLimits(account.name(), new JetStreamLimits(a.maxMemory().orElse(-1L),
                            a.maxFile().orElse(-1L), a.maxStreams().orElse(-1L), a.maxConsumers().orElse(-1L)));
                } else {
                    config.disableAccount(account.name());
                }
            });
        }
        builder.jetStream(config.build());
    }
}
