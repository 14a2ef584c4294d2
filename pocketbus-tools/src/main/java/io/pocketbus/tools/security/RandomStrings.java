package io.pocketbus.tools.security;

import java.security.SecureRandom;

/** Cryptographically random strings, as PocketBase's {@code security.RandomString*}. */
public final class RandomStrings {
    public static final String DEFAULT_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    public static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomStrings() {
    }

    /** {@code length} random characters from {@code [a-zA-Z0-9]}. */
    public static String random(int length) {
        return random(length, DEFAULT_ALPHABET);
    }

    public static String random(int length, String alphabet) {
        if (alphabet.isEmpty()) {
            throw new IllegalArgumentException("empty alphabet");
        }
        int n = alphabet.length();
        char[] out = new char[length];
        if (n > 256) {
            for (int i = 0; i < length; i++) {
                out[i] = alphabet.charAt(RANDOM.nextInt(n));
            }
            return new String(out);
        }
        // one draw of bytes for the whole string (the secure generator is slow per call and serialises callers);
        // bytes at or above the largest multiple of n are skipped, so every character stays equally likely
        int limit = 256 - 256 % n;
        byte[] bytes = new byte[length + length / 4 + 8];
        int filled = 0;
        while (filled < length) {
            RANDOM.nextBytes(bytes);
            for (int i = 0; i < bytes.length && filled < length; i++) {
                int b = bytes[i] & 0xff;
                if (b < limit) {
                    out[filled++] = alphabet.charAt(b % n);
                }
            }
        }
        return new String(out);
    }

    /** A 15 character {@code [a-z0-9]} id, PocketBase's default record id. */
    public static String id() {
        return random(15, ID_ALPHABET);
    }
}
