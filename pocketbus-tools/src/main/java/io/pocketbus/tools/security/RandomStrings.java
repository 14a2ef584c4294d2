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
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** A 15 character {@code [a-z0-9]} id, PocketBase's default record id. */
    public static String id() {
        return random(15, ID_ALPHABET);
    }
}
