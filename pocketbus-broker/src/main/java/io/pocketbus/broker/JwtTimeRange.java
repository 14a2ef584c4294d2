package io.pocketbus.broker;

import java.time.LocalTime;

/**
 * A daily window ({@code nats.times[]}) in which a user may connect; an end before the start spans midnight.
 */
public record JwtTimeRange(LocalTime start, LocalTime end) {
}
