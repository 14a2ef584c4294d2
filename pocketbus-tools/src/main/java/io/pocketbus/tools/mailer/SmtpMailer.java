package io.pocketbus.tools.mailer;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.Properties;

/**
 * Sends mails over SMTP with Angus Mail, configured like PocketBase's SMTP settings: with {@code tls} the
 * connection is TLS from the start (SMTPS, usually port 465); without it STARTTLS is used when the server
 * offers it. Credentials, when given, authenticate with PLAIN (default) or LOGIN.
 */
public final class SmtpMailer implements Mailer {
    /** SMTP authentication mechanisms PocketBase offers. */
    public enum AuthMethod { PLAIN, LOGIN }

    private final Session session;
    private final String protocol;

    private SmtpMailer(Builder b) {
        protocol = b.tls ? "smtps" : "smtp";
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.put(p + "host", b.host);
        props.put(p + "port", String.valueOf(b.port));
        props.put(p + "connectiontimeout", String.valueOf(b.timeout.toMillis()));
        props.put(p + "timeout", String.valueOf(b.timeout.toMillis()));
        props.put(p + "writetimeout", String.valueOf(b.timeout.toMillis()));
        if (b.tls) {
            props.put(p + "ssl.checkserveridentity", "true");
        } else {
            props.put(p + "starttls.enable", "true");
        }
        if (!b.localName.isEmpty()) {
            props.put(p + "localhost", b.localName);
        }
        boolean auth = !b.username.isEmpty() || !b.password.isEmpty();
        props.put(p + "auth", String.valueOf(auth));
        if (auth) {
            props.put(p + "auth.mechanisms", b.authMethod.name());
        }
        String user = b.username;
        String pass = b.password;
        session = Session.getInstance(props, auth ? new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(user, pass);
            }
        } : null);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void send(MailMessage message) {
        try {
            MimeMessage mime = new MimeMessage(session);
            mime.setFrom(address(message.from()));
            for (MailAddress to : message.to()) {
                mime.addRecipient(Message.RecipientType.TO, address(to));
            }
            mime.setSubject(message.subject(), StandardCharsets.UTF_8.name());
            mime.setSentDate(new Date());
            MimeBodyPart text = new MimeBodyPart();
            text.setText(message.plainText(), StandardCharsets.UTF_8.name(), "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(message.html(), StandardCharsets.UTF_8.name(), "html");
            mime.setContent(new MimeMultipart("alternative", text, html));
            mime.saveChanges();
            try (Transport transport = session.getTransport(protocol)) {
                transport.connect();
                transport.sendMessage(mime, mime.getAllRecipients());
            }
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new MailException("failed to send the mail: " + e.getMessage(), e);
        }
    }

    private static InternetAddress address(MailAddress a) throws UnsupportedEncodingException {
        return a.name().isEmpty() ? new InternetAddress(a.address(), null, StandardCharsets.UTF_8.name())
                : new InternetAddress(a.address(), a.name(), StandardCharsets.UTF_8.name());
    }

    /** SMTP connection settings; {@link #host} is required. */
    public static final class Builder {
        private String host = "";
        private int port = 587;
        private boolean tls;
        private String username = "";
        private String password = "";
        private AuthMethod authMethod = AuthMethod.PLAIN;
        private String localName = "";
        private Duration timeout = Duration.ofSeconds(30);

        private Builder() {
        }

        public Builder host(String value) {
            this.host = Objects.requireNonNull(value, "host");
            return this;
        }

        public Builder port(int value) {
            if (value < 1 || value > 65535) {
                throw new IllegalArgumentException("invalid SMTP port " + value);
            }
            this.port = value;
            return this;
        }

        /** Implicit TLS (SMTPS) instead of opportunistic STARTTLS. */
        public Builder tls(boolean value) {
            this.tls = value;
            return this;
        }

        public Builder credentials(String user, String pass) {
            this.username = Objects.requireNonNull(user, "user");
            this.password = Objects.requireNonNull(pass, "pass");
            return this;
        }

        public Builder authMethod(AuthMethod value) {
            this.authMethod = Objects.requireNonNull(value, "authMethod");
            return this;
        }

        /** The name sent in HELO/EHLO; empty means the local host name. */
        public Builder localName(String value) {
            this.localName = Objects.requireNonNull(value, "localName");
            return this;
        }

        /** Connect, read and write timeout. */
        public Builder timeout(Duration value) {
            this.timeout = Objects.requireNonNull(value, "timeout");
            return this;
        }

        public SmtpMailer build() {
            if (host.isEmpty()) {
                throw new IllegalArgumentException("the SMTP host is required");
            }
            return new SmtpMailer(this);
        }
    }
}
