package io.pocketbus.broker;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits a stream store enforces itself, taken from the stream's configuration. A limit of -1 (or
 * a zero max age) means unlimited, as in nats-server's {@code StreamConfig}.
 *
 * @param maxMsgs {@code max_msgs}
 * @param maxBytes {@code max_bytes}
 * @param maxAge {@code max_age}; messages older than this are removed by the store
 * @param maxMsgsPerSubject {@code max_msgs_per_subject}
 * @param discard {@code discard}: what happens when a limit is reached
 * @param discardNewPerSubject {@code discard_new_per_subject}: with {@link Discard#NEW}, a subject at its
 *     limit refuses new messages instead of dropping its oldest
 */
public record StoreConfig(
        long maxMsgs,
        long maxBytes,
        Duration maxAge,
        long maxMsgsPerSubject,
        Discard discard,
        boolean discardNewPerSubject) {

    /** nats-server's discard policy. */
    public enum Discard {
        /** Remove the oldest messages to make room. */
        OLD,
        /** Refuse new messages. */
        NEW
    }

    /** No limits, discard old. */
    public static final StoreConfig UNLIMITED = builder().build();

    public StoreConfig {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(discard, "discard");
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must not be negative");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder().maxMsgs(maxMsgs).maxBytes(maxBytes).maxAge(maxAge)
                .maxMsgsPerSubject(maxMsgsPerSubject).discard(discard).discardNewPerSubject(discardNewPerSubject);
    }

    boolean limitsMsgs() {
        return maxMsgs > 0;
    }

    boolean limitsBytes() {
        return maxBytes > 0;
    }

    boolean limitsPerSubject() {
        return maxMsgsPerSubject > 0;
    }

    /** Builds a {@link StoreConfig}; every limit starts unlimited. */
    public static final class Builder {
        private long maxMsgs = -1;
        private long maxBytes = -1;
        private Duration maxAge = Duration.ZERO;
        private long maxMsgsPerSubject = -1;
        private Discard discard = Discard.OLD;
        private boolean discardNewPerSubject;

        private Builder() {
        }

        public Builder maxMsgs(long maxMsgs) {
            this.maxMsgs = maxMsgs;
            return this;
        }

        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        public Builder maxAge(Duration maxAge) {
            this.maxAge = maxAge;
            return this;
        }

        public Builder maxMsgsPerSubject(long maxMsgsPerSubject) {
            this.maxMsgsPerSubject = maxMsgsPerSubject;
            return this;
        }

        public Builder discard(Discard discard) {
            this.discard = discard;
            return this;
        }

        public Builder discardNewPerSubject(boolean discardNewPerSubject) {
            this.discardNewPerSubject = discardNewPerSubject;
            return this;
        }

        public StoreConfig build() {
            return new StoreConfig(maxMsgs, maxBytes, maxAge, maxMsgsPerSubject, discard, discardNewPerSubject);
        }
    }
}
