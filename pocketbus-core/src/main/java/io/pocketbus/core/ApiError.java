package io.pocketbus.core;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The error a client sees: {@code {"data":{...},"message":"...","status":N}}. {@code data} holds field
 * validation errors ({@link ValidationError} values, possibly nested in maps) and is empty otherwise, so
 * internal details never leak.
 */
public class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, Object> data;

    public ApiError(int status, String message, Map<String, ?> data, Throwable cause) {
        super(sentence(message, status), cause);
        this.status = status;
        this.data = Collections.unmodifiableMap(new TreeMap<>(data));
    }

    public ApiError(int status, String message, Map<String, ?> data) {
        this(status, message, data, null);
    }

    public static ApiError badRequest(String message, Map<String, ?> data) {
        return new ApiError(400, message, data);
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, message, Map.of());
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, message, Map.of());
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, message, Map.of());
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, message, Map.of());
    }

    public static ApiError tooLarge(String message) {
        return new ApiError(413, message, Map.of());
    }

    public static ApiError internal(String message, Throwable cause) {
        return new ApiError(500, message, Map.of(), cause);
    }

    public int status() {
        return status;
    }

    /** The message as the client sees it (sentence-cased, ending with a period). */
    public String message() {
        return getMessage();
    }

    /** Field errors keyed by field name, alphabetical; empty when none. */
    public Map<String, Object> data() {
        return data;
    }

    /** {@code data}, {@code message}, {@code status}, in PocketBase's key order. */
    public Map<String, Object> toMap() {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("data", toPlain(data));
        body.put("message", message());
        body.put("status", status);
        return body;
    }

    private static Object toPlain(Object value) {
        if (value instanceof ValidationError ve) {
            return ve.toMap();
        }
        if (value instanceof ApiError nested) {
            return nested.toMap();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new TreeMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), toPlain(v)));
            return out;
        }
        return value;
    }

    static String defaultMessage(int status) {
        return switch (status) {
            case 401 -> "Missing or invalid authentication.";
            case 403 -> "You are not allowed to perform this request.";
            case 404 -> "The requested resource wasn't found.";
            case 413 -> "Request entity too large.";
            case 429 -> "Too Many Requests.";
            default -> "Something went wrong while processing your request.";
        };
    }

    /** PocketBase upper-cases the first letter and ends messages with a period. */
    private static String sentence(String message, int status) {
        String m = message == null ? "" : message.trim();
        if (m.isEmpty()) {
            return defaultMessage(status);
        }
        m = Character.toUpperCase(m.charAt(0)) + m.substring(1);
        char last = m.charAt(m.length() - 1);
        return last == '.' || last == '!' || last == '?' ? m : m + ".";
    }
}
