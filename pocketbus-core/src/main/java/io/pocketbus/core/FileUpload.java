package io.pocketbus.core;

import io.pocketbus.tools.security.RandomStrings;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file submitted for a file field, with the name it will be stored under — PocketBase's
 * {@code snake_case_base_<10 random [a-z0-9]>.ext} — and the content type detected from its bytes.
 */
public record FileUpload(String originalName, String storedName, String contentType, byte[] content) {
    private static final Pattern EXTENSION = Pattern.compile("(\\.[a-zA-Z0-9]+)?\\.[a-zA-Z0-9]+$");
    private static final Pattern EXT_INVALID = Pattern.compile("[^\\w.*\\-+=#]+");
    private static final Pattern WORD_SPLIT = Pattern.compile("[\\W_]+", Pattern.UNICODE_CHARACTER_CLASS);

    /** An upload of {@code content} named {@code originalName} by the client. */
    public static FileUpload of(String originalName, byte[] content) {
        byte[] head = java.util.Arrays.copyOf(content, Math.min(content.length, 3072));
        String type = ContentTypes.detect(head, originalName);
        return new FileUpload(originalName, storedName(originalName, type), type, content);
    }

    public long size() {
        return content.length;
    }

    /** PocketBase's stored name for {@code name}: snake-cased base (≤ 100 chars), random suffix, clean extension. */
    static String storedName(String name, String detectedType) {
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        Matcher m = EXTENSION.matcher(base);
        String ext = m.find() ? m.group() : "";
        String cleanExt = EXT_INVALID.matcher(ext).replaceAll("");
        if (cleanExt.isEmpty()) {
            cleanExt = ContentTypes.extension(detectedType);
        }
        if (cleanExt.length() > 20) {
            cleanExt = "." + cleanExt.substring(cleanExt.length() - 20);
        }
        String cleanName = snakeCase(base.substring(0, base.length() - ext.length()));
        if (cleanName.length() < 3) {
            cleanName += RandomStrings.random(10);
        } else if (cleanName.length() > 100) {
            cleanName = cleanName.substring(0, 100);
        }
        return cleanName + "_" + RandomStrings.random(10, RandomStrings.ID_ALPHABET) + cleanExt;
    }

    private static String snakeCase(String value) {
        StringBuilder out = new StringBuilder();
        for (String word : WORD_SPLIT.split(value)) {
            if (word.isEmpty()) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append('_');
            }
            for (int i = 0; i < word.length(); i++) {
                char c = word.charAt(i);
                if (i > 0 && Character.isUpperCase(c) && !Character.isUpperCase(word.charAt(i - 1))) {
                    out.append('_');
                }
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
