package io.pocketbus.broker;

import io.pocketbus.broker.spi.AuthenticationException;
import io.pocketbus.broker.spi.Authenticator;
import io.pocketbus.broker.spi.ConnectAttempt;
import io.pocketbus.broker.spi.Grant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, whatever its transport: a reader loop that parses and routes, a writer loop that
 * drains {@link Outbound}. Everything the parser calls back runs on the reader thread; deliveries from
 * other publishers only touch this connection's {@link Outbound} and subscription map.
 */
final class ClientConnection implements ProtocolParser.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    private static final byte[] PONG = bytes("PONG\r\n");
    private static final byte[] PING = bytes("PING\r\n");
    private static final byte[] OK = bytes("+OK\r\n");
    private static final byte[] NO_RESPONDERS_PREFIX = bytes("NATS/1.0 503\r\nNats-Subject: ");
    private static final int MIN_READ = 512;
    private static final int MAX_READ = 64 * 1024;
    /** A read batch of at most this many messages that drained the socket may write its deliveries inline. */
    private static final int MAX_INLINE_BATCH = 8;
    private static final int MAX_INLINE_WRITE = 4 * 1024;
    /** A peer whose last write took longer than this (nats-server's in-place flush budget) is left to its writer. */
    private static final long MAX_INLINE_LAST_WRITE_NANOS = 1_000_000;

    final long cid;
    private final Broker broker;
    private final BrokerConfig config;
    private final Transport transport;
    private final Outbound outbound;
    private final ProtocolParser parser;
    private final Instant start = Instant.now();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final MessageRouter router = new MessageRouter(this);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger pingsOut = new AtomicInteger();
    private final CountDownLatch writerDone = new CountDownLatch(1);
    private final Queue<ScheduledFuture<?>> timers = new ConcurrentLinkedQueue<>();
    private final Optional<String> nonce;
    private MatchCache matchCache;

    private volatile long lastActivityNanos = System.nanoTime();
    private volatile long lastActivityMillis = System.currentTimeMillis();
    private volatile boolean connectReceived;
    private volatile Account account;
    private volatile ConnectionPermissions permissions;
    private volatile Grant grant;
    /** The credentials of CONNECT, kept to re-check them when the authenticator's decisions change. */
    private volatile ConnectAttempt attempt;
    private volatile int maxPayload;
    private volatile int maxSubscriptions = Integer.MAX_VALUE;
    private boolean verbose;
    private boolean pedantic;
    private volatile boolean headers;
    private boolean noResponders;
    private volatile int protocol;
    private volatile String name = "";
    private volatile String lang = "";
    private volatile String version = "";
    private volatile long inMsgs;
    private volatile long inBytes;
    // Counted per message by the reader, published to the volatile totals once per read batch.
    private long batchInMsgs;
    private long batchInBytes;

    ClientConnection(long cid, Broker broker, BrokerConfig config, Transport transport) {
        this.cid = cid;
        this.broker = broker;
        this.config = config;
        this.transport = transport;
        this.outbound = new Outbound(config.maxPending());
        this.parser = new ProtocolParser(this, config.maxControlLine());
        this.maxPayload = config.maxPayload();
        this.nonce = config.authenticator().filter(a -> a.requiresNonce()).map(a -> broker.newNonce());
        if (config.authenticator().isEmpty()) {
            bind(Grant.global(""));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends INFO and starts the reader and writer threads. */
    void start() {
        sendNow(bytes(broker.renderInfo(this, false)));
        if (config.authenticator().isPresent()) {
            schedule(this::authTimeout, config.authTimeout());
        }
        Duration ping = config.pingInterval();
        track(broker.scheduler().scheduleAtFixedRate(this::pingTimer, ping.toNanos(), ping.toNanos(),
                TimeUnit.NANOSECONDS));
        broker.connectionThreads().start(cid, this::readLoop, this::writeLoop);
    }

    private void schedule(Runnable task, Duration delay) {
        track(broker.scheduler().schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS));
    }

    private void track(ScheduledFuture<?> future) {
        timers.add(future);
        if (closed.get()) {
            future.cancel(false);
        }
    }

    Outbound outbound() {
        return outbound;
    }

    ConnectionPermissions permissions() {
        return permissions;
    }

    Optional<String> nonce() {
        return nonce;
    }

    String remoteHost() {
        return transport.remoteHost();
    }

    int protocol() {
        return protocol;
    }

    // ---- reader and writer loops ----

    private void readLoop() {
        byte[] buf = new byte[MIN_READ];
        int shortReads = 0;
        try {
            while (!closed.get()) {
                int n = transport.read(buf, 0, buf.length);
                if (n < 0) {
                    abort("Client Closed");
                    return;
                }
                lastActivityNanos = System.nanoTime();
                lastActivityMillis = System.currentTimeMillis();
                try {
                    parser.parse(buf, 0, n);
                } finally {
                    // A short read drained the socket: nothing more is waiting to be parsed right now.
                    flushPending(n < buf.length);
                }
                if (n == buf.length && buf.length < MAX_READ) {
                    buf = new byte[buf.length * 2];
                    shortReads = 0;
                } else if (n < buf.length / 2 && buf.length > MIN_READ && ++shortReads > 2) {
                    buf = new byte[buf.length / 2];
                    shortReads = 0;
                }
            }
        } catch (ProtocolViolation v) {
            LOG.debug("client {} protocol violation: {}", cid, v.getMessage());
            close(v.clientError(), closedState(v));
        } catch (IOException e) {
            abort("Read Error");
        } catch (RuntimeException e) {
            LOG.warn("client {} closed after an internal error", cid, e);
            close(Optional.empty(), "Internal Error");
        }
    }

    /** nats-server's ClosedState text for a protocol error, as monitoring and events report it. */
    private static String closedState(ProtocolViolation v) {
        return switch (v.clientError().orElse("")) {
            case ProtocolViolation.AUTHORIZATION -> "Authentication Failure";
            case ProtocolViolation.MAX_PAYLOAD -> "Maximum Message Payload Exceeded";
            case ProtocolViolation.MAX_CONTROL_LINE -> "Maximum Control Line Exceeded";
            case ProtocolViolation.MAX_ACCOUNT_CONNECTIONS -> "Maximum Account Connections Exceeded";
            case "User Authentication Expired" -> "Authentication Expired";
            case "User Authentication Revoked" -> "Credentials Revoked";
            default -> "Protocol Violation";
        };
    }

    private void writeLoop() {
        try {
            outbound.runWriter(transport);
        } catch (IOException e) {
            abort("Write Error");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            transport.close();
            writerDone.countDown();
        }
    }

    /**
     * Routes out what this read batch queued. A small batch that ended the input (a request, a reply, a
     * PING) writes to its few receivers right here when their writers are idle: that spares two thread
     * hand-offs per request/reply round trip. A streaming publisher's batches are large and keep waking the
     * writers, so its reading and their writing overlap.
     */
    private void flushPending(boolean endOfInput) {
        router.flush(endOfInput && batchInMsgs <= MAX_INLINE_BATCH);
        if (batchInMsgs > 0) {
            inMsgs += batchInMsgs;
            inBytes += batchInBytes;
            batchInMsgs = 0;
            batchInBytes = 0;
        }
    }

    /** Sends what a read batch queued here: inline when allowed and cheap, else by waking the writer. */
    void flushFrom(boolean inline) {
        if (inline) {
            try {
                if (outbound.writeInline(transport, MAX_INLINE_WRITE, MAX_INLINE_LAST_WRITE_NANOS)) {
                    return;
                }
            } catch (IOException e) {
                abort("Write Error");
                return;
            }
        }
        outbound.signal();
    }

    private void queue(byte[] proto) {
        if (!outbound.append(proto)) {
            slowConsumer();
            return;
        }
        router.mark(this);
    }

    private void sendNow(byte[] proto) {
        if (!outbound.append(proto)) {
            slowConsumer();
            return;
        }
        outbound.signal();
    }

    private void queueError(String text) {
        queue(bytes("-ERR '" + text + "'\r\n"));
    }

    void sendInfo(String info) {
        sendNow(bytes(info));
    }

    // ---- closing ----

    /**
     * Closes the connection after writing what is queued, preceded by {@code -ERR '<error>'} when given;
     * idempotent.
     */
    void close(Optional<String> error, String reason) {
        if (markClosed(reason)) {
            error.ifPresent(e -> outbound.append(bytes("-ERR '" + e + "'\r\n")));
            outbound.closeAfterDrain();
            // A peer that stopped reading must not keep the socket and writer alive forever.
            Thread.ofVirtual().name("pocketbus-client-" + cid + "-drain").start(() -> {
                try {
                    if (!writerDone.await(config.writeDeadline().toNanos(), TimeUnit.NANOSECONDS)) {
                        transport.close();
                    }
                } catch (InterruptedException e) {
                    transport.close();
                }
            });
        }
    }

    /** Closes at once, dropping queued output: the peer is gone or cannot keep up. */
    void abort(String reason) {
        if (markClosed(reason)) {
            outbound.discard();
            transport.close();
        }
    }

    private boolean markClosed(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        LOG.debug("client {} closed: {}", cid, reason);
        timers.forEach(t -> t.cancel(false));
        Account acc = account;
        for (Subscription s : subscriptions.values()) {
            s.close();
            if (acc != null) {
                acc.sublist.remove(s);
            }
        }
        subscriptions.clear();
        if (acc != null) {
            acc.connections.decrementAndGet();
        }
        broker.removed(this);
        if (connectReceived) {
            broker.events().disconnected(info(), reason);
        }
        return true;
    }

    /** Cut without a word and without waiting for the writer, so no one else is held up. */
    void slowConsumer() {
        broker.countSlowConsumer();
        abort("Slow Consumer (Pending Bytes)");
    }

    /** Called by the broker's watchdog: a write blocked past the deadline means the peer stopped reading. */
    void checkWriteDeadline(long deadlineNanos) {
        if (outbound.writeStalled(deadlineNanos)) {
            broker.countSlowConsumer();
            abort("Slow Consumer (Write Deadline)");
        }
    }

    private void authTimeout() {
        if (!connectReceived) {
            close(Optional.of("Authentication Timeout"), "Authentication Timeout");
        }
    }

    private void pingTimer() {
        if (closed.get() || !connectReceived && config.authenticator().isPresent()) {
            return;
        }
        if (System.nanoTime() - lastActivityNanos < config.pingInterval().toNanos()) {
            return;
        }
        if (pingsOut.get() + 1 > config.maxPingsOut()) {
            close(Optional.of("Stale Connection"), "Stale Connection");
            return;
        }
        pingsOut.incrementAndGet();
        sendNow(PING);
    }

    // ---- parser callbacks ----

    @Override
    public boolean awaitingConnect() {
        return !connectReceived && config.authenticator().isPresent();
    }

    @Override
    public boolean headersEnabled() {
        return headers;
    }

    @Override
    public int maxPayload() {
        return maxPayload;
    }

    @Override
    public void onPing() {
        // Route and count what came before the PING first: a client's flush() returns on the PONG and
        // may then read the monitoring counters (in_msgs) or expect its messages on their way.
        flushPending(false);
        queue(PONG);
    }

    @Override
    public void onPong() {
        pingsOut.set(0);
    }

    @Override
    public void onConnect(String json) {
        Map<String, Object> o;
        try {
            o = Json.parseObject(json);
        } catch (RuntimeException e) {
            throw ProtocolViolation.silent("CONNECT is not valid JSON: " + e.getMessage());
        }
        int proto = (int) number(o.get("protocol"));
        if (proto < 0 || proto > 1) {
            throw ProtocolViolation.withError("invalid client protocol");
        }
        boolean wantsHeaders = bool(o.get("headers"), false);
        boolean wantsNoResponders = bool(o.get("no_responders"), false);
        if (wantsNoResponders && !wantsHeaders) {
            throw ProtocolViolation.withError("no responders requires headers support");
        }
        if (!connectReceived && config.authenticator().isPresent()) {
            authenticate(o);
        } else if (!connectReceived) {
            bind(Grant.global(string(o.get("user")).or(() -> string(o.get("name"))).orElse("")));
        }
        protocol = proto;
        verbose = bool(o.get("verbose"), true);
        pedantic = bool(o.get("pedantic"), false);
        router.echo(bool(o.get("echo"), true));
        headers = wantsHeaders;
        noResponders = wantsNoResponders;
        name = string(o.get("name")).orElse("");
        lang = string(o.get("lang")).orElse("");
        version = string(o.get("version")).orElse("");
        boolean first = !connectReceived;
        connectReceived = true;
        if (verbose) {
            queue(OK);
        }
        if (first) {
            broker.events().connected(info());
        }
    }

    private void authenticate(Map<String, Object> o) {
        ConnectAttempt connectAttempt = new ConnectAttempt(string(o.get("user")), string(o.get("pass")),
                string(o.get("auth_token")), string(o.get("nkey")), string(o.get("sig")), string(o.get("jwt")),
                nonce, transport.remoteHost() + ":" + transport.remotePort(), transport.kind());
        // Saved before deciding, so a credentials change that lands while deciding re-checks this one too.
        attempt = connectAttempt;
        Grant granted;
        try {
            granted = config.authenticator().orElseThrow().authenticate(connectAttempt);
        } catch (AuthenticationException e) {
            // nats-server answers every refusal at CONNECT alike, whatever the reason (expired, revoked, …).
            LOG.info("client {} from {} refused ({}): {}", cid, transport.remoteHost(), e.reason(), e.getMessage());
            throw ProtocolViolation.withError(ProtocolViolation.AUTHORIZATION);
        } catch (RuntimeException e) {
            LOG.warn("client {} refused: the authenticator failed", cid, e);
            throw ProtocolViolation.withError(ProtocolViolation.AUTHORIZATION);
        }
        if (closed.get()) {
            // The auth timeout fired while the authenticator was deciding.
            throw ProtocolViolation.silent("closed during authentication");
        }
        bind(granted);
        if (!admitToAccount(granted)) {
            throw ProtocolViolation.withError(ProtocolViolation.MAX_ACCOUNT_CONNECTIONS);
        }
        granted.expiresAt().ifPresent(at -> schedule(
                () -> close(Optional.of("User Authentication Expired"), "Authentication Expired"),
                Duration.between(Instant.now(), at)));
    }

    /**
     * Asks the authenticator again with the credentials of CONNECT, after it reported that earlier decisions
     * may no longer hold; closes the connection when it is now refused or would land in another account, with
     * nats-server's texts for a live connection.
     */
    void reauthenticate(Authenticator authenticator) {
        ConnectAttempt saved = attempt;
        if (saved == null || closed.get()) {
            return;
        }
        try {
            Grant now = authenticator.authenticate(saved);
            Grant current = grant;
            if (current != null && !now.account().equals(current.account())) {
                LOG.info("client {} closed: its credentials now belong to another account", cid);
                close(Optional.of(ProtocolViolation.AUTHORIZATION), "Authentication Failure");
            }
        } catch (AuthenticationException e) {
            LOG.info("client {} closed: credentials no longer valid ({}): {}", cid, e.reason(), e.getMessage());
            switch (e.reason()) {
                case REVOKED -> close(Optional.of("User Authentication Revoked"), "Credentials Revoked");
                case EXPIRED -> close(Optional.of("User Authentication Expired"), "Authentication Expired");
                case VIOLATION -> close(Optional.of(ProtocolViolation.AUTHORIZATION), "Authentication Failure");
            }
        } catch (RuntimeException e) {
            LOG.warn("client {} closed: the authenticator failed while re-checking it", cid, e);
            close(Optional.of(ProtocolViolation.AUTHORIZATION), "Authentication Failure");
        }
    }

    /** Whether the account, this connection counted, stays within its configured and granted connection limit. */
    private boolean admitToAccount(Grant granted) {
        Account acc = account;
        Optional<Integer> limit = Stream.of(granted.accountMaxConnections(),
                config.limitsOf(acc.name).maxConnections()).flatMap(Optional::stream).min(Integer::compare);
        return limit.isEmpty() || acc.connections.get() <= limit.get();
    }

    private void bind(Grant granted) {
        Account previous = account;
        if (previous != null) {
            previous.connections.decrementAndGet();
        }
        grant = granted;
        account = broker.account(granted.account());
        account.connections.incrementAndGet();
        permissions = ConnectionPermissions.of(granted.permissions());
        maxPayload = granted.maxPayload().map(m -> Math.min(m, config.maxPayload())).orElse(config.maxPayload());
        Optional<Integer> server = config.maxSubscriptions() > 0 ? Optional.of(config.maxSubscriptions())
                : Optional.empty();
        maxSubscriptions = Stream.of(server, config.limitsOf(account.name).maxSubscriptions(),
                granted.maxSubscriptions()).flatMap(Optional::stream).min(Integer::compare).orElse(Integer.MAX_VALUE);
        matchCache = null;
    }

    private static long number(Object v) {
        return v instanceof Number n ? n.longValue() : 0;
    }

    private static boolean bool(Object v, boolean fallback) {
        return v instanceof Boolean b ? b : fallback;
    }

    private static Optional<String> string(Object v) {
        return v instanceof String s ? Optional.of(s) : Optional.empty();
    }

    @Override
    public void onSub(String subject, String queue, String sid) {
        // Like nats-server, only the subject is validated; any queue group name is accepted.
        if (!Subjects.isValidSubject(subject)) {
            queueError("Invalid Subject");
            return;
        }
        ConnectionPermissions perms = permissions;
        if (perms != null && !perms.subscribeAllowed(subject, queue)) {
            queueError("Permissions Violation for Subscription to \"" + subject + "\""
                    + (queue == null ? "" : " using queue \"" + queue + "\""));
            return;
        }
        // As in nats-server the limit is checked before the sid, so a repeated SUB at the limit is refused too.
        if (subscriptions.size() >= maxSubscriptions) {
            queueError("maximum subscriptions exceeded");
            return;
        }
        if (!subscriptions.containsKey(sid)) {
            Subscription sub = new Subscription(this, subject, queue, sid,
                    perms == null ? null : perms.deliveryFilter(subject));
            subscriptions.put(sid, sub);
            account.sublist.insert(sub);
            if (closed.get()) {
                // Closed by another thread (slow consumer, timer) while this SUB was parsed.
                removeSubscription(sub);
            }
        }
        if (verbose) {
            queue(OK);
        }
    }

    @Override
    public void onUnsub(String sid, long max) {
        Subscription sub = subscriptions.get(sid);
        if (sub != null) {
            if (max > 0 && sub.delivered() < max) {
                sub.setMax(max);
                if (sub.delivered() >= max) {
                    removeSubscription(sub);
                }
            } else {
                removeSubscription(sub);
            }
        }
        if (verbose) {
            queue(OK);
        }
    }

    void removeSubscription(Subscription sub) {
        if (subscriptions.remove(sub.sid, sub)) {
            sub.close();
            account.sublist.remove(sub);
        }
    }

    @Override
    public void onPub(ProtocolParser.Message m) {
        batchInMsgs++;
        batchInBytes += m.totalLength;
        Account acc = account;
        if (matchCache == null) {
            matchCache = new MatchCache();
        }
        MatchCache.Entry entry = matchCache.lookup(m.args, m.subjectOffset, m.subjectLength, acc.sublist);
        if (pedantic && !Subjects.isValidLiteralSubject(entry.subject)) {
            queueError("Invalid Publish Subject");
        }
        ConnectionPermissions perms = permissions;
        if (perms != null) {
            if (entry.publish == MatchCache.UNKNOWN) {
                entry.publish = perms.publishAllowed(entry.subject) ? MatchCache.ALLOWED : MatchCache.DENIED;
            }
            if (entry.publish == MatchCache.DENIED && !perms.consumeResponse(entry.subject)) {
                queueError("Permissions Violation for Publish to \"" + entry.subject + "\"");
                return;
            }
        }
        if (m.replyLength > 0 && Subjects.isReservedReply(m.args, m.replyOffset, m.replyLength)) {
            queueError("Permissions Violation for Publish with Reply of \""
                    + new String(m.args, m.replyOffset, m.replyLength, StandardCharsets.UTF_8) + "\"");
            return;
        }
        if (verbose) {
            queue(OK);
        }
        int delivered = router.route(m, entry.subject, entry.result, 0);
        if (delivered == 0 && m.replyLength > 0 && noResponders) {
            sendNoResponders(m, entry.subject, acc);
        }
    }

    /** nats-server's no-responders reply: a 503 status on the requester's own subscription to the reply. */
    private void sendNoResponders(ProtocolParser.Message m, String subject, Account acc) {
        String reply = new String(m.args, m.replyOffset, m.replyLength, StandardCharsets.UTF_8);
        for (Subscription s : acc.sublist.match(reply).plain) {
            if (s.client != this || s.closed()) {
                continue;
            }
            byte[] subjectBytes = subject.getBytes(StandardCharsets.UTF_8);
            byte[] header = new byte[NO_RESPONDERS_PREFIX.length + subjectBytes.length + 4];
            System.arraycopy(NO_RESPONDERS_PREFIX, 0, header, 0, NO_RESPONDERS_PREFIX.length);
            System.arraycopy(subjectBytes, 0, header, NO_RESPONDERS_PREFIX.length, subjectBytes.length);
            int p = NO_RESPONDERS_PREFIX.length + subjectBytes.length;
            header[p] = '\r';
            header[p + 1] = '\n';
            header[p + 2] = '\r';
            header[p + 3] = '\n';
            if (s.claimDelivery() == 0) {
                return;
            }
            if (!outbound.appendMessage(m.args, m.replyOffset, m.replyLength, s.sidBytes, m.args, 0, 0,
                    header.length, header.length, header, 0, true)) {
                slowConsumer();
                return;
            }
            router.mark(this);
            return;
        }
    }

    // ---- monitoring ----

    ConnectionInfo info() {
        Grant g = grant;
        Account acc = account;
        return new ConnectionInfo(cid, transport.kind(), transport.remoteHost(), transport.remotePort(), start,
                Instant.ofEpochMilli(lastActivityMillis), name, lang, version, acc == null ? "" : acc.name, g == null ? "" : g.identity(),
                subscriptions.size(), outbound.pendingBytes(), inMsgs, outbound.outMsgs(), inBytes,
                outbound.outBytes());
    }

    List<SubscriptionInfo> subscriptionInfos() {
        Account acc = account;
        List<SubscriptionInfo> out = new ArrayList<>();
        for (Subscription s : subscriptions.values()) {
            out.add(new SubscriptionInfo(acc == null ? "" : acc.name, s.subject, Optional.ofNullable(s.queue), s.sid,
                    cid, s.delivered(), s.max()));
        }
        return out;
    }
}
