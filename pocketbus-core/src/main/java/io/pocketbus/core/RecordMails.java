package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.pocketbus.tools.mailer.MailAddress;
import io.pocketbus.tools.mailer.MailMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * PocketBase's record mails (verification, password reset, email change, OTP, login alert), built from the
 * auth collection's editable templates with their placeholders ({@code {APP_NAME}}, {@code {APP_URL}},
 * {@code {TOKEN}}, {@code {OTP}}, {@code {OTP_ID}}, {@code {ALERT_INFO}}, {@code {RECORD:field}}) and sent
 * with the app's {@link MailClient}.
 */
public final class RecordMails {
    /** Field types whose values go into a template unescaped, as PocketBase does. */
    private static final Set<String> NON_ESCAPED_TYPES = Set.of("autodate", "date", "bool", "number");
    private static final java.util.regex.Pattern PLACEHOLDER =
            java.util.regex.Pattern.compile("\\{[A-Z_]+(?::\\w+)?}");

    private RecordMails() {
    }

    public static void sendVerification(App app, Record authRecord) {
        String token = app.newVerificationToken(authRecord);
        send(app, authRecord, authRecord.email(), "verificationTemplate", Map.of("{TOKEN}", token));
    }

    public static void sendPasswordReset(App app, Record authRecord) {
        String token = app.newPasswordResetToken(authRecord);
        send(app, authRecord, authRecord.email(), "resetPasswordTemplate", Map.of("{TOKEN}", token));
    }

    /** The confirmation goes to the new address. */
    public static void sendEmailChange(App app, Record authRecord, String newEmail) {
        String token = app.newEmailChangeToken(authRecord, newEmail);
        send(app, authRecord, newEmail, "confirmEmailChangeTemplate", Map.of("{TOKEN}", token));
    }

    /** Mails the code and records in the OTP where it was sent (so a successful OTP login can verify the email). */
    public static void sendOtp(App app, Record authRecord, String otpId, String password) {
        send(app, authRecord, authRecord.email(), "otp", Map.of("{OTP_ID}", otpId, "{OTP}", password));
        Otps.findById(app, otpId).filter(o -> Otps.sentTo(o).isEmpty()).ifPresent(o -> {
            o.set("sentTo", authRecord.email());
            app.save(o);
        });
    }

    /** The login alert; {@code info} (date, IP and user agent) is HTML-escaped. */
    public static void sendAuthAlert(App app, Record authRecord, String info) {
        send(app, authRecord, authRecord.email(), "authAlert", Map.of("{ALERT_INFO}", escape(info)));
    }

    private static void send(App app, Record authRecord, String to, String templateKey,
                             Map<String, String> placeholders) {
        JsonNode template = authRecord.collection().auth().get(templateKey);
        if (template.has("emailTemplate")) {
            template = template.get("emailTemplate");
        }
        Settings settings = app.settings();
        Map<String, String> values = new LinkedHashMap<>(placeholders);
        values.putIfAbsent("{APP_NAME}", settings.appName());
        values.putIfAbsent("{APP_URL}", settings.appURL());
        for (Field f : authRecord.collection().fields()) {
            if (f.hidden()) {
                continue;
            }
            String value = authRecord.getString(f.name());
            values.putIfAbsent("{RECORD:" + f.name() + "}",
                    NON_ESCAPED_TYPES.contains(f.type()) ? value : escape(value));
        }
        String subject = resolve(template.path("subject").asText(""), values);
        String body = resolve(template.path("body").asText(""), values);
        MailMessage message = MailMessage.html(new MailAddress(settings.senderName(), settings.senderAddress()),
                MailAddress.of(to), subject, layout(body));
        MailClient.of(settings).send(message);
    }

    /** One pass, so a value that itself looks like a placeholder is never expanded again. */
    private static String resolve(String text, Map<String, String> values) {
        return PLACEHOLDER.matcher(text).replaceAll(m ->
                java.util.regex.Matcher.quoteReplacement(values.getOrDefault(m.group(), m.group())));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&#34;")
                .replace("'", "&#39;");
    }

    private static String layout(String content) {
        return """
                <!DOCTYPE html>
                <html>
                <head>
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
                <style>
                body { font-family: Arial, sans-serif; font-size: 14px; line-height: 20px; color: #16161a; \
                background: #fff; margin: 0; padding: 16px; }
                .btn { display: inline-block; padding: 10px 20px; border-radius: 4px; background: #16161a; \
                color: #fff !important; text-decoration: none; }
                </style>
                </head>
                <body>
                """ + content + "\n</body>\n</html>\n";
    }
}
