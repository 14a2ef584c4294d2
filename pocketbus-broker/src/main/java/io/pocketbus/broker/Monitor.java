package io.pocketbus.broker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * nats-server's HTTP monitoring endpoints with its JSON field names: {@code /varz}, {@code /connz},
 * {@code /subsz}, {@code /accountz}, {@code /jsz}, {@code /healthz}. Durations are nanoseconds and times RFC 3339, as
 * Go renders them.
 */
final class Monitor {
    /** The endpoints, by the names nats-server serves them under. */
    static final List<String> ENDPOINTS = List.of("varz", "connz", "subsz", "accountz", "jsz", "healthz");

    private final Broker broker;
    private final BrokerConfig config;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile HttpServer server;

    Monitor(Broker broker, BrokerConfig config) {
        this.broker = broker;
        this.config = config;
    }

    /** Serves the endpoints over HTTP on this port of the broker's host. */
    void start(int port) {
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(config.host()), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.host() + ":" + port, e);
        }
        for (String endpoint : ENDPOINTS) {
            String path = "/" + endpoint;
            s.createContext(path, exchange -> {
                MonitorResponse r = exchange.getRequestURI().getPath().equals(path)
                        ? respond(endpoint, query(exchange.getRequestURI().getRawQuery()))
                        : new MonitorResponse(404, "{\"error\":\"not found\"}");
                send(exchange, r);
            });
        }
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        s.start();
        server = s;
    }

    /** The monitoring port, or -1 when not serving HTTP. */
    int port() {
        HttpServer s = server;
        return s == null ? -1 : s.getAddress().getPort();
    }

    void stop() {
        HttpServer s = server;
        if (s != null && stopped.compareAndSet(false, true)) {
            s.stop(0);
        }
    }

    /** One endpoint's answer ({@code varz}, {@code connz}, …); 404 for anything else. */
    MonitorResponse respond(String endpoint, Map<String, String> query) {
        String body;
        switch (endpoint) {
            case "varz" -> body = varz();
            case "connz" -> body = connz(query);
            case "subsz" -> body = subsz(query);
            case "accountz" -> body = accountz(query);
            case "jsz" -> body = MonitorJsz.render(broker.serverId(), broker.jetStreamService(), query,
                    name -> flag(query, name)).toString();
            case "healthz" -> {
                return broker.isReady() ? new MonitorResponse(200, "{\"status\":\"ok\"}")
                        : new MonitorResponse(503,
                                "{\"status\":\"unavailable\",\"status_code\":503,\"error\":\"server is not running\"}");
            }
            default -> {
                return new MonitorResponse(404, "{\"error\":\"not found\"}");
            }
        }
        String callback = query.get("callback");
        if (callback != null && callback.matches("[A-Za-z0-9_.$]+")) {
            body = callback + "(" + body + ")";
        }
        return new MonitorResponse(200, body);
    }

    private static void send(HttpExchange exchange, MonitorResponse r) throws IOException {
        byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(r.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static int intParam(Map<String, String> q, String name, int fallback) {
        try {
            return q.containsKey(name) ? Math.max(0, Integer.parseInt(q.get(name))) : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static boolean flag(Map<String, String> q, String name) {
        String v = q.get(name);
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("detail"));
    }

    /** A tiny JSON object writer; field order is insertion order, as nats-server's structs print. */
    private static final class Obj {
        private final StringBuilder sb = new StringBuilder("{");

        Obj field(String name, String value) {
            key(name);
            Json.quote(sb, value);
            return this;
        }

        Obj field(String name, long value) {
            key(name).append(value);
            return this;
        }

        Obj field(String name, double value) {
            key(name).append(value);
            return this;
        }

        Obj field(String name, boolean value) {
            key(name).append(value);
            return this;
        }

        Obj raw(String name, String json) {
            key(name).append(json);
            return this;
        }

        private StringBuilder key(String name) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            return Json.quote(sb, name).append(':');
        }

        String end() {
            return sb.append('}').toString();
        }
    }

    private static String array(List<String> items) {
        return "[" + String.join(",", items) + "]";
    }

    /** Go's uptime rendering: "1d2h3m4s", "5m12s", "0s". */
    static String uptime(Duration d) {
        long s = Math.max(0, d.toSeconds());
        long days = s / 86400;
        long hours = s % 86400 / 3600;
        long minutes = s % 3600 / 60;
        long seconds = s % 60;
        StringBuilder sb = new StringBuilder();
        if (days > 0) {
            sb.append(days).append('d');
        }
        if (days > 0 || hours > 0) {
            sb.append(hours).append('h');
        }
        if (days > 0 || hours > 0 || minutes > 0) {
            sb.append(minutes).append('m');
        }
        return sb.append(seconds).append('s').toString();
    }

    private String varz() {
        BrokerStats st = broker.stats();
        Instant now = Instant.now();
        Runtime rt = Runtime.getRuntime();
        return new Obj().field("server_id", broker.serverId()).field("server_name", broker.serverName())
                .field("version", Broker.SERVER_VERSION).field("proto", 1).field("go", "java" + Runtime.version().feature())
                .field("host", config.host()).field("port", broker.port())
                .field("max_connections", config.maxConnections())
                .field("ping_interval", config.pingInterval().toNanos())
                .field("ping_max", config.maxPingsOut()).field("http_host", config.host())
                .field("http_port", port()).field("auth_timeout", config.authTimeout().toMillis() / 1000.0)
                .field("max_control_line", config.maxControlLine()).field("max_payload", config.maxPayload())
                .field("max_pending", config.maxPending()).field("write_deadline", config.writeDeadline().toNanos())
                .field("start", st.start().toString()).field("now", now.toString())
                .field("uptime", uptime(Duration.between(st.start(), now)))
                .field("mem", rt.totalMemory() - rt.freeMemory()).field("cores", rt.availableProcessors())
                .field("connections", st.connections()).field("total_connections", st.totalConnections())
                .field("routes", 0).field("remotes", 0).field("leafnodes", 0)
                .field("in_msgs", st.inMsgs()).field("out_msgs", st.outMsgs())
                .field("in_bytes", st.inBytes()).field("out_bytes", st.outBytes())
                .field("slow_consumers", st.slowConsumers()).field("subscriptions", st.subscriptions())
                .field("system_account", broker.systemAccount())
                .raw("websocket", broker.websocketPort().map(p -> new Obj().field("host", config.host())
                        .field("port", p).field("no_tls", true).end()).orElse("{}"))
                .end();
    }

    private String connz(Map<String, String> q) {
        Instant now = Instant.now();
        String acc = q.get("acc");
        String cidFilter = q.get("cid");
        String user = q.get("user");
        List<ConnectionInfo> all = broker.connections().stream()
                .filter(c -> acc == null || c.account().equals(acc))
                .filter(c -> user == null || c.authorizedUser().equals(user))
                .filter(c -> cidFilter == null || Long.toString(c.cid()).equals(cidFilter))
                .sorted(sorter(q.getOrDefault("sort", "cid")))
                .toList();
        int offset = intParam(q, "offset", 0);
        int limit = intParam(q, "limit", 1024);
        boolean subs = flag(q, "subs");
        boolean auth = flag(q, "auth");
        List<String> rendered = all.stream().skip(offset).limit(limit).map(c -> {
            Obj o = new Obj().field("cid", c.cid()).field("kind", "Client")
                    .field("type", c.kind().equals("websocket") ? "websocket" : "nats")
                    .field("ip", c.ip()).field("port", c.port()).field("start", c.start().toString())
                    .field("last_activity", c.lastActivity().toString())
                    .field("uptime", uptime(Duration.between(c.start(), now)))
                    .field("idle", uptime(Duration.between(c.lastActivity(), now)))
                    .field("pending_bytes", c.pendingBytes()).field("in_msgs", c.inMsgs())
                    .field("out_msgs", c.outMsgs()).field("in_bytes", c.inBytes()).field("out_bytes", c.outBytes())
                    .field("subscriptions", c.subscriptions()).field("name", c.name()).field("lang", c.lang())
                    .field("version", c.version());
            if (auth && !c.authorizedUser().isEmpty()) {
                o.field("authorized_user", c.authorizedUser());
            }
            if (auth || acc != null) {
                o.field("account", c.account());
            }
            if (subs) {
                o.raw("subscriptions_list", array(broker.subscriptions().stream().filter(s -> s.cid() == c.cid())
                        .map(s -> Json.quote(new StringBuilder(), s.subject()).toString()).toList()));
            }
            return o.end();
        }).toList();
        return new Obj().field("server_id", broker.serverId()).field("now", now.toString())
                .field("num_connections", rendered.size()).field("total", all.size()).field("offset", offset)
                .field("limit", limit).raw("connections", array(rendered)).end();
    }

    private static Comparator<ConnectionInfo> sorter(String sort) {
        return switch (sort) {
            case "subs" -> Comparator.comparingInt(ConnectionInfo::subscriptions).reversed();
            case "pending" -> Comparator.comparingInt(ConnectionInfo::pendingBytes).reversed();
            case "msgs_to" -> Comparator.comparingLong(ConnectionInfo::outMsgs).reversed();
            case "msgs_from" -> Comparator.comparingLong(ConnectionInfo::inMsgs).reversed();
            case "bytes_to" -> Comparator.comparingLong(ConnectionInfo::outBytes).reversed();
            case "bytes_from" -> Comparator.comparingLong(ConnectionInfo::inBytes).reversed();
            case "start" -> Comparator.comparing(ConnectionInfo::start);
            case "last" -> Comparator.comparing(ConnectionInfo::lastActivity).reversed();
            default -> Comparator.comparingLong(ConnectionInfo::cid);
        };
    }

    private String subsz(Map<String, String> q) {
        String acc = q.get("acc");
        long subs = 0;
        long cache = 0;
        long inserts = 0;
        long removes = 0;
        long matches = 0;
        long hits = 0;
        for (Account a : broker.accountList()) {
            if (acc != null && !a.name.equals(acc)) {
                continue;
            }
            Sublist.SublistStats s = a.sublist.stats();
            subs += s.subscriptions();
            cache += s.cacheEntries();
            inserts += s.inserts();
            removes += s.removes();
            matches += s.matches();
            hits += s.cacheHits();
        }
        String test = q.get("test");
        List<SubscriptionInfo> list = broker.subscriptions().stream()
                .filter(s -> acc == null || s.account().equals(acc))
                .filter(s -> test == null || Subjects.isValidLiteralSubject(test) && Subjects.matches(s.subject(), test))
                .toList();
        int offset = intParam(q, "offset", 0);
        int limit = intParam(q, "limit", 1024);
        Obj o = new Obj().field("server_id", broker.serverId()).field("now", Instant.now().toString())
                .field("num_subscriptions", subs).field("num_cache", cache).field("num_inserts", inserts)
                .field("num_removes", removes).field("num_matches", matches)
                .field("cache_hit_rate", matches == 0 ? 0.0 : (double) hits / matches)
                .field("total", list.size()).field("offset", offset).field("limit", limit);
        if (flag(q, "subs") || test != null) {
            o.raw("subscriptions_list", array(list.stream().skip(offset).limit(limit).map(s -> {
                Obj so = new Obj().field("account", s.account()).field("subject", s.subject());
                s.queue().ifPresent(qg -> so.field("qgroup", qg));
                return so.field("sid", s.sid()).field("msgs", s.msgs()).field("max", s.max()).field("cid", s.cid())
                        .end();
            }).toList()));
        }
        return o.end();
    }

    private String accountz(Map<String, String> q) {
        Obj o = new Obj().field("server_id", broker.serverId()).field("now", Instant.now().toString())
                .field("system_account", broker.systemAccount());
        String acc = q.get("acc");
        if (acc == null) {
            return o.raw("accounts", array(broker.accounts().stream()
                    .map(a -> Json.quote(new StringBuilder(), a).toString()).toList())).end();
        }
        Account account = broker.existingAccount(acc);
        if (account == null) {
            return o.field("error", "account not found").end();
        }
        Sublist.SublistStats s = account.sublist.stats();
        return o.raw("account_detail", new Obj().field("account_name", account.name)
                .field("is_system", account.name.equals(broker.systemAccount()))
                .field("connections", account.connections.get())
                .raw("sublist_stats", new Obj().field("num_subscriptions", s.subscriptions())
                        .field("num_cache", s.cacheEntries()).field("num_inserts", s.inserts())
                        .field("num_removes", s.removes()).field("num_matches", s.matches())
                        .field("cache_hit_rate", s.matches() == 0 ? 0.0 : (double) s.cacheHits() / s.matches()).end())
                .end()).end();
    }
}
