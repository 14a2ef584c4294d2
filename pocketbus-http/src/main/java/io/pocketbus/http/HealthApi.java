package io.pocketbus.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/health}. */
final class HealthApi {
    private static final List<String> PROXY_HEADERS = List.of("CF-Connecting-IP", "Fly-Client-IP", "X-Forwarded-For");

    private HealthApi() {
    }

    static void bind(RouterGroup api) {
        api.get("/health", HealthApi::health);
    }

    private static void health(RequestEvent e) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (e.hasSuperuserAuth()) {
            data.put("canBackup", true);
            data.put("realIP", e.remoteIp());
            data.put("possibleProxyHeader",
                    PROXY_HEADERS.stream().filter(h -> e.header(h).isPresent()).findFirst().orElse(""));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", "API is healthy.");
        body.put("code", 200);
        body.put("data", data);
        e.json(200, body);
    }
}
