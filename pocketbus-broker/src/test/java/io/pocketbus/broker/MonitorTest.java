package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The monitoring endpoints answer with nats-server's field names. */
class MonitorTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Broker broker;

    @BeforeAll
    static void start() {
        broker = Broker.builder().port(0).monitorPort(0).serverName("mon").build().start();
    }

    @AfterAll
    static void stop() {
        broker.shutdown();
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.monitorPort().orElseThrow()
                + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> json(String pathAndQuery) throws Exception {
        HttpResponse<String> r = get(pathAndQuery);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        return Json.parseObject(r.body());
    }

    @Test
    void healthz() throws Exception {
        assertThat(json("/healthz")).containsEntry("status", "ok");
    }

    @Test
    void varzCountsTraffic() throws Exception {
        try (Connection nc = Nats.connect("nats://127.0.0.1:" + broker.port())) {
            nc.subscribe("v.x");
            nc.publish("v.x", new byte[7]);
            nc.flush(WAIT);
            Map<String, Object> v = json("/varz");
            assertThat(v).containsEntry("server_name", "mon").containsEntry("version", Broker.SERVER_VERSION)
                    .containsEntry("max_payload", 1048576L).containsEntry("ping_interval", 120_000_000_000L)
                    .containsKeys("server_id", "start", "now", "uptime", "mem", "cores", "connections",
                            "total_connections", "in_msgs", "out_msgs", "in_bytes", "out_bytes", "slow_consumers",
                            "subscriptions");
            assertThat((Long) v.get("in_msgs")).isGreaterThanOrEqualTo(1L);
            assertThat((Long) v.get("connections")).isGreaterThanOrEqualTo(1L);
        }
    }

    @Test
    void connzListsConnectionsWithSubscriptions() throws Exception {
        try (Connection nc = Nats.connect(Options.builder().server("nats://127.0.0.1:" + broker.port())
                .connectionName("watched").build())) {
            nc.subscribe("c.one");
            nc.flush(WAIT);
            Map<String, Object> c = json("/connz?subs=1");
            assertThat(c).containsKeys("server_id", "now", "num_connections", "total", "offset", "limit");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> conns = (List<Map<String, Object>>) c.get("connections");
            Map<String, Object> mine = conns.stream().filter(x -> "watched".equals(x.get("name"))).findFirst()
                    .orElseThrow();
            assertThat(mine).containsEntry("lang", "java").containsEntry("ip", "127.0.0.1")
                    .containsEntry("subscriptions", 1L).containsEntry("subscriptions_list", List.of("c.one"))
                    .containsKeys("cid", "port", "start", "last_activity", "uptime", "idle", "pending_bytes");
            Map<String, Object> paged = json("/connz?limit=0");
            assertThat(paged).containsEntry("num_connections", 0L).containsEntry("limit", 0L);
        }
    }

    @Test
    void subszAndAccountz() throws Exception {
        try (Connection nc = Nats.connect("nats://127.0.0.1:" + broker.port())) {
            nc.subscribe("s.*", "grp");
            nc.flush(WAIT);
            Map<String, Object> s = json("/subsz?test=s.a");
            assertThat(s).containsKeys("num_subscriptions", "num_cache", "num_inserts", "num_removes", "num_matches",
                    "cache_hit_rate");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> list = (List<Map<String, Object>>) s.get("subscriptions_list");
            assertThat(list).anySatisfy(x -> assertThat(x).containsEntry("subject", "s.*").containsEntry("qgroup", "grp")
                    .containsEntry("account", Broker.GLOBAL_ACCOUNT));
            Map<String, Object> a = json("/accountz");
            @SuppressWarnings("unchecked")
            List<Object> names = (List<Object>) a.get("accounts");
            assertThat(names).contains(Broker.GLOBAL_ACCOUNT);
            Map<String, Object> detail = json("/accountz?acc=" + java.net.URLEncoder.encode("$G", "UTF-8"));
            assertThat(detail).containsKey("account_detail");
        }
    }

    @Test
    void unknownPathIs404() throws Exception {
        assertThat(get("/varz/extra").statusCode()).isEqualTo(404);
    }
}
