package io.pocketbus.bridge;

import io.pocketbus.broker.JwtLimits;

/**
 * A project's messaging limits, stored in its account JWT ({@code nats.limits}) and enforced by the broker
 * (and by a nats-server in operator mode). -1 means unlimited; JetStream storage 0 means JetStream is off
 * for that storage type, as in nats.jwt.
 *
 * @param maxConnections client connections open at once in the project ({@code conn})
 * @param maxPayload largest message payload in bytes ({@code payload})
 * @param jetStreamMemory bytes all memory streams may hold ({@code mem_storage})
 * @param jetStreamStorage bytes all file streams may hold ({@code disk_storage})
 * @param maxStreams JetStream streams ({@code streams})
 * @param maxConsumers JetStream consumers ({@code consumer})
 */
public record ProjectLimits(long maxConnections, long maxPayload, long jetStreamMemory, long jetStreamStorage,
        long maxStreams, long maxConsumers) {

    /** Everything unlimited, JetStream on with unlimited storage. */
    public static final ProjectLimits UNLIMITED = new ProjectLimits(-1, -1, -1, -1, -1, -1);

    public ProjectLimits {
        requireLimit(maxConnections, "maxConnections");
        requireLimit(maxPayload, "maxPayload");
        requireLimit(jetStreamMemory, "jetStreamMemory");
        requireLimit(jetStreamStorage, "jetStreamStorage");
        requireLimit(maxStreams, "maxStreams");
        requireLimit(maxConsumers, "maxConsumers");
    }

    public ProjectLimits withMaxConnections(long n) {
        return new ProjectLimits(n, maxPayload, jetStreamMemory, jetStreamStorage, maxStreams, maxConsumers);
    }

    public ProjectLimits withMaxPayload(long bytes) {
        return new ProjectLimits(maxConnections, bytes, jetStreamMemory, jetStreamStorage, maxStreams, maxConsumers);
    }

    public ProjectLimits withJetStream(long memory, long storage, long streams, long consumers) {
        return new ProjectLimits(maxConnections, maxPayload, memory, storage, streams, consumers);
    }

    /** As {@code nats.limits} of the project's account JWT. */
    JwtLimits toJwtLimits() {
        JwtLimits u = JwtLimits.UNLIMITED;
        return new JwtLimits(u.subs(), u.data(), maxPayload, u.imports(), u.exports(), u.wildcards(),
                maxConnections, u.leaf(), jetStreamMemory, jetStreamStorage, maxStreams, maxConsumers, false);
    }

    private static void requireLimit(long value, String name) {
        if (value < -1) {
            throw new ProjectAccountException(ProjectAccountException.Kind.INVALID,
                    name + " must be -1 (unlimited) or at least 0");
        }
    }
}
