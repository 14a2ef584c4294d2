package io.pocketbus.broker;

import java.time.Instant;

/**
 * Server-wide counters, as nats-server's {@code /varz} reports them.
 *
 * @param start when the broker started
 * @param connections open client connections
 * @param totalConnections connections accepted since start
 * @param subscriptions subscriptions across all accounts
 * @param slowConsumers connections cut for not keeping up
 * @param inMsgs messages received from clients
 * @param outMsgs messages delivered to clients
 * @param inBytes payload bytes received
 * @param outBytes payload bytes delivered
 */
public record BrokerStats(
        Instant start,
        int connections,
        long totalConnections,
        long subscriptions,
        long slowConsumers,
        long inMsgs,
        long outMsgs,
        long inBytes,
        long outBytes) {
}
