package io.pocketbus.broker;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code websocket { … }}: NATS over WebSocket on its own listener.
 *
 * @param noTls {@code no_tls}: plain {@code ws://}
 * @param tls {@code tls { cert_file, key_file }}: {@code wss://} with these PEM files
 * @param sameOrigin {@code same_origin}: only accept upgrades whose Origin matches the Host
 * @param allowedOrigins {@code allowed_origins}
 * @param compression {@code compression}: permessage-deflate
 * @param noAuthUser {@code no_auth_user} for WebSocket clients
 */
public record ConfigWebsocket(ConfigListen listen, boolean noTls, Optional<Tls> tls, boolean sameOrigin,
        List<String> allowedOrigins, boolean compression, Optional<Duration> handshakeTimeout,
        Optional<String> noAuthUser) {

    /** The certificate chain and private key files, PEM, as the configuration names them. */
    public record Tls(String certFile, String keyFile) {
    }

    public ConfigWebsocket {
        allowedOrigins = List.copyOf(allowedOrigins);
    }
}
