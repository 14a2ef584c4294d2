package io.pocketbus.broker;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a JetStream stream needs from its storage, in nats-server's terms ({@code StreamStore} in
 * {@code server/store.go}). Implemented by {@link MemoryStore} and {@link FileStore}; every method is
 * safe to call from many threads.
 *
 * <p>Subject filters may use {@code *} and {@code >}; an empty filter or {@code >} selects every subject.
 * The store applies its {@link StoreConfig} limits itself, on every store and at once on
 * {@link #updateConfig}, and reports each message it adds or removes to the registered
 * {@link StoreUpdateListener}s. Failures are {@link StoreException}s.
 */
public interface StreamStore extends AutoCloseable {

    /** Which kind of storage this is ({@code storage} in the stream config). */
    enum Type {
        FILE,
        MEMORY
    }

    Type type();

    /**
     * Appends a message and returns its sequence. When it returns, the message is durable as the
     * store's sync policy promises.
     *
     * @param headers the raw header block, empty for none
     * @param timestamp nanoseconds since the epoch
     * @throws StoreException {@code MAX_MSGS}, {@code MAX_BYTES} or {@code MAX_MSGS_PER_SUBJECT} when
     *     discard new refuses it, {@code CLOSED} after {@link #close()}
     */
    long store(String subject, byte[] headers, byte[] payload, long timestamp);

    /**
     * A message {@link #storeDeferred} appended: its sequence, and the durability ticket
     * {@link #whenDurable} takes.
     */
    record Appended(long seq, long ticket) {
    }

    /**
     * Appends a message like {@link #store} but returns before the fsync that {@link SyncPolicy#ALWAYS}
     * asks for (the message is written to the operating system): acknowledge it from
     * {@link #whenDurable} with the returned ticket. The store keeps appending while the fsync runs, and one
     * fsync covers every message appended while the previous one ran (group commit).
     */
    Appended storeDeferred(String subject, byte[] headers, byte[] payload, long timestamp);

    /**
     * Runs {@code then} once every write up to {@code ticket} is as durable as the sync policy promises:
     * on this thread when it already is (always, unless the policy is {@link SyncPolicy#ALWAYS}), else on
     * the store's syncer thread. It gets the error when the fsync failed; the store then refuses further
     * calls, as after any failed write.
     */
    void whenDurable(long ticket, Consumer<Optional<StoreException>> then);

    /** Consumes the next sequence without a message (a gap, as a mirror leaves) and returns it. */
    long skipMsg();

    /**
     * Consumes {@code count} sequences starting at {@code seq} without messages.
     *
     * @throws StoreException {@code SEQUENCE_MISMATCH} unless {@code seq} is the next sequence
     */
    void skipMsgs(long seq, long count);

    /** The message with this sequence, if it is stored. */
    Optional<StoredMsg> loadMsg(long seq);

    /** The newest message whose subject matches the filter. */
    Optional<StoredMsg> loadLastMsg(String filter);

    /** The first message at or after {@code start} whose subject matches the filter. */
    Optional<StoredMsg> loadNextMsg(String filter, long start);

    /**
     * The first message at or after {@code start} whose subject matches any of the filters (a consumer's
     * {@code filter_subjects}); an empty list matches every subject.
     */
    Optional<StoredMsg> loadNextMsg(List<String> filters, long start);

    /** Removes one message; false when there was none with this sequence. */
    boolean removeMsg(long seq);

    /** Removes one message and overwrites its stored bytes; false when there was none. */
    boolean eraseMsg(long seq);

    /** Removes every message; the next sequence is unchanged. Returns how many were removed. */
    long purge();

    /**
     * Removes the messages matching {@code filter}, below {@code upToSeq} when that is positive, keeping
     * the newest {@code keep} of them when that is positive (the stream purge request's
     * {@code filter}/{@code seq}/{@code keep}). Returns how many were removed.
     */
    long purge(String filter, long upToSeq, long keep);

    /** Removes every message below {@code seq}; the first sequence becomes at least {@code seq}. */
    long compact(long seq);

    /** The first sequence whose message was stored at or after {@code timestamp}; last + 1 if none. */
    long sequenceAt(long timestamp);

    /** The full state, with the list of interior deleted sequences. */
    StoreState state();

    /** The state without the deleted list, cheap enough for every publish acknowledgement. */
    StoreState fastState();

    /** Messages matching the filter at or after {@code startSeq}. */
    StoreSubjectState filteredState(long startSeq, String filter);

    /**
     * The newest sequence of every subject matching any of the filters, ascending (nats-server's
     * {@code MultiLastSeqs}): what deliver-last-per-subject consumers, KV watchers and batched direct
     * gets walk through.
     */
    List<Long> multiLastSeqs(List<String> filters);

    /** Per-subject state of the subjects matching the filter. */
    Map<String, StoreSubjectState> subjectsState(String filter);

    /** Per-subject message counts of the subjects matching the filter. */
    Map<String, Long> subjectsTotals(String filter);

    /**
     * How many messages a consumer with this filter has pending from {@code startSeq}; with
     * {@code lastPerSubject}, only the newest message of each subject counts (deliver last per subject).
     */
    long numPending(long startSeq, String filter, boolean lastPerSubject);

    /** {@link #numPending(long, String, boolean)} for messages matching any of the filters, each counted once. */
    long numPending(long startSeq, List<String> filters, boolean lastPerSubject);

    /** Applies new limits; lowered limits are enforced at once. */
    void updateConfig(StoreConfig config);

    StoreConfig config();

    void addListener(StoreUpdateListener listener);

    /**
     * The store for a consumer's state, created empty on first use and kept beside the stream's data;
     * opening the same name again returns the same state.
     */
    ConsumerStore consumerStore(String name, ConsumerStore.AckMode ackMode);

    /** Forces everything written so far to the disk (a no-op for memory). */
    void sync();

    /** Releases the store; its data stays. Further calls fail with {@code CLOSED}. */
    @Override
    void close();

    /** Closes the store and deletes all its data, consumer state included. */
    void delete();
}
