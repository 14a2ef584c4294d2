package io.pocketbus.tools.mailer;

import java.util.List;
import java.util.Objects;

/**
 * One mail to send: sender, recipients, subject and an HTML body. The plain-text alternative is derived
 * from the HTML when it is empty.
 */
public record MailMessage(MailAddress from, List<MailAddress> to, String subject, String html, String text) {
    public MailMessage {
        Objects.requireNonNull(from, "from");
        to = List.copyOf(to);
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(text, "text");
        if (to.isEmpty()) {
            throw new IllegalArgumentException("a message needs at least one recipient");
        }
    }

    /** An HTML mail to one recipient. */
    public static MailMessage html(MailAddress from, MailAddress to, String subject, String html) {
        return new MailMessage(from, List.of(to), subject, html, "");
    }

    /** The plain-text body: the given one, or the HTML with tags removed and entities decoded. */
    public String plainText() {
        return text.isEmpty() ? HtmlText.toText(html) : text;
    }
}
