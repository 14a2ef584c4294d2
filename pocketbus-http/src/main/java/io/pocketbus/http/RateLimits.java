package io.pocketbus.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.pocketbus.core.ApiError;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Settings;
import io.pocketbus.tools.hook.Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * PocketBase's rate limiter: the {@code settings.rateLimits} rules matched by label ({@code METHOD /path},
 * {@code /path}, a {@code /prefix/}, or for collection endpoints {@code <collection>:<tag>} and
 * {@code *:<tag>}) and audience ({@code ""}, {@code @guest}, {@code @auth}), counted in fixed windows per
 * client IP. Superusers and excluded IPs are never limited; a hit is a 429.
 */
final class RateLimits {
    static final String ID = "pbRateLimit";
    /** After loading the auth token (whose priority is lower), so the audience and superuser skip can see it. */
    static final int PRIORITY = -1000;
    private static final String AUDIENCE_GUEST = "@guest";
    private static final String AUDIENCE_AUTH = "@auth";
    /** Sweep finished windows once the table grows past this many clients. */
    private static final int SWEEP_THRESHOLD = 10_000;

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    /** One rule of {@code settings.rateLimits.rules}. */
    record Rule(String label, String audience, long duration, int maxRequests) {
        static Rule of(JsonNode n) {
            return new Rule(n.path("label").asText(""), n.path("audience").asText(""),
                    n.path("duration").asLong(0), n.path("maxRequests").asInt(0));
        }
    }

    /** The default middleware for every route: path labels only. */
    Handler<RequestEvent> global() {
        return Handler.of(ID, PRIORITY, e -> {
            Settings settings = e.app().currentSettings();
            if (!skip(e, settings)) {
                findRule(settings, pathLabels(e), audiences(e))
                        .ifPresent(rule -> check(e, rule.label() + rule.audience(), rule));
            }
            e.next();
        });
    }

    /** The middleware for a collection endpoint, replacing {@link #global()} on its route (same id). */
    Handler<RequestEvent> collection(String... tags) {
        return Handler.of(ID, PRIORITY, e -> {
            Collection collection = e.app().findCollectionByNameOrId(e.pathParam("collection"))
                    .orElseThrow(() -> ApiError.notFound("Missing or invalid collection context."));
            Settings settings = e.app().currentSettings();
            if (!skip(e, settings)) {
                List<String> labels = new ArrayList<>();
                StringBuilder id = new StringBuilder(collection.id()).append(e.method()).append(' ');
                for (String tag : tags) {
                    labels.add(collection.name() + ":" + tag);
                    id.append(tag);
                }
                for (String tag : tags) {
                    labels.add("*:" + tag);
                }
                labels.addAll(pathLabels(e));
                findRule(settings, labels, audiences(e)).ifPresent(rule -> check(e, id + rule.audience(), rule));
            }
            e.next();
        });
    }

    /**
     * A fixed limit outside the settings (PocketBase's OTP attempts: 5 per 180 s per record and IP); false when
     * the client is over it.
     */
    boolean allow(String limiterId, String clientKey, int maxRequests, long durationSeconds) {
        String key = limiterId + "|" + maxRequests + "/" + durationSeconds + "|" + clientKey;
        if (windows.size() > SWEEP_THRESHOLD) {
            long now = System.nanoTime();
            windows.values().removeIf(w -> w.finished(now));
        }
        return windows.computeIfAbsent(key, k -> new Window(maxRequests, durationSeconds)).consume();
    }

    private void check(RequestEvent e, String limiterId, Rule rule) {
        if (!allow(limiterId, e.remoteIp(), rule.maxRequests(), rule.duration())) {
            throw new ApiError(429, "", Map.of());
        }
    }

    private static boolean skip(RequestEvent e, Settings settings) {
        JsonNode config = settings.get("rateLimits");
        if (!config.path("enabled").asBoolean(false) || e.hasSuperuserAuth()) {
            return true;
        }
        List<String> excluded = new ArrayList<>();
        config.path("excludedIPs").forEach(n -> excluded.add(n.asText("")));
        return IpList.contains(excluded, e.remoteIp());
    }

    private static List<String> pathLabels(RequestEvent e) {
        return List.of(e.method() + " " + e.path(), e.path());
    }

    private static List<String> audiences(RequestEvent e) {
        return List.of("", e.auth().isPresent() ? AUDIENCE_AUTH : AUDIENCE_GUEST);
    }

    /**
     * PocketBase's lookup: for each label in order, an exact label match wins; otherwise a rule ending with
     * {@code /} that prefixes the label.
     */
    static Optional<Rule> findRule(Settings settings, List<String> labels, List<String> audiences) {
        List<Rule> rules = new ArrayList<>();
        settings.get("rateLimits").path("rules").forEach(n -> rules.add(Rule.of(n)));
        List<Rule> prefixRules = rules.stream().filter(r -> r.label().endsWith("/")).toList();
        for (String label : labels) {
            for (Rule r : rules) {
                if (r.label().equals(label) && audiences.contains(r.audience())) {
                    return Optional.of(r);
                }
            }
            for (Rule r : prefixRules) {
                if ((label + "/").startsWith(r.label()) && audiences.contains(r.audience())) {
                    return Optional.of(r);
                }
            }
        }
        return Optional.empty();
    }

    /** A fixed window: {@code maxRequests} per {@code duration} seconds, refilled when the window ends. */
    private static final class Window {
        private final ReentrantLock lock = new ReentrantLock();
        private final int maxRequests;
        private final long intervalNanos;
        private long start;
        private int available;
        private boolean started;

        Window(int maxRequests, long durationSeconds) {
            this.maxRequests = maxRequests;
            this.intervalNanos = Math.max(1, durationSeconds) * 1_000_000_000L;
        }

        boolean consume() {
            lock.lock();
            try {
                long now = System.nanoTime();
                if (!started || now - start >= intervalNanos) {
                    started = true;
                    start = now;
                    available = maxRequests;
                }
                if (available > 0) {
                    available--;
                    return true;
                }
                return false;
            } finally {
                lock.unlock();
            }
        }

        boolean finished(long now) {
            lock.lock();
            try {
                return now - start >= intervalNanos;
            } finally {
                lock.unlock();
            }
        }
    }
}
