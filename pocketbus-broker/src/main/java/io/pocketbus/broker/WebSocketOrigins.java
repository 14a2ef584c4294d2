package io.pocketbus.broker;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * nats-server's Origin check for WebSocket upgrades. A request without an Origin header is accepted (it is
 * not a browser); otherwise, with {@code same_origin}, the Origin's host and port must be the Host header's
 * (ports defaulting by scheme), and with {@code allowed_origins} its scheme, host and port must be listed.
 */
final class WebSocketOrigins {
    record Allowed(String scheme, String port) {
    }

    private final boolean sameOrigin;
    private final Map<String, Allowed> allowed;

    WebSocketOrigins(WebSocketOptions options) {
        this.sameOrigin = options.sameOrigin();
        this.allowed = parseAllowed(options.allowedOrigins());
    }

    /** @throws IllegalArgumentException for an entry that is not a URL with a scheme and host */
    static Map<String, Allowed> parseAllowed(List<String> origins) {
        Map<String, Allowed> out = new HashMap<>();
        for (String origin : origins) {
            URI u = parse(origin).filter(x -> x.getScheme() != null && x.getHost() != null)
                    .orElseThrow(() -> new IllegalArgumentException("allowed_origins: not a URL: " + origin));
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            out.put(u.getHost().toLowerCase(Locale.ROOT), new Allowed(scheme, port(scheme.equals("https"), u.getPort())));
        }
        return Map.copyOf(out);
    }

    private static Optional<URI> parse(String s) {
        try {
            return Optional.of(new URI(s.strip()));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String port(boolean tls, int port) {
        return port < 0 ? (tls ? "443" : "80") : Integer.toString(port);
    }

    /** Whether an upgrade with these headers may proceed; {@code tls} is whether it came over TLS. */
    boolean allows(Optional<String> origin, Optional<String> hostHeader, boolean tls) {
        if (!sameOrigin && allowed.isEmpty() || origin.isEmpty() || origin.get().isBlank()) {
            return true;
        }
        Optional<URI> parsed = parse(origin.get()).filter(x -> x.getScheme() != null && x.getHost() != null);
        if (parsed.isEmpty()) {
            return false;
        }
        URI o = parsed.get();
        String scheme = o.getScheme().toLowerCase(Locale.ROOT);
        String host = o.getHost().toLowerCase(Locale.ROOT);
        String port = port(scheme.equals("https"), o.getPort());
        if (sameOrigin) {
            Optional<URI> request = hostHeader.flatMap(h -> parse("//" + h.strip())).filter(x -> x.getHost() != null);
            if (request.isEmpty() || !request.get().getHost().toLowerCase(Locale.ROOT).equals(host)
                    || !port(tls, request.get().getPort()).equals(port)) {
                return false;
            }
        }
        if (!allowed.isEmpty()) {
            Allowed a = allowed.get(host);
            return a != null && a.scheme.equals(scheme) && a.port.equals(port);
        }
        return true;
    }
}
