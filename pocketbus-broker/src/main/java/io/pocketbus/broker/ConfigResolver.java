package io.pocketbus.broker;

import java.util.Optional;

/**
 * {@code resolver}: where operator mode finds account JWTs. {@code MEMORY} (preloaded from
 * {@code resolver_preload}) or a directory ({@code {type: full, dir: "./jwt", allow_delete: true}});
 * nats-server's {@code cache} type is read as a directory too.
 */
public record ConfigResolver(Type type, Optional<String> dir, boolean allowDelete) {

    public enum Type { MEMORY, FULL, CACHE }
}
