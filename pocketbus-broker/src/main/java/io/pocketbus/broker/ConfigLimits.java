package io.pocketbus.broker;

import java.time.Duration;
import java.util.Optional;

/**
 * The server-wide protocol limits and timers; each is empty when the file leaves it to the broker's default.
 *
 * @param maxPayload {@code max_payload}
 * @param maxControlLine {@code max_control_line}
 * @param maxPending {@code max_pending}: bytes buffered for a client before it is a slow consumer
 * @param maxConnections {@code max_connections}
 * @param maxSubscriptions {@code max_subscriptions} per connection
 * @param pingInterval {@code ping_interval}
 * @param pingMax {@code ping_max}: unanswered pings before the connection is stale
 * @param writeDeadline {@code write_deadline}
 * @param lameDuckDuration {@code lame_duck_duration}
 * @param lameDuckGracePeriod {@code lame_duck_grace_period}
 */
public record ConfigLimits(Optional<Long> maxPayload, Optional<Long> maxControlLine, Optional<Long> maxPending,
        Optional<Integer> maxConnections, Optional<Integer> maxSubscriptions, Optional<Duration> pingInterval,
        Optional<Integer> pingMax, Optional<Duration> writeDeadline, Optional<Duration> lameDuckDuration,
        Optional<Duration> lameDuckGracePeriod) {
}
