package io.pocketbus.broker;

import io.pocketbus.broker.spi.Permissions;
import io.pocketbus.broker.spi.Permissions.ResponsePermission;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connection's compiled {@link Permissions}: publish checks (cached per subject by the caller),
 * subscribe checks with the delivery-time deny filter, and the reply subjects {@code allow_responses}
 * currently opens.
 */
final class ConnectionPermissions {
    /** nats-server's allow_responses defaults: one response within two minutes. */
    static final int DEFAULT_RESPONSE_MAX = 1;
    static final Duration DEFAULT_RESPONSE_TTL = Duration.ofMinutes(2);
    private static final int MAX_OPEN_REPLIES = 10_000;

    private final PermissionFilter pubAllow;
    private final PermissionFilter pubDeny;
    private final PermissionFilter subAllow;
    private final PermissionFilter subDeny;
    private final int responseMax;
    private final long responseTtlNanos;
    private final Map<String, OpenReply> openReplies;

    private static final class OpenReply {
        int remaining;
        final long deadline;

        OpenReply(int remaining, long deadline) {
            this.remaining = remaining;
            this.deadline = deadline;
        }
    }

    private ConnectionPermissions(Permissions p) {
        pubAllow = PermissionFilter.compile(p.publish().allow());
        pubDeny = PermissionFilter.compile(p.publish().deny());
        subAllow = PermissionFilter.compile(p.subscribe().allow());
        subDeny = PermissionFilter.compile(p.subscribe().deny());
        if (p.responses().isPresent()) {
            ResponsePermission r = p.responses().get();
            responseMax = r.maxMessages() <= 0 ? DEFAULT_RESPONSE_MAX : r.maxMessages();
            Duration ttl = r.expires().isZero() || r.expires().isNegative() ? Duration.ZERO : r.expires();
            responseTtlNanos = ttl.toNanos();
            openReplies = new ConcurrentHashMap<>();
        } else {
            responseMax = 0;
            responseTtlNanos = 0;
            openReplies = null;
        }
    }

    /** Null when everything is allowed, so the hot path can skip all checks. */
    static ConnectionPermissions of(Permissions p) {
        if (p.publish().allow().isEmpty() && p.publish().deny().isEmpty() && p.subscribe().allow().isEmpty()
                && p.subscribe().deny().isEmpty()) {
            return null;
        }
        return new ConnectionPermissions(p);
    }

    boolean tracksResponses() {
        return openReplies != null;
    }

    /** The static publish rule, without allow_responses. */
    boolean publishAllowed(String subject) {
        String[] tokens = Subjects.tokens(subject);
        if (pubDeny != null && pubDeny.matchesSubject(tokens)) {
            return false;
        }
        return pubAllow == null || pubAllow.matchesSubject(tokens);
    }

    /** Consumes one response allowance for a reply subject this connection received, if it has one. */
    boolean consumeResponse(String subject) {
        if (openReplies == null) {
            return false;
        }
        boolean[] granted = new boolean[1];
        long now = System.nanoTime();
        openReplies.computeIfPresent(subject, (k, open) -> {
            if (responseTtlNanos > 0 && now - open.deadline > 0) {
                return null;
            }
            granted[0] = true;
            open.remaining--;
            return open.remaining > 0 ? open : null;
        });
        return granted[0];
    }

    /** Records that this connection received a request with the given reply subject. */
    void openResponse(String reply) {
        if (openReplies.size() >= MAX_OPEN_REPLIES) {
            long now = System.nanoTime();
            Iterator<OpenReply> it = openReplies.values().iterator();
            while (it.hasNext()) {
                OpenReply o = it.next();
                if (responseTtlNanos > 0 && now - o.deadline > 0) {
                    it.remove();
                }
            }
            if (openReplies.size() >= MAX_OPEN_REPLIES) {
                return;
            }
        }
        openReplies.put(reply, new OpenReply(responseMax, System.nanoTime() + responseTtlNanos));
    }

    /** Whether the subscription may be made at all. */
    boolean subscribeAllowed(String subject, String queue) {
        String[] tokens = Subjects.tokens(subject);
        if (subAllow != null && !subAllow.coversSubscription(tokens, queue)) {
            return false;
        }
        return subDeny == null || !subDeny.coversSubscription(tokens, queue);
    }

    /** For an allowed subscription, the deny entries its deliveries must still be filtered by, or null. */
    PermissionFilter deliveryFilter(String subject) {
        return subDeny == null ? null : subDeny.overlapping(Subjects.tokens(subject));
    }
}
