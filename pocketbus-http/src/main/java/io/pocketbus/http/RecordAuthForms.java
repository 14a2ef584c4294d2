package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.Collection;
import io.pocketbus.core.ValidationError;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Form reading and validation shared by the auth flow endpoints, with PocketBase's messages and codes. */
final class RecordAuthForms {
    private static final Pattern EMAIL = Pattern.compile(
            "^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
                    + "(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$");
    private static final Logger LOG = LoggerFactory.getLogger(RecordAuthForms.class);

    private RecordAuthForms() {
    }

    static Collection authCollection(RequestEvent e) {
        return e.app().findCollectionByNameOrId(e.pathParam("collection")).filter(Collection::isAuth)
                .orElseThrow(() -> ApiError.notFound("Missing or invalid auth collection context."));
    }

    /** The submitted body; an unreadable one is PocketBase's "loading" 400. */
    static Map<String, Object> body(RequestEvent e) {
        try {
            return e.bindBody();
        } catch (ApiError ex) {
            throw new ApiError(400, "An error occurred while loading the submitted data.", Map.of(), ex);
        }
    }

    static String text(Map<String, Object> body, String key) {
        Object v = body.get(key);
        return v == null ? "" : String.valueOf(v);
    }

    /** Adds the first failing rule of a required string with a 1..max length. */
    static boolean requiredLength(Map<String, Object> errors, String key, String value, int max) {
        return requiredLength(errors, key, value, 1, max);
    }

    /** Adds the first failing rule of a required string with a min..max length (in characters). */
    static boolean requiredLength(Map<String, Object> errors, String key, String value, int min, int max) {
        if (value.isEmpty()) {
            errors.put(key, ValidationError.required());
            return false;
        }
        int length = value.codePointCount(0, value.length());
        if (length < min || length > max) {
            errors.put(key, ValidationError.of("validation_length_out_of_range",
                    "The length must be between " + min + " and " + max + ".", Map.of("min", min, "max", max)));
            return false;
        }
        return true;
    }

    /** Required, at most 255 characters, a valid address. */
    static boolean email(Map<String, Object> errors, String key, String value) {
        if (!requiredLength(errors, key, value, 255)) {
            return false;
        }
        if (!EMAIL.matcher(value).matches()) {
            errors.put(key, ValidationError.of("validation_is_email", "Must be a valid email address."));
            return false;
        }
        return true;
    }

    static void throwIfInvalid(Map<String, Object> errors) {
        if (!errors.isEmpty()) {
            throw ApiError.badRequest("An error occurred while validating the submitted data.", errors);
        }
    }

    static Map<String, Object> errors() {
        return new LinkedHashMap<>();
    }

    /** Runs mail delivery off the request, so the answer (and its timing) does not depend on it. */
    static void async(String what, Runnable task) {
        Thread.ofVirtual().name("pocketbus-mail").start(() -> {
            try {
                task.run();
            } catch (RuntimeException ex) {
                LOG.error("failed to send the {} mail: {}", what, ex.getMessage());
            }
        });
    }
}
