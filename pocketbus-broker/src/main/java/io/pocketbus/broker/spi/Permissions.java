package io.pocketbus.broker.spi;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * nats-server's user permissions: allow/deny lists of subjects (wildcards allowed) for publish and
 * subscribe, and {@code allow_responses}, which lets a user publish to the reply subjects of requests it
 * received.
 */
public record Permissions(SubjectPermission publish, SubjectPermission subscribe, Optional<ResponsePermission> responses) {

    public static final Permissions ALL =
            new Permissions(SubjectPermission.ANY, SubjectPermission.ANY, Optional.empty());

    /** Allow and deny lists. An empty allow list allows everything not denied. */
    public record SubjectPermission(List<String> allow, List<String> deny) {
        public static final SubjectPermission ANY = new SubjectPermission(List.of(), List.of());

        public SubjectPermission {
            allow = List.copyOf(allow);
            deny = List.copyOf(deny);
        }
    }

    /**
     * {@code allow_responses}: how many responses may be sent to each received reply subject
     * (nats-server's default 1) and for how long (0 = no limit).
     */
    public record ResponsePermission(int maxMessages, Duration expires) {
    }
}
