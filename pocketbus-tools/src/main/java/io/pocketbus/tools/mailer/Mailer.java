package io.pocketbus.tools.mailer;

/** Sends mails; implementations throw {@link MailException} when a message cannot be delivered. */
@FunctionalInterface
public interface Mailer {
    void send(MailMessage message);
}
