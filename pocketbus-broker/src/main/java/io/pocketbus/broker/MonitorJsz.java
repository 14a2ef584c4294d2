package io.pocketbus.broker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * nats-server's {@code /jsz}: JetStream usage of the server and, on request, per account, stream and consumer,
 * with nats-server's field names. It only reads JetStream's accounts, streams and consumers.
 */
final class MonitorJsz {
    /** nats-server prints an unlimited account reservation as the unsigned 64-bit form of -1. */
    private static final BigInteger UNLIMITED = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);

    private MonitorJsz() {
    }

    /**
     * @param query {@code accounts}, {@code streams}, {@code consumers}, {@code config} (flags) and {@code acc}
     */
    static ObjectNode render(String serverId, Optional<JetStreamService> jetStream, Map<String, String> query,
            Predicate<String> flag) {
        boolean consumers = flag.test("consumers");
        boolean streams = consumers || flag.test("streams");
        boolean config = flag.test("config");
        Optional<String> only = Optional.ofNullable(query.get("acc")).filter(a -> !a.isEmpty());
        boolean accounts = streams || flag.test("accounts") || only.isPresent();

        ObjectNode out = JsJson.object();
        out.put("server_id", serverId);
        out.put("now", Instant.now().toString());
        if (jetStream.isEmpty()) {
            out.put("disabled", true);
        }
        ObjectNode cfg = out.putObject("config");
        // The broker enforces no server-wide JetStream limit (accounts have their own): -1 says "none".
        cfg.put("max_memory", jetStream.isPresent() ? -1 : 0);
        cfg.put("max_storage", jetStream.isPresent() ? -1 : 0);
        jetStream.flatMap(js -> js.config().storeDir()).ifPresent(d -> cfg.put("store_dir", d.toString()));
        jetStream.map(js -> js.config().domain()).filter(d -> !d.isEmpty()).ifPresent(d -> cfg.put("domain", d));

        List<JetStreamAccount> all = jetStream.map(js -> List.copyOf(js.accounts().values())).orElse(List.of());
        long memory = 0;
        long storage = 0;
        long reservedMemory = 0;
        long reservedStorage = 0;
        long apiTotal = 0;
        long apiErrors = 0;
        long streamCount = 0;
        long consumerCount = 0;
        long messages = 0;
        long bytes = 0;
        List<ObjectNode> details = new ArrayList<>();
        for (JetStreamAccount a : all) {
            long mem = a.used(StreamStore.Type.MEMORY);
            long file = a.used(StreamStore.Type.FILE);
            memory += mem;
            storage += file;
            reservedMemory += Math.max(0, a.limits().maxMemory());
            reservedStorage += Math.max(0, a.limits().maxStorage());
            apiTotal += a.apiTotal.get();
            apiErrors += a.apiErrors.get();
            List<JsStream> accountStreams = new ArrayList<>();
            for (String name : a.streamNames()) {
                a.stream(name).ifPresent(accountStreams::add);
            }
            for (JsStream s : accountStreams) {
                StoreState st = s.store().fastState();
                streamCount++;
                consumerCount += s.consumerCount();
                messages += st.msgs();
                bytes += st.bytes();
            }
            if (accounts && only.map(o -> o.equals(a.name())).orElse(true)) {
                details.add(account(serverId, a, mem, file, streams ? accountStreams : List.of(), streams, consumers,
                        config));
            }
        }
        out.put("memory", memory);
        out.put("storage", storage);
        out.put("reserved_memory", reservedMemory);
        out.put("reserved_storage", reservedStorage);
        out.put("accounts", all.size());
        out.put("ha_assets", 0);
        ObjectNode api = out.putObject("api");
        api.put("total", apiTotal);
        api.put("errors", apiErrors);
        out.put("streams", streamCount);
        out.put("consumers", consumerCount);
        out.put("messages", messages);
        out.put("bytes", bytes);
        if (!details.isEmpty()) {
            ArrayNode arr = out.putArray("account_details");
            details.forEach(arr::add);
        }
        return out;
    }

    private static ObjectNode account(String serverId, JetStreamAccount a, long memory, long storage,
            List<JsStream> streams, boolean withStreams, boolean consumers, boolean config) {
        ObjectNode n = JsJson.object();
        n.put("name", a.name());
        n.put("id", a.name());
        n.put("memory", memory);
        n.put("storage", storage);
        reservation(n, "reserved_memory", a.limits().maxMemory());
        reservation(n, "reserved_storage", a.limits().maxStorage());
        n.put("accounts", 0);
        n.put("ha_assets", 0);
        ObjectNode api = n.putObject("api");
        api.put("total", a.apiTotal.get());
        api.put("errors", a.apiErrors.get());
        if (withStreams && !streams.isEmpty()) {
            ArrayNode arr = n.putArray("stream_detail");
            for (JsStream s : streams) {
                arr.add(stream(serverId, s, consumers, config));
            }
        }
        return n;
    }

    private static void reservation(ObjectNode n, String field, long limit) {
        if (limit < 0) {
            n.put(field, UNLIMITED);
        } else {
            n.put(field, limit);
        }
    }

    private static ObjectNode stream(String serverId, JsStream s, boolean consumers, boolean config) {
        ObjectNode info = s.info(false, "");
        ObjectNode n = JsJson.object();
        n.put("name", s.name());
        n.set("created", info.get("created"));
        n.putObject("cluster").put("leader", serverId);
        if (config) {
            n.set("config", info.get("config"));
        }
        n.set("state", info.get("state"));
        if (consumers && s.consumerCount() > 0) {
            ArrayNode arr = n.putArray("consumer_detail");
            for (JsConsumer c : s.consumers()) {
                ObjectNode ci = c.info();
                ci.remove("ts");
                if (!config) {
                    ci.remove("config");
                }
                arr.add(ci);
            }
        }
        return n;
    }
}
