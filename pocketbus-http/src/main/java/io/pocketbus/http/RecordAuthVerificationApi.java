package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.AuthOptions.TokenType;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.core.RecordMails;
import io.pocketbus.core.ValidationError;
import io.pocketbus.tools.security.Jwt;
import io.pocketbus.tools.security.RandomStrings;
import java.util.Map;
import java.util.Optional;

/**
 * {@code request-verification} (always 204, a mail only for an unverified record, at most every 2 minutes)
 * and {@code confirm-verification} (marks the record verified).
 */
final class RecordAuthVerificationApi {
    private final ResendThrottle throttle;

    RecordAuthVerificationApi(ResendThrottle throttle) {
        this.throttle = throttle;
    }

    void bind(RouterGroup collection, RateLimits limits) {
        collection.post("/request-verification", this::request).bind(limits.collection("requestVerification"));
        collection.post("/confirm-verification", this::confirm).bind(limits.collection("confirmVerification"));
    }

    private static String resendKey(Record record) {
        return "@limitVerificationEmail_" + record.collection().id() + record.id();
    }

    private void request(RequestEvent e) {
        Collection collection = RecordAuthForms.authCollection(e);
        if (collection.isSuperusers()) {
            throw ApiError.badRequest("All superusers are verified by default.");
        }
        Map<String, Object> body = RecordAuthForms.body(e);
        String email = RecordAuthForms.text(body, "email");
        Map<String, Object> errors = RecordAuthForms.errors();
        RecordAuthForms.email(errors, "email", email);
        RecordAuthForms.throwIfInvalid(errors);

        Optional<Record> record = e.app().findAuthRecordByEmail(collection.id(), email);
        if (record.isPresent() && !record.get().verified() && !throttle.has(resendKey(record.get()))) {
            Record target = record.get();
            throttle.set(resendKey(target));
            RecordAuthForms.async("verification", () -> RecordMails.sendVerification(e.app(), target));
        }
        e.noContent(204);
    }

    private void confirm(RequestEvent e) {
        Collection collection = RecordAuthForms.authCollection(e);
        if (collection.isSuperusers()) {
            throw ApiError.badRequest("All superusers are verified by default.");
        }
        Map<String, Object> body = RecordAuthForms.body(e);
        String token = RecordAuthForms.text(body, "token");
        Map<String, Object> errors = RecordAuthForms.errors();
        if (token.isEmpty()) {
            errors.put("token", ValidationError.required());
        } else {
            checkToken(e, collection, token).ifPresent(err -> errors.put("token", err));
        }
        RecordAuthForms.throwIfInvalid(errors);

        Record record = e.app().findAuthRecordByToken(token, TokenType.VERIFICATION)
                .orElseThrow(() -> ApiError.badRequest("Invalid or expired verification token."));
        if (!record.verified()) {
            record.set("verified", true);
            if (!collection.auth().passwordAuthEnabled()) {
                record.set("password", RandomStrings.random(30));
            }
            e.app().save(record);
        }
        throttle.remove(resendKey(record));
        e.noContent(204);
    }

    private static Optional<ValidationError> checkToken(RequestEvent e, Collection collection, String token) {
        String email = Jwt.parseUnverified(token).map(c -> c.path("email").asText("")).orElse("");
        if (email.isEmpty()) {
            return Optional.of(ValidationError.of("validation_invalid_token_claims", "Missing email token claim."));
        }
        Optional<Record> record = e.app().findAuthRecordByToken(token, TokenType.VERIFICATION);
        if (record.isEmpty()) {
            return Optional.of(ValidationError.of("validation_invalid_token", "Invalid or expired token."));
        }
        if (!record.get().collection().id().equals(collection.id())) {
            return Optional.of(ValidationError.of("validation_token_collection_mismatch",
                    "The provided token is for different auth collection."));
        }
        if (!record.get().email().equals(email)) {
            return Optional.of(ValidationError.of("validation_token_email_mismatch",
                    "The record email doesn't match with the requested token claims."));
        }
        return Optional.empty();
    }
}
