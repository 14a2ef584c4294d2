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

    /** nats-server's {@code allow_responses: true}: one response to each request, within two minutes. */
    public static final ResponsePermission DEFAULT_RESPONSES = new ResponsePermission(1, Duration.ofMinutes(2));

    /**
     * These permissions as nats-server applies them. With {@code allow_responses}, a zero {@code max} or
     * {@code expires} takes the default, and a user with no publish allow list may publish only responses:
     * expressed here as publish deny {@code >}, since a temporary response permission is checked after the deny
     * list and overrides it (nats-server's {@code pubAllowedFullCheck} order, which the broker must keep).
     */
    public Permissions normalized() {
        if (responses.isEmpty()) {
            return this;
        }
        ResponsePermission r = responses.get();
        ResponsePermission effective = new ResponsePermission(
                r.maxMessages() == 0 ? DEFAULT_RESPONSES.maxMessages() : r.maxMessages(),
                r.expires().isZero() ? DEFAULT_RESPONSES.expires() : r.expires());
        SubjectPermission pub = publish.allow().isEmpty() ? new SubjectPermission(List.of(), List.of(">")) : publish;
        return new Permissions(pub, subscribe, Optional.of(effective));
    }

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
