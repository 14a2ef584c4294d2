package io.pocketbus.core;

import java.util.Map;
import java.util.TreeMap;

/** One field error: {@code {"code":"validation_required","message":"Cannot be blank.","params"?:{...}}}. */
public record ValidationError(String code, String message, Map<String, Object> params) {
    public ValidationError {
        params = params == null ? Map.of() : Map.copyOf(params);
        message = sentence(message);
    }

    /** PocketBase sentence-cases messages and ends them with a period. */
    private static String sentence(String m) {
        String t = m == null ? "" : m.trim();
        if (t.isEmpty()) {
            return "Invalid value.";
        }
        t = Character.toUpperCase(t.charAt(0)) + t.substring(1);
        char last = t.charAt(t.length() - 1);
        return last == '.' || last == '!' || last == '?' ? t : t + ".";
    }

    public static ValidationError of(String code, String message) {
        return new ValidationError(code, message, Map.of());
    }

    public static ValidationError of(String code, String message, Map<String, Object> params) {
        return new ValidationError(code, message, params);
    }

    public static ValidationError required() {
        return of("validation_required", "Cannot be blank.");
    }

    public static ValidationError invalidValue() {
        return of("validation_invalid_value", "Invalid value.");
    }

    /** The JSON shape, keys alphabetical, {@code params} only when there are some. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new TreeMap<>();
        map.put("code", code);
        map.put("message", message);
        if (!params.isEmpty()) {
            map.put("params", new TreeMap<>(params));
        }
        return map;
    }
}
