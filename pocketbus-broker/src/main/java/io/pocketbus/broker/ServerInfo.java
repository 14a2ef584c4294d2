package io.pocketbus.broker;

import io.pocketbus.broker.spi.Authenticator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/** The server's identity and the INFO line each client gets first (and again, with {@code ldm}, in lame-duck mode). */
final class ServerInfo {
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private final SecureRandom random = new SecureRandom();
    private final BrokerConfig config;
    final String serverId;
    final String serverName;
    private final boolean jetStream;

    ServerInfo(BrokerConfig config, boolean jetStream) {
        this.config = config;
        this.jetStream = jetStream;
        this.serverId = newServerId();
        this.serverName = config.serverName().orElse(serverId);
    }

    /** Shaped like nats-server's server nkey: 'N' and 55 base32 characters. */
    private String newServerId() {
        StringBuilder sb = new StringBuilder("N");
        for (int i = 0; i < 55; i++) {
            sb.append(BASE32.charAt(random.nextInt(32)));
        }
        return sb.toString();
    }

    /** 11 random bytes, base64url without padding: the 15-character nonce nats-server sends. */
    String newNonce() {
        byte[] b = new byte[11];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    String render(int port, long clientId, String clientIp, Optional<String> nonce, boolean lameDuck) {
        StringBuilder sb = new StringBuilder(384).append("INFO {\"server_id\":");
        Json.quote(sb, serverId).append(",\"server_name\":");
        Json.quote(sb, serverName).append(",\"version\":\"").append(Broker.SERVER_VERSION).append('"')
                .append(",\"proto\":1,\"go\":\"java").append(Runtime.version().feature()).append("\",\"host\":");
        Json.quote(sb, config.host()).append(",\"port\":").append(port).append(",\"headers\":true");
        if (jetStream) {
            sb.append(",\"jetstream\":true");
        }
        if (config.authenticator().map(Authenticator::authRequired).orElse(false)) {
            sb.append(",\"auth_required\":true");
        }
        sb.append(",\"max_payload\":").append(config.maxPayload()).append(",\"client_id\":").append(clientId)
                .append(",\"client_ip\":");
        Json.quote(sb, clientIp);
        nonce.ifPresent(n -> Json.quote(sb.append(",\"nonce\":"), n));
        if (lameDuck) {
            sb.append(",\"ldm\":true");
        }
        return sb.append("} \r\n").toString();
    }
}
