package io.pocketbus.tools.security;

import java.security.SecureRandom;

/**
 * Generates a random string matching a simple regular expression, for PocketBase's
 * {@code autogeneratePattern} (e.g. {@code [a-z0-9]{15}}, {@code users[0-9]{5}}). Supported: literal
 * characters, escapes ({@code \d \w \.}), character classes with ranges, and the quantifiers
 * {@code {n}}, {@code {n,m}}, {@code ?}; anchors are ignored.
 */
public final class PatternGenerator {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DIGITS = "0123456789";
    private static final String WORD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";

    private PatternGenerator() {
    }

    public static String generate(String pattern) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            String alphabet;
            if (c == '^' || c == '$') {
                i++;
                continue;
            } else if (c == '[') {
                int end = pattern.indexOf(']', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated class in pattern " + pattern);
                }
                alphabet = expandClass(pattern.substring(i + 1, end));
                i = end + 1;
            } else if (c == '\\' && i + 1 < pattern.length()) {
                char e = pattern.charAt(i + 1);
                alphabet = e == 'd' ? DIGITS : e == 'w' ? WORD : String.valueOf(e);
                i += 2;
            } else {
                alphabet = String.valueOf(c);
                i++;
            }
            int min = 1;
            int max = 1;
            if (i < pattern.length() && pattern.charAt(i) == '{') {
                int end = pattern.indexOf('}', i);
                String[] parts = pattern.substring(i + 1, end).split(",", -1);
                min = Integer.parseInt(parts[0].trim());
                max = parts.length > 1 ? (parts[1].isBlank() ? min + 10 : Integer.parseInt(parts[1].trim())) : min;
                i = end + 1;
            } else if (i < pattern.length() && pattern.charAt(i) == '?') {
                min = 0;
                i++;
            }
            int count = min + (max > min ? RANDOM.nextInt(max - min + 1) : 0);
            out.append(RandomStrings.random(count, alphabet));
        }
        return out.toString();
    }

    private static String expandClass(String body) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                char e = body.charAt(i + 1);
                sb.append(e == 'd' ? DIGITS : e == 'w' ? WORD : String.valueOf(e));
                i += 2;
            } else if (i + 2 < body.length() && body.charAt(i + 1) == '-') {
                for (char x = c; x <= body.charAt(i + 2); x++) {
                    sb.append(x);
                }
                i += 3;
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }
}
