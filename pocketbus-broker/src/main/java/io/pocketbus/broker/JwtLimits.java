package io.pocketbus.broker;

/**
 * {@code nats.limits} of a user or account JWT; -1 means unlimited, as in nats.jwt. The account-only limits
 * ({@code imports} … {@code consumer}) stay at their defaults in a user JWT.
 *
 * @param subs maximum subscriptions
 * @param data maximum bytes per second
 * @param payload maximum message payload
 * @param imports maximum imports of an account
 * @param exports maximum exports of an account
 * @param wildcards whether an account may export wildcard subjects
 * @param conn maximum client connections of an account
 * @param leaf maximum leaf node connections of an account
 * @param memStorage JetStream memory storage of an account (0 = JetStream disabled in memory)
 * @param diskStorage JetStream file storage of an account (0 = JetStream disabled on disk)
 * @param streams maximum JetStream streams of an account
 * @param consumer maximum JetStream consumers of an account
 * @param disallowBearer {@code disallow_bearer}: the account refuses bearer-token user JWTs
 */
public record JwtLimits(long subs, long data, long payload, long imports, long exports, boolean wildcards,
        long conn, long leaf, long memStorage, long diskStorage, long streams, long consumer, boolean disallowBearer) {

    /** nats.jwt's defaults: everything unlimited, JetStream disabled. */
    public static final JwtLimits UNLIMITED = new JwtLimits(-1, -1, -1, -1, -1, true, -1, -1, 0, 0, 0, 0, false);

    /** These limits with a payload limit. */
    public JwtLimits withPayload(long maxPayload) {
        return new JwtLimits(subs, data, maxPayload, imports, exports, wildcards, conn, leaf, memStorage,
                diskStorage, streams, consumer, disallowBearer);
    }

    /** These limits with JetStream storage enabled: -1 for unlimited, streams and consumers unlimited. */
    public JwtLimits withJetStream(long memStorage, long diskStorage) {
        return new JwtLimits(subs, data, payload, imports, exports, wildcards, conn, leaf, memStorage,
                diskStorage, -1, -1, disallowBearer);
    }

    /** These limits with bearer-token user JWTs refused. */
    public JwtLimits withBearerDisallowed() {
        return new JwtLimits(subs, data, payload, imports, exports, wildcards, conn, leaf, memStorage,
                diskStorage, streams, consumer, true);
    }

    /** Whether the account may use JetStream: some storage is not zero. */
    public boolean jetStreamEnabled() {
        return memStorage != 0 || diskStorage != 0;
    }
}
