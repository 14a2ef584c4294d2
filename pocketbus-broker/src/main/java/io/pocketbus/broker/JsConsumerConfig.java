package io.pocketbus.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A consumer's configuration: the JSON echoed to clients, in Go's field order with nats-server's
 * defaults applied and omitempty fields left out, and the typed values the engine uses.
 */
final class JsConsumerConfig {
    enum DeliverPolicy { ALL, LAST, NEW, BY_START_SEQUENCE, BY_START_TIME, LAST_PER_SUBJECT }

    enum AckPolicy { NONE, ALL, EXPLICIT }

    static final long DEFAULT_ACK_WAIT = Duration.ofSeconds(30).toNanos();
    static final long DEFAULT_EPHEMERAL_INACTIVE = Duration.ofSeconds(5).toNanos();
    static final int DEFAULT_MAX_WAITING = 512;
    static final int DEFAULT_MAX_ACK_PENDING = 1000;

    final ObjectNode json;
    final String durable;
    final String name;
    final DeliverPolicy deliverPolicy;
    final long optStartSeq;
    final long optStartTime;
    final AckPolicy ackPolicy;
    final long ackWait;
    final long maxDeliver;
    final List<Long> backoff;
    final List<String> filters;
    final boolean replayOriginal;
    final long maxWaiting;
    final long maxAckPending;
    final boolean flowControl;
    final boolean headersOnly;
    final long maxBatch;
    final long maxExpires;
    final long maxBytes;
    final String deliverSubject;
    final String deliverGroup;
    final long heartbeat;
    final long inactiveThreshold;

    private JsConsumerConfig(ObjectNode json) {
        this.json = json;
        this.durable = JsJson.getText(json, "durable_name", "");
        this.name = JsJson.getText(json, "name", "");
        this.deliverPolicy = DeliverPolicy.valueOf(json.get("deliver_policy").asText().toUpperCase());
        this.optStartSeq = JsJson.getLong(json, "opt_start_seq", 0);
        this.optStartTime = JsJson.parseTime(JsJson.getText(json, "opt_start_time", ""));
        this.ackPolicy = AckPolicy.valueOf(json.get("ack_policy").asText().toUpperCase());
        this.ackWait = JsJson.getLong(json, "ack_wait", 0);
        this.maxDeliver = JsJson.getLong(json, "max_deliver", -1);
        List<Long> bo = new ArrayList<>();
        if (json.get("backoff") instanceof ArrayNode a) {
            a.forEach(v -> bo.add(v.asLong()));
        }
        this.backoff = List.copyOf(bo);
        List<String> fs = new ArrayList<>();
        String single = JsJson.getText(json, "filter_subject", "");
        if (!single.isEmpty()) {
            fs.add(single);
        }
        if (json.get("filter_subjects") instanceof ArrayNode a) {
            a.forEach(v -> fs.add(v.asText()));
        }
        this.filters = List.copyOf(fs);
        this.replayOriginal = "original".equals(json.get("replay_policy").asText());
        this.maxWaiting = JsJson.getLong(json, "max_waiting", 0);
        this.maxAckPending = JsJson.getLong(json, "max_ack_pending", 0);
        this.flowControl = JsJson.getBool(json, "flow_control");
        this.headersOnly = JsJson.getBool(json, "headers_only");
        this.maxBatch = JsJson.getLong(json, "max_batch", 0);
        this.maxExpires = JsJson.getLong(json, "max_expires", 0);
        this.maxBytes = JsJson.getLong(json, "max_bytes", 0);
        this.deliverSubject = JsJson.getText(json, "deliver_subject", "");
        this.deliverGroup = JsJson.getText(json, "deliver_group", "");
        this.heartbeat = JsJson.getLong(json, "idle_heartbeat", 0);
        this.inactiveThreshold = JsJson.getLong(json, "inactive_threshold", 0);
    }

    static JsConsumerConfig restore(ObjectNode json) {
        return new JsConsumerConfig(json);
    }

    boolean isDurable() {
        return !durable.isEmpty();
    }

    boolean isPush() {
        return !deliverSubject.isEmpty();
    }

    /**
     * Validates a requested configuration against its stream and fills in nats-server's defaults.
     *
     * @param name the consumer's name (from the API subject, the config, or generated)
     */
    static JsConsumerConfig parse(JsonNode request, String name, JsStreamConfig stream) {
        if (!(request instanceof ObjectNode in)) {
            throw JetStreamError.of("JSConsumerConfigRequiredErr");
        }
        String durable = JsJson.getText(in, "durable_name", "");
        String deliverPolicy = JsJson.getText(in, "deliver_policy", "all");
        if (!Set.of("all", "last", "new", "by_start_sequence", "by_start_time", "last_per_subject").contains(deliverPolicy)) {
            throw JetStreamError.of("JSInvalidJSONErr", "{err}", "can not unmarshal \"" + deliverPolicy + "\"");
        }
        String ackPolicy = JsJson.getText(in, "ack_policy", "none");
        if (!Set.of("none", "all", "explicit").contains(ackPolicy)) {
            throw JetStreamError.of("JSConsumerAckPolicyInvalidErr");
        }
        String replay = JsJson.getText(in, "replay_policy", "instant");
        if (!Set.of("instant", "original").contains(replay)) {
            throw JetStreamError.of("JSConsumerReplayPolicyInvalidErr");
        }
        long optStartSeq = JsJson.getLong(in, "opt_start_seq", 0);
        String optStartTime = JsJson.getText(in, "opt_start_time", "");
        switch (deliverPolicy) {
            case "by_start_sequence" -> {
                if (optStartSeq == 0) {
                    throw policy("consumer delivery policy is deliver by start sequence, but optional start sequence is not set");
                }
                if (!optStartTime.isEmpty()) {
                    throw policy("consumer delivery policy is deliver by start sequence, but optional start time is also set");
                }
            }
            case "by_start_time" -> {
                if (optStartTime.isEmpty()) {
                    throw policy("consumer delivery policy is deliver by start time, but optional start time is not set");
                }
                if (optStartSeq != 0) {
                    throw policy("consumer delivery policy is deliver by start time, but optional start sequence is also set");
                }
            }
            default -> {
                if (optStartSeq != 0) {
                    throw policy("consumer delivery policy is deliver " + deliverPolicy.replace('_', ' ')
                            + ", but optional start sequence is also set");
                }
                if (!optStartTime.isEmpty()) {
                    throw policy("consumer delivery policy is deliver " + deliverPolicy.replace('_', ' ')
                            + ", but optional start time is also set");
                }
            }
        }
        String deliverSubject = JsJson.getText(in, "deliver_subject", "");
        boolean push = !deliverSubject.isEmpty();
        if (push && (!Subjects.isValidSubject(deliverSubject))) {
            throw JetStreamError.of("JSConsumerInvalidDeliverSubject");
        }
        if (push && Subjects.hasWildcard(deliverSubject)) {
            throw JetStreamError.of("JSConsumerDeliverToWildcardsErr");
        }
        long heartbeat = Math.max(0, JsJson.getLong(in, "idle_heartbeat", 0));
        boolean flowControl = JsJson.getBool(in, "flow_control");
        long maxWaiting = Math.max(0, JsJson.getLong(in, "max_waiting", 0));
        if (push) {
            if (maxWaiting > 0) {
                throw JetStreamError.of("JSConsumerPushMaxWaitingErr");
            }
            if (heartbeat > 0 && heartbeat < 100_000_000L) {
                throw JetStreamError.of("JSConsumerSmallHeartbeatErr");
            }
            if (flowControl && heartbeat == 0) {
                throw JetStreamError.of("JSConsumerWithFlowControlNeedsHeartbeats");
            }
        } else {
            if (heartbeat > 0) {
                throw JetStreamError.of("JSConsumerHBRequiresPushErr");
            }
            if (flowControl) {
                throw JetStreamError.of("JSConsumerFCRequiresPushErr");
            }
            if (maxWaiting == 0) {
                maxWaiting = DEFAULT_MAX_WAITING;
            }
        }
        long maxDeliver = JsJson.getLong(in, "max_deliver", 0);
        if (maxDeliver == 0 || maxDeliver < -1) {
            maxDeliver = -1;
        }
        long ackWait = JsJson.getLong(in, "ack_wait", 0);
        if (ackWait < 0) {
            throw JetStreamError.of("JSConsumerAckWaitNegativeErr");
        }
        if (ackWait == 0 && !"none".equals(ackPolicy)) {
            ackWait = DEFAULT_ACK_WAIT;
        }
        ArrayNode backoff = in.get("backoff") instanceof ArrayNode a && !a.isEmpty() ? a : null;
        if (backoff != null) {
            for (JsonNode b : backoff) {
                if (b.asLong() <= 0) {
                    throw JetStreamError.of("JSConsumerBackOffNegativeErr");
                }
            }
            if (maxDeliver != -1 && maxDeliver <= backoff.size()) {
                throw JetStreamError.of("JSConsumerMaxDeliverBackoffErr");
            }
            ackWait = backoff.get(0).asLong();
        }
        long maxAckPending = JsJson.getLong(in, "max_ack_pending", 0);
        if (maxAckPending < -1) {
            maxAckPending = -1;
        }
        if (maxAckPending == 0) {
            maxAckPending = JsJson.getLong(stream.json.get("consumer_limits"), "max_ack_pending", 0);
        }
        if (maxAckPending == 0 && !"none".equals(ackPolicy)) {
            maxAckPending = DEFAULT_MAX_ACK_PENDING;
        }
        long inactive = Math.max(0, JsJson.getLong(in, "inactive_threshold", 0));
        if (inactive == 0) {
            inactive = JsJson.getLong(stream.json.get("consumer_limits"), "inactive_threshold", 0);
        }
        if (inactive == 0 && durable.isEmpty()) {
            inactive = DEFAULT_EPHEMERAL_INACTIVE;
        }
        String filter = JsJson.getText(in, "filter_subject", "");
        ArrayNode filters = in.get("filter_subjects") instanceof ArrayNode a && !a.isEmpty() ? a : null;
        if (!filter.isEmpty() && filters != null) {
            throw JetStreamError.of("JSConsumerDuplicateFilterSubjects");
        }
        List<String> all = new ArrayList<>();
        if (!filter.isEmpty()) {
            all.add(filter);
        }
        if (filters != null) {
            filters.forEach(f -> all.add(f.asText()));
        }
        for (String f : all) {
            if (f.isEmpty()) {
                throw JetStreamError.of("JSConsumerEmptyFilter");
            }
            if (!Subjects.isValidSubject(f)) {
                throw JetStreamError.of("JSStreamInvalidConfigF", "{err}", "invalid filter subject");
            }
            boolean inStream = stream.subjects.isEmpty();
            for (String s : stream.subjects) {
                if (Subjects.overlaps(Subjects.tokens(f), Subjects.tokens(s))) {
                    inStream = true;
                }
            }
            if (!inStream) {
                throw JetStreamError.of("JSConsumerFilterNotSubsetErr");
            }
        }
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                if (Subjects.overlaps(Subjects.tokens(all.get(i)), Subjects.tokens(all.get(j)))) {
                    throw JetStreamError.of("JSConsumerOverlappingSubjectFilters");
                }
            }
        }
        if (stream.retention == JsStreamConfig.Retention.WORKQUEUE) {
            if (!"explicit".equals(ackPolicy)) {
                throw JetStreamError.of("JSConsumerWQRequiresExplicitAckErr");
            }
            if (!"all".equals(deliverPolicy)) {
                throw JetStreamError.of("JSConsumerWQConsumerNotDeliverAllErr");
            }
        }
        if (JsJson.getText(in, "description", "").length() > 4096) {
            throw JetStreamError.of("JSConsumerDescriptionTooLongErrF", "{max}", 4096);
        }
        if (JsJson.getLong(in, "rate_limit_bps", 0) > 0) {
            throw JetStreamError.of("JSConsumerCreateErrF", "{err}", "consumer rate limit is not supported by this server");
        }
        if (in.get("priority_groups") instanceof ArrayNode pg && !pg.isEmpty()
                || !JsJson.getText(in, "priority_policy", "none").equals("none")) {
            throw JetStreamError.of("JSConsumerCreateErrF", "{err}", "consumer priority groups are not supported by this server");
        }
        if (!JsJson.getText(in, "pause_until", "").isEmpty()) {
            throw JetStreamError.of("JSConsumerCreateErrF", "{err}", "consumer pause is not supported by this server");
        }
        long replicas = JsJson.getLong(in, "num_replicas", 0);
        if (replicas < 0) {
            throw JetStreamError.of("JSReplicasCountCannotBeNegative");
        }
        if (replicas > 1) {
            throw JetStreamError.of("JSConsumerReplicasExceedsStream");
        }

        ObjectNode out = JsJson.object();
        if (!durable.isEmpty()) {
            out.put("durable_name", durable);
        }
        out.put("name", name);
        copyIfPresent(in, out, "description");
        out.put("deliver_policy", deliverPolicy);
        if (optStartSeq != 0) {
            out.put("opt_start_seq", optStartSeq);
        }
        if (!optStartTime.isEmpty()) {
            out.put("opt_start_time", optStartTime);
        }
        out.put("ack_policy", ackPolicy);
        if (ackWait != 0) {
            out.put("ack_wait", ackWait);
        }
        out.put("max_deliver", maxDeliver);
        if (backoff != null) {
            out.set("backoff", backoff);
        }
        if (!filter.isEmpty()) {
            out.put("filter_subject", filter);
        }
        if (filters != null) {
            out.set("filter_subjects", filters);
        }
        out.put("replay_policy", replay);
        copyIfPresent(in, out, "sample_freq");
        if (maxWaiting != 0) {
            out.put("max_waiting", maxWaiting);
        }
        if (maxAckPending != 0) {
            out.put("max_ack_pending", maxAckPending);
        }
        if (flowControl) {
            out.put("flow_control", true);
        }
        if (JsJson.getBool(in, "headers_only")) {
            out.put("headers_only", true);
        }
        positiveIfPresent(in, out, "max_batch");
        positiveIfPresent(in, out, "max_expires");
        positiveIfPresent(in, out, "max_bytes");
        if (push) {
            out.put("deliver_subject", deliverSubject);
        }
        copyIfPresent(in, out, "deliver_group");
        if (heartbeat != 0) {
            out.put("idle_heartbeat", heartbeat);
        }
        if (inactive != 0) {
            out.put("inactive_threshold", inactive);
        }
        out.put("num_replicas", replicas);
        if (JsJson.getBool(in, "mem_storage")) {
            out.put("mem_storage", true);
        }
        copyIfPresent(in, out, "metadata");
        return new JsConsumerConfig(out);
    }

    /** The error for an update that changes what cannot change, or null when the update is allowed. */
    String updateProblem(JsConsumerConfig next) {
        if (deliverPolicy != next.deliverPolicy) {
            return "deliver policy can not be updated";
        }
        if (optStartSeq != next.optStartSeq) {
            return "start sequence can not be updated";
        }
        if (optStartTime != next.optStartTime) {
            return "start time can not be updated";
        }
        if (ackPolicy != next.ackPolicy) {
            return "ack policy can not be updated";
        }
        if (replayOriginal != next.replayOriginal) {
            return "replay policy can not be updated";
        }
        if (heartbeat != next.heartbeat) {
            return "heart beats can not be updated";
        }
        if (flowControl != next.flowControl) {
            return "flow control can not be updated";
        }
        if (maxWaiting != next.maxWaiting) {
            return "max waiting can not be updated";
        }
        if (isPush() != next.isPush()) {
            return isPush() ? "can not update push consumer to pull based" : "can not update pull consumer to push based";
        }
        return null;
    }

    /** Redelivery delay after the {@code deliveries}-th delivery. */
    long redeliveryDelay(long deliveries) {
        if (backoff.isEmpty()) {
            return ackWait;
        }
        int i = (int) Math.min(Math.max(0, deliveries - 1), backoff.size() - 1);
        return backoff.get(i);
    }

    private static JetStreamError policy(String text) {
        return JetStreamError.of("JSConsumerInvalidPolicyErrF", "{err}", text);
    }

    private static void copyIfPresent(ObjectNode in, ObjectNode out, String field) {
        JsonNode v = in.get(field);
        if (v != null && !v.isNull() && !(v.isTextual() && v.asText().isEmpty()) && !(v.isNumber() && v.asLong() == 0)
                && !(v.isObject() && v.isEmpty())) {
            out.set(field, v);
        }
    }

    private static void positiveIfPresent(ObjectNode in, ObjectNode out, String field) {
        long v = JsJson.getLong(in, field, 0);
        if (v > 0) {
            out.put(field, v);
        }
    }
}
