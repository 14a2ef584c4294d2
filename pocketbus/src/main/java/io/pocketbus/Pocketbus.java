package io.pocketbus;

import io.pocketbus.bridge.NatsServerAccountSync;
import io.pocketbus.bridge.OperatorIdentity;
import io.pocketbus.bridge.PocketbusDomain;
import io.pocketbus.bridge.ProjectAccounts;
import io.pocketbus.bridge.ProjectAccountsBinding;
import io.pocketbus.broker.Broker;
import io.pocketbus.broker.BrokerBuilder;
import io.pocketbus.broker.CredsFile;
import io.pocketbus.broker.InProcessConnection;
import io.pocketbus.broker.JetStreamConfig;
import io.pocketbus.broker.MonitorResponse;
import io.pocketbus.core.App;
import io.pocketbus.core.ObjectStorage;
import io.pocketbus.core.RuleCheck;
import io.pocketbus.core.spi.MessageBus;
import io.pocketbus.db.sqlite.SqliteDialect;
import io.pocketbus.http.ApiHooks;
import io.pocketbus.http.Apis;
import io.pocketbus.http.HttpServer;
import io.pocketbus.http.Middlewares;
import io.pocketbus.http.WebSocketTunnel;
import io.pocketbus.http.ServeEvent;
import io.pocketbus.tools.hook.Hook;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Pocketbus embedded in a Java program: the app on its data directory, the HTTP API and, when asked for with
 * {@link Builder#nats}, the NATS broker beside it (NATS over WebSocket at {@code /api/nats} on the HTTP port,
 * its monitoring for superusers at {@code /api/nats/monitor/varz|connz|subsz|accountz|healthz}).
 *
 * <pre>{@code
 * Pocketbus pb = Pocketbus.builder().dataDir(Path.of("pb_data")).http("127.0.0.1:8090").build();
 * pb.onServe().bindFunc(e -> { e.router().get("/hello", r -> r.string(200, "hi")); e.next(); });
 * pb.start();
 * ...
 * pb.stop();
 * }</pre>
 */
public final class Pocketbus implements AutoCloseable {
    private final App app;
    private final HttpServer http;
    private final List<String> allowedOrigins;
    private final Optional<Broker> broker;
    private final ApiHooks apiHooks = new ApiHooks();
    private final ProjectAccounts projectAccounts;
    private final Optional<MessageBus> bus;
    private final Optional<NatsServerAccountSync> accountSync;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean started;

    private Pocketbus(Builder b) {
        this.projectAccounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(b.dataDir));
        // first, so that the app account exists on the external servers before the bus connects into it, and the
        // projects reconciled at bootstrap reach them too
        this.accountSync = b.natsResolverUrl.map(url -> NatsServerAccountSync.start(projectAccounts, url));
        try {
            this.bus = b.busUrl.<MessageBus>map(url -> b.busCredentials.map(creds -> NatsMessageBus.connect(url, creds))
                    // servers in operator mode: the record events belong in the app's own account
                    .orElseGet(() -> accountSync.isPresent()
                            ? NatsMessageBus.connect(url, projectAccounts.identity().appCredentials())
                            : NatsMessageBus.connect(url)))
                    .or(() -> embeddedBus(b));
        } catch (RuntimeException e) {
            accountSync.ifPresent(NatsServerAccountSync::close);
            throw e;
        }
        this.app = newApp(b.dataDir, bus, objectStorage(b));
        this.broker = b.nats.map(address -> newBroker(address, b, projectAccounts));
        HttpServer.Builder httpBuilder = HttpServer.builder().app(app).address(b.http).gracePeriod(b.gracePeriod);
        broker.ifPresent(nats -> httpBuilder.webSocketTunnel(NATS_PATH, tunnel(nats)));
        this.http = httpBuilder.build();
        this.allowedOrigins = List.copyOf(b.allowedOrigins);
        PocketbusDomain.bind(app, http.onServe());
        ProjectAccountsBinding.bind(app, http.onServe(), projectAccounts);
        if (bus.filter(BrokerMessageBus.class::isInstance).isPresent()) {
            boolean authorization = b.natsAuthorization;
            RecordEventsStream.bind(app, http.onServe(), () -> EmbeddedBrokerClient.options(broker.orElseThrow(),
                    appCredentials(authorization), "pocketbus-streams").build());
        }
        broker.ifPresent(nats -> http.onServe().bindFunc(e -> {
            e.router().get(NATS_PATH + "/monitor/{endpoint}", r -> {
                Map<String, String> query = new LinkedHashMap<>();
                r.query().forEach((k, v) -> query.put(k, v.getFirst()));
                MonitorResponse m = nats.monitor(r.pathParam("endpoint"), query);
                r.blob(m.status(), "application/json", m.body().getBytes(StandardCharsets.UTF_8));
            }).bind(Middlewares.requireSuperuserAuth());
            e.next();
        }));
    }

    /**
     * The Object Store backend of file fields: on the NATS server given with {@link Builder#objectStoreNats},
     * else on the embedded broker as the app's own account; none without either.
     */
    private Optional<ObjectStorage> objectStorage(Builder b) {
        if (b.objectStoreNats.isPresent()) {
            return Optional.of(new NatsObjectStorage(b.objectStoreNats::get));
        }
        if (b.nats.isEmpty()) {
            return Optional.empty();
        }
        boolean authorization = b.natsAuthorization;
        return Optional.of(NatsObjectStorage.onBroker(() -> broker.orElseThrow(), () -> appCredentials(authorization)));
    }

    /** Record events in the app's own account of the embedded broker, when it runs and no external bus is given. */
    private Optional<MessageBus> embeddedBus(Builder b) {
        if (b.nats.isEmpty()) {
            return Optional.empty();
        }
        boolean authorization = b.natsAuthorization;
        // reconnecting, unlike the other own connections: realtime lives on this one, and the broker may close
        // it (a slow consumer) while it keeps running
        return Optional.of(new BrokerMessageBus(() -> broker.orElseThrow(), () -> EmbeddedBrokerClient.options(
                broker.orElseThrow(), appCredentials(authorization), "pocketbus-events").maxReconnects(-1).build()));
    }

    /** Whom Pocketbus's own connections to the embedded broker authenticate as. */
    private Optional<CredsFile> appCredentials(boolean authorization) {
        return authorization ? Optional.of(projectAccounts.identity().appCredentials()) : Optional.empty();
    }

    /** Where NATS over WebSocket is served on the HTTP port. */
    public static final String NATS_PATH = "/api/nats";

    private static Broker newBroker(HostPort address, Builder b, ProjectAccounts accounts) {
        BrokerBuilder nats = Broker.builder().host(address.host()).port(address.port());
        // JetStream on by default (the Object Store of file fields needs it); its store is the broker's own,
        // which backups leave out (Backups.JETSTREAM_DIR)
        nats.jetStream(JetStreamConfig.storeDir(b.dataDir.resolve("jetstream")).build());
        if (b.natsAuthorization) {
            // every client needs credentials issued for a project (or the app's own account)
            accounts.configure(nats);
        }
        b.natsWebSocket.ifPresent(ws -> nats.websocketPort(sameHost("--nats-ws", ws, address).port()));
        b.natsMonitor.ifPresent(m -> nats.monitorPort(sameHost("--nats-monitor", m, address).port()));
        b.natsCustomizer.accept(nats);
        Broker built = nats.build();
        if (b.natsAuthorization) {
            accounts.attach(built);
        }
        return built;
    }

    /** The broker binds its extra listeners on its client host; another host cannot be honoured. */
    private static HostPort sameHost(String what, HostPort listener, HostPort client) {
        if (!listener.host().equals(client.host())) {
            throw new IllegalArgumentException(what + " must use the NATS host " + client.host() + ", not "
                    + listener.host());
        }
        return listener;
    }

    /** NATS clients at /api/nats are "websocket" clients of the broker, with their real address. */
    private static WebSocketTunnel tunnel(Broker nats) {
        return (remoteHost, remotePort) -> {
            InProcessConnection c = nats.connectWebSocketBridge(remoteHost, remotePort);
            return new WebSocketTunnel.Endpoint() {
                @Override
                public InputStream input() {
                    return c.input();
                }

                @Override
                public OutputStream output() {
                    return c.output();
                }

                @Override
                public void close() {
                    c.close();
                }
            };
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The app on its embedded defaults (SQLite), not yet bootstrapped. */
    static App newApp(Path dataDir) {
        return newApp(dataDir, Optional.empty(), Optional.empty());
    }

    /**
     * The app on SQLite, publishing its record events on {@code bus} if given (else in this JVM only), with
     * file fields' Object Store backend if given.
     */
    private static App newApp(Path dataDir, Optional<? extends MessageBus> bus,
            Optional<ObjectStorage> objectStorage) {
        App.Builder builder = App.builder().dataDir(dataDir).dialect(SqliteDialect.create());
        bus.ifPresent(builder::messageBus);
        objectStorage.ifPresent(builder::objectStorage);
        App app = builder.build();
        // collection saves check that every API rule compiles, as PocketBase does
        app.setRuleValidator(RuleCheck::validate);
        return app;
    }

    /** The application core: collections, records, hooks. Usable once {@link #start()} bootstrapped it. */
    public App app() {
        return app;
    }

    /**
     * The projects' broker accounts (operator identity in {@code <dataDir>/nats/}); the embedded broker
     * authenticates its clients with them unless {@link Builder#natsAuthorization} is off.
     */
    public ProjectAccounts projectAccounts() {
        return projectAccounts;
    }

    /** The API's request hooks ({@code onRecordCreateRequest("posts")}, ...). */
    public ApiHooks apiHooks() {
        return apiHooks;
    }

    /** The NATS broker, when configured ({@link Builder#nats}); started by {@link #start()}. */
    public Optional<Broker> broker() {
        return broker;
    }

    /** Fired when the HTTP server starts: add custom routes and middlewares there. */
    public Hook<ServeEvent> onServe() {
        return http.onServe();
    }

    /** Bootstraps the app (opening or creating the data directory), then serves HTTP. */
    public Pocketbus start() {
        lock.lock();
        try {
            if (started) {
                throw new IllegalStateException("Pocketbus is already started");
            }
            app.bootstrap();
            // The broker starts after the app, whose users an authenticator may check, and before HTTP,
            // which serves /api/nats over it.
            try {
                broker.ifPresent(Broker::start);
                Apis.bind(http.router(), allowedOrigins, apiHooks);
                http.start();
                app.cron().start();
            } catch (RuntimeException e) {
                broker.ifPresent(Broker::shutdown);
                app.close();
                bus.ifPresent(MessageBus::close);
                accountSync.ifPresent(NatsServerAccountSync::close);
                throw e;
            }
            started = true;
            return this;
        } finally {
            lock.unlock();
        }
    }

    /** The base URL of the HTTP API, e.g. {@code http://127.0.0.1:8090}. */
    public String url() {
        return http.baseUrl();
    }

    public int port() {
        return http.port();
    }

    /** Stops HTTP (letting in-flight requests finish), then the broker, then closes the databases. */
    public void stop() {
        lock.lock();
        try {
            if (!started) {
                // built but never started: only the connections to external NATS are open (a bus on the
                // embedded broker has not connected)
                bus.ifPresent(MessageBus::close);
                accountSync.ifPresent(NatsServerAccountSync::close);
                return;
            }
            started = false;
            try {
                http.stop();
            } finally {
                try {
                    broker.ifPresent(Broker::shutdown);
                } finally {
                    try {
                        app.close();
                    } finally {
                        // the app does not own a bus it was given
                        bus.ifPresent(MessageBus::close);
                        accountSync.ifPresent(NatsServerAccountSync::close);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public static final class Builder {
        private Path dataDir = Path.of("pb_data");
        private String http = "127.0.0.1:8090";
        private Duration gracePeriod = Duration.ofSeconds(10);
        private List<String> allowedOrigins = List.of("*");
        private Optional<HostPort> nats = Optional.empty();
        private Optional<HostPort> natsWebSocket = Optional.empty();
        private Optional<HostPort> natsMonitor = Optional.empty();
        private Consumer<BrokerBuilder> natsCustomizer = b -> { };
        private boolean natsAuthorization = true;
        private Optional<io.nats.client.Options> objectStoreNats = Optional.empty();
        private Optional<String> busUrl = Optional.empty();
        private Optional<Path> busCredentials = Optional.empty();
        private Optional<String> natsResolverUrl = Optional.empty();

        private Builder() {
        }

        /**
         * Scale-out: record events, and so realtime, go over the external NATS server or cluster at {@code url}
         * ({@code nats://host:port}, several separated by commas) instead of the embedded broker (or this JVM
         * without one), so that every node on the same NATS delivers every node's changes to its realtime
         * clients. Off by default.
         */
        public Builder bus(String url) {
            this.busUrl = Optional.of(Objects.requireNonNull(url, "url"));
            return this;
        }

        /**
         * Scale-out with projects served by an external nats-server (cluster) in operator mode with a
         * {@code full} resolver ({@link NatsServerAccountSync#fullResolverConfig}): every account JWT is pushed to
         * the servers at {@code url} on start and after each change, so revocations close live connections there
         * and new limits apply at once. The {@link #bus}, unless given {@link #busCredentials}, then connects as
         * the app account's user.
         */
        public Builder natsResolver(String url) {
            this.natsResolverUrl = Optional.of(Objects.requireNonNull(url, "url"));
            return this;
        }

        /** The {@code .creds} file the {@link #bus} connection authenticates with. */
        public Builder busCredentials(Path credsFile) {
            this.busCredentials = Optional.of(Objects.requireNonNull(credsFile, "credsFile"));
            return this;
        }

        /**
         * Whether NATS clients need credentials issued for a project (or the app's own account): on by
         * default. Off runs the broker as nats-server without an authorization block, every client in the
         * global account — for local development only.
         */
        public Builder natsAuthorization(boolean required) {
            this.natsAuthorization = required;
            return this;
        }

        /**
         * Runs the NATS broker for clients at {@code host:port} (port 0 picks a free one), and NATS over
         * WebSocket at {@code /api/nats} on the HTTP port; off by default. Unless {@link #bus} is given, the record
         * events are published there, in the app's own account ({@link BrokerMessageBus}), and the
         * {@code recordEvents} settings can keep them in a stream ({@link RecordEventsStream}).
         */
        public Builder nats(String hostAndPort) {
            this.nats = Optional.of(HostPort.parse(hostAndPort));
            return this;
        }

        /** Also serves NATS over WebSocket on its own listener (same host as {@link #nats}). */
        public Builder natsWebSocket(String hostAndPort) {
            this.natsWebSocket = Optional.of(HostPort.parse(hostAndPort));
            return this;
        }

        /** Also serves nats-server's monitoring endpoints on their own listener (same host as {@link #nats}). */
        public Builder natsMonitor(String hostAndPort) {
            this.natsMonitor = Optional.of(HostPort.parse(hostAndPort));
            return this;
        }

        /** Further broker settings (authenticator, accounts, JetStream, a configuration file, …). */
        public Builder natsBroker(Consumer<BrokerBuilder> customizer) {
            this.natsCustomizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * Keeps file fields' Object Store (when the {@code objectStore} settings enable it) on this NATS server
         * instead of the embedded broker, so several Pocketbus nodes share their files.
         */
        public Builder objectStoreNats(io.nats.client.Options options) {
            this.objectStoreNats = Optional.of(options);
            return this;
        }

        /** Where data.db, auxiliary.db and storage/ live ({@code ./pb_data} by default). */
        public Builder dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** The HTTP address {@code host:port} ({@code 127.0.0.1:8090} by default; port 0 picks a free one). */
        public Builder http(String hostAndPort) {
            this.http = Objects.requireNonNull(hostAndPort, "hostAndPort");
            return this;
        }

        /** How long stopping waits for in-flight requests (10 s by default). */
        public Builder gracePeriod(Duration period) {
            this.gracePeriod = Objects.requireNonNull(period, "period");
            return this;
        }

        /** CORS origins ({@code *} by default). */
        public Builder allowedOrigins(List<String> origins) {
            this.allowedOrigins = List.copyOf(origins);
            return this;
        }

        public Pocketbus build() {
            return new Pocketbus(this);
        }
    }
}
