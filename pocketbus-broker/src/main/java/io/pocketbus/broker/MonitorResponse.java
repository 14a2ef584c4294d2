package io.pocketbus.broker;

/**
 * One monitoring endpoint's answer, for serving it from another HTTP server ({@link Broker#monitor}).
 *
 * @param status the HTTP status (200; 503 from {@code healthz} when not running; 404 for unknown endpoints)
 * @param body JSON with nats-server's field names
 */
public record MonitorResponse(int status, String body) {
}
