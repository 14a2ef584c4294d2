package io.pocketbus.broker;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How the WebSocket listener serves clients, as nats-server's {@code websocket} block: TLS ({@code wss://}),
 * permessage-deflate compression when a client offers it, and Origin checks that refuse a browser page from
 * elsewhere with 403.
 *
 * @param tls the server certificate and key for {@code wss://}; empty for plain {@code ws://}
 * @param compression {@code compression}: answer a client's permessage-deflate offer
 * @param sameOrigin {@code same_origin}: an Origin header must name the host and port of the request's Host
 * @param allowedOrigins {@code allowed_origins}: an Origin header must be one of these (scheme, host and port)
 */
public record WebSocketOptions(Optional<SSLContext> tls, boolean compression, boolean sameOrigin,
        List<String> allowedOrigins) {

    /** Plain {@code ws://}, no compression, any origin: nats-server's defaults with {@code no_tls}. */
    public static final WebSocketOptions PLAIN = new WebSocketOptions(Optional.empty(), false, false, List.of());

    public WebSocketOptions {
        Objects.requireNonNull(tls);
        allowedOrigins = List.copyOf(allowedOrigins);
        WebSocketOrigins.parseAllowed(allowedOrigins);
    }

    public WebSocketOptions withTls(SSLContext context) {
        return new WebSocketOptions(Optional.of(context), compression, sameOrigin, allowedOrigins);
    }

    public WebSocketOptions withCompression(boolean on) {
        return new WebSocketOptions(tls, on, sameOrigin, allowedOrigins);
    }

    public WebSocketOptions withSameOrigin(boolean on) {
        return new WebSocketOptions(tls, compression, on, allowedOrigins);
    }

    public WebSocketOptions withAllowedOrigins(List<String> origins) {
        return new WebSocketOptions(tls, compression, sameOrigin, origins);
    }
}
