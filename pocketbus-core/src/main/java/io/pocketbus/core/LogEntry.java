package io.pocketbus.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of auxiliary.db {@code _logs}. {@code level}: -4 debug, 0 info, 4 warn, 8 error (slog levels).
 * {@code data} holds the request details (method, url, status, execTime, remoteIP, userAgent, auth, ...).
 */
public record LogEntry(String id, String created, int level, String message, Map<String, Object> data) {
    public static final int DEBUG = -4;
    public static final int INFO = 0;
    public static final int WARN = 4;
    public static final int ERROR = 8;

    public LogEntry {
        data = java.util.Collections.unmodifiableMap(new TreeMap<>(data));
    }

    /** {@code id, created, data, message, level}, PocketBase's order. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("created", created);
        out.put("data", data);
        out.put("message", message);
        out.put("level", level);
        return out;
    }
}
