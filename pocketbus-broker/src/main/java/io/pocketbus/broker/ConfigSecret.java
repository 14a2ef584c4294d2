package io.pocketbus.broker;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;

/**
 * A configured password or token: plain text, or a bcrypt hash ({@code $2a$}, {@code $2b$}, {@code $2x$},
 * {@code $2y$}) as nats-server recognises one. Plain values are compared in constant time.
 */
public record ConfigSecret(String value) {

    private static final Pattern BCRYPT = Pattern.compile("^\\$2[abxy]\\$\\d{2}\\$.*");

    public ConfigSecret {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("an empty password or token is not allowed");
        }
    }

    public boolean isBcrypt() {
        return BCRYPT.matcher(value).matches();
    }

    /** Whether the client's password or token matches this secret. */
    public boolean matches(String presented) {
        if (isBcrypt()) {
            return BCrypt.verifyer().verify(presented.toCharArray(), value.toCharArray()).verified;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "[REDACTED]";
    }
}
