package io.pocketbus.tools.mailer;

/** A mail could not be handed to the mail server. */
public final class MailException extends RuntimeException {
    public MailException(String message, Throwable cause) {
        super(message, cause);
    }
}
