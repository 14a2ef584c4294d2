package io.pocketbus.broker;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** A stream store held in memory ({@code storage: memory}); nothing survives the process. */
public final class MemoryStore extends StreamStoreBase {

    private MemoryStore(StoreConfig config, LongSupplier clock) {
        super(new StoreIndex(true), config, clock);
    }

    /** A memory store with these limits. */
    public static MemoryStore open(StoreConfig config) {
        return open(config, MemoryStore::now);
    }

    /**
     * A memory store with these limits and a wall clock (nanoseconds since the epoch) for max age and
     * skipped sequences.
     */
    public static MemoryStore open(StoreConfig config, LongSupplier clock) {
        return new MemoryStore(Objects.requireNonNull(config, "config"), Objects.requireNonNull(clock, "clock"));
    }

    static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public Type type() {
        return Type.MEMORY;
    }

    /** nats-server's {@code memStoreMsgSize}. */
    @Override
    long msgSize(String subject, byte[] headers, byte[] payload) {
        return subject.getBytes(StandardCharsets.UTF_8).length + headers.length + payload.length + 16;
    }

    @Override
    void append(long seq, String subject, byte[] headers, byte[] payload, long timestamp, long size) {
        StoredMsg msg = new StoredMsg(subject, headers.clone(), payload.clone(), seq, timestamp);
        index.add(seq, subject, timestamp, size, 0, msg);
    }

    @Override
    StoredMsg read(long seq) {
        StoredMsg msg = (StoredMsg) index.ref(seq);
        return new StoredMsg(msg.subject(), msg.headers().clone(), msg.payload().clone(), seq, msg.timestamp());
    }

    @Override
    void persistRemove(StoreIndex.Removed removed, Removal how) {
        // The index dropped the message; there is nothing else to forget.
    }

    @Override
    void persistFirst(long firstSeq) {
        // The index alone holds the sequences.
    }

    @Override
    void persistSkip(long seq, long count) {
        // The index alone holds the sequences.
    }

    @Override
    long commitLocked() {
        return 0;
    }

    @Override
    void awaitDurable(long ticket) {
        // Memory is as durable as it gets.
    }

    @Override
    public void whenDurable(long ticket, Consumer<Optional<StoreException>> then) {
        then.accept(Optional.empty());
    }

    @Override
    ConsumerStoreBase openConsumer(String name, ConsumerStore.AckMode ackMode) {
        return new MemoryConsumerStore(ackMode);
    }

    @Override
    public void sync() {
        checkOpen();
    }

    @Override
    void release() {
        index.resetEmpty(index.last(), index.lastTimestamp());
    }

    @Override
    void removeData() {
        index.resetEmpty(0, 0);
    }
}
