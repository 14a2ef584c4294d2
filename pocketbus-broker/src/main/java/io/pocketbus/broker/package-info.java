/**
 * Pocketbus's NATS-compatible broker.
 *
 * <p>Entry point: {@link io.pocketbus.broker.Broker} ({@code Broker.builder()…build().start()}). Clients
 * connect over TCP, over WebSocket ({@code websocketPort}), in-process
 * ({@link io.pocketbus.broker.Broker#connectInProcess()}) or through a WebSocket endpoint hosted elsewhere
 * ({@link io.pocketbus.broker.Broker#connectWebSocketBridge}). Who may connect, into which account and with
 * which permissions is decided by an {@link io.pocketbus.broker.spi.Authenticator}; accounts share subjects
 * through {@link io.pocketbus.broker.AccountConfig} exports and imports. A nats-server configuration file
 * ({@link io.pocketbus.broker.ConfigFile}) is applied with {@code BrokerBuilder#config}, which reports what it
 * cannot honour. When an authenticator's decisions change ({@code onCredentialsChanged}) live connections are
 * re-checked with the credentials of their CONNECT.
 *
 * <p>Inside: {@code ProtocolParser} (bytes → operations), {@code ClientConnection} (one reader and one
 * writer virtual thread per client), {@code Sublist} (per-account subject trie with a match cache),
 * {@code MessageRouter} (delivery, flushed once per read batch), {@code Outbound} (coalesced writes,
 * slow-consumer cap; a client publisher is stalled, bounded, while a receiver has over half the cap queued,
 * as nats-server stalls fast producers), {@code Monitor} (the monitoring endpoints, also reachable through
 * {@link io.pocketbus.broker.Broker#monitor} for hosting them elsewhere).
 */
package io.pocketbus.broker;
