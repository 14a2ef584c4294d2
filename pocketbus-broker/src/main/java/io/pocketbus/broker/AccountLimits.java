package io.pocketbus.broker;

import java.util.Optional;

/**
 * The {@code limits} of an account in the configuration file, as nats-server reads them; empty means unlimited.
 *
 * @param maxConnections {@code max_connections}: connections the account may have open at once
 * @param maxSubscriptions {@code max_subscriptions}: subscriptions each connection of the account may hold
 */
public record AccountLimits(Optional<Integer> maxConnections, Optional<Integer> maxSubscriptions) {

    public static final AccountLimits UNLIMITED = new AccountLimits(Optional.empty(), Optional.empty());

    public AccountLimits {
        maxConnections.filter(n -> n < 0).ifPresent(n -> {
            throw new IllegalArgumentException("max_connections must not be negative: " + n);
        });
        maxSubscriptions.filter(n -> n < 0).ifPresent(n -> {
            throw new IllegalArgumentException("max_subscriptions must not be negative: " + n);
        });
    }
}
