package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.ValidationError;
import io.pocketbus.tools.auth.AppleClientSecrets;
import io.pocketbus.tools.auth.OAuth2Exception;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /api/settings/apple/generate-client-secret} (superusers): the dashboard's helper that turns
 * the Apple key into the client secret the {@code apple} provider config needs, with PocketBase's form
 * rules ({@code teamId} and {@code keyId} 10 characters, a PKCS#8 PEM key, 1 s to ~6 months).
 */
final class AppleClientSecretApi {
    private static final Pattern PRIVATE_KEY =
            Pattern.compile("-----BEGIN PRIVATE KEY----[\\s\\S]+-----END PRIVATE KEY-----", Pattern.MULTILINE);
    private static final long MAX_DURATION = 15_777_000;

    private AppleClientSecretApi() {
    }

    static void bind(RouterGroup api) {
        api.post("/settings/apple/generate-client-secret", AppleClientSecretApi::generate)
                .bind(Middlewares.requireSuperuserAuth());
    }

    private static void generate(RequestEvent e) {
        Map<String, Object> body = RecordAuthForms.body(e);
        String clientId = RecordAuthForms.text(body, "clientId");
        String teamId = RecordAuthForms.text(body, "teamId");
        String keyId = RecordAuthForms.text(body, "keyId");
        String privateKey = RecordAuthForms.text(body, "privateKey");
        long duration;
        Object rawDuration = body.get("duration");
        if (rawDuration == null) {
            duration = 0;
        } else if (rawDuration instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            duration = n.longValue();
        } else {
            throw ApiError.badRequest("An error occurred while loading the submitted data.");
        }
        Map<String, Object> errors = new LinkedHashMap<>();
        if (clientId.isEmpty()) {
            errors.put("clientId", ValidationError.required());
        }
        checkTenCharacters(errors, "teamId", teamId);
        checkTenCharacters(errors, "keyId", keyId);
        if (privateKey.isEmpty()) {
            errors.put("privateKey", ValidationError.required());
        } else if (!PRIVATE_KEY.matcher(privateKey).find()) {
            errors.put("privateKey", ValidationError.of("validation_match_invalid", "Must be in a valid format."));
        }
        if (duration == 0) {
            errors.put("duration", ValidationError.required());
        } else if (duration < 1) {
            errors.put("duration", ValidationError.of("validation_min_greater_equal_than_required",
                    "Must be no less than 1.", Map.of("threshold", 1)));
        } else if (duration > MAX_DURATION) {
            errors.put("duration", ValidationError.of("validation_max_less_equal_than_required",
                    "Must be no greater than " + MAX_DURATION + ".", Map.of("threshold", MAX_DURATION)));
        }
        if (!errors.isEmpty()) {
            throw ApiError.badRequest("Invalid client secret data.", errors);
        }
        String secret;
        try {
            secret = AppleClientSecrets.generate(clientId, teamId, keyId, privateKey, Duration.ofSeconds(duration),
                    Instant.now());
        } catch (OAuth2Exception ex) {
            throw ApiError.badRequest("Failed to generate client secret. Raw error: \n" + ex.getMessage());
        }
        e.json(200, Map.of("secret", secret));
    }

    private static void checkTenCharacters(Map<String, Object> errors, String field, String value) {
        if (value.isEmpty()) {
            errors.put(field, ValidationError.required());
        } else if (value.codePointCount(0, value.length()) != 10) {
            errors.put(field, ValidationError.of("validation_length_invalid", "The length must be exactly 10.",
                    Map.of("min", 10, "max", 10)));
        }
    }
}
