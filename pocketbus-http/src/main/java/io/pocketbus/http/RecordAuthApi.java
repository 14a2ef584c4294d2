package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.AuthOptions;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.core.ValidationError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Auth endpoints of auth collections ({@code _superusers} included): auth-methods, auth-with-password and
 * auth-refresh, with PocketBase's auth response {@code {"record":{...},"token":"..."}}.
 */
final class RecordAuthApi {
    private static final String CONTEXT_PASSWORD = "password";
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final String UNKNOWN_IDENTITY_HASH =
            io.pocketbus.tools.security.Passwords.hash(io.pocketbus.tools.security.RandomStrings.random(20));

    private final RecordAuthResponse authResponse;

    RecordAuthApi(RecordAuthResponse authResponse) {
        this.authResponse = authResponse;
    }

    void bind(RouterGroup api, RateLimits limits) {
        RouterGroup sub = api.group("/collections/{collection}");
        sub.get("/auth-methods", RecordAuthApi::authMethods).bind(limits.collection("listAuthMethods"));
        sub.post("/auth-with-password", this::authWithPassword)
                .bind(limits.collection("authWithPassword", "auth"));
        sub.post("/auth-refresh", this::authRefresh)
                .bind(limits.collection("authRefresh"), Middlewares.requireSameCollectionContextAuth());
    }

    private static Collection authCollection(RequestEvent e) {
        return e.app().findCollectionByNameOrId(e.pathParam("collection")).filter(Collection::isAuth)
                .orElseThrow(() -> ApiError.notFound("Missing or invalid auth collection context."));
    }

    private static void authMethods(RequestEvent e) {
        AuthOptions options = authCollection(e).auth();
        boolean password = options.passwordAuthEnabled();
        List<String> identityFields = password ? options.identityFields() : List.of();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("password", ordered("identityFields", identityFields, "enabled", password));
        List<Map<String, Object>> providers = RecordAuthOAuth2Api.providerInfos(authCollection(e));
        body.put("oauth2", ordered("providers", providers, "enabled", options.oauth2Enabled()));
        body.put("mfa", ordered("enabled", options.mfaEnabled(), "duration",
                options.mfaEnabled() ? options.get("mfa").path("duration").asLong(0) : 0));
        body.put("otp", ordered("enabled", options.otpEnabled(), "duration",
                options.otpEnabled() ? options.get("otp").path("duration").asLong(0) : 0));
        // the legacy copy: null when OAuth2 is off (Go's nil slice), logos left out
        body.put("authProviders", options.oauth2Enabled() ? providers.stream().map(p -> {
            Map<String, Object> legacy = new LinkedHashMap<>(p);
            legacy.put("logo", "");
            return legacy;
        }).toList() : null);
        body.put("usernamePassword", password && identityFields.contains("username"));
        body.put("emailPassword", password && identityFields.contains("email"));
        e.json(200, body);
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }

    private void authWithPassword(RequestEvent e) {
        Collection collection = authCollection(e);
        AuthOptions options = collection.auth();
        if (!options.passwordAuthEnabled()) {
            throw ApiError.forbidden("The collection is not configured to allow password authentication.");
        }
        Map<String, Object> body;
        try {
            body = e.bindBody();
        } catch (ApiError ex) {
            throw new ApiError(400, "An error occurred while loading the submitted data.", Map.of(), ex);
        }
        String identity = text(body.get("identity"));
        String password = text(body.get("password"));
        String identityField = text(body.get("identityField"));
        Map<String, Object> errors = new LinkedHashMap<>();
        lengthErrors(errors, "identity", identity, true);
        lengthErrors(errors, "password", password, true);
        lengthErrors(errors, "identityField", identityField, false);
        if (!identityField.isEmpty() && !errors.containsKey("identityField")
                && !options.identityFields().contains(identityField)) {
            errors.put("identityField", ValidationError.of("validation_in_invalid", "Must be a valid value."));
        }
        if (!errors.isEmpty()) {
            throw ApiError.badRequest("An error occurred while validating the submitted data.", errors);
        }
        e.infoContext(CONTEXT_PASSWORD);
        Optional<Record> found = Optional.empty();
        List<String> fields = identityField.isEmpty() ? emailFirst(options.identityFields()) : List.of(identityField);
        for (String field : fields) {
            if (field.equals("email") && !EMAIL.matcher(identity).matches()) {
                continue;
            }
            found = findByIdentity(e, collection, field, identity);
            if (found.isPresent()) {
                break;
            }
        }
        if (found.isEmpty()) {
            // the same bcrypt work as for a known identity, so timing does not reveal which exist
            io.pocketbus.tools.security.Passwords.verify(password, UNKNOWN_IDENTITY_HASH);
        }
        if (found.isEmpty() || !found.get().validatePassword(password)) {
            throw ApiError.badRequest("Failed to authenticate.");
        }
        authResponse.write(e, found.get(), e.app().newAuthToken(found.get()), RecordAuthResponse.METHOD_PASSWORD,
                Optional.empty());
    }

    /** PocketBase tries email first when it is one of several identity fields. */
    private static List<String> emailFirst(List<String> identityFields) {
        List<String> fields = new ArrayList<>(identityFields);
        if (fields.remove("email")) {
            fields.addFirst("email");
        }
        return fields;
    }

    private static Optional<Record> findByIdentity(RequestEvent e, Collection collection, String field,
                                                   String identity) {
        if (collection.field(field).isEmpty()) {
            return Optional.empty();
        }
        // identity fields carry a unique index; emails compare case-insensitively as PocketBase's NOCASE index does
        String sql = "SELECT * FROM " + io.pocketbus.tools.search.Sql.quoteName(collection.name()) + " WHERE "
                + io.pocketbus.tools.search.Sql.quoteName(field) + " = ?"
                + (field.equals("email") ? " COLLATE NOCASE" : "") + " LIMIT 1";
        return e.app().findRecordsBySql(collection, sql, List.of(identity)).stream().findFirst();
    }

    private void authRefresh(RequestEvent e) {
        Record record = e.auth().orElseThrow(() -> ApiError.notFound("Missing auth record context."));
        String token = Middlewares.authToken(e);
        boolean refreshable = e.app().verifyTokenClaims(token, AuthOptions.TokenType.AUTH)
                .map(claims -> claims.path("refreshable").asBoolean(false)).orElse(false);
        authResponse.write(e, record, refreshable ? e.app().newAuthToken(record) : token, "", Optional.empty());
    }

    private static void lengthErrors(Map<String, Object> errors, String key, String value, boolean required) {
        if (value.isEmpty()) {
            if (required) {
                errors.put(key, ValidationError.required());
            }
        } else if (value.length() > 255) {
            errors.put(key, ValidationError.of("validation_length_out_of_range",
                    "The length must be between 1 and 255.", Map.of("min", 1, "max", 255)));
        }
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }
}
