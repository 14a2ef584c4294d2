package io.pocketbus.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One JetStream stream over a {@link StreamStore}: the publish checks nats-server applies (expected
 * stream/sequences/msg id, duplicate window, rollups, sealed, sizes), retention, and its consumers.
 */
final class JsStream {
    private final JsContext ctx;
    private final StreamStore store;
    private final long created;
    private final ReentrantLock lock = new ReentrantLock();
    /** Serialises consumer creation and updates. */
    private final ReentrantLock admin = new ReentrantLock();
    private final Map<String, JsConsumer> consumers = new ConcurrentHashMap<>();
    /** Msg ids inside the duplicate window: id → {seq, stored at (nanos)}, oldest first. */
    private final LinkedHashMap<String, long[]> dedupe = new LinkedHashMap<>();
    private volatile JsStreamConfig config;
    /** The stream's name and domain never change: every PubAck starts with the same bytes. */
    private final byte[] pubAckPrefix;
    private final Optional<JsMirror> mirror;
    private volatile List<JsSource> sources = List.of();
    private String lastMsgId = "";
    /** The durability ticket of the newest message published; guarded by the lock. */
    private long lastTicket;
    /** Set after a restart until {@link #rebuildDedupe} ran; guarded by the lock. */
    private boolean dedupeStale;
    private volatile boolean closed;
    /** Wakes the consumers once for all the messages one fsync made durable. */
    private final Runnable signalConsumers = () -> consumers.values().forEach(JsConsumer::signal);

    JsStream(JsContext ctx, JsStreamConfig config, StreamStore store, long created) {
        this.ctx = ctx;
        this.config = config;
        this.store = store;
        this.created = created;
        this.pubAckPrefix = JsPubAck.prefix(config.name, ctx.domain());
        JsonNode m = config.json.get("mirror");
        this.mirror = m instanceof ObjectNode ? Optional.of(new JsMirror(this, m)) : Optional.empty();
        store.addListener((msgsDelta, bytesDelta, seq, subject) -> {
            for (JsConsumer c : consumers.values()) {
                c.storeChanged(msgsDelta, seq);
            }
        });
    }

    String name() {
        return config.name;
    }

    JsStreamConfig config() {
        return config;
    }

    StreamStore store() {
        return store;
    }

    long created() {
        return created;
    }

    Optional<JsMirror> mirror() {
        return mirror;
    }

    List<JsSource> sources() {
        return sources;
    }

    /** Starts copying from the mirror's origin or the sources (after creation or recovery). */
    void startFollowers() {
        mirror.ifPresent(JsMirror::start);
        sources = newSources(config);
        sources.forEach(JsSource::start);
    }

    /** One follower per configured source, positioned after the last message each one copied. */
    private List<JsSource> newSources(JsStreamConfig cfg) {
        if (!(cfg.json.get("sources") instanceof ArrayNode list) || list.isEmpty()) {
            return List.of();
        }
        Map<String, Long> positions = new java.util.HashMap<>();
        for (Optional<StoredMsg> m = store.loadNextMsg(">", 1); m.isPresent(); m = store.loadNextMsg(">", m.get().seq() + 1)) {
            JsSource.sourceOf(m.get().headers()).filter(f -> f.length == 2).ifPresent(f -> {
                try {
                    positions.merge(f[0], Long.parseLong(f[1]), Math::max);
                } catch (NumberFormatException e) {
                    // Not a header this server wrote; it does not move any position.
                }
            });
        }
        List<JsSource> out = new ArrayList<>();
        for (JsonNode src : list) {
            out.add(new JsSource(this, src, positions.getOrDefault(src.get("name").asText(), 0L)));
        }
        return List.copyOf(out);
    }

    /** Stores a message copied from the mirror's origin under the origin's sequence (gaps are skipped). */
    void storeMirrored(StoredMsg m) {
        lock.lock();
        try {
            if (closed) {
                throw new StoreException(StoreException.Kind.CLOSED);
            }
            long last = store.fastState().lastSeq();
            if (m.seq() <= last) {
                return;
            }
            if (m.seq() > last + 1) {
                store.skipMsgs(last + 1, m.seq() - last - 1);
            }
            store.store(m.subject(), m.headers(), m.payload(), m.timestamp());
        } finally {
            lock.unlock();
        }
        for (JsConsumer c : consumers.values()) {
            c.signal();
        }
        ctx.streamStored(this);
    }

    ReentrantLock adminLock() {
        return admin;
    }

    JsContext context() {
        return ctx;
    }

    /**
     * Stores a published message and returns the PubAck body (an error PubAck when refused), once the
     * message is as durable as the store's sync policy promises.
     *
     * @param headers the raw header block, empty for none
     */
    byte[] publish(String subject, byte[] headers, byte[] payload) {
        return publish(subject, headers, payload, false);
    }

    /**
     * Stores a message and waits for its PubAck; {@code sourced} for a copy from one of the stream's
     * sources, whose publish expectations were checked by its origin and are not checked again.
     */
    byte[] publish(String subject, byte[] headers, byte[] payload, boolean sourced) {
        CompletableFuture<byte[]> ack = new CompletableFuture<>();
        publish(subject, headers, payload, sourced, ack::complete);
        return ack.join();
    }

    /**
     * Stores a message and hands its PubAck to {@code ack} when it may be sent: at once for a refusal,
     * after the fsync that covers the message under sync always (on the thread running that fsync: a syncer,
     * or the publisher's reader at the end of its read batch, see {@link StoreGroupCommit#deferForces}).
     * Consumers are woken for the message only then too, so they never deliver what a crash could still take
     * back.
     */
    void publish(String subject, byte[] headers, byte[] payload, boolean sourced, Consumer<byte[]> ack) {
        Published p = storeLocked(subject, headers, payload, sourced);
        if (p.seq() == 0) {
            if (p.ticket() == 0) {
                ack.accept(p.ack());
            } else {
                store.whenDurable(p.ticket(), failure -> ack.accept(failure.map(this::storeFailed).orElse(p.ack())));
            }
            return;
        }
        if (config.retention == JsStreamConfig.Retention.INTEREST && !hasInterestIn(subject)) {
            store.removeMsg(p.seq());
        }
        ctx.streamStored(this);
        store.whenDurable(p.ticket(), failure -> {
            if (failure.isPresent()) {
                ack.accept(storeFailed(failure.get()));
                return;
            }
            StoreGroupCommit.afterGroup(signalConsumers);
            ack.accept(p.ack());
        });
    }

    private byte[] storeFailed(StoreException e) {
        return JsPubAck.error(config.name, JetStreamError.of("JSStreamStoreFailedF", "{err}", e.getMessage()));
    }

    /**
     * A publish's outcome: its PubAck, the sequence it stored (0 when it stored nothing) and the
     * durability ticket to wait for before acknowledging (0 for none).
     */
    private record Published(byte[] ack, long seq, long ticket) {
        static Published refused(byte[] ack) {
            return new Published(ack, 0, 0);
        }
    }

    private Published refuse(JetStreamError e) {
        return Published.refused(JsPubAck.error(config.name, e));
    }

    private Published storeLocked(String subject, byte[] headers, byte[] payload, boolean sourced) {
        JsStreamConfig cfg = config;
        lock.lock();
        try {
            if (closed) {
                return refuse(JetStreamError.of("JSStreamNotFoundErr"));
            }
            if (cfg.sealed) {
                return refuse(JetStreamError.of("JSStreamSealedErr"));
            }
            JsHeaders h = JsHeaders.parse(headers);
            String msgId = "";
            if (!h.isEmpty() && !sourced) {
                if (dedupeStale) {
                    rebuildDedupe();
                }
                Optional<String> expStream = h.get(JsHeaders.EXPECTED_STREAM);
                if (expStream.isPresent() && !expStream.get().equals(cfg.name)) {
                    return refuse(JetStreamError.of("JSStreamNotMatchErr"));
                }
                if (h.get(JsHeaders.TTL).isPresent()) {
                    return refuse(JetStreamError.of("JSMessageTTLDisabledErr"));
                }
                Optional<String> expSubjSeq = h.get(JsHeaders.EXPECTED_LAST_SUBJECT_SEQ);
                if (expSubjSeq.isPresent()) {
                    String onSubject = h.get(JsHeaders.EXPECTED_LAST_SUBJECT_SEQ_SUBJECT).orElse(subject);
                    long actual = store.loadLastMsg(onSubject).map(StoredMsg::seq).orElse(0L);
                    if (parseSeq(expSubjSeq.get()) != actual) {
                        return refuse(JetStreamError.of("JSStreamWrongLastSequenceErrF", "{seq}", actual));
                    }
                }
                Optional<String> expSeq = h.get(JsHeaders.EXPECTED_LAST_SEQ);
                if (expSeq.isPresent()) {
                    long last = store.fastState().lastSeq();
                    if (parseSeq(expSeq.get()) != last) {
                        return refuse(JetStreamError.of("JSStreamWrongLastSequenceErrF", "{seq}", last));
                    }
                }
                msgId = h.get(JsHeaders.MSG_ID).orElse("");
                if (!msgId.isEmpty()) {
                    expireDedupe(JsJson.nowNanos());
                    long[] dup = dedupe.get(msgId);
                    if (dup != null) {
                        // The original may still wait for its fsync: acknowledge no earlier than it.
                        return new Published(JsPubAck.ok(pubAckPrefix, dup[0], true), 0, lastTicket);
                    }
                }
                Optional<String> expMsgId = h.get(JsHeaders.EXPECTED_LAST_MSG_ID);
                if (expMsgId.isPresent() && !expMsgId.get().equals(lastMsgId)) {
                    return refuse(JetStreamError.of("JSStreamWrongLastMsgIDErrF", "{id}", lastMsgId));
                }
                Optional<String> rollup = h.get(JsHeaders.ROLLUP);
                if (rollup.isPresent()) {
                    if (!cfg.allowRollup || cfg.denyPurge) {
                        return refuse(JetStreamError.of("JSStreamRollupFailedF", "{err}", "rollup not permitted"));
                    }
                    if (!rollup.get().equals("sub") && !rollup.get().equals("all")) {
                        return refuse(JetStreamError.of("JSStreamRollupFailedF", "{err}",
                                "rollup value invalid: \"" + rollup.get() + "\""));
                    }
                }
            }
            long size = (long) headers.length + payload.length;
            if (cfg.maxMsgSize >= 0 && size > cfg.maxMsgSize) {
                return refuse(JetStreamError.of("JSStreamMessageExceedsMaximumErr"));
            }
            Optional<JetStreamError> quota = ctx.checkStore(cfg.storage, size + subject.length());
            if (quota.isPresent()) {
                return refuse(quota.get());
            }
            long now = JsJson.nowNanos();
            StreamStore.Appended appended;
            try {
                appended = store.storeDeferred(subject, headers, payload, now);
            } catch (StoreException e) {
                return Published.refused(storeFailed(e));
            }
            long seq = appended.seq();
            lastTicket = appended.ticket();
            if (!msgId.isEmpty()) {
                dedupe.put(msgId, new long[] {seq, now});
                lastMsgId = msgId;
            }
            String rollup = cfg.allowRollup ? h.get(JsHeaders.ROLLUP).orElse("") : "";
            if (rollup.equals("sub")) {
                store.purge(subject, seq, 0);
            } else if (rollup.equals("all")) {
                store.purge(">", seq, 0);
            }
            return new Published(JsPubAck.ok(pubAckPrefix, seq, false), seq, appended.ticket());
        } finally {
            lock.unlock();
        }
    }

    /**
     * After a restart the duplicate window must be rebuilt from the stored messages, so a publisher retrying
     * a message whose acknowledgement was lost in a crash does not store it twice. It is rebuilt when a
     * publish first needs it (one with headers): reading back every message of the window at start-up
     * would make a restart as slow as the window is full.
     */
    void recoverDedupe() {
        lock.lock();
        try {
            dedupeStale = true;
        } finally {
            lock.unlock();
        }
    }

    /** Reads the msg ids inside the duplicate window back from the store. Called under the lock. */
    private void rebuildDedupe() {
        dedupeStale = false;
        long now = JsJson.nowNanos();
        long from = store.sequenceAt(now - config.duplicateWindow);
        for (Optional<StoredMsg> m = store.loadNextMsg(">", from); m.isPresent();
                m = store.loadNextMsg(">", m.get().seq() + 1)) {
            if (m.get().headers().length == 0) {
                continue;
            }
            Optional<String> id = JsHeaders.parse(m.get().headers()).get(JsHeaders.MSG_ID);
            if (id.isPresent()) {
                dedupe.put(id.get(), new long[] {m.get().seq(), m.get().timestamp()});
                lastMsgId = id.get();
            }
        }
    }

    private static long parseSeq(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void expireDedupe(long now) {
        long window = config.duplicateWindow;
        Iterator<long[]> it = dedupe.values().iterator();
        while (it.hasNext()) {
            if (now - it.next()[1] > window) {
                it.remove();
            } else {
                break;
            }
        }
    }

    private boolean hasInterestIn(String subject) {
        for (JsConsumer c : consumers.values()) {
            if (c.matches(subject)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A consumer acknowledged (or terminated) these stream sequences: a work queue drops them at once,
     * an interest stream once no consumer whose filter matches still needs them.
     */
    void acknowledged(List<Long> seqs) {
        JsStreamConfig cfg = config;
        if (cfg.retention == JsStreamConfig.Retention.LIMITS) {
            return;
        }
        for (long seq : seqs) {
            if (cfg.retention == JsStreamConfig.Retention.WORKQUEUE) {
                store.removeMsg(seq);
                continue;
            }
            Optional<StoredMsg> m = store.loadMsg(seq);
            if (m.isEmpty()) {
                continue;
            }
            boolean needed = false;
            for (JsConsumer c : consumers.values()) {
                if (c.matches(m.get().subject()) && !c.hasAcked(seq)) {
                    needed = true;
                    break;
                }
            }
            if (!needed) {
                store.removeMsg(seq);
            }
        }
    }

    // ---- consumers ----

    Optional<JsConsumer> consumer(String name) {
        return Optional.ofNullable(consumers.get(name));
    }

    List<JsConsumer> consumers() {
        List<JsConsumer> list = new ArrayList<>(consumers.values());
        list.sort((a, b) -> a.name().compareTo(b.name()));
        return list;
    }

    int consumerCount() {
        return consumers.size();
    }

    void addConsumer(JsConsumer c) {
        consumers.put(c.name(), c);
    }

    /** Forgets a consumer that deleted itself (inactivity) or was deleted through the API. */
    void consumerGone(JsConsumer c) {
        consumers.remove(c.name(), c);
        ctx.consumerRemoved(this, c);
        if (!closed && config.retention == JsStreamConfig.Retention.INTEREST) {
            // Messages only this consumer still needed are no longer of interest to anyone.
            List<Long> seqs = new ArrayList<>();
            for (Optional<StoredMsg> m = store.loadNextMsg(">", 1); m.isPresent(); m = store.loadNextMsg(">", m.get().seq() + 1)) {
                seqs.add(m.get().seq());
            }
            acknowledged(seqs);
        }
    }

    // ---- administration ----

    void updateConfig(JsStreamConfig next) {
        boolean sourcesChanged = !config.json.path("sources").equals(next.json.path("sources"));
        lock.lock();
        try {
            config = next;
            store.updateConfig(next.storeConfig());
        } finally {
            lock.unlock();
        }
        if (sourcesChanged) {
            sources.forEach(JsSource::stop);
            sources = newSources(next);
            sources.forEach(JsSource::start);
        }
    }

    long purge(String filter, long seq, long keep) {
        long n;
        if (filter.isEmpty() && seq == 0 && keep == 0) {
            n = store.purge();
        } else if (filter.isEmpty() && keep == 0) {
            n = store.compact(seq);
        } else {
            n = store.purge(filter.isEmpty() ? ">" : filter, seq, keep);
        }
        for (JsConsumer c : consumers.values()) {
            c.streamPurged();
        }
        return n;
    }

    /** Stops the consumers; the data stays (shutdown). */
    void close() {
        closed = true;
        mirror.ifPresent(JsMirror::stop);
        sources.forEach(JsSource::stop);
        for (JsConsumer c : consumers.values()) {
            c.stop();
        }
        store.close();
    }

    /** Deletes the stream, its consumers and all data. */
    void delete() {
        closed = true;
        mirror.ifPresent(JsMirror::stop);
        sources.forEach(JsSource::stop);
        for (JsConsumer c : new ArrayList<>(consumers.values())) {
            c.delete();
        }
        store.delete();
    }

    // ---- info ----

    ObjectNode info(boolean deletedDetails, String subjectsFilter) {
        ObjectNode n = JsJson.object();
        n.set("config", config.json.deepCopy());
        n.put("created", JsJson.time(created));
        n.set("state", state(deletedDetails, subjectsFilter));
        mirror.ifPresent(m -> n.set("mirror", m.info()));
        if (!sources.isEmpty()) {
            ArrayNode arr = n.putArray("sources");
            sources.forEach(src -> arr.add(src.info()));
        }
        n.put("ts", JsJson.time(JsJson.nowNanos()));
        return n;
    }

    ObjectNode state(boolean deletedDetails, String subjectsFilter) {
        StoreState s = deletedDetails ? store.state() : store.fastState();
        ObjectNode st = JsJson.object();
        st.put("messages", s.msgs());
        st.put("bytes", s.bytes());
        st.put("first_seq", s.firstSeq());
        st.put("first_ts", JsJson.time(s.firstTimestamp()));
        st.put("last_seq", s.lastSeq());
        st.put("last_ts", JsJson.time(s.lastTimestamp()));
        if (s.numDeleted() > 0) {
            if (deletedDetails) {
                ArrayNode d = st.putArray("deleted");
                s.deleted().forEach(d::add);
            }
            st.put("num_deleted", s.numDeleted());
        }
        if (s.numSubjects() > 0) {
            st.put("num_subjects", s.numSubjects());
        }
        if (!subjectsFilter.isEmpty()) {
            Map<String, Long> totals = store.subjectsTotals(subjectsFilter);
            if (!totals.isEmpty()) {
                ObjectNode subs = st.putObject("subjects");
                totals.forEach(subs::put);
            }
        }
        st.put("consumer_count", consumers.size());
        return st;
    }
}
