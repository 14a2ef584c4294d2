package io.pocketbus.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** {@code CONSUMER.CREATE} and {@code CONSUMER.DURABLE.CREATE}: nats-server's checks, in its order. */
final class JsConsumers {
    private JsConsumers() {
    }

    /**
     * Creates or updates a consumer and returns its info.
     *
     * @param t the API subject's tokens
     */
    static ObjectNode create(JetStreamAccount a, String[] t, byte[] payload) {
        ObjectNode req = JsJson.parseObject(payload);
        JsonNode cfgNode = req.get("config");
        boolean legacyDurable = t[3].equals("DURABLE");
        String streamName;
        String consumerName;
        String filterInSubject = "";
        if (legacyDurable) {
            if (t.length != 7) {
                throw JetStreamError.of("JSConsumerDurableNameNotInSubjectErr");
            }
            streamName = t[5];
            consumerName = t[6];
        } else {
            streamName = t[4];
            consumerName = t.length > 5 ? t[5] : "";
            if (t.length > 6) {
                filterInSubject = String.join(".", java.util.Arrays.copyOfRange(t, 6, t.length));
            }
        }
        if (!streamName.equals(JsJson.getText(req, "stream_name", ""))) {
            throw JetStreamError.of("JSStreamMismatchErr");
        }
        if (!(cfgNode instanceof ObjectNode cfgIn)) {
            throw JetStreamError.of("JSConsumerConfigRequiredErr");
        }
        String durable = JsJson.getText(cfgIn, "durable_name", "");
        if (t.length == 5 && !legacyDurable) {
            consumerName = JsJson.getText(cfgIn, "name", "");
            if (!durable.isEmpty()) {
                throw JetStreamError.of("JSConsumerEphemeralWithDurableNameErr");
            }
        }
        if (consumerName.contains("/") || consumerName.contains("\\")) {
            throw JetStreamError.of("JSConsumerNameContainsPathSeparatorsErr");
        }
        if (legacyDurable) {
            if (durable.isEmpty()) {
                throw JetStreamError.of("JSConsumerDurableNameNotSetErr");
            }
            if (!consumerName.equals(durable)) {
                throw JetStreamError.of("JSConsumerDurableNameNotMatchSubjectErr");
            }
        } else if (t.length > 5 && !durable.isEmpty() && !consumerName.equals(durable)) {
            throw JetStreamError.of("JSConsumerDurableNameNotMatchSubjectErr");
        }
        if (!filterInSubject.isEmpty()) {
            if (cfgIn.get("filter_subjects") instanceof com.fasterxml.jackson.databind.node.ArrayNode fs && !fs.isEmpty()) {
                throw JetStreamError.of("JSConsumerMultipleFiltersNotAllowed");
            }
            if (!filterInSubject.equals(JsJson.getText(cfgIn, "filter_subject", ""))) {
                throw JetStreamError.of("JSConsumerCreateFilterSubjectMismatchErr");
            }
        }
        if (JsJson.getLong(cfgIn, "num_replicas", 0) > 1) {
            throw JetStreamError.of("JSStreamReplicasNotSupportedErr");
        }
        JsStream stream = a.requireStream(streamName);
        if (consumerName.isEmpty()) {
            consumerName = durable.isEmpty() ? JetStreamApi.newConsumerName() : durable;
        }
        String name = JsJson.getText(cfgIn, "name", "");
        if (!durable.isEmpty() && !name.isEmpty() && !name.equals(durable)) {
            throw JetStreamError.of("JSConsumerCreateDurableAndNameMismatch");
        }
        if (!JsStreamConfig.isValidName(consumerName)) {
            throw JetStreamError.of("JSConsumerBadDurableNameErr");
        }
        if (consumerName.length() > JsStreamConfig.MAX_NAME_LENGTH) {
            throw JetStreamError.of("JSConsumerNameTooLongErrF", "{max}", JsStreamConfig.MAX_NAME_LENGTH);
        }
        JsConsumerConfig cfg = JsConsumerConfig.parse(cfgIn, consumerName, stream.config());
        if (cfg.isPush()) {
            for (String s : stream.config().subjects) {
                if (Subjects.overlaps(Subjects.tokens(s), Subjects.tokens(cfg.deliverSubject))) {
                    throw JetStreamError.of("JSConsumerDeliverCycleErr");
                }
            }
        }
        String action = JsJson.getText(req, "action", "");
        return createOrUpdate(a, stream, consumerName, cfg, action);
    }

    private static ObjectNode createOrUpdate(JetStreamAccount a, JsStream stream, String name, JsConsumerConfig cfg, String action) {
        stream.adminLock().lock();
        try {
            Optional<JsConsumer> existing = stream.consumer(name);
            if (existing.isPresent()) {
                JsConsumer c = existing.get();
                if (c.config().json.equals(cfg.json)) {
                    return c.info();
                }
                if (action.equals("create")) {
                    throw JetStreamError.of("JSConsumerAlreadyExists");
                }
                String problem = c.config().updateProblem(cfg);
                if (problem != null) {
                    throw JetStreamError.of("JSConsumerCreateErrF", "{err}", problem);
                }
                c.updateConfig(cfg);
                a.persistConsumer(stream, c);
                return c.info();
            }
            if (action.equals("update")) {
                throw JetStreamError.of("JSConsumerDoesNotExist");
            }
            long max = a.limits().maxConsumers();
            if (max >= 0 && a.consumerCount() >= max
                    || stream.config().maxConsumers > 0 && stream.consumerCount() >= stream.config().maxConsumers) {
                throw JetStreamError.of("JSMaximumConsumersLimitErr");
            }
            if (stream.config().retention == JsStreamConfig.Retention.WORKQUEUE) {
                checkWorkQueue(stream, cfg);
            }
            ConsumerStore cstore = a.consumerStore(stream, name, cfg);
            JsConsumer c = new JsConsumer(stream, name, cfg, cstore, JsJson.nowNanos(), true);
            a.persistConsumer(stream, c);
            stream.addConsumer(c);
            c.start();
            JsAdvisory.consumerAction(a, stream.name(), name, "create");
            return c.info();
        } finally {
            stream.adminLock().unlock();
        }
    }

    private static void checkWorkQueue(JsStream stream, JsConsumerConfig cfg) {
        for (JsConsumer other : stream.consumers()) {
            if (cfg.filters.isEmpty() || other.config().filters.isEmpty()) {
                throw JetStreamError.of(cfg.filters.isEmpty() && other.config().filters.isEmpty()
                        ? "JSConsumerWQMultipleUnfilteredErr" : "JSConsumerWQConsumerNotUniqueErr");
            }
            for (String f : cfg.filters) {
                for (String g : other.config().filters) {
                    if (Subjects.overlaps(Subjects.tokens(f), Subjects.tokens(g))) {
                        throw JetStreamError.of("JSConsumerWQConsumerNotUniqueErr");
                    }
                }
            }
        }
    }
}
