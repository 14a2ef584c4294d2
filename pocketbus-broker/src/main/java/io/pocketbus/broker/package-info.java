/**
 * Pocketbus's NATS-compatible broker.
 *
 * <p>Entry point: {@link io.pocketbus.broker.Broker} ({@code Broker.builder()…build().start()}). Clients
 * connect over TCP, over WebSocket ({@code websocketPort}), in-process
 * ({@link io.pocketbus.broker.Broker#connectInProcess()}) or through a WebSocket endpoint hosted elsewhere
 * ({@link io.pocketbus.broker.Broker#connectWebSocketBridge}). Who may connect, into which account and with
 * which permissions is decided by an {@link io.pocketbus.broker.spi.Authenticator}; accounts share subjects
 * through {@link io.pocketbus.broker.AccountConfig} exports and imports.
 *
 * <p>Inside: {@code ProtocolParser} (bytes → operations), {@code ClientConnection} (one reader and one
 * writer virtual thread per client), {@code Sublist} (per-account subject trie with a match cache),
 * {@code MessageRouter} (delivery, flushed once per read batch), {@code Outbound} (coalesced writes,
 * slow-consumer cap).
 */
package io.pocketbus.broker;
