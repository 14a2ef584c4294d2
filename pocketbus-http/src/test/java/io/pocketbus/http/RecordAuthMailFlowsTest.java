package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.pocketbus.core.Otps;
import io.pocketbus.core.Record;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mail-based flows end to end: the server mails over SMTP to GreenMail on loopback, the test reads the
 * token or code from the received mail and completes the flow through the API.
 */
class RecordAuthMailFlowsTest {
    private static final long MAIL_WAIT_MS = 20_000;
    private static final Pattern LINK_TOKEN = Pattern.compile("/auth/confirm-[a-z-]+/([A-Za-z0-9_.-]+)");
    private static final Pattern OTP = Pattern.compile("<strong>(\\d+)</strong>");

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

    @TempDir
    Path tmp;
    private AuthFlowServer pb;

    @BeforeEach
    void start() {
        pb = new AuthFlowServer(tmp);
        AuthFlowFixtures.smtp(pb.app, MAIL.getSmtp().getPort());
    }

    @AfterEach
    void stop() {
        pb.close();
    }

    private MimeMessage awaitMail(int count) {
        assertThat(MAIL.waitForIncomingEmail(MAIL_WAIT_MS, count)).as("mail #%d received", count).isTrue();
        MimeMessage[] received = MAIL.getReceivedMessages();
        return received[count - 1];
    }

    private static String linkToken(MimeMessage mail) {
        Matcher m = LINK_TOKEN.matcher(GreenMailUtil.getBody(mail).replace("=\r\n", "").replace("=3D", "="));
        assertThat(m.find()).as("token link in the mail").isTrue();
        return m.group(1);
    }

    private static String to(MimeMessage mail) {
        try {
            return mail.getAllRecipients()[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void verificationByMailedToken() throws Exception {
        AuthFlowServer.Response r = pb.post("/api/collections/users/request-verification",
                "{\"email\":\"test@example.com\"}");
        assertThat(r.status()).isEqualTo(204);
        MimeMessage mail = awaitMail(1);
        assertThat(to(mail)).isEqualTo("test@example.com");
        assertThat(mail.getSubject()).isEqualTo("Verify your acme_test email");

        String token = linkToken(mail);
        assertThat(pb.post("/api/collections/users/confirm-verification", "{\"token\":\"" + token + "\"}").status())
                .isEqualTo(204);
        assertThat(AuthFlowFixtures.user(pb.app, "test@example.com").verified()).isTrue();

        // a verified record gets no more mails, and the answer stays the same
        assertThat(pb.post("/api/collections/users/request-verification", "{\"email\":\"test@example.com\"}")
                .status()).isEqualTo(204);
        // the token was for users: another auth collection refuses it
        AuthFlowServer.Response other = pb.post("/api/collections/clients/confirm-verification",
                "{\"token\":\"" + token + "\"}");
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.body()).contains("\"code\":\"validation_token_collection_mismatch\"");
    }

    @Test
    void passwordResetRevokesOldTokens() throws Exception {
        AuthFlowFixtures.disableMfa(pb.app);
        String oldToken = pb.tokenOf("users", "test2@example.com");
        assertThat(pb.post("/api/collections/users/request-password-reset", "{\"email\":\"test2@example.com\"}")
                .status()).isEqualTo(204);
        MimeMessage mail = awaitMail(1);
        assertThat(mail.getSubject()).isEqualTo("Reset your acme_test password");
        String token = linkToken(mail);

        AuthFlowServer.Response mismatch = pb.post("/api/collections/users/confirm-password-reset",
                "{\"token\":\"" + token + "\",\"password\":\"new-password-1\",\"passwordConfirm\":\"other\"}");
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.body()).contains("\"passwordConfirm\":{\"code\":\"validation_values_mismatch\"");

        assertThat(pb.post("/api/collections/users/confirm-password-reset",
                "{\"token\":\"" + token + "\",\"password\":\"new-password-1\",\"passwordConfirm\":\"new-password-1\"}")
                .status()).isEqualTo(204);
        // the new tokenKey revokes the token issued before, and the reset token itself
        assertThat(pb.post("/api/collections/users/auth-refresh", null, "Authorization", oldToken).status())
                .isEqualTo(401);
        AuthFlowServer.Response reused = pb.post("/api/collections/users/confirm-password-reset",
                "{\"token\":\"" + token + "\",\"password\":\"another-pass-2\",\"passwordConfirm\":\"another-pass-2\"}");
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.body()).contains("\"token\":{\"code\":\"validation_invalid_token\"");

        assertThat(pb.post("/api/collections/users/auth-with-password",
                "{\"identity\":\"test2@example.com\",\"password\":\"1234567890\"}").status()).isEqualTo(400);
        assertThat(pb.post("/api/collections/users/auth-with-password",
                "{\"identity\":\"test2@example.com\",\"password\":\"new-password-1\"}").status()).isEqualTo(200);
    }

    @Test
    void emailChangeGoesToTheNewAddress() throws Exception {
        AuthFlowFixtures.disableMfa(pb.app);
        String auth = pb.tokenOf("users", "test3@example.com");
        assertThat(pb.post("/api/collections/users/request-email-change", "{\"newEmail\":\"changed@example.com\"}",
                "Authorization", auth).status()).isEqualTo(204);
        MimeMessage mail = awaitMail(1);
        assertThat(to(mail)).isEqualTo("changed@example.com");
        String token = linkToken(mail);

        AuthFlowServer.Response wrongPassword = pb.post("/api/collections/users/confirm-email-change",
                "{\"token\":\"" + token + "\",\"password\":\"wrong\"}");
        assertThat(wrongPassword.status()).isEqualTo(400);
        assertThat(wrongPassword.body()).contains("\"password\":{\"code\":\"validation_invalid_password\"");

        assertThat(pb.post("/api/collections/users/confirm-email-change",
                "{\"token\":\"" + token + "\",\"password\":\"1234567890\"}").status()).isEqualTo(204);
        Record changed = pb.app.findAuthRecordByEmail("users", "changed@example.com").orElseThrow();
        assertThat(changed.verified()).isTrue();
        assertThat(pb.post("/api/collections/users/auth-refresh", null, "Authorization", auth).status())
                .isEqualTo(401);
        assertThat(pb.post("/api/collections/users/auth-with-password",
                "{\"identity\":\"changed@example.com\",\"password\":\"1234567890\"}").status()).isEqualTo(200);
    }

    @Test
    void otpLoginWithTheMailedCode() throws Exception {
        AuthFlowFixtures.disableMfa(pb.app);
        AuthFlowServer.Response requested = pb.post("/api/collections/users/request-otp",
                "{\"email\":\"test@example.com\"}");
        assertThat(requested.status()).isEqualTo(200);
        String otpId = requested.field("otpId");
        MimeMessage mail = awaitMail(1);
        assertThat(mail.getSubject()).isEqualTo("OTP for acme_test");
        Matcher code = OTP.matcher(GreenMailUtil.getBody(mail).replace("=\r\n", ""));
        assertThat(code.find()).isTrue();
        assertThat(code.group(1)).hasSize(8);

        AuthFlowServer.Response wrong = pb.post("/api/collections/users/auth-with-otp",
                "{\"otpId\":\"" + otpId + "\",\"password\":\"00000000x\"}");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("Invalid or expired OTP.");

        AuthFlowServer.Response ok = pb.post("/api/collections/users/auth-with-otp",
                "{\"otpId\":\"" + otpId + "\",\"password\":\"" + code.group(1) + "\"}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).contains("\"email\":\"test@example.com\"", "\"token\":\"");
        // the code went to the record's own address: it is verified now
        assertThat(AuthFlowFixtures.user(pb.app, "test@example.com").verified()).isTrue();
        // a used code is gone
        assertThat(pb.post("/api/collections/users/auth-with-otp",
                "{\"otpId\":\"" + otpId + "\",\"password\":\"" + code.group(1) + "\"}").status()).isEqualTo(400);
        assertThat(Otps.findById(pb.app, otpId)).isEmpty();
    }

    @Test
    void unknownEmailsGetTheSameAnswersAndNoMail() {
        assertThat(pb.post("/api/collections/users/request-verification", "{\"email\":\"missing@example.com\"}")
                .status()).isEqualTo(204);
        assertThat(pb.post("/api/collections/users/request-password-reset", "{\"email\":\"missing@example.com\"}")
                .status()).isEqualTo(204);
        AuthFlowServer.Response otp = pb.post("/api/collections/users/request-otp",
                "{\"email\":\"missing@example.com\"}");
        assertThat(otp.status()).isEqualTo(200);
        assertThat(otp.field("otpId")).hasSize(15);
        // a known address afterwards: its mail is the only one
        pb.post("/api/collections/users/request-password-reset", "{\"email\":\"test3@example.com\"}");
        assertThat(MAIL.waitForIncomingEmail(MAIL_WAIT_MS, 1)).isTrue();
        assertThat(MAIL.getReceivedMessages()).singleElement()
                .satisfies(m -> assertThat(to(m)).isEqualTo("test3@example.com"));
    }

    @Test
    void loginAlertOnANewDevice() throws Exception {
        AuthFlowFixtures.disableMfa(pb.app);
        String login = "{\"identity\":\"test2@example.com\",\"password\":\"1234567890\"}";
        assertThat(pb.post("/api/collections/users/auth-with-password", login, "User-Agent", "device-a").status())
                .isEqualTo(200);
        assertThat(pb.post("/api/collections/users/auth-with-password", login, "User-Agent", "device-a").status())
                .isEqualTo(200);
        assertThat(pb.post("/api/collections/users/auth-with-password", login, "User-Agent", "device-b").status())
                .isEqualTo(200);
        MimeMessage mail = awaitMail(1);
        assertThat(mail.getSubject()).isEqualTo("Login from a new location");
        assertThat(GreenMailUtil.getBody(mail)).contains("device-b");
        assertThat(MAIL.getReceivedMessages()).hasSize(1);
        Record user = AuthFlowFixtures.user(pb.app, "test2@example.com");
        assertThat(io.pocketbus.core.AuthOrigins.findAllByRecord(pb.app, user)).hasSize(2);
    }

    @Test
    void settingsTestEmail() throws Exception {
        String su = pb.tokenOf("_superusers", "test@example.com");
        assertThat(pb.post("/api/settings/test/email",
                "{\"email\":\"someone@example.com\",\"template\":\"otp\",\"collection\":\"users\"}",
                "Authorization", su).status()).isEqualTo(204);
        MimeMessage mail = awaitMail(1);
        assertThat(to(mail)).isEqualTo("someone@example.com");
        assertThat(GreenMailUtil.getBody(mail)).contains("123456");

        AuthFlowServer.Response invalid = pb.post("/api/settings/test/email",
                "{\"email\":\"x\",\"template\":\"nope\",\"collection\":\"demo1\"}", "Authorization", su);
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body()).contains("Failed to send the test email.",
                "\"collection\":{\"code\":\"validation_invalid_auth_collection\"",
                "\"email\":{\"code\":\"validation_is_email\"", "\"template\":{\"code\":\"validation_in_invalid\"");
        assertThat(pb.post("/api/settings/test/email", "{\"email\":\"a@example.com\",\"template\":\"otp\"}")
                .status()).isEqualTo(401);
    }

    @Test
    void templatesAreEditablePerCollection() throws Exception {
        AuthFlowFixtures.changeAuthOption(pb.app, "users", "verificationTemplate", t -> t
                .put("subject", "Hi {RECORD:username} from {APP_NAME}")
                .put("body", "<p>{RECORD:name} <{RECORD:email}> {APP_URL}/verify?t={TOKEN} {RECORD:tokenKey}</p>"));
        Record user = AuthFlowFixtures.user(pb.app, "test@example.com");
        user.set("name", "Tom & <Jerry>");
        pb.app.save(user);
        pb.post("/api/collections/users/request-verification", "{\"email\":\"test@example.com\"}");
        MimeMessage mail = awaitMail(1);
        assertThat(mail.getSubject()).isEqualTo("Hi users75657 from acme_test");
        String html = (String) ((jakarta.mail.internet.MimeMultipart) mail.getContent()).getBodyPart(1).getContent();
        assertThat(html).contains("<p>Tom &amp; &lt;Jerry&gt; <test@example.com> http://localhost:8090/verify?t=eyJ")
                .contains("{RECORD:tokenKey}").as("hidden fields are no placeholders");
    }

    @Test
    void withoutSmtpMailsAreLoggedNotSent() {
        io.pocketbus.core.Settings s = pb.app.settings();
        s.merge(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().set("smtp",
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("enabled", false)));
        pb.app.saveSettings(s);
        io.pocketbus.core.RecordMails.sendPasswordReset(pb.app, AuthFlowFixtures.user(pb.app, "test@example.com"));
        assertThat(MAIL.getReceivedMessages()).isEmpty();
    }
}
