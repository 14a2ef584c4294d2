package io.pocketbus.http;

import io.pocketbus.tools.hook.Handler;
import java.util.List;
import java.util.regex.Pattern;

/**
 * CORS, as PocketBase's {@code apis.CORS}: the allowed origins ({@code *} by default; exact origins or
 * wildcard patterns such as {@code https://*.example.com}), and preflight {@code OPTIONS} answered with 204
 * before routing, logging or auth see the request.
 */
public final class Cors {
    public static final String ID = "pbCors";
    /** Before the request logger so preflights are not logged. */
    public static final int PRIORITY = -1041;
    public static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "PUT", "PATCH", "POST", "DELETE");

    private Cors() {
    }

    /** CORS for every origin. */
    public static Handler<RequestEvent> allowAll() {
        return of(List.of("*"));
    }

    public static Handler<RequestEvent> of(List<String> allowedOrigins) {
        List<String> origins = allowedOrigins.isEmpty() ? List.of("*") : List.copyOf(allowedOrigins);
        List<Pattern> patterns = origins.stream().filter(o -> !o.equals("*")).map(Cors::toPattern).toList();
        String allowMethods = String.join(",", DEFAULT_METHODS);
        return Handler.of(ID, PRIORITY, e -> {
            e.addHeader("Vary", "Origin");
            boolean preflight = e.method().equals("OPTIONS");
            String origin = e.header("Origin").orElse("");
            String allowOrigin = origin.isEmpty() ? "" : allowedOrigin(origin, origins, patterns);
            if (allowOrigin.isEmpty()) {
                if (preflight) {
                    e.noContent(204);
                } else {
                    e.next();
                }
                return;
            }
            e.setHeader("Access-Control-Allow-Origin", allowOrigin);
            if (!preflight) {
                e.next();
                return;
            }
            e.addHeader("Vary", "Access-Control-Request-Method");
            e.addHeader("Vary", "Access-Control-Request-Headers");
            e.setHeader("Access-Control-Allow-Methods", allowMethods);
            e.header("Access-Control-Request-Headers").filter(h -> !h.isEmpty())
                    .ifPresent(h -> e.setHeader("Access-Control-Allow-Headers", h));
            e.noContent(204);
        });
    }

    private static String allowedOrigin(String origin, List<String> origins, List<Pattern> patterns) {
        for (String allowed : origins) {
            if (allowed.equals("*") || allowed.equals(origin)) {
                return allowed;
            }
        }
        if (origin.length() <= 253 + 3 + 5 && origin.contains("://")) {
            for (Pattern pattern : patterns) {
                if (pattern.matcher(origin).matches()) {
                    return origin;
                }
            }
        }
        return "";
    }

    private static Pattern toPattern(String origin) {
        StringBuilder regex = new StringBuilder();
        for (char c : origin.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
