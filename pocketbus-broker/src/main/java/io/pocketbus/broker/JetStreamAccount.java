package io.pocketbus.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One account's JetStream: its streams and consumers, their metadata on disk, and its limits. Streams
 * live in {@code <storeDir>/<account>/streams/<stream>/} with {@code meta.json} (config and creation
 * time) beside the store's data, and durable consumers in {@code consumers/<name>.json}.
 */
final class JetStreamAccount implements JsContext {
    private static final Logger LOG = LoggerFactory.getLogger(JetStreamAccount.class);
    private static final String META = "meta.json";

    private final String name;
    private final JetStreamConfig jsConfig;
    /** Replaced when the account's JWT changes its JetStream limits; read without a lock on every check. */
    private volatile JetStreamLimits limits;
    private final JsOutput output;
    private final Optional<Path> dir;
    private final Map<String, JsStream> streams = new ConcurrentHashMap<>();
    private final ReentrantLock admin = new ReentrantLock();
    private final StreamListener listener;
    /**
     * The streams that copy each stream (mirrors and sources), by origin name, rebuilt whenever streams
     * change: a publish signals only them instead of looking through every stream.
     */
    private volatile Map<String, List<JsStream>> followers = Map.of();
    final AtomicLong apiTotal = new AtomicLong();
    final AtomicLong apiErrors = new AtomicLong();

    /** Told when streams appear, change subjects or go, so the broker can route their subjects. */
    interface StreamListener {
        void streamAdded(JsStream stream);

        void streamRemoved(JsStream stream);
    }

    JetStreamAccount(String name, JetStreamConfig jsConfig, JetStreamLimits limits, JsOutput output, StreamListener listener) {
        this.name = name;
        this.jsConfig = jsConfig;
        this.limits = limits;
        this.output = output;
        this.listener = listener;
        this.dir = jsConfig.storeDir().map(d -> d.resolve(name).resolve("streams"));
    }

    String name() {
        return name;
    }

    JetStreamLimits limits() {
        return limits;
    }

    /**
     * New limits for what comes next: streams, consumers and messages already stored are kept, as
     * nats-server keeps them when an account JWT lowers its JetStream limits.
     */
    void updateLimits(JetStreamLimits newLimits) {
        admin.lock();
        try {
            this.limits = newLimits;
        } finally {
            admin.unlock();
        }
    }

    // ---- JsContext ----

    @Override
    public String domain() {
        return jsConfig.domain();
    }

    @Override
    public JsOutput output() {
        return output;
    }

    @Override
    public Optional<JetStreamError> checkStore(StreamStore.Type type, long bytes) {
        long limit = type == StreamStore.Type.MEMORY ? limits.maxMemory() : limits.maxStorage();
        if (limit >= 0 && used(type) + bytes > limit) {
            return Optional.of(JetStreamError.of("JSAccountResourcesExceededErr"));
        }
        return Optional.empty();
    }

    @Override
    public void consumerRemoved(JsStream stream, JsConsumer consumer) {
        stream.consumer(consumer.name()).ifPresentOrElse(c -> { }, () -> dir.ifPresent(d -> {
            try {
                Files.deleteIfExists(d.resolve(stream.name()).resolve("consumers").resolve(consumer.name() + ".json"));
            } catch (IOException e) {
                LOG.warn("cannot remove consumer metadata {} > {}", stream.name(), consumer.name(), e);
            }
        }));
    }

    long used(StreamStore.Type type) {
        long n = 0;
        for (JsStream s : streams.values()) {
            if (s.config().storage == type) {
                n += s.store().fastState().bytes();
            }
        }
        return n;
    }

    int consumerCount() {
        int n = 0;
        for (JsStream s : streams.values()) {
            n += s.consumerCount();
        }
        return n;
    }

    // ---- streams ----

    @Override
    public void streamStored(JsStream stream) {
        List<JsStream> copies = followers.get(stream.name());
        if (copies == null) {
            return;
        }
        for (JsStream s : copies) {
            s.mirror().filter(m -> m.origin().equals(stream.name())).ifPresent(JsMirror::signal);
            for (JsSource src : s.sources()) {
                if (src.origin().equals(stream.name())) {
                    src.signal();
                }
            }
        }
    }

    /** Rebuilds {@link #followers}; called under the admin lock after streams or their sources changed. */
    private void indexFollowers() {
        Map<String, LinkedHashSet<JsStream>> byOrigin = new HashMap<>();
        for (JsStream s : streams.values()) {
            s.mirror().ifPresent(m -> byOrigin.computeIfAbsent(m.origin(), k -> new LinkedHashSet<>()).add(s));
            for (JsSource src : s.sources()) {
                byOrigin.computeIfAbsent(src.origin(), k -> new LinkedHashSet<>()).add(s);
            }
        }
        Map<String, List<JsStream>> index = new HashMap<>();
        byOrigin.forEach((origin, copies) -> index.put(origin, List.copyOf(copies)));
        followers = Map.copyOf(index);
    }

    @Override
    public Optional<JsStream> stream(String streamName) {
        return Optional.ofNullable(streams.get(streamName));
    }

    JsStream requireStream(String streamName) {
        JsStream s = streams.get(streamName);
        if (s == null) {
            throw JetStreamError.of("JSStreamNotFoundErr");
        }
        return s;
    }

    /** Stream names sorted. */
    List<String> streamNames() {
        List<String> names = new ArrayList<>(streams.keySet());
        names.sort(null);
        return names;
    }

    /** Creates a stream, or returns the existing one when the configuration is the same; true when created. */
    boolean createStream(JsStreamConfig cfg) {
        admin.lock();
        try {
            JsStream existing = streams.get(cfg.name);
            if (existing != null) {
                if (existing.config().sameAs(cfg)) {
                    return false;
                }
                throw JetStreamError.of("JSStreamNameExistErr");
            }
            if (limits.maxStreams() >= 0 && streams.size() >= limits.maxStreams()) {
                throw JetStreamError.of("JSMaximumStreamsLimitErr");
            }
            checkOverlap(cfg, null);
            checkReservation(cfg, null);
            long created = JsJson.nowNanos();
            StreamStore store = openStore(cfg);
            if (cfg.firstSeq() > 1) {
                store.skipMsgs(1, cfg.firstSeq() - 1);
            }
            JsStream stream = new JsStream(this, cfg, store, created);
            writeStreamMeta(stream);
            streams.put(cfg.name, stream);
            listener.streamAdded(stream);
            stream.startFollowers();
            indexFollowers();
            JsAdvisory.streamAction(this, cfg.name, "create");
            return true;
        } finally {
            admin.unlock();
        }
    }

    JsStream updateStream(JsStreamConfig cfg) {
        admin.lock();
        try {
            JsStream s = requireStream(cfg.name);
            s.config().checkUpdate(cfg);
            checkOverlap(cfg, s);
            checkReservation(cfg, s);
            listener.streamRemoved(s);
            s.updateConfig(cfg);
            indexFollowers();
            writeStreamMeta(s);
            listener.streamAdded(s);
            JsAdvisory.streamAction(this, cfg.name, "modify");
            return s;
        } finally {
            admin.unlock();
        }
    }

    void deleteStream(String streamName) {
        admin.lock();
        try {
            JsStream s = requireStream(streamName);
            streams.remove(streamName);
            listener.streamRemoved(s);
            s.delete();
            indexFollowers();
            JsAdvisory.streamAction(this, streamName, "delete");
        } finally {
            admin.unlock();
        }
    }

    private void checkOverlap(JsStreamConfig cfg, JsStream self) {
        for (JsStream other : streams.values()) {
            if (other == self) {
                continue;
            }
            for (String a : other.config().subjects) {
                for (String b : cfg.subjects) {
                    if (Subjects.overlaps(Subjects.tokens(a), Subjects.tokens(b))) {
                        throw JetStreamError.of("JSStreamSubjectOverlapErr");
                    }
                }
            }
        }
    }

    /** A stream's max_bytes is reserved against the account's limit for its storage type. */
    private void checkReservation(JsStreamConfig cfg, JsStream self) {
        JetStreamLimits limits = this.limits;
        long limit = cfg.storage == StreamStore.Type.MEMORY ? limits.maxMemory() : limits.maxStorage();
        if (limit < 0) {
            return;
        }
        long reserved = 0;
        for (JsStream s : streams.values()) {
            if (s != self && s.config().storage == cfg.storage && s.config().maxBytes > 0) {
                reserved += s.config().maxBytes;
            }
        }
        long wanted = cfg.maxBytes > 0 ? cfg.maxBytes : 0;
        if (reserved + wanted > limit || cfg.maxBytes > limit) {
            throw JetStreamError.of(cfg.storage == StreamStore.Type.MEMORY
                    ? "JSMemoryResourcesExceededErr" : "JSStorageResourcesExceededErr");
        }
    }

    private StreamStore openStore(JsStreamConfig cfg) {
        if (cfg.storage == StreamStore.Type.MEMORY || dir.isEmpty()) {
            return MemoryStore.open(cfg.storeConfig());
        }
        return FileStore.builder(dir.get().resolve(cfg.name)).config(cfg.storeConfig())
                .syncPolicy(jsConfig.syncPolicy()).open();
    }

    private boolean persistent(JsStream s) {
        return dir.isPresent() && s.config().storage == StreamStore.Type.FILE;
    }

    private void writeStreamMeta(JsStream s) {
        if (!persistent(s)) {
            return;
        }
        ObjectNode meta = JsJson.object();
        meta.set("config", s.config().json);
        meta.put("created", s.created());
        writeAtomically(dir.get().resolve(s.name()).resolve(META), meta);
    }

    // ---- consumers ----

    /** Durable consumers of stored streams survive restarts; ephemeral and {@code mem_storage} ones do not. */
    private boolean persistent(JsStream s, JsConsumerConfig cfg) {
        return persistent(s) && cfg.isDurable() && !JsJson.getBool(cfg.json, "mem_storage");
    }

    /** The state store for a new consumer: beside the stream's data when it survives restarts, else in memory. */
    ConsumerStore consumerStore(JsStream s, String consumerName, JsConsumerConfig cfg) {
        return persistent(s, cfg) ? s.store().consumerStore(consumerName, ackMode(cfg)) : new MemoryConsumerStore(ackMode(cfg));
    }

    void persistConsumer(JsStream s, JsConsumer c) {
        if (!persistent(s, c.config())) {
            return;
        }
        ObjectNode meta = JsJson.object();
        meta.set("config", c.config().json);
        meta.put("created", c.created());
        writeAtomically(dir.get().resolve(s.name()).resolve("consumers").resolve(c.name() + ".json"), meta);
    }

    private static void writeAtomically(Path file, ObjectNode json) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
            // Forced before the rename and the directory after it: a create the client saw succeed
            // must still be there after a crash.
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(JsJson.bytes(json)));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                d.force(true);
            }
        } catch (IOException e) {
            throw JetStreamError.of("JSStreamGeneralErrorF", "{err}", "cannot write metadata: " + e.getMessage());
        }
    }

    /** Opens every stream and durable consumer found under the account's directory. */
    void recover() {
        if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
            return;
        }
        try (Stream<Path> list = Files.list(dir.get())) {
            for (Path streamDir : list.sorted().toList()) {
                Path meta = streamDir.resolve(META);
                if (!Files.isRegularFile(meta)) {
                    continue;
                }
                try {
                    recoverStream(streamDir, meta);
                } catch (IOException | RuntimeException e) {
                    LOG.error("cannot recover stream in {}", streamDir, e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void recoverStream(Path streamDir, Path meta) throws IOException {
        long started = System.nanoTime();
        ObjectNode m = (ObjectNode) JsJson.MAPPER.readTree(meta.toFile());
        JsStreamConfig cfg = JsStreamConfig.restore((ObjectNode) m.get("config"));
        long opening = System.nanoTime();
        StreamStore store = openStore(cfg);
        long opened = System.nanoTime();
        JsStream stream = new JsStream(this, cfg, store, m.get("created").asLong());
        stream.recoverDedupe();
        streams.put(cfg.name, stream);
        stream.startFollowers();
        indexFollowers();
        Path consumers = streamDir.resolve("consumers");
        if (Files.isDirectory(consumers)) {
            try (Stream<Path> list = Files.list(consumers)) {
                for (Path f : list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                    ObjectNode cm = (ObjectNode) JsJson.MAPPER.readTree(f.toFile());
                    JsConsumerConfig cc = JsConsumerConfig.restore((ObjectNode) cm.get("config"));
                    String cname = cc.name;
                    JsConsumer c = new JsConsumer(stream, cname, cc, store.consumerStore(cname, ackMode(cc)),
                            cm.get("created").asLong(), false);
                    stream.addConsumer(c);
                    c.start();
                }
            }
        }
        listener.streamAdded(stream);
        // As nats-server reports its restores: how much came back and how long the store took.
        LOG.info("restored {} messages for stream '{} > {}': store opened in {} ms, stream ready in {} ms",
                store.fastState().msgs(), name, cfg.name, (opened - opening) / 1_000_000,
                (System.nanoTime() - started) / 1_000_000);
    }

    static ConsumerStore.AckMode ackMode(JsConsumerConfig cfg) {
        return switch (cfg.ackPolicy) {
            case NONE -> ConsumerStore.AckMode.NONE;
            case ALL -> ConsumerStore.AckMode.ALL;
            case EXPLICIT -> ConsumerStore.AckMode.EXPLICIT;
        };
    }

    /** Shutdown: stops every consumer and closes the stores, keeping the data. */
    void close() {
        admin.lock();
        try {
            for (JsStream s : streams.values()) {
                listener.streamRemoved(s);
                s.close();
            }
            streams.clear();
            followers = Map.of();
        } finally {
            admin.unlock();
        }
    }
}
