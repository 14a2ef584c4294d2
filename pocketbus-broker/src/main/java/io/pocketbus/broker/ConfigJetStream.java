package io.pocketbus.broker;

import java.util.Optional;

/**
 * {@code jetstream} at the top level (server-wide: {@code store_dir}, {@code max_mem}, {@code max_file},
 * {@code domain}) or in an account (its limits: {@code max_mem}, {@code max_file}, {@code max_streams},
 * {@code max_consumers}). {@code jetstream: enabled} gives an enabled block with nothing else set.
 */
public record ConfigJetStream(boolean enabled, Optional<String> storeDir, Optional<Long> maxMemory,
        Optional<Long> maxFile, Optional<Long> maxStreams, Optional<Long> maxConsumers, Optional<String> domain) {

    static ConfigJetStream enabled(boolean enabled) {
        return new ConfigJetStream(enabled, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }
}
