package io.pocketbus.broker;

import java.time.Instant;
import java.util.Map;

/**
 * An account export ({@code nats.exports[]}).
 *
 * @param type "stream" or "service"
 * @param tokenRequired {@code token_req}: importers need an activation token (a private export)
 * @param responseType for services: "Singleton", "Stream" or "Chunked"
 * @param revocations activation tokens revoked: those for an account (or {@code *}, every account) issued at or
 *     before the time given
 */
public record JwtExport(String name, String subject, String type, boolean tokenRequired, String responseType,
        Map<String, Instant> revocations) {

    public JwtExport {
        revocations = Map.copyOf(revocations);
    }

    /** An export without revoked activations. */
    public JwtExport(String name, String subject, String type, boolean tokenRequired, String responseType) {
        this(name, subject, type, tokenRequired, responseType, Map.of());
    }

    /** Whether the activation token issued to {@code account} at {@code issuedAt} has been revoked. */
    public boolean isRevoked(String account, Instant issuedAt) {
        Instant until = revocations.get(account);
        if (until == null || until.isBefore(issuedAt)) {
            until = revocations.get("*");
        }
        return until != null && !until.isBefore(issuedAt);
    }
}
