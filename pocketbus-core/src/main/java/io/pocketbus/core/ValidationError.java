package io.pocketbus.core;

import java.util.Map;
import java.util.TreeMap;

/** One field error: {@code {"code":"validation_required","message":"Cannot be blank.","params"?:{...}}}. */
public record ValidationError(String code, String message, Map<String, Object> params) {
    public ValidationError {
        params = params == null ? Map.of() : Map.copyOf(params);
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
