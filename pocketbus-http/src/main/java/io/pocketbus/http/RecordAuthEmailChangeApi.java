package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.AuthOptions.TokenType;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.core.RecordMails;
import io.pocketbus.core.ValidationError;
import io.pocketbus.tools.mailer.MailException;
import io.pocketbus.tools.security.Jwt;
import java.util.Map;
import java.util.Optional;

/**
 * {@code request-email-change} (the logged-in record asks; the confirmation link goes to the new address)
 * and {@code confirm-email-change} (token + current password; the email changes, the record is verified and
 * its new tokenKey revokes older tokens).
 */
final class RecordAuthEmailChangeApi {
    private RecordAuthEmailChangeApi() {
    }

    static void bind(RouterGroup collection, RateLimits limits) {
        collection.post("/request-email-change", RecordAuthEmailChangeApi::request)
                .bind(limits.collection("requestEmailChange"), Middlewares.requireSameCollectionContextAuth());
        collection.post("/confirm-email-change", RecordAuthEmailChangeApi::confirm)
                .bind(limits.collection("confirmEmailChange"));
    }

    private static void request(RequestEvent e) {
        Collection collection = RecordAuthForms.authCollection(e);
        if (collection.isSuperusers()) {
            throw ApiError.badRequest("All superusers can change their emails directly.");
        }
        Record record = e.auth().orElseThrow(() -> ApiError.unauthorized("The request requires valid auth record."));
        Map<String, Object> body = RecordAuthForms.body(e);
        String newEmail = RecordAuthForms.text(body, "newEmail");
        Map<String, Object> errors = RecordAuthForms.errors();
        if (RecordAuthForms.email(errors, "newEmail", newEmail)) {
            if (newEmail.equals(record.email())) {
                errors.put("newEmail", ValidationError.of("validation_not_in_invalid", "Must not be in list."));
            } else if (e.app().findAuthRecordByEmail(collection.id(), newEmail)
                    .filter(found -> !found.id().equals(record.id())).isPresent()) {
                errors.put("newEmail", ValidationError.of("validation_invalid_new_email", "Invalid new email address."));
            }
        }
        RecordAuthForms.throwIfInvalid(errors);
        try {
            RecordMails.sendEmailChange(e.app(), record, newEmail);
        } catch (MailException ex) {
            throw new ApiError(400, "Failed to request email change.", Map.of(), ex);
        }
        e.noContent(204);
    }

    private static void confirm(RequestEvent e) {
        Collection collection = RecordAuthForms.authCollection(e);
        if (collection.isSuperusers()) {
            throw ApiError.badRequest("All superusers can change their emails directly.");
        }
        Map<String, Object> body = RecordAuthForms.body(e);
        String token = RecordAuthForms.text(body, "token");
        String password = RecordAuthForms.text(body, "password");
        Map<String, Object> errors = RecordAuthForms.errors();
        Optional<Parsed> parsed = Optional.empty();
        if (token.isEmpty()) {
            errors.put("token", ValidationError.required());
        } else {
            Parsed p = parse(e, collection, token);
            if (p.error().isPresent()) {
                errors.put("token", p.error().get());
            } else {
                parsed = Optional.of(p);
            }
        }
        if (RecordAuthForms.requiredLength(errors, "password", password, 100)
                && parsed.map(p -> !p.record().validatePassword(password)).orElse(true)) {
            errors.put("password", ValidationError.of("validation_invalid_password",
                    "Missing or invalid auth record password."));
        }
        RecordAuthForms.throwIfInvalid(errors);

        Parsed p = parsed.orElseThrow(() -> ApiError.badRequest("Invalid or expired token."));
        Record record = p.record();
        record.set("email", p.newEmail());
        record.set("verified", true);
        e.app().save(record);
        e.noContent(204);
    }

    /** A checked email change token: its record and new address, or the field error. */
    private record Parsed(Optional<Record> found, String newEmail, Optional<ValidationError> error) {
        static Parsed failed(String code, String message) {
            return new Parsed(Optional.empty(), "", Optional.of(ValidationError.of(code, message)));
        }

        Record record() {
            return found.orElseThrow();
        }
    }

    private static Parsed parse(RequestEvent e, Collection collection, String token) {
        String newEmail = Jwt.parseUnverified(token).map(c -> c.path("newEmail").asText("")).orElse("");
        if (newEmail.isEmpty()) {
            return Parsed.failed("validation_invalid_token_payload", "Invalid token payload - newEmail must be set.");
        }
        Optional<Record> record = e.app().findAuthRecordByToken(token, TokenType.EMAIL_CHANGE);
        if (record.isEmpty()) {
            return Parsed.failed("validation_invalid_token", "Invalid or expired token.");
        }
        if (!record.get().collection().id().equals(collection.id())) {
            return Parsed.failed("validation_token_collection_mismatch",
                    "The provided token is for different auth collection.");
        }
        if (e.app().findAuthRecordByEmail(collection.id(), newEmail).isPresent()) {
            return Parsed.failed("validation_invalid_token_email", "The new email address is invalid.");
        }
        return new Parsed(record, newEmail, Optional.empty());
    }
}
