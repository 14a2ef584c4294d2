package io.pocketbus.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A stream's configuration: the JSON nats-server echoes (every default filled in, field order as Go
 * marshals it, unknown fields the client sent kept) and the typed values the engine uses.
 */
final class JsStreamConfig {
    enum Retention { LIMITS, INTEREST, WORKQUEUE }

    static final long DEFAULT_DUPLICATE_WINDOW = Duration.ofMinutes(2).toNanos();
    static final int MAX_NAME_LENGTH = 255;

    final ObjectNode json;
    final String name;
    final List<String> subjects;
    final Retention retention;
    final long maxConsumers;
    final long maxMsgs;
    final long maxBytes;
    final long maxAge;
    final long maxMsgsPerSubject;
    final long maxMsgSize;
    final boolean discardNew;
    final boolean discardNewPerSubject;
    final StreamStore.Type storage;
    final long duplicateWindow;
    final boolean noAck;
    final boolean sealed;
    final boolean denyDelete;
    final boolean denyPurge;
    final boolean allowRollup;
    final boolean allowDirect;

    private JsStreamConfig(ObjectNode json) {
        this.json = json;
        this.name = json.get("name").asText();
        List<String> subs = new ArrayList<>();
        json.get("subjects").forEach(s -> subs.add(s.asText()));
        this.subjects = List.copyOf(subs);
        this.retention = Retention.valueOf(json.get("retention").asText().toUpperCase());
        this.maxConsumers = json.get("max_consumers").asLong();
        this.maxMsgs = json.get("max_msgs").asLong();
        this.maxBytes = json.get("max_bytes").asLong();
        this.maxAge = json.get("max_age").asLong();
        this.maxMsgsPerSubject = json.get("max_msgs_per_subject").asLong();
        this.maxMsgSize = json.get("max_msg_size").asLong();
        this.discardNew = "new".equals(json.get("discard").asText());
        this.discardNewPerSubject = JsJson.getBool(json, "discard_new_per_subject");
        this.storage = "memory".equals(json.get("storage").asText()) ? StreamStore.Type.MEMORY : StreamStore.Type.FILE;
        this.duplicateWindow = json.get("duplicate_window").asLong();
        this.noAck = JsJson.getBool(json, "no_ack");
        this.sealed = JsJson.getBool(json, "sealed");
        this.denyDelete = JsJson.getBool(json, "deny_delete");
        this.denyPurge = JsJson.getBool(json, "deny_purge");
        this.allowRollup = JsJson.getBool(json, "allow_rollup_hdrs");
        this.allowDirect = JsJson.getBool(json, "allow_direct");
    }

    /** Restores a configuration this class produced (from a stream's metadata file). */
    static JsStreamConfig restore(ObjectNode json) {
        return new JsStreamConfig(json);
    }

    /**
     * Validates a requested configuration and fills in nats-server's defaults.
     *
     * @throws JetStreamError 10052 (invalid config), 10074 (replicas), 10025 (wrong JSON types)
     */
    static JsStreamConfig parse(ObjectNode req) {
        ObjectNode in = req.deepCopy();
        in.remove("pedantic");
        String name = JsJson.getText(in, "name", "");
        if (!isValidName(name)) {
            throw invalid("stream name is required and can not contain '.', '*', '>', '\\', '/'");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw invalid("stream name is too long, maximum allowed is " + MAX_NAME_LENGTH);
        }
        if (JsJson.getText(in, "description", "").length() > 4096) {
            throw invalid("stream description is too long, maximum allowed is 4096");
        }
        String retention = JsJson.getText(in, "retention", "limits");
        if (!Set.of("limits", "interest", "workqueue").contains(retention)) {
            throw invalid("invalid retention");
        }
        String discard = JsJson.getText(in, "discard", "old");
        if (!Set.of("old", "new").contains(discard)) {
            throw invalid("invalid discard policy");
        }
        String storage = JsJson.getText(in, "storage", "file");
        if (!Set.of("file", "memory").contains(storage)) {
            throw invalid("invalid storage type");
        }
        String compression = JsJson.getText(in, "compression", "none");
        if (!Set.of("none", "s2").contains(compression)) {
            throw invalid("invalid compression");
        }
        long replicas = JsJson.getLong(in, "num_replicas", 1);
        if (replicas > 5) {
            throw invalid("maximum replicas is 5");
        }
        if (replicas > 1) {
            throw JetStreamError.of("JSStreamReplicasNotSupportedErr");
        }
        if (replicas < 0) {
            throw JetStreamError.of("JSReplicasCountCannotBeNegative");
        }
        long maxAge = JsJson.getLong(in, "max_age", 0);
        if (maxAge < 0) {
            throw invalid("max age can not be negative");
        }
        if (maxAge > 0 && maxAge < 100_000_000L) {
            throw invalid("max age needs to be >= 100ms");
        }
        long dupWindow = JsJson.getLong(in, "duplicate_window", 0);
        if (dupWindow < 0) {
            throw invalid("duplicates window can not be negative");
        }
        if (dupWindow == 0) {
            dupWindow = maxAge > 0 && maxAge < DEFAULT_DUPLICATE_WINDOW ? maxAge : DEFAULT_DUPLICATE_WINDOW;
        } else if (maxAge > 0 && dupWindow > maxAge) {
            throw invalid("duplicates window can not be larger then max age");
        } else if (dupWindow < 100_000_000L) {
            throw invalid("duplicates window needs to be >= 100ms");
        }
        boolean allowRollup = JsJson.getBool(in, "allow_rollup_hdrs");
        if (allowRollup && JsJson.getBool(in, "deny_purge")) {
            throw invalid("roll-ups require the purge permission");
        }
        long maxMsgsPerSubject = orUnlimited(JsJson.getLong(in, "max_msgs_per_subject", -1));
        boolean discardNewPerSubject = JsJson.getBool(in, "discard_new_per_subject");
        if (discardNewPerSubject) {
            if (!"new".equals(discard)) {
                throw invalid("discard new per subject requires discard new policy to be set");
            }
            if (maxMsgsPerSubject <= 0) {
                throw invalid("discard new per subject requires max msgs per subject > 0");
            }
        }
        refuseUnsupported(in);
        long firstSeq = JsJson.getLong(in, "first_seq", 0);
        if (firstSeq < 0) {
            throw invalid("first sequence can not be negative");
        }
        boolean noAck = JsJson.getBool(in, "no_ack");
        ArrayNode subjects = JsJson.array();
        JsonNode requested = in.get("subjects");
        if (requested != null && !requested.isNull() && !requested.isArray()) {
            throw JetStreamError.of("JSInvalidJSONErr", "{err}",
                    "json: cannot unmarshal " + requested.getNodeType().name().toLowerCase() + " into Go struct field StreamConfig.subjects of type []string");
        }
        if (requested == null || requested.isNull() || requested.isEmpty()) {
            if (!in.hasNonNull("mirror") && !in.hasNonNull("sources")) {
                subjects.add(name);
            }
        } else {
            Set<String> seen = new HashSet<>();
            for (JsonNode s : requested) {
                String subj = s.asText();
                if (!Subjects.isValidSubject(subj)) {
                    throw invalid("invalid subject");
                }
                if (!seen.add(subj)) {
                    throw invalid("duplicate subjects detected");
                }
                checkReserved(subj, noAck);
                subjects.add(subj);
            }
            List<String> list = new ArrayList<>(seen);
            for (int i = 0; i < list.size(); i++) {
                for (int j = 0; j < list.size(); j++) {
                    if (i != j && Subjects.isSubset(Subjects.tokens(list.get(i)), Subjects.tokens(list.get(j)))) {
                        throw invalid("subject \"" + list.get(i) + "\" overlaps with \"" + list.get(j) + "\"");
                    }
                }
            }
        }

        ObjectNode out = JsJson.object();
        out.put("name", name);
        copyIfPresent(in, out, "description");
        out.set("subjects", subjects);
        out.put("retention", retention);
        out.put("max_consumers", orUnlimited(JsJson.getLong(in, "max_consumers", -1)));
        out.put("max_msgs", orUnlimited(JsJson.getLong(in, "max_msgs", -1)));
        out.put("max_bytes", orUnlimited(JsJson.getLong(in, "max_bytes", -1)));
        out.put("max_age", maxAge);
        out.put("max_msgs_per_subject", maxMsgsPerSubject);
        out.put("max_msg_size", orUnlimited(JsJson.getLong(in, "max_msg_size", -1)));
        out.put("discard", discard);
        out.put("storage", storage);
        out.put("num_replicas", 1);
        out.put("duplicate_window", dupWindow);
        if (noAck) {
            out.put("no_ack", true);
        }
        if (discardNewPerSubject) {
            out.put("discard_new_per_subject", true);
        }
        out.put("compression", compression);
        copyIfPresent(in, out, "first_seq");
        out.put("sealed", JsJson.getBool(in, "sealed"));
        out.put("deny_delete", JsJson.getBool(in, "deny_delete"));
        out.put("deny_purge", JsJson.getBool(in, "deny_purge"));
        out.put("allow_rollup_hdrs", allowRollup);
        out.put("allow_direct", JsJson.getBool(in, "allow_direct"));
        out.put("mirror_direct", JsJson.getBool(in, "mirror_direct"));
        JsonNode limits = in.get("consumer_limits");
        out.set("consumer_limits", limits instanceof ObjectNode ? limits : JsJson.object());
        // Whatever else the client sent (metadata, placement, …) is echoed as given.
        in.properties().forEach(e -> {
            if (!out.has(e.getKey()) && !e.getValue().isNull()) {
                out.set(e.getKey(), e.getValue());
            }
        });
        return new JsStreamConfig(out);
    }

    /** The configured {@code first_seq}, 0 when unset. */
    long firstSeq() {
        return JsJson.getLong(json, "first_seq", 0);
    }

    /**
     * Features this broker does not implement are refused, never accepted and ignored: subject
     * transforms, republish, and the API level 1+ features (per-message TTL, counters, atomic and
     * batched publish, schedules). Mirrors and sources are checked by their own rules.
     */
    private static void refuseUnsupported(ObjectNode in) {
        if (in.get("sources") instanceof ArrayNode a && !a.isEmpty()) {
            if (in.hasNonNull("mirror")) {
                throw JetStreamError.of("JSMirrorWithSourcesErr");
            }
            checkSources(a);
        }
        JsonNode mirror = in.get("mirror");
        if (mirror != null && !mirror.isNull()) {
            checkMirror(in, mirror);
        }
        if (in.hasNonNull("subject_transform")) {
            throw invalid("stream subject transforms are not supported by this server");
        }
        if (in.hasNonNull("republish")) {
            throw invalid("stream republish is not supported by this server");
        }
        for (String flag : List.of("allow_msg_ttl", "allow_msg_counter", "allow_atomic", "allow_msg_schedules", "allow_batched")) {
            if (JsJson.getBool(in, flag)) {
                throw invalid(flag + " is not supported by this server");
            }
        }
        if (JsJson.getLong(in, "subject_delete_marker_ttl", 0) > 0) {
            throw invalid("subject delete markers are not supported by this server");
        }
    }

    private static void checkSources(ArrayNode sources) {
        Set<String> seen = new HashSet<>();
        for (JsonNode src : sources) {
            if (!(src instanceof ObjectNode o) || !isValidName(JsJson.getText(o, "name", ""))) {
                throw JetStreamError.of("JSSourceInvalidStreamName");
            }
            if (!seen.add(o.get("name").asText() + " " + JsJson.getText(o, "filter_subject", ""))) {
                throw JetStreamError.of("JSSourceDuplicateDetected");
            }
            if (o.hasNonNull("external") || o.hasNonNull("subject_transforms")) {
                throw invalid("sources from other domains or accounts, and source transforms, are not supported by this server");
            }
            String filter = JsJson.getText(o, "filter_subject", "");
            if (!filter.isEmpty() && !Subjects.isValidSubject(filter)) {
                throw JetStreamError.of("JSSourceInvalidSubjectFilter", "{err}", "invalid subject");
            }
        }
    }

    private static void checkMirror(ObjectNode in, JsonNode mirror) {
        if (!(mirror instanceof ObjectNode m)) {
            throw JetStreamError.of("JSInvalidJSONErr", "{err}", "json: cannot unmarshal mirror into Go struct field StreamConfig.mirror");
        }
        if (in.get("subjects") instanceof ArrayNode s && !s.isEmpty()) {
            throw JetStreamError.of("JSMirrorWithSubjectsErr");
        }
        if (!isValidName(JsJson.getText(m, "name", ""))) {
            throw JetStreamError.of("JSMirrorInvalidStreamName");
        }
        if (JsJson.getLong(m, "opt_start_seq", 0) > 0 && !JsJson.getText(m, "opt_start_time", "").isEmpty()) {
            throw JetStreamError.of("JSMirrorWithStartSeqAndTimeErr");
        }
        if (!JsJson.getText(m, "filter_subject", "").isEmpty() || m.hasNonNull("subject_transforms")) {
            throw JetStreamError.of("JSMirrorWithSubjectFiltersErr");
        }
        if (m.hasNonNull("external")) {
            throw invalid("mirrors of streams in other domains or accounts are not supported by this server");
        }
        if (JsJson.getLong(in, "first_seq", 0) > 0) {
            throw JetStreamError.of("JSMirrorWithFirstSeqErr");
        }
    }

    /** The stream store limits this configuration asks for. */
    StoreConfig storeConfig() {
        return StoreConfig.builder().maxMsgs(maxMsgs).maxBytes(maxBytes).maxAge(Duration.ofNanos(maxAge))
                .maxMsgsPerSubject(maxMsgsPerSubject)
                .discard(discardNew ? StoreConfig.Discard.NEW : StoreConfig.Discard.OLD)
                .discardNewPerSubject(discardNewPerSubject).build();
    }

    /** Whether an update from this configuration to {@code next} is allowed; throws the server's error. */
    void checkUpdate(JsStreamConfig next) {
        if (next.storage != storage) {
            throw invalid("stream configuration update can not change storage type");
        }
        if ((retention == Retention.WORKQUEUE) != (next.retention == Retention.WORKQUEUE)) {
            throw invalid("stream configuration update can not change retention policy to/from workqueue");
        }
        if (!json.path("mirror").equals(next.json.path("mirror"))) {
            throw JetStreamError.of("JSStreamMirrorNotUpdatableErr");
        }
        if (sealed && !next.sealed) {
            throw invalid("stream configuration update can not unseal a sealed stream");
        }
        if (denyDelete && !next.denyDelete) {
            throw invalid("stream configuration update can not cancel deny message deletes");
        }
        if (denyPurge && !next.denyPurge) {
            throw invalid("stream configuration update can not cancel deny purge");
        }
    }

    /** The same configuration, ignoring the {@code _nats.} metadata the server adds. */
    boolean sameAs(JsStreamConfig other) {
        return stripped(json).equals(stripped(other.json));
    }

    private static ObjectNode stripped(ObjectNode n) {
        ObjectNode c = n.deepCopy();
        if (c.get("metadata") instanceof ObjectNode m) {
            m.properties().removeIf(e -> e.getKey().startsWith("_nats."));
            if (m.isEmpty()) {
                c.remove("metadata");
            }
        }
        return c;
    }

    static boolean isValidName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.' || c == '*' || c == '>' || c == '/' || c == '\\' || Character.isWhitespace(c) || c < 32) {
                return false;
            }
        }
        return true;
    }

    private static void checkReserved(String subj, boolean noAck) {
        String[] t = Subjects.tokens(subj);
        if (subj.equals(">") && !noAck) {
            throw invalid("capturing all subjects requires no-ack to be true");
        }
        if (!noAck && (Subjects.overlaps(t, Subjects.tokens("$JS.>")) || Subjects.overlaps(t, Subjects.tokens("$JSC.>")))) {
            throw invalid("subjects that overlap with jetstream api require no-ack to be true");
        }
        if (!noAck && (Subjects.overlaps(t, Subjects.tokens("$SYS.>")) || Subjects.overlaps(t, Subjects.tokens("$NRG.>")))) {
            throw invalid("subjects that overlap with system api require no-ack to be true");
        }
    }

    private static long orUnlimited(long v) {
        return v == 0 ? -1 : v;
    }

    private static void copyIfPresent(ObjectNode in, ObjectNode out, String field) {
        JsonNode v = in.get(field);
        if (v != null && !v.isNull() && !(v.isTextual() && v.asText().isEmpty())) {
            out.set(field, v);
        }
    }

    private static JetStreamError invalid(String text) {
        return JetStreamError.of("JSStreamInvalidConfigF", "{err}", text);
    }
}
