package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.AuthOptions.TokenType;
import io.pocketbus.core.Collection;
import io.pocketbus.core.PasswordField;
import io.pocketbus.core.Record;
import io.pocketbus.core.RecordMails;
import io.pocketbus.core.ValidationError;
import io.pocketbus.tools.security.Jwt;
import java.util.Map;
import java.util.Optional;

/**
 * {@code request-password-reset} (always 204; a mail at most every 2 minutes per record) and
 * {@code confirm-password-reset} (new password; the new tokenKey revokes older tokens).
 */
final class RecordAuthPasswordResetApi {
    private final ResendThrottle throttle;

    RecordAuthPasswordResetApi(ResendThrottle throttle) {
        this.throttle = throttle;
    }

    void bind(RouterGroup collection, RateLimits limits) {
        collection.post("/request-password-reset", this::request).bind(limits.collection("requestPasswordReset"));
        collection.post("/confirm-password-reset", this::confirm).bind(limits.collection("confirmPasswordReset"));
    }

    private static String resendKey(Record record) {
        return "@limitPasswordResetEmail_" + record.collection().id() + record.id();
    }

    private void request(RequestEvent e) {
        Collection collection = RecordAuthForms.authCollection(e);
        if (!collection.auth().passwordAuthEnabled()) {
            throw ApiError.badRequest("The collection is not configured to allow password authentication.");
        }
        Map<String, Object> body = RecordAuthForms.body(e);
        String email = RecordAuthForms.text(body, "email");
        Map<String, Object> errors = RecordAuthForms.errors();
        RecordAuthForms.email(errors, "email", email);
        RecordAuthForms.throwIfInvalid(errors);

        Optional<Record> record = e.app().findAuthRecordByEmail(collection.id(), email);
        if (record.isPresent() && !throttle.has(resendKey(record.get()))) {
            Record target = record.get();
            throttle.set(resendKey(target));
            RecordAuthForms.async("password reset", () -> RecordMails.sendPasswordReset(e.app(), target));
        }
        e.noContent(204);
    }

    private void confirm(RequestEvent e) {
        Collection collection = RecordAuthForms.authCollection(e);
        Map<String, Object> body = RecordAuthForms.body(e);
        String token = RecordAuthForms.text(body, "token");
        String password = RecordAuthForms.text(body, "password");
        String passwordConfirm = RecordAuthForms.text(body, "passwordConfirm");
        Map<String, Object> errors = RecordAuthForms.errors();
        if (token.isEmpty()) {
            errors.put("token", ValidationError.required());
        } else {
            checkToken(e, collection, token).ifPresent(err -> errors.put("token", err));
        }
        int min = collection.field("password").filter(PasswordField.class::isInstance)
                .map(f -> ((PasswordField) f).min()).filter(m -> m > 0).orElse(1);
        RecordAuthForms.requiredLength(errors, "password", password, min, 255);
        if (passwordConfirm.isEmpty()) {
            errors.put("passwordConfirm", ValidationError.required());
        } else if (!passwordConfirm.equals(password)) {
            errors.put("passwordConfirm", ValidationError.of("validation_values_mismatch", "Values don't match."));
        }
        RecordAuthForms.throwIfInvalid(errors);

        Record record = e.app().findAuthRecordByToken(token, TokenType.PASSWORD_RESET)
                .orElseThrow(() -> ApiError.badRequest("Invalid or expired password reset token."));
        record.set("password", password);
        if (!record.verified()) {
            String claimed = Jwt.parseUnverified(token).map(c -> c.path("email").asText("")).orElse("");
            if (!claimed.isEmpty() && claimed.equals(record.email())) {
                record.set("verified", true);
            }
        }
        e.app().save(record);
        throttle.remove(resendKey(record));
        e.noContent(204);
    }

    private static Optional<ValidationError> checkToken(RequestEvent e, Collection collection, String token) {
        Optional<Record> record = e.app().findAuthRecordByToken(token, TokenType.PASSWORD_RESET);
        if (record.isEmpty()) {
            return Optional.of(ValidationError.of("validation_invalid_token", "Invalid or expired token."));
        }
        if (!record.get().collection().id().equals(collection.id())) {
            return Optional.of(ValidationError.of("validation_token_collection_mismatch",
                    "The provided token is for different auth collection."));
        }
        return Optional.empty();
    }
}
