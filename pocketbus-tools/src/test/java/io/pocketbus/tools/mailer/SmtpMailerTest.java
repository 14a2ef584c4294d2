package io.pocketbus.tools.mailer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SmtpMailerTest {
    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

    private static MailMessage message() {
        return MailMessage.html(new MailAddress("Acme Support", "support@example.com"), MailAddress.of("to@example.com"),
                "Grüße", "<p>Hello &amp; welcome,</p><p><a href=\"https://x.example/verify/abc\">Verify</a></p>");
    }

    @Test
    void sendsHtmlWithATextAlternative() throws Exception {
        SmtpMailer.builder().host("127.0.0.1").port(MAIL.getSmtp().getPort()).build().send(message());
        assertThat(MAIL.waitForIncomingEmail(20_000, 1)).isTrue();
        MimeMessage received = MAIL.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("Grüße");
        assertThat(received.getFrom()[0].toString()).contains("Acme Support", "support@example.com");
        MimeMultipart parts = (MimeMultipart) received.getContent();
        assertThat(parts.getContentType()).startsWith("multipart/alternative");
        assertThat(((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n"))
                .isEqualTo("Hello & welcome,\nVerify https://x.example/verify/abc");
        assertThat((String) parts.getBodyPart(1).getContent()).contains("<a href=\"https://x.example/verify/abc\">");
    }

    @Test
    void authenticatesWithLoginAndRejectsBadCredentials() throws Exception {
        MAIL.setUser("mailer@example.com", "mailer", "s3cret");
        SmtpMailer.builder().host("127.0.0.1").port(MAIL.getSmtp().getPort()).credentials("mailer", "s3cret")
                .authMethod(SmtpMailer.AuthMethod.LOGIN).localName("pocketbus.test").build().send(message());
        assertThat(MAIL.waitForIncomingEmail(20_000, 1)).isTrue();

        SmtpMailer wrong = SmtpMailer.builder().host("127.0.0.1").port(MAIL.getSmtp().getPort())
                .credentials("mailer", "wrong").build();
        assertThatThrownBy(() -> wrong.send(message())).isInstanceOf(MailException.class);
    }

    @Test
    void unreachableServerFails() {
        SmtpMailer mailer = SmtpMailer.builder().host("127.0.0.1").port(1).build();
        assertThatThrownBy(() -> mailer.send(message())).isInstanceOf(MailException.class);
    }
}
