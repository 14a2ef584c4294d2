package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.core.ValidationError;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code impersonate/{id}}: a superuser gets a non-refreshable auth token of any auth record, valid for
 * {@code duration} seconds (0: the collection's auth token duration). No MFA and no login alert.
 */
final class RecordAuthImpersonateApi {
    private final RecordAuthResponse authResponse;

    RecordAuthImpersonateApi(RecordAuthResponse authResponse) {
        this.authResponse = authResponse;
    }

    void bind(RouterGroup collection) {
        collection.post("/impersonate/{id}", this::impersonate)
                .bind(Middlewares.requireSuperuserAuth());
    }

    private void impersonate(RequestEvent e) {
        if (!e.hasSuperuserAuth()) {
            throw ApiError.forbidden("");
        }
        Collection collection = RecordAuthForms.authCollection(e);
        Record record = e.app().findRecordById(collection, e.pathParam("id"))
                .orElseThrow(() -> ApiError.notFound(""));
        Map<String, Object> body;
        try {
            body = e.bindBody();
        } catch (ApiError ex) {
            throw new ApiError(400, "An error occurred while loading the submitted data.", Map.of(), ex);
        }
        // a JSON integer, as PocketBase binds it into an int64
        Object raw = body.getOrDefault("duration", 0);
        if (!(raw instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
            throw ApiError.badRequest("An error occurred while loading the submitted data.");
        }
        long duration = number.longValue();
        if (duration < 0) {
            throw ApiError.badRequest("An error occurred while validating the submitted data.",
                    Map.of("duration", ValidationError.of("validation_min_greater_equal_than_required",
                            "Must be no less than 0.", Map.of("threshold", 0))));
        }
        String token = e.app().newStaticAuthToken(record, Duration.ofSeconds(duration));
        authResponse.write(e, record, token, "", Optional.empty());
    }
}
