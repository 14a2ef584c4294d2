package io.pocketbus.broker;

import io.pocketbus.broker.spi.Authenticator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
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
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private enum State { NEW, RUNNING, LAME_DUCK, STOPPED }

    private final BrokerConfig config;
    private final String serverId;
    private final String serverName;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, ClientConnection> connections = new ConcurrentHashMap<>();
    private final AtomicLong nextCid = new AtomicLong();
    private final AtomicLong totalConnections = new AtomicLong();
    private final AtomicLong slowConsumers = new AtomicLong();
    private final ScheduledExecutorService scheduler;
    private volatile State state = State.NEW;
    private volatile ServerSocket listener;
    private volatile Thread acceptor;
    /** JetStream, when enabled: it subscribes itself into each account as the account is created. */
    private final Optional<JetStream> jetStream;

    private Broker(BrokerConfig config, Optional<JetStreamConfig> jetStream) {
        this.config = config;
        this.jetStream = jetStream.map(JetStream::new);
        this.serverId = newServerId();
        this.serverName = config.serverName().orElse(serverId);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pocketbus-broker-timers");
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the listener and starts accepting connections. */
    public Broker start() {
        if (state != State.NEW) {
            throw new IllegalStateException("broker already started");
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()), 1024);
            listener = socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port(), e);
        }
        long watchdog = Math.max(10_000_000L, Math.min(1_000_000_000L, config.writeDeadline().toNanos() / 2));
        scheduler.scheduleAtFixedRate(this::checkWriteDeadlines, watchdog, watchdog, TimeUnit.NANOSECONDS);
        state = State.RUNNING;
        acceptor = Thread.ofVirtual().name("pocketbus-broker-accept").start(this::acceptLoop);
        LOG.info("broker {} listening on {}:{}", serverName, config.host(), port());
        return this;
    }

    /** The port the listener is bound to (the ephemeral one when configured with 0). */
    public int port() {
        ServerSocket s = listener;
        if (s == null) {
            throw new IllegalStateException("broker not started");
        }
        return s.getLocalPort();
    }

    public String host() {
        return config.host();
    }

    /** Whether the broker accepts connections. */
    public boolean isReady() {
        return state == State.RUNNING;
    }

    public String serverId() {
        return serverId;
    }

    public String serverName() {
        return serverName;
    }

    /**
     * Opens a connection served in-process: the returned streams carry the NATS protocol exactly as a
     * socket would, starting with INFO. Authentication applies as for TCP clients.
     */
    public InProcessConnection connectInProcess() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("broker is not running");
        }
        BytePipe toServer = new BytePipe(64 * 1024);
        BytePipe toClient = new BytePipe(64 * 1024);
        serve(new InProcessConnection.ServerSide(toServer, toClient));
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

    /** Names of the accounts that have had connections. */
    public List<String> accounts() {
        return accounts.keySet().stream().sorted().toList();
    }

    /** Connections cut because they could not keep up. */
    public long slowConsumers() {
        return slowConsumers.get();
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
                }, "closed by the host application: " + reason);
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
        closeListener();
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
        closeListener();
        for (ClientConnection c : connections.values()) {
            c.close(Optional.empty(), "server shutdown");
        }
        scheduler.shutdownNow();
        jetStream.ifPresent(JetStream::close);
        LOG.info("broker {} stopped", serverName);
    }

    @Override
    public void close() {
        shutdown();
    }

    /** Closes the listener and waits for the accept loop, so the port is free when this returns. */
    private void closeListener() {
        ServerSocket s = listener;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("closing listener", e);
            }
        }
        Thread t = acceptor;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void acceptLoop() {
        ServerSocket s = listener;
        while (state == State.RUNNING) {
            Socket socket;
            try {
                socket = s.accept();
            } catch (IOException e) {
                if (state == State.RUNNING) {
                    LOG.warn("accept failed", e);
                    continue;
                }
                return;
            }
            try {
                serve(new SocketTransport(socket));
            } catch (IOException e) {
                LOG.debug("dropping connection that failed during setup", e);
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Already broken; nothing more to do.
                }
            }
        }
    }

    private void serve(Transport transport) {
        long cid = nextCid.incrementAndGet();
        ClientConnection c = new ClientConnection(cid, this, config, transport);
        connections.put(cid, c);
        totalConnections.incrementAndGet();
        c.start();
        if (state == State.STOPPED) {
            c.close(Optional.empty(), "server shutdown");
        }
    }

    private void checkWriteDeadlines() {
        long deadline = config.writeDeadline().toNanos();
        for (ClientConnection c : connections.values()) {
            c.checkWriteDeadline(deadline);
        }
    }

    // ---- used by connections ----

    Account account(String name) {
        return accounts.computeIfAbsent(name, n -> {
            Account a = new Account(n);
            jetStream.ifPresent(js -> js.accountCreated(a));
            return a;
        });
    }

    void removed(ClientConnection c) {
        connections.remove(c.cid, c);
    }

    void countSlowConsumer() {
        slowConsumers.incrementAndGet();
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** 11 random bytes, base64url without padding: the 15-character nonce nats-server sends. */
    String newNonce() {
        byte[] b = new byte[11];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Shaped like nats-server's server nkey: 'N' and 55 base32 characters. */
    private String newServerId() {
        StringBuilder sb = new StringBuilder("N");
        for (int i = 0; i < 55; i++) {
            sb.append(BASE32.charAt(random.nextInt(32)));
        }
        return sb.toString();
    }

    String renderInfo(ClientConnection c, boolean lameDuck) {
        StringBuilder sb = new StringBuilder(384).append("INFO {");
        sb.append("\"server_id\":");
        Json.quote(sb, serverId);
        sb.append(",\"server_name\":");
        Json.quote(sb, serverName);
        sb.append(",\"version\":\"").append(SERVER_VERSION).append('"');
        sb.append(",\"proto\":1,\"go\":\"java").append(Runtime.version().feature()).append('"');
        sb.append(",\"host\":");
        Json.quote(sb, config.host());
        sb.append(",\"port\":").append(listener == null ? config.port() : listener.getLocalPort());
        sb.append(",\"headers\":true");
        if (jetStream.isPresent()) {
            sb.append(",\"jetstream\":true");
        }
        if (config.authenticator().isPresent()) {
            sb.append(",\"auth_required\":true");
        }
        sb.append(",\"max_payload\":").append(config.maxPayload());
        sb.append(",\"client_id\":").append(c.cid);
        sb.append(",\"client_ip\":");
        Json.quote(sb, c.remoteHost());
        c.nonce().ifPresent(n -> Json.quote(sb.append(",\"nonce\":"), n));
        if (lameDuck) {
            sb.append(",\"ldm\":true");
        }
        return sb.append("} \r\n").toString();
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
        private Optional<JetStreamConfig> jetStream = Optional.empty();

        private Builder() {
        }

        /** Listen address; default 127.0.0.1. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
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
                    writeDeadline, pingInterval, maxPingsOut, authTimeout, lameDuckGracePeriod, authenticator),
                    jetStream);
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
