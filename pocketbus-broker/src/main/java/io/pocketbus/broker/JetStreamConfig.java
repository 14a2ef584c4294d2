package io.pocketbus.broker;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How a broker runs JetStream: on disk under a store directory ({@code nats-server -js -sd DIR}) or in
 * memory only, with per-account limits, and which accounts have it at all.
 *
 * <pre>{@code
 * Broker.builder().jetStream(JetStreamConfig.storeDir(dir).syncPolicy(SyncPolicy.ALWAYS).build())
 * }</pre>
 */
public final class JetStreamConfig {
    private final Optional<Path> storeDir;
    private final SyncPolicy syncPolicy;
    private final String domain;
    private final JetStreamLimits defaultLimits;
    private final Map<String, JetStreamLimits> accountLimits;
    private final Set<String> disabledAccounts;

    private JetStreamConfig(Builder b) {
        this.storeDir = b.storeDir;
        this.syncPolicy = b.syncPolicy;
        this.domain = b.domain;
        this.defaultLimits = b.defaultLimits;
        this.accountLimits = Map.copyOf(b.accountLimits);
        this.disabledAccounts = Set.copyOf(b.disabledAccounts);
    }

    /** File streams kept under {@code dir} (one directory per account and stream), recovered on start. */
    public static Builder storeDir(Path dir) {
        Builder b = new Builder();
        b.storeDir = Optional.of(dir);
        return b;
    }

    /** Nothing survives a restart: streams configured with file storage are held in memory too. */
    public static Builder memory() {
        return new Builder();
    }

    public Optional<Path> storeDir() {
        return storeDir;
    }

    public SyncPolicy syncPolicy() {
        return syncPolicy;
    }

    public String domain() {
        return domain;
    }

    /** The account's limits, or empty when JetStream is disabled for it. */
    public Optional<JetStreamLimits> limitsFor(String account) {
        if (disabledAccounts.contains(account)) {
            return Optional.empty();
        }
        return Optional.of(accountLimits.getOrDefault(account, defaultLimits));
    }

    /** Configures a {@link JetStreamConfig}. */
    public static final class Builder {
        private Optional<Path> storeDir = Optional.empty();
        private SyncPolicy syncPolicy = SyncPolicy.WRITE;
        private String domain = "";
        private JetStreamLimits defaultLimits = JetStreamLimits.UNLIMITED;
        private final Map<String, JetStreamLimits> accountLimits = new HashMap<>();
        private final java.util.HashSet<String> disabledAccounts = new java.util.HashSet<>();

        private Builder() {
        }

        /** {@code WRITE} (default): written to the OS before the ack; {@code ALWAYS}: fsynced before the ack. */
        public Builder syncPolicy(SyncPolicy syncPolicy) {
            this.syncPolicy = Objects.requireNonNull(syncPolicy);
            return this;
        }

        /** The JetStream domain PubAcks and account info carry; none by default. */
        public Builder domain(String domain) {
            this.domain = Objects.requireNonNull(domain);
            return this;
        }

        /** Limits for every account without its own; unlimited by default. */
        public Builder defaultLimits(JetStreamLimits limits) {
            this.defaultLimits = Objects.requireNonNull(limits);
            return this;
        }

        public Builder accountLimits(String account, JetStreamLimits limits) {
            accountLimits.put(account, Objects.requireNonNull(limits));
            disabledAccounts.remove(account);
            return this;
        }

        /** Turns JetStream off for one account: its API answers 10039, as nats-server's does. */
        public Builder disableAccount(String account) {
            disabledAccounts.add(account);
            return this;
        }

        public JetStreamConfig build() {
            return new JetStreamConfig(this);
        }
    }
}
