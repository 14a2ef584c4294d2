package io.pocketbus.broker;

import io.pocketbus.broker.spi.Authenticator;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The broker's settings, built by {@link BrokerBuilder}; defaults are nats-server's. */
record BrokerConfig(
        String host,
        int port,
        Optional<String> serverName,
        int maxPayload,
        int maxControlLine,
        long maxPending,
        Duration writeDeadline,
        Duration pingInterval,
        int maxPingsOut,
        Duration authTimeout,
        Duration lameDuckGracePeriod,
        Optional<Authenticator> authenticator,
        String systemAccount,
        Optional<Integer> websocketPort,
        WebSocketOptions websocket,
        Optional<Integer> monitorPort,
        int maxConnections,
        int maxSubscriptions,
        Map<String, AccountLimits> accountLimits) {

    BrokerConfig {
        accountLimits = Map.copyOf(accountLimits);
    }

    /** The configured limits of an account, unlimited when it has none. */
    AccountLimits limitsOf(String account) {
        return accountLimits.getOrDefault(account, AccountLimits.UNLIMITED);
    }
}
