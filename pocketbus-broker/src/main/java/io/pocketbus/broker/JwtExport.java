package io.pocketbus.broker;

/**
 * An account export ({@code nats.exports[]}).
 *
 * @param type "stream" or "service"
 * @param tokenRequired {@code token_req}: importers need an activation token (a private export)
 * @param responseType for services: "Singleton", "Stream" or "Chunked"
 */
public record JwtExport(String name, String subject, String type, boolean tokenRequired, String responseType) {
}
