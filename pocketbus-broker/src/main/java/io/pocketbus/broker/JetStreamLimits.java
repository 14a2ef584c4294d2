package io.pocketbus.broker;

/**
 * An account's JetStream limits (nats-server's {@code JetStreamAccountLimits}); -1 means unlimited.
 *
 * @param maxMemory bytes all memory streams may hold together
 * @param maxStorage bytes all file streams may hold together
 * @param maxStreams how many streams the account may have
 * @param maxConsumers how many consumers the account may have
 */
public record JetStreamLimits(long maxMemory, long maxStorage, long maxStreams, long maxConsumers) {
    public static final JetStreamLimits UNLIMITED = new JetStreamLimits(-1, -1, -1, -1);

    /** The JetStream part of an account JWT's {@code nats.limits}. */
    public static JetStreamLimits of(JwtLimits jwt) {
        return new JetStreamLimits(jwt.memStorage(), jwt.diskStorage(), jwt.streams(), jwt.consumer());
    }
}
