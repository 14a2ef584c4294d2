package io.pocketbus.broker;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code websocket { … }}: NATS over WebSocket on its own listener.
 *
 * @param noTls {@code no_tls}: plain {@code ws://} (the broker serves only that; TLS is not supported)
 * @param sameOrigin {@code same_origin}: only accept upgrades whose Origin matches the Host
 * @param allowedOrigins {@code allowed_origins}
 * @param compression {@code compression}: permessage-deflate
 * @param noAuthUser {@code no_auth_user} for WebSocket clients
 */
public record ConfigWebsocket(ConfigListen listen, boolean noTls, boolean sameOrigin, List<String> allowedOrigins,
        boolean compression, Optional<Duration> handshakeTimeout, Optional<String> noAuthUser) {

    public ConfigWebsocket {
        allowedOrigins = List.copyOf(allowedOrigins);
    }
}
