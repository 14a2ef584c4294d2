package io.pocketbus.broker;

import io.pocketbus.broker.spi.Authenticator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Configures a {@link Broker}; every setting defaults to nats-server's. */
public final class BrokerBuilder {
    /** Configuration warnings are the broker's to report: logged under its name. */
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

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

    BrokerBuilder() {
    }

    /**
     * Also accepts NATS over WebSocket on this port (0 = pick a free one; see
     * {@link Broker#websocketPort()}), on the same host; off by default.
     */
    public BrokerBuilder websocketPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.websocketPort = Optional.of(port);
        return this;
    }

    /** TLS, compression and Origin checks of the WebSocket listener; default plain, uncompressed, any origin. */
    public BrokerBuilder websocket(WebSocketOptions options) {
        this.websocket = Objects.requireNonNull(options);
        return this;
    }

    /**
     * Serves nats-server's monitoring endpoints ({@code /varz /connz /subsz /accountz /healthz}) over
     * HTTP on this port (0 = pick a free one; see {@link Broker#monitorPort()}), on the same host; off by
     * default.
     */
    public BrokerBuilder monitorPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.monitorPort = Optional.of(port);
        return this;
    }

    /** The account connect/disconnect events are published in; default {@code $SYS}. */
    public BrokerBuilder systemAccount(String name) {
        this.systemAccount = Objects.requireNonNull(name);
        return this;
    }

    /** Defines an account's exports and imports (see {@link Broker#defineAccount}). */
    public BrokerBuilder account(AccountConfig config) {
        accounts.add(Objects.requireNonNull(config));
        return this;
    }

    /** Listen address; default 127.0.0.1. */
    public BrokerBuilder host(String host) {
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
    public BrokerBuilder port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.port = port;
        return this;
    }

    public BrokerBuilder serverName(String serverName) {
        this.serverName = Optional.of(serverName);
        return this;
    }

    /** Largest message (headers + payload) a client may publish; default 1 MiB. */
    public BrokerBuilder maxPayload(int bytes) {
        this.maxPayload = positive(bytes, "maxPayload");
        return this;
    }

    /** Longest protocol line a client may send; default 4096. */
    public BrokerBuilder maxControlLine(int bytes) {
        this.maxControlLine = positive(bytes, "maxControlLine");
        return this;
    }

    /** Outbound bytes a connection may have queued before it is cut as a slow consumer; default 64 MiB. */
    public BrokerBuilder maxPending(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("maxPending must be positive");
        }
        this.maxPending = bytes;
        return this;
    }

    /** How long one write to a client may block before it is cut as a slow consumer; default 10 s. */
    public BrokerBuilder writeDeadline(Duration d) {
        this.writeDeadline = positive(d, "writeDeadline");
        return this;
    }

    /** How often an idle client is pinged; default 2 min. */
    public BrokerBuilder pingInterval(Duration d) {
        this.pingInterval = positive(d, "pingInterval");
        return this;
    }

    /** Unanswered pings after which a client is closed with {@code Stale Connection}; default 2. */
    public BrokerBuilder maxPingsOut(int n) {
        this.maxPingsOut = positive(n, "maxPingsOut");
        return this;
    }

    /** Open connections beyond this get {@code -ERR 'maximum connections exceeded'}; default 65536. */
    public BrokerBuilder maxConnections(int n) {
        this.maxConnections = positive(n, "maxConnections");
        return this;
    }

    /**
     * Subscriptions one connection may hold; beyond it a SUB gets {@code -ERR 'maximum subscriptions
     * exceeded'} and the connection stays open; 0 (the default) means no limit.
     */
    public BrokerBuilder maxSubscriptions(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("maxSubscriptions must not be negative");
        }
        this.maxSubscriptions = n;
        return this;
    }

    /** Limits an account's connections and each of its connections' subscriptions. */
    public BrokerBuilder accountLimits(String account, AccountLimits limits) {
        accountLimits.put(Objects.requireNonNull(account), Objects.requireNonNull(limits));
        return this;
    }

    /** How long a client has to send CONNECT when authentication is required; default 2 s. */
    public BrokerBuilder authTimeout(Duration d) {
        this.authTimeout = positive(d, "authTimeout");
        return this;
    }

    /** How long {@link Broker#lameDuck()} waits before closing clients; default 10 s. */
    public BrokerBuilder lameDuckGracePeriod(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("lameDuckGracePeriod must not be negative");
        }
        this.lameDuckGracePeriod = d;
        return this;
    }

    /** Decides who may connect, into which account, with which permissions; none = open to everyone. */
    public BrokerBuilder authenticator(Authenticator authenticator) {
        this.authenticator = Optional.of(authenticator);
        return this;
    }

    /** Enables JetStream (streams, consumers, KV, object store); off by default, as in nats-server. */
    public BrokerBuilder jetStream(JetStreamConfig jetStream) {
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
