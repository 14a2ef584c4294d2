package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.pocketbus.tools.mailer.MailMessage;
import io.pocketbus.tools.mailer.Mailer;
import io.pocketbus.tools.mailer.SmtpMailer;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's mail client, PocketBase's {@code app.NewMailClient()}: SMTP with the settings' host, port, TLS
 * mode and credentials when {@code smtp.enabled}; otherwise every mail is logged instead of being sent
 * (metadata at info, the body at debug with its secrets redacted).
 */
public final class MailClient {
    private static final Logger LOG = LoggerFactory.getLogger(MailClient.class);

    private MailClient() {
    }

    /** A mailer for the current settings. */
    public static Mailer of(Settings settings) {
        JsonNode smtp = settings.get("smtp");
        if (!smtp.path("enabled").asBoolean(false)) {
            return MailClient::log;
        }
        SmtpMailer.Builder b = SmtpMailer.builder()
                .host(smtp.path("host").asText(""))
                .port(smtp.path("port").asInt(587))
                .tls(smtp.path("tls").asBoolean(false))
                .credentials(smtp.path("username").asText(""), smtp.path("password").asText(""))
                .localName(smtp.path("localName").asText(""));
        if (smtp.path("authMethod").asText("").toUpperCase(Locale.ROOT).equals("LOGIN")) {
            b.authMethod(SmtpMailer.AuthMethod.LOGIN);
        }
        return b.build();
    }

    private static void log(MailMessage message) {
        LOG.info("SMTP is not enabled, the mail was not sent: to={} subject={}", message.to(),
                Redaction.redact(message.subject()));
        if (LOG.isDebugEnabled()) {
            LOG.debug("unsent mail body (secrets redacted):\n{}", Redaction.redact(message.plainText()));
        }
    }

    /** Keeps tokens and codes out of logs. */
    static final class Redaction {
        private static final java.util.regex.Pattern JWT =
                java.util.regex.Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("\\b\\d{4,}\\b");

        private Redaction() {
        }

        /** Tokens (JWTs) and numeric codes (OTPs) replaced by a marker. */
        static String redact(String text) {
            return DIGITS.matcher(JWT.matcher(text).replaceAll("[redacted]")).replaceAll("[redacted]");
        }
    }
}
