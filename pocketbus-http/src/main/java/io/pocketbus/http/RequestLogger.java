package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.LogEntry;
import io.pocketbus.tools.hook.Handler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PocketBase's activity logger: every request becomes a log entry in auxiliary.db ({@code type=request},
 * url, method, status, execTime, auth, referer, userAgent; IPs and auth id only when the log settings ask),
 * written off the request thread. Failed requests are logged at error level with the error message.
 */
public final class RequestLogger {
    public static final String ID = "pbActivityLogger";
    /** First of the default middlewares, so it sees the final status of everything after it. */
    public static final int PRIORITY = -1040;


    private RequestLogger() {
    }

    public static Handler<RequestEvent> of() {
        return Handler.of(ID, PRIORITY, e -> {
            long started = System.nanoTime();
            try {
                e.next();
            } catch (RuntimeException error) {
                log(e, started, RequestEvent.toApiError(error));
                throw error;
            }
            log(e, started, null);
        });
    }

    private static void log(RequestEvent e, long started, ApiError error) {
        var settings = e.app().currentSettings();
        if (settings.logsMaxDays() <= 0) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", "request");
        data.put("execTime", (System.nanoTime() - started) / 1_000_000.0);
        int status = e.status();
        if (error != null) {
            if (status == 0) {
                status = error.status();
            }
            data.put("error", error.message());
        }
        String method = cut(e.method(), 50);
        String uri = cut(e.requestUri(), 3000);
        data.put("url", uri);
        data.put("method", method);
        data.put("status", status);
        data.put("referer", cut(e.header("Referer").orElse(""), 2000));
        data.put("userAgent", cut(e.header("User-Agent").orElse(""), 2000));
        data.put("auth", e.auth().map(a -> a.collection().name()).orElse(""));
        if (settings.logsLogAuthId()) {
            e.auth().ifPresent(a -> data.put("authId", a.id()));
        }
        if (settings.logsLogIP()) {
            data.put("userIP", e.remoteIp());
            data.put("remoteIP", e.remoteIp());
        }
        String message = method + " " + decode(uri);
        int level = error == null ? LogEntry.INFO : LogEntry.ERROR;
        e.app().logs().writeLater(level, message, data);
    }

    private static String decode(String uri) {
        try {
            return URLDecoder.decode(uri.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException ex) {
            return uri;
        }
    }

    private static String cut(String value, int max) {
        return value.length() > max ? value.substring(0, max) + "..." : value;
    }
}
