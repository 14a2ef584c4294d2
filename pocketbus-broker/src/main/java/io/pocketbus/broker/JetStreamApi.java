package io.pocketbus.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code $JS.API.>} request handlers, as functions of (account, subject, reply, headers, payload):
 * each returns the reply nats-server would send, with its response {@code type} and error envelope.
 */
final class JetStreamApi {
    static final String DIRECT_GET = "$JS.API.DIRECT.GET.";
    private static final String TYPE = "io.nats.jetstream.api.v1.";
    private static final int NAMES_LIMIT = 1024;
    private static final int LIST_LIMIT = 256;
    private static final String ALPHANUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private JetStreamApi() {
    }

    /**
     * Handles one API request.
     *
     * @param acc the account's JetStream, empty when it is disabled for the account
     */
    static JsApiReply handle(Optional<JetStreamAccount> acc, String subject, String reply, byte[] headers, byte[] payload) {
        if (subject.startsWith(DIRECT_GET)) {
            return JsApiReply.NO_RESPONDER;
        }
        String[] t = subject.split("\\.", -1);
        Endpoint ep = endpoint(t);
        if (ep == Endpoint.MSG_NEXT) {
            return acc.map(a -> next(a, t, payload, reply)).orElse(JsApiReply.NO_RESPONDER);
        }
        try {
            if (acc.isEmpty()) {
                throw JetStreamError.of("JSNotEnabledForAccountErr");
            }
            JetStreamAccount a = acc.get();
            a.apiTotal.incrementAndGet();
            try {
                JsHeaders h = JsHeaders.parse(headers);
                if (requiresNewerApi(h)) {
                    throw JetStreamError.of("JSRequiredApiLevelErr");
                }
                if (ep == Endpoint.STREAM_MSG_GET) {
                    return JsApiReply.json(msgGet(a.requireStream(t[5]), payload));
                }
                return JsApiReply.json(JsJson.bytes(dispatch(a, ep, t, payload)));
            } catch (JetStreamError e) {
                a.apiErrors.incrementAndGet();
                throw e;
            }
        } catch (JetStreamError e) {
            ObjectNode n = JsJson.object();
            n.put("type", TYPE + ep.type);
            n.set("error", e.toJson());
            return JsApiReply.json(JsJson.bytes(n));
        }
    }

    /** The API level implemented: 0, the JetStream of nats-server 2.10 (no per-message TTL, counters, batches). */
    static final int API_LEVEL = 0;

    private static boolean requiresNewerApi(JsHeaders h) {
        Optional<String> level = h.get("Nats-Required-Api-Level");
        if (level.isEmpty()) {
            return false;
        }
        try {
            return Integer.parseInt(level.get().trim()) > API_LEVEL;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private enum Endpoint {
        INFO("account_info_response"),
        STREAM_CREATE("stream_create_response"),
        STREAM_UPDATE("stream_update_response"),
        STREAM_INFO("stream_info_response"),
        STREAM_DELETE("stream_delete_response"),
        STREAM_PURGE("stream_purge_response"),
        STREAM_NAMES("stream_names_response"),
        STREAM_LIST("stream_list_response"),
        STREAM_MSG_GET("stream_msg_get_response"),
        STREAM_MSG_DELETE("stream_msg_delete_response"),
        CONSUMER_CREATE("consumer_create_response"),
        CONSUMER_INFO("consumer_info_response"),
        CONSUMER_DELETE("consumer_delete_response"),
        CONSUMER_NAMES("consumer_names_response"),
        CONSUMER_LIST("consumer_list_response"),
        MSG_NEXT(""),
        UNKNOWN("system_response");

        final String type;

        Endpoint(String type) {
            this.type = type;
        }
    }

    /** Matches the subject tokens ({@code $JS API ...}) to an endpoint. */
    private static Endpoint endpoint(String[] t) {
        int n = t.length;
        if (n == 3 && t[2].equals("INFO")) {
            return Endpoint.INFO;
        }
        if (n >= 4 && t[2].equals("STREAM")) {
            switch (t[3]) {
                case "CREATE": return n == 5 ? Endpoint.STREAM_CREATE : Endpoint.UNKNOWN;
                case "UPDATE": return n == 5 ? Endpoint.STREAM_UPDATE : Endpoint.UNKNOWN;
                case "INFO": return n == 5 ? Endpoint.STREAM_INFO : Endpoint.UNKNOWN;
                case "DELETE": return n == 5 ? Endpoint.STREAM_DELETE : Endpoint.UNKNOWN;
                case "PURGE": return n == 5 ? Endpoint.STREAM_PURGE : Endpoint.UNKNOWN;
                case "NAMES": return n == 4 ? Endpoint.STREAM_NAMES : Endpoint.UNKNOWN;
                case "LIST": return n == 4 ? Endpoint.STREAM_LIST : Endpoint.UNKNOWN;
                case "MSG":
                    if (n == 6 && t[4].equals("GET")) {
                        return Endpoint.STREAM_MSG_GET;
                    }
                    return n == 6 && t[4].equals("DELETE") ? Endpoint.STREAM_MSG_DELETE : Endpoint.UNKNOWN;
                default: return Endpoint.UNKNOWN;
            }
        }
        if (n >= 4 && t[2].equals("CONSUMER")) {
            switch (t[3]) {
                case "CREATE": return n >= 5 ? Endpoint.CONSUMER_CREATE : Endpoint.UNKNOWN;
                case "DURABLE": return n >= 5 && t[4].equals("CREATE") ? Endpoint.CONSUMER_CREATE : Endpoint.UNKNOWN;
                case "INFO": return n == 6 ? Endpoint.CONSUMER_INFO : Endpoint.UNKNOWN;
                case "DELETE": return n == 6 ? Endpoint.CONSUMER_DELETE : Endpoint.UNKNOWN;
                case "NAMES": return n == 5 ? Endpoint.CONSUMER_NAMES : Endpoint.UNKNOWN;
                case "LIST": return n == 5 ? Endpoint.CONSUMER_LIST : Endpoint.UNKNOWN;
                case "MSG": return n == 7 && t[4].equals("NEXT") ? Endpoint.MSG_NEXT : Endpoint.UNKNOWN;
                default: return Endpoint.UNKNOWN;
            }
        }
        return Endpoint.UNKNOWN;
    }

    private static ObjectNode dispatch(JetStreamAccount a, Endpoint ep, String[] t, byte[] payload) {
        ObjectNode out = JsJson.object();
        out.put("type", TYPE + ep.type);
        switch (ep) {
            case INFO -> accountInfo(a, out);
            case STREAM_CREATE -> {
                JsStreamConfig cfg = streamConfig(t[4], payload);
                if (cfg.sealed) {
                    throw JetStreamError.of("JSStreamInvalidConfigF", "{err}", "stream configuration for create can not be sealed");
                }
                boolean created = a.createStream(cfg);
                out.setAll(a.requireStream(cfg.name).info(false, ""));
                if (created) {
                    out.put("did_create", true);
                }
            }
            case STREAM_UPDATE -> out.setAll(a.updateStream(streamConfig(t[4], payload)).info(false, ""));
            case STREAM_INFO -> {
                ObjectNode req = JsJson.parseObject(payload);
                JsStream s = a.requireStream(t[4]);
                String filter = JsJson.getText(req, "subjects_filter", "");
                ObjectNode info = s.info(JsJson.getBool(req, "deleted_details"), filter);
                if (!filter.isEmpty()) {
                    JsonNode subs = info.get("state").get("subjects");
                    out.put("total", subs == null ? 0 : subs.size());
                    out.put("offset", 0);
                    out.put("limit", 100_000);
                }
                out.setAll(info);
            }
            case STREAM_DELETE -> {
                a.deleteStream(t[4]);
                out.put("success", true);
            }
            case STREAM_PURGE -> purge(a.requireStream(t[4]), payload, out);
            case STREAM_NAMES, STREAM_LIST -> listStreams(a, ep == Endpoint.STREAM_NAMES, payload, out);
            case STREAM_MSG_DELETE -> msgDelete(a.requireStream(t[5]), payload, out);
            case CONSUMER_CREATE -> out.setAll(JsConsumers.create(a, t, payload));
            case CONSUMER_INFO -> out.setAll(requireConsumer(a.requireStream(t[4]), t[5]).info());
            case CONSUMER_DELETE -> {
                JsStream s = a.requireStream(t[4]);
                requireConsumer(s, t[5]).delete();
                out.put("success", true);
            }
            case CONSUMER_NAMES, CONSUMER_LIST -> listConsumers(a.requireStream(t[4]), ep == Endpoint.CONSUMER_NAMES, payload, out);
            default -> throw JetStreamError.of("JSBadRequestErr");
        }
        return out;
    }

    static JsConsumer requireConsumer(JsStream s, String name) {
        return s.consumer(name).orElseThrow(() -> JetStreamError.of("JSConsumerNotFoundErr"));
    }

    private static JsStreamConfig streamConfig(String subjectName, byte[] payload) {
        ObjectNode req = JsJson.parseObject(payload);
        String bodyName = JsJson.getText(req, "name", "");
        if (!bodyName.equals(subjectName)) {
            throw JetStreamError.of("JSStreamMismatchErr");
        }
        return JsStreamConfig.parse(req);
    }

    private static void accountInfo(JetStreamAccount a, ObjectNode out) {
        JetStreamLimits l = a.limits();
        out.put("memory", a.used(StreamStore.Type.MEMORY));
        out.put("storage", a.used(StreamStore.Type.FILE));
        out.put("reserved_memory", 0);
        out.put("reserved_storage", 0);
        out.put("streams", a.streamNames().size());
        out.put("consumers", a.consumerCount());
        ObjectNode limits = out.putObject("limits");
        limits.put("max_memory", l.maxMemory());
        limits.put("max_storage", l.maxStorage());
        limits.put("max_streams", l.maxStreams());
        limits.put("max_consumers", l.maxConsumers());
        limits.put("max_ack_pending", -1);
        limits.put("memory_max_stream_bytes", -1);
        limits.put("storage_max_stream_bytes", -1);
        limits.put("max_bytes_required", false);
        if (!a.domain().isEmpty()) {
            out.put("domain", a.domain());
        }
        ObjectNode api = out.putObject("api");
        api.put("level", API_LEVEL);
        api.put("total", a.apiTotal.get());
        api.put("errors", a.apiErrors.get());
    }

    private static void purge(JsStream s, byte[] payload, ObjectNode out) {
        ObjectNode req = JsJson.parseObject(payload);
        String filter = JsJson.getText(req, "filter", "");
        long seq = JsJson.getLong(req, "seq", 0);
        long keep = JsJson.getLong(req, "keep", 0);
        if (seq > 0 && keep > 0) {
            throw JetStreamError.of("JSBadRequestErr");
        }
        if (s.config().sealed) {
            throw JetStreamError.of("JSStreamSealedErr");
        }
        if (s.config().denyPurge) {
            throw JetStreamError.of("JSStreamPurgeFailedF", "{err}", "stream purge not permitted");
        }
        out.put("success", true);
        out.put("purged", s.purge(filter, seq, keep));
    }

    private static void listStreams(JetStreamAccount a, boolean namesOnly, byte[] payload, ObjectNode out) {
        ObjectNode req = JsJson.parseObject(payload);
        long offset = Math.max(0, JsJson.getLong(req, "offset", 0));
        String filter = JsJson.getText(req, "subject", "");
        List<String> names = new ArrayList<>();
        for (String name : a.streamNames()) {
            JsStream s = a.stream(name).orElse(null);
            if (s == null) {
                continue;
            }
            if (!filter.isEmpty() && !filter.equals(">")) {
                boolean hit = false;
                for (String subj : s.config().subjects) {
                    if (Subjects.overlaps(Subjects.tokens(filter), Subjects.tokens(subj))) {
                        hit = true;
                    }
                }
                if (!hit) {
                    continue;
                }
            }
            names.add(name);
        }
        int limit = namesOnly ? NAMES_LIMIT : LIST_LIMIT;
        out.put("total", names.size());
        out.put("offset", offset);
        out.put("limit", limit);
        List<String> page = names.subList((int) Math.min(offset, names.size()), (int) Math.min(offset + limit, names.size()));
        if (page.isEmpty() && namesOnly) {
            out.putNull("streams");
            return;
        }
        ArrayNode arr = out.putArray("streams");
        for (String name : page) {
            if (namesOnly) {
                arr.add(name);
            } else {
                a.stream(name).ifPresent(s -> arr.add(s.info(false, "")));
            }
        }
    }

    private static void listConsumers(JsStream s, boolean namesOnly, byte[] payload, ObjectNode out) {
        ObjectNode req = JsJson.parseObject(payload);
        long offset = Math.max(0, JsJson.getLong(req, "offset", 0));
        List<JsConsumer> all = s.consumers();
        int limit = namesOnly ? NAMES_LIMIT : LIST_LIMIT;
        out.put("total", all.size());
        out.put("offset", offset);
        out.put("limit", limit);
        ArrayNode arr = out.putArray("consumers");
        for (JsConsumer c : all.subList((int) Math.min(offset, all.size()), (int) Math.min(offset + limit, all.size()))) {
            if (namesOnly) {
                arr.add(c.name());
            } else {
                arr.add(c.info());
            }
        }
    }

    /** The message a MSG.GET or DIRECT.GET request names. */
    private static Optional<StoredMsg> lookup(JsStream s, ObjectNode req) {
        long seq = JsJson.getLong(req, "seq", 0);
        String last = JsJson.getText(req, "last_by_subj", "");
        String next = JsJson.getText(req, "next_by_subj", "");
        if (seq > 0 && !last.isEmpty() || seq == 0 && last.isEmpty() && next.isEmpty() || !last.isEmpty() && !next.isEmpty()) {
            throw JetStreamError.of("JSBadRequestErr");
        }
        StreamStore store = s.store();
        if (!last.isEmpty()) {
            return store.loadLastMsg(last);
        }
        if (!next.isEmpty()) {
            return store.loadNextMsg(next, Math.max(1, seq));
        }
        return store.loadMsg(seq);
    }

    /** Rendered straight to bytes, without a JSON tree: KV clients without direct get read every key this way. */
    private static byte[] msgGet(JsStream s, byte[] payload) {
        StoredMsg m = lookup(s, JsJson.parseObject(payload)).orElseThrow(() -> JetStreamError.of("JSNoMessageFoundErr"));
        Base64.Encoder base64 = Base64.getEncoder();
        StringBuilder sb = new StringBuilder(128 + m.subject().length() + (m.headers().length + m.payload().length) * 4 / 3);
        sb.append("{\"type\":\"").append(TYPE).append(Endpoint.STREAM_MSG_GET.type).append("\",\"message\":{\"subject\":");
        Json.quote(sb, m.subject()).append(",\"seq\":").append(m.seq());
        if (m.headers().length > 0) {
            sb.append(",\"hdrs\":\"").append(base64.encodeToString(m.headers())).append('"');
        }
        if (m.payload().length > 0) {
            sb.append(",\"data\":\"").append(base64.encodeToString(m.payload())).append('"');
        }
        sb.append(",\"time\":\"").append(JsJson.time(m.timestamp())).append("\"}}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void msgDelete(JsStream s, byte[] payload, ObjectNode out) {
        ObjectNode req = JsJson.parseObject(payload);
        long seq = JsJson.getLong(req, "seq", 0);
        if (s.config().sealed) {
            throw JetStreamError.of("JSStreamSealedErr");
        }
        if (s.config().denyDelete) {
            throw JetStreamError.of("JSStreamMsgDeleteFailedF", "{err}", "message delete not permitted");
        }
        boolean removed = JsJson.getBool(req, "no_erase") ? s.store().removeMsg(seq) : s.store().eraseMsg(seq);
        if (!removed) {
            throw JetStreamError.of("JSSequenceNotFoundErrF", "{seq}", seq);
        }
        out.put("success", true);
    }

    /** {@code CONSUMER.MSG.NEXT.<stream>.<consumer>}: no responder when either is missing, as in nats-server. */
    private static JsApiReply next(JetStreamAccount a, String[] t, byte[] payload, String reply) {
        Optional<JsConsumer> c = a.stream(t[5]).flatMap(s -> s.consumer(t[6]));
        if (c.isEmpty()) {
            return JsApiReply.NO_RESPONDER;
        }
        c.get().pull(payload, reply);
        return JsApiReply.HANDLED;
    }

    /**
     * {@code $JS.API.DIRECT.GET.<stream>} (JSON body) and {@code $JS.API.DIRECT.GET.<stream>.<subject>}
     * (last message on the subject, empty body): the raw message with nats-server's headers, or a status.
     */
    static JsApiReply directGet(JsStream s, String subject, byte[] payload) {
        String prefix = DIRECT_GET + s.name();
        Optional<StoredMsg> m;
        if (subject.length() > prefix.length()) {
            String lastFor = subject.substring(prefix.length() + 1);
            if (!isBlank(payload)) {
                return JsApiReply.message(JsHeaders.status("408 Bad Request"), new byte[0]);
            }
            m = s.store().loadLastMsg(lastFor);
        } else {
            if (isBlank(payload)) {
                return JsApiReply.message(JsHeaders.status("408 Empty Request"), new byte[0]);
            }
            try {
                m = lookup(s, JsJson.parseObject(payload));
            } catch (JetStreamError e) {
                return JsApiReply.message(JsHeaders.status("408 Bad Request"), new byte[0]);
            }
        }
        if (m.isEmpty()) {
            return JsApiReply.message(JsHeaders.status("404 Message Not Found"), new byte[0]);
        }
        StoredMsg msg = m.get();
        byte[] headers = JsHeaders.append(msg.headers(), "Nats-Stream", s.name(), "Nats-Subject", msg.subject(),
                "Nats-Sequence", String.valueOf(msg.seq()), "Nats-Time-Stamp", JsJson.time(msg.timestamp()));
        return JsApiReply.message(headers, msg.payload());
    }

    /** Whether the body is only ASCII whitespace (as {@link Character#isWhitespace} has it), without decoding it. */
    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && (b < 0x09 || b > 0x0D) && (b < 0x1C || b > 0x1F)) {
                return false;
            }
        }
        return true;
    }

    /** An ephemeral consumer name as nats-server makes them: 8 random alphanumerics. */
    static String newConsumerName() {
        StringBuilder sb = new StringBuilder(8);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 8; i++) {
            sb.append(ALPHANUM.charAt(r.nextInt(ALPHANUM.length())));
        }
        return sb.toString();
    }
}
