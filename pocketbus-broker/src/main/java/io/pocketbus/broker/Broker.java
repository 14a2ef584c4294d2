package io.pocketbus.broker;

import io.pocketbus.broker.spi.Authenticator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A NATS-compatible message broker that NATS clients cannot tell from nats-server: a TCP listener, the
 * client protocol, accounts with permissions, and in-process connections for the host application.
 *
 * <pre>{@code
 * Broker broker = Broker.builder().port(0).build().start();
 * int port = broker.port();
 * ...
 * broker.shutdown();
 * }</pre>
 */
public final class Broker implements AutoCloseable {
    /** The nats-server version INFO advertises; clients switch features on (headers, no responders, …) by it. */
    public static final String SERVER_VERSION = "2.10.24";
    /** The account every connection joins when no {@link Authenticator} is configured. */
    public static final String GLOBAL_ACCOUNT = "$G";

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private enum State { NEW, RUNNING, LAME_DUCK, STOPPED }

    private final BrokerConfig config;
    private final ServerInfo info;
    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, ClientConnection> connections = new ConcurrentHashMap<>();
    private final AtomicLong nextCid = new AtomicLong();
    private final AtomicLong totalConnections = new AtomicLong();
    private final AtomicLong slowConsumers = new AtomicLong();
    private final LongAdder closedInMsgs = new LongAdder();
    private final LongAdder closedOutMsgs = new LongAdder();
    private final LongAdder closedInBytes = new LongAdder();
    private final LongAdder closedOutBytes = new LongAdder();
    private volatile Instant startedAt = Instant.now();
    private final Monitor monitor;
    private final ScheduledExecutorService scheduler;
    private final AccountLinks links;
    private final SystemEvents events;
    private volatile State state = State.NEW;
    private volatile Listener listener;
    private volatile Listener websocketListener;
    /** JetStream, when enabled: it subscribes itself into each account as the account is created. */
    private final Optional<JetStreamService> jetStream;
    private final WebSocketOrigins websocketOrigins;
    /** In operator mode, the exports and imports of the account JWTs. */
    private final Optional<JwtAccountLinks> jwtLinks;

    private Broker(BrokerConfig config, List<AccountConfig> accountConfigs, Optional<JetStreamConfig> jetStream) {
        this.config = config;
        this.jetStream = jetStream.map(JetStreamService::new);
        this.info = new ServerInfo(config, jetStream.isPresent());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pocketbus-broker-timers");
            t.setDaemon(true);
            return t;
        });
        this.links = new AccountLinks(this::createAccount, scheduler);
        accountConfigs.forEach(links::define);
        this.websocketOrigins = new WebSocketOrigins(config.websocket());
        this.jwtLinks = config.authenticator().flatMap(Broker::operatorOf).map(o -> new JwtAccountLinks(o, links));
        jwtLinks.ifPresent(l -> l.operator().onCredentialsChanged(l::refresh));
        this.events = new SystemEvents(this, config.systemAccount());
        this.monitor = new Monitor(this, config);
        config.authenticator().ifPresent(a -> a.onCredentialsChanged(() -> reauthenticate(a)));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the listener and starts accepting connections. */
    public Broker start() {
        if (state != State.NEW) {
            throw new IllegalStateException("broker already started");
        }
        // Before clients can connect, as nats-server enables JetStream before it accepts them.
        jetStream.ifPresent(js -> js.recoverStored(this::account));
        listener = Listener.bind(config.host(), config.port(), "client");
        try {
            websocketListener = config.websocketPort()
                    .map(p -> Listener.bind(config.host(), p, "websocket")).orElse(null);
            startedAt = Instant.now();
            config.monitorPort().ifPresent(monitor::start);
        } catch (UncheckedIOException e) {
            closeListeners(true);
            throw e;
        }
        long watchdog = Math.max(10_000_000L, Math.min(1_000_000_000L, config.writeDeadline().toNanos() / 2));
        scheduler.scheduleAtFixedRate(this::checkWriteDeadlines, watchdog, watchdog, TimeUnit.NANOSECONDS);
        state = State.RUNNING;
        listener.start(this::acceptTcp);
        LOG.info("broker {} listening on {}:{}", info.serverName, config.host(), port());
        if (websocketListener != null) {
            websocketListener.start(this::acceptWebSocket);
            LOG.info("broker {} accepting WebSocket clients on {}:{}", info.serverName, config.host(),
                    websocketListener.port());
        }
        return this;
    }

    /** The port the listener is bound to (the ephemeral one when configured with 0). */
    public int port() {
        Listener l = listener;
        if (l == null) {
            throw new IllegalStateException("broker not started");
        }
        return l.port();
    }

    /** The WebSocket listener's port, when one is configured. */
    public Optional<Integer> websocketPort() {
        Listener l = websocketListener;
        return l == null ? Optional.empty() : Optional.of(l.port());
    }

    public String host() {
        return config.host();
    }

    /** Whether the broker accepts connections. */
    public boolean isReady() {
        return state == State.RUNNING;
    }

    public String serverId() {
        return info.serverId;
    }

    public String serverName() {
        return info.serverName;
    }

    /**
     * Opens a connection served in-process: the returned streams carry the NATS protocol exactly as a
     * socket would, starting with INFO. Authentication applies as for TCP clients.
     */
    public InProcessConnection connectInProcess() {
        return pipe("in-process", "in-process", 0);
    }

    /**
     * For a WebSocket endpoint hosted elsewhere (the HTTP server's {@code /api/nats}): after that server has
     * done the upgrade, it moves the NATS bytes out of and into WebSocket frames through the returned
     * streams. The broker sees a "websocket" client at the given address, for authentication and
     * monitoring.
     */
    public InProcessConnection connectWebSocketBridge(String remoteHost, int remotePort) {
        return pipe("websocket", Objects.requireNonNull(remoteHost), remotePort);
    }

    private InProcessConnection pipe(String kind, String remoteHost, int remotePort) {
        if (state != State.RUNNING) {
            throw new IllegalStateException("broker is not running");
        }
        BytePipe toServer = new BytePipe(64 * 1024);
        BytePipe toClient = new BytePipe(64 * 1024);
        serve(new InProcessConnection.ServerSide(toServer, toClient, kind, remoteHost, remotePort));
        return new InProcessConnection(toClient, toServer);
    }

    /** A snapshot of the open client connections. */
    public List<ConnectionInfo> connections() {
        List<ConnectionInfo> out = new ArrayList<>();
        connections.values().forEach(c -> out.add(c.info()));
        out.sort((a, b) -> Long.compare(a.cid(), b.cid()));
        return out;
    }

    /** A snapshot of every subscription of every open connection. */
    public List<SubscriptionInfo> subscriptions() {
        List<SubscriptionInfo> out = new ArrayList<>();
        connections.values().forEach(c -> out.addAll(c.subscriptionInfos()));
        return out;
    }

    /**
     * Adds or replaces an account's exports and imports (at any time; links are rewired at once). Accounts
     * without a definition exist too, as soon as a grant names them, just without exports or imports.
     */
    public void defineAccount(AccountConfig config) {
        links.define(config);
    }

    /** Names of the accounts that have had connections or definitions. */
    public List<String> accounts() {
        return accounts.keySet().stream().sorted().toList();
    }

    /** Every account's sublist, for monitoring. */
    List<Account> accountList() {
        return List.copyOf(accounts.values());
    }

    /** Connections cut because they could not keep up. */
    public long slowConsumers() {
        return slowConsumers.get();
    }

    /** Server-wide counters (open connections plus everything closed connections did). */
    public BrokerStats stats() {
        long inMsgs = closedInMsgs.sum();
        long outMsgs = closedOutMsgs.sum();
        long inBytes = closedInBytes.sum();
        long outBytes = closedOutBytes.sum();
        List<ConnectionInfo> open = connections();
        for (ConnectionInfo c : open) {
            inMsgs += c.inMsgs();
            outMsgs += c.outMsgs();
            inBytes += c.inBytes();
            outBytes += c.outBytes();
        }
        long subs = 0;
        for (Account a : accounts.values()) {
            subs += a.sublist.count();
        }
        return new BrokerStats(startedAt, open.size(), totalConnections.get(), subs, slowConsumers.get(), inMsgs,
                outMsgs, inBytes, outBytes);
    }

    /** The monitoring HTTP port, when one is configured. */
    public Optional<Integer> monitorPort() {
        int port = monitor.port();
        return port < 0 ? Optional.empty() : Optional.of(port);
    }

    /**
     * A monitoring endpoint's answer, for hosting the endpoints on another HTTP server (the app's
     * {@code /api/nats/monitor/…}); works whether or not the broker serves them on its own port.
     *
     * @param endpoint {@code varz}, {@code connz}, {@code subsz}, {@code accountz} or {@code healthz}
     * @param query the query parameters nats-server takes ({@code subs}, {@code limit}, {@code sort}, …)
     */
    public MonitorResponse monitor(String endpoint, Map<String, String> query) {
        return monitor.respond(Objects.requireNonNull(endpoint), Map.copyOf(query));
    }

    /** Connections accepted since start. */
    public long totalConnections() {
        return totalConnections.get();
    }

    /**
     * Closes every connection the predicate selects (for example all of one account or one identity after
     * its credentials were revoked) and returns how many were closed.
     */
    public int closeConnections(Predicate<ConnectionInfo> which, CloseReason reason) {
        Objects.requireNonNull(reason);
        int n = 0;
        for (ClientConnection c : connections.values()) {
            if (which.test(c.info())) {
                c.close(switch (reason) {
                    case KICKED -> Optional.empty();
                    case AUTHENTICATION_REVOKED -> Optional.of("User Authentication Revoked");
                    case AUTHENTICATION_EXPIRED -> Optional.of("User Authentication Expired");
                }, switch (reason) {
                    case KICKED -> "Kicked";
                    case AUTHENTICATION_REVOKED -> "Credentials Revoked";
                    case AUTHENTICATION_EXPIRED -> "Authentication Expired";
                });
                n++;
            }
        }
        return n;
    }

    /**
     * Lame-duck mode: stops accepting, tells every client ({@code "ldm":true} in INFO) so it can move
     * elsewhere, waits the grace period, then shuts down.
     */
    public void lameDuck() {
        if (state != State.RUNNING) {
            return;
        }
        state = State.LAME_DUCK;
        closeListeners(false);
        for (ClientConnection c : connections.values()) {
            if (c.protocol() >= 1) {
                c.sendInfo(renderInfo(c, true));
            }
        }
        try {
            Thread.sleep(config.lameDuckGracePeriod());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutdown();
    }

    /** Closes the listener and every connection (pending output is flushed first). Idempotent. */
    public void shutdown() {
        if (state == State.STOPPED) {
            return;
        }
        state = State.STOPPED;
        closeListeners(true);
        for (ClientConnection c : connections.values()) {
            c.close(Optional.empty(), "Server Shutdown");
        }
        scheduler.shutdownNow();
        jetStream.ifPresent(JetStreamService::close);
        LOG.info("broker {} stopped", info.serverName);
    }

    @Override
    public void close() {
        shutdown();
    }

    /** Stops accepting clients; with {@code andMonitor}, stops the monitoring endpoints too. */
    private void closeListeners(boolean andMonitor) {
        for (Listener l : new Listener[] {listener, websocketListener}) {
            if (l != null) {
                l.close();
            }
        }
        if (andMonitor) {
            monitor.stop();
        }
    }

    private void acceptTcp(Socket socket) {
        try {
            serve(new SocketTransport(socket));
        } catch (IOException e) {
            LOG.debug("dropping connection that failed during setup", e);
            Listener.closeQuietly(socket);
        }
    }

    /** The upgrade handshake runs on its own thread so a slow client cannot hold up accepting. */
    private void acceptWebSocket(Socket socket) {
        Thread.ofVirtual().name("pocketbus-ws-handshake").start(() -> {
            try {
                socket.setSoTimeout((int) Math.max(1, config.authTimeout().toMillis()));
                WebSocketOptions options = config.websocket();
                Socket upgraded = socket;
                if (options.tls().isPresent()) {
                    SSLSocket tls = (SSLSocket) options.tls().get().getSocketFactory().createSocket(socket,
                            socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                    tls.setUseClientMode(false);
                    tls.startHandshake();
                    upgraded = tls;
                }
                WebSocketTransport transport = WebSocketTransport.accept(upgraded, options, websocketOrigins,
                        options.tls().isPresent());
                socket.setSoTimeout(0);
                serve(transport);
            } catch (IOException e) {
                LOG.debug("WebSocket upgrade failed", e);
                Listener.closeQuietly(socket);
            }
        });
    }

    private void serve(Transport transport) {
        long cid = nextCid.incrementAndGet();
        ClientConnection c = new ClientConnection(cid, this, config, transport);
        boolean overLimit = connections.size() >= config.maxConnections();
        connections.put(cid, c);
        totalConnections.incrementAndGet();
        c.start();
        if (overLimit) {
            c.close(Optional.of("maximum connections exceeded"), "Maximum Connections Exceeded");
        }
        if (state == State.STOPPED) {
            c.close(Optional.empty(), "Server Shutdown");
        }
    }

    /**
     * Re-checks every live connection after the authenticator's decisions changed (revocations, removed
     * users), off the notifying thread: an authenticator may take a while per connection (bcrypt).
     */
    private void reauthenticate(Authenticator authenticator) {
        if (state == State.STOPPED) {
            return;
        }
        Thread.ofVirtual().name("pocketbus-broker-reauthenticate").start(() -> {
            for (ClientConnection c : connections.values()) {
                c.reauthenticate(authenticator);
            }
        });
    }

    private void checkWriteDeadlines() {
        long deadline = config.writeDeadline().toNanos();
        for (ClientConnection c : connections.values()) {
            c.checkWriteDeadline(deadline);
        }
    }

    // ---- used by connections ----

    private static Optional<OperatorAuthenticator> operatorOf(Authenticator authenticator) {
        if (authenticator instanceof OperatorAuthenticator o) {
            return Optional.of(o);
        }
        return authenticator instanceof CompositeAuthenticator c ? c.operator() : Optional.empty();
    }

    /** JetStream, when enabled, for monitoring. */
    Optional<JetStreamService> jetStreamService() {
        return jetStream;
    }

    Account account(String name) {
        Account existing = accounts.get(name);
        if (existing != null) {
            return existing;
        }
        // Defined outside computeIfAbsent: wiring the links looks up (and may create) other accounts.
        Account created = createAccount(name);
        jwtLinks.ifPresent(l -> l.used(name));
        return created;
    }

    private Account createAccount(String name) {
        return accounts.computeIfAbsent(name, n -> {
            Account a = new Account(n);
            if (!n.equals(config.systemAccount())) {
                jetStream.ifPresent(js -> js.accountCreated(a));
            }
            return a;
        });
    }

    /**
     * Applies an account JWT's JetStream limits ({@code mem_storage}, {@code disk_storage}, {@code streams},
     * {@code consumer}) to that account, now and whenever it is next used; call it again when the JWT is
     * updated. Does nothing when JetStream is off.
     */
    public void applyJetStreamLimits(String account, JetStreamLimits limits) {
        jetStream.ifPresent(js -> js.applyLimits(account, limits));
    }

    /** The account if anything ever used it, else null. */
    Account existingAccount(String name) {
        return accounts.get(name);
    }

    SystemEvents events() {
        return events;
    }

    /** The account that carries server events ({@code $SYS} unless configured). */
    public String systemAccount() {
        return config.systemAccount();
    }

    void removed(ClientConnection c) {
        ConnectionInfo info = c.info();
        closedInMsgs.add(info.inMsgs());
        closedOutMsgs.add(info.outMsgs());
        closedInBytes.add(info.inBytes());
        closedOutBytes.add(info.outBytes());
        connections.remove(c.cid, c);
    }

    void countSlowConsumer() {
        slowConsumers.incrementAndGet();
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    String newNonce() {
        return info.newNonce();
    }

    String renderInfo(ClientConnection c, boolean lameDuck) {
        Listener l = listener;
        return info.render(l == null ? config.port() : l.port(), c.cid, c.remoteHost(), c.nonce(), lameDuck);
    }

    /** Configures a {@link Broker}; every setting defaults to nats-server's. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 4222;
        private Optional<String> serverName = Optional.empty();
        private int maxPayload = 1024 * 1024;
        private int maxControlLine = 4096;
        private long maxPending = 64L * 1024 * 1024;
        private Duration writeDeadline = Duration.ofSeconds(10);
        private Duration pingInterval = Duration.ofMinutes(2);
        private int maxPingsOut = 2;
        private Duration authTimeout = Duration.ofSeconds(2);
        private Duration lameDuckGracePeriod = Duration.ofSeconds(10);
        private Optional<Authenticator> authenticator = Optional.empty();
        private final List<AccountConfig> accounts = new ArrayList<>();
        private String systemAccount = "$SYS";
        private Optional<Integer> websocketPort = Optional.empty();
        private WebSocketOptions websocket = WebSocketOptions.PLAIN;
        private Optional<Integer> monitorPort = Optional.empty();
        private int maxConnections = 65536;
        private int maxSubscriptions;
        private final Map<String, AccountLimits> accountLimits = new HashMap<>();
        private Optional<JetStreamConfig> jetStream = Optional.empty();

        private Builder() {
        }

        /**
         * Also accepts NATS over WebSocket on this port (0 = pick a free one; see
         * {@link Broker#websocketPort()}), on the same host; off by default.
         */
        public Builder websocketPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.websocketPort = Optional.of(port);
            return this;
        }

        /** TLS, compression and Origin checks of the WebSocket listener; default plain, uncompressed, any origin. */
        public Builder websocket(WebSocketOptions options) {
            this.websocket = Objects.requireNonNull(options);
            return this;
        }

        /**
         * Serves nats-server's monitoring endpoints ({@code /varz /connz /subsz /accountz /healthz}) over
         * HTTP on this port (0 = pick a free one; see {@link Broker#monitorPort()}), on the same host; off by
         * default.
         */
        public Builder monitorPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.monitorPort = Optional.of(port);
            return this;
        }

        /** The account connect/disconnect events are published in; default {@code $SYS}. */
        public Builder systemAccount(String name) {
            this.systemAccount = Objects.requireNonNull(name);
            return this;
        }

        /** Defines an account's exports and imports (see {@link Broker#defineAccount}). */
        public Builder account(AccountConfig config) {
            accounts.add(Objects.requireNonNull(config));
            return this;
        }

        /** Listen address; default 127.0.0.1. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /** The listen address set so far; every listener binds it. */
        public String host() {
            return host;
        }

        /**
         * Applies a nats-server configuration file: listen address, limits, authentication, accounts with
         * exports and imports, system account, WebSocket, monitoring, JetStream. Settings given to this builder
         * afterwards override the file's.
         *
         * @return what the file asks for that the broker does not do (also logged), one sentence each
         * @throws IllegalArgumentException when the file needs something the broker cannot honour safely
         */
        public List<String> config(ConfigFile file) {
            List<String> warnings = ConfigApplier.apply(file, this);
            warnings.forEach(w -> LOG.warn("configuration: {}", w));
            return warnings;
        }

        /** Listen port; 0 picks a free one (see {@link Broker#port()}); default 4222. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        public Builder serverName(String serverName) {
            this.serverName = Optional.of(serverName);
            return this;
        }

        /** Largest message (headers + payload) a client may publish; default 1 MiB. */
        public Builder maxPayload(int bytes) {
            this.maxPayload = positive(bytes, "maxPayload");
            return this;
        }

        /** Longest protocol line a client may send; default 4096. */
        public Builder maxControlLine(int bytes) {
            this.maxControlLine = positive(bytes, "maxControlLine");
            return this;
        }

        /** Outbound bytes a connection may have queued before it is cut as a slow consumer; default 64 MiB. */
        public Builder maxPending(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxPending must be positive");
            }
            this.maxPending = bytes;
            return this;
        }

        /** How long one write to a client may block before it is cut as a slow consumer; default 10 s. */
        public Builder writeDeadline(Duration d) {
            this.writeDeadline = positive(d, "writeDeadline");
            return this;
        }

        /** How often an idle client is pinged; default 2 min. */
        public Builder pingInterval(Duration d) {
            this.pingInterval = positive(d, "pingInterval");
            return this;
        }

        /** Unanswered pings after which a client is closed with {@code Stale Connection}; default 2. */
        public Builder maxPingsOut(int n) {
            this.maxPingsOut = positive(n, "maxPingsOut");
            return this;
        }

        /** Open connections beyond this get {@code -ERR 'maximum connections exceeded'}; default 65536. */
        public Builder maxConnections(int n) {
            this.maxConnections = positive(n, "maxConnections");
            return this;
        }

        /**
         * Subscriptions one connection may hold; beyond it a SUB gets {@code -ERR 'maximum subscriptions
         * exceeded'} and the connection stays open; 0 (the default) means no limit.
         */
        public Builder maxSubscriptions(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxSubscriptions must not be negative");
            }
            this.maxSubscriptions = n;
            return this;
        }

        /** Limits an account's connections and each of its connections' subscriptions. */
        public Builder accountLimits(String account, AccountLimits limits) {
            accountLimits.put(Objects.requireNonNull(account), Objects.requireNonNull(limits));
            return this;
        }

        /** How long a client has to send CONNECT when authentication is required; default 2 s. */
        public Builder authTimeout(Duration d) {
            this.authTimeout = positive(d, "authTimeout");
            return this;
        }

        /** How long {@link Broker#lameDuck()} waits before closing clients; default 10 s. */
        public Builder lameDuckGracePeriod(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("lameDuckGracePeriod must not be negative");
            }
            this.lameDuckGracePeriod = d;
            return this;
        }

        /** Decides who may connect, into which account, with which permissions; none = open to everyone. */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = Optional.of(authenticator);
            return this;
        }

        /** Enables JetStream (streams, consumers, KV, object store); off by default, as in nats-server. */
        public Builder jetStream(JetStreamConfig jetStream) {
            this.jetStream = Optional.of(jetStream);
            return this;
        }

        public Broker build() {
            return new Broker(new BrokerConfig(host, port, serverName, maxPayload, maxControlLine, maxPending,
                    writeDeadline, pingInterval, maxPingsOut, authTimeout, lameDuckGracePeriod, authenticator,
                    systemAccount, websocketPort, websocket, monitorPort, maxConnections, maxSubscriptions, accountLimits),
                    List.copyOf(accounts), jetStream);
        }

        private static int positive(int v, String name) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return v;
        }

        private static Duration positive(Duration d, String name) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
