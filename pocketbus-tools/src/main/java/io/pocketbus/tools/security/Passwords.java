package io.pocketbus.tools.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/** bcrypt hashes compatible with PocketBase ({@code $2a$}, Go's {@code bcrypt.DefaultCost} = 10). */
public final class Passwords {
    public static final int DEFAULT_COST = 10;
    /** bcrypt only looks at the first 72 bytes. */
    public static final int MAX_BYTES = 72;

    private Passwords() {
    }

    public static String hash(String plain, int cost) {
        int effective = cost < 4 ? DEFAULT_COST : Math.min(cost, 31);
        byte[] bytes = truncated(plain);
        return new String(BCrypt.with(BCrypt.Version.VERSION_2A).hash(effective, bytes), StandardCharsets.UTF_8);
    }

    public static String hash(String plain) {
        return hash(plain, DEFAULT_COST);
    }

    /** True when {@code plain} matches the bcrypt {@code hash}; false for any malformed hash. */
    public static boolean verify(String plain, String hash) {
        if (hash == null || hash.isEmpty()) {
            return false;
        }
        try {
            return BCrypt.verifyer().verify(truncated(plain), hash.getBytes(StandardCharsets.UTF_8)).verified;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] truncated(String plain) {
        byte[] bytes = plain.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_BYTES) {
            return bytes;
        }
        byte[] cut = new byte[MAX_BYTES];
        System.arraycopy(bytes, 0, cut, 0, MAX_BYTES);
        return cut;
    }
}
