package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.core.RecordMails;
import io.pocketbus.core.ValidationError;
import io.pocketbus.tools.mailer.MailException;
import io.pocketbus.tools.types.DateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/settings/test/email} {@code {email, template, collection?}}: sends one of the record mail
 * templates of an auth collection ({@code _superusers} by default) for a placeholder record to the address.
 */
final class SettingsTestEmailApi {
    private static final List<String> TEMPLATES =
            List.of("verification", "password-reset", "email-change", "otp", "login-alert");

    private SettingsTestEmailApi() {
    }

    static void bind(RouterGroup api) {
        api.post("/settings/test/email", SettingsTestEmailApi::testEmail).bind(Middlewares.requireSuperuserAuth());
    }

    private static void testEmail(RequestEvent e) {
        Map<String, Object> body = RecordAuthForms.body(e);
        String collectionName = RecordAuthForms.text(body, "collection");
        String email = RecordAuthForms.text(body, "email");
        String template = RecordAuthForms.text(body, "template");
        Map<String, Object> errors = RecordAuthForms.errors();
        Optional<Collection> collection = e.app().findCollectionByNameOrId(
                collectionName.isEmpty() ? Collection.SUPERUSERS : collectionName).filter(Collection::isAuth);
        if (collection.isEmpty()) {
            errors.put("collection", ValidationError.of("validation_invalid_auth_collection",
                    "Must be a valid auth collection id or name."));
        }
        RecordAuthForms.email(errors, "email", email);
        if (template.isEmpty()) {
            errors.put("template", ValidationError.required());
        } else if (!TEMPLATES.contains(template)) {
            errors.put("template", ValidationError.of("validation_in_invalid", "Must be a valid value."));
        }
        if (!errors.isEmpty()) {
            throw ApiError.badRequest("Failed to send the test email.", errors);
        }
        Record record = new Record(collection.orElseThrow());
        record.setId("__pb_test_id__");
        record.refreshTokenKey();
        record.set("email", email);
        try {
            switch (template) {
                case "verification" -> RecordMails.sendVerification(e.app(), record);
                case "password-reset" -> RecordMails.sendPasswordReset(e.app(), record);
                case "email-change" -> RecordMails.sendEmailChange(e.app(), record, email);
                case "otp" -> RecordMails.sendOtp(e.app(), record, "_PB_TEST_OTP_ID_", "123456");
                default -> RecordMails.sendAuthAlert(e.app(), record, DateTime.now() + " - TEST_IP TEST_USER_AGENT");
            }
        } catch (MailException ex) {
            throw new ApiError(400, "Failed to send the test email. Raw error: \n" + ex.getMessage(), Map.of(), ex);
        }
        e.noContent(204);
    }
}
