package io.pocketbus.broker;

import io.pocketbus.broker.spi.Authenticator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
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

    Broker(BrokerConfig config, List<AccountConfig> accountConfigs, Optional<JetStreamConfig> jetStream) {
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

    public static BrokerBuilder builder() {
        return new BrokerBuilder();
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
}
