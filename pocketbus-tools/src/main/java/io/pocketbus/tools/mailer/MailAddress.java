package io.pocketbus.tools.mailer;

import java.util.Objects;

/** A mailbox: an address with an optional display name (empty when none). */
public record MailAddress(String name, String address) {
    public MailAddress {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
    }

    public static MailAddress of(String address) {
        return new MailAddress("", address);
    }
}
