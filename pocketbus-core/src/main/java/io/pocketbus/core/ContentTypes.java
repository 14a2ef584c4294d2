package io.pocketbus.core;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Content type detection from a file's first bytes, as PocketBase does on upload (its {@code mimetype}
 * library): the content decides, not the client's name or header, so a renamed file cannot pass a field's
 * {@code mimeTypes}. Covers the common binary signatures, SVG/HTML/XML/JSON text, and UTF-8 text.
 */
public final class ContentTypes {
    public static final String OCTET_STREAM = "application/octet-stream";
    public static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    /** The extension PocketBase adds when a name has none, per detected type. */
    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("image/png", ".png"), Map.entry("image/jpeg", ".jpg"), Map.entry("image/gif", ".gif"),
            Map.entry("image/webp", ".webp"), Map.entry("image/bmp", ".bmp"), Map.entry("image/svg+xml", ".svg"),
            Map.entry("application/pdf", ".pdf"), Map.entry("application/zip", ".zip"),
            Map.entry("application/gzip", ".gz"), Map.entry("text/plain", ".txt"), Map.entry("text/html", ".html"),
            Map.entry("text/xml", ".xml"), Map.entry("application/json", ".json"), Map.entry("video/mp4", ".mp4"),
            Map.entry("audio/mpeg", ".mp3"), Map.entry("image/x-icon", ".ico"));

    private ContentTypes() {
    }

    /** The content type of {@code head} (the file's first bytes; 3 KiB is plenty). */
    public static String detect(byte[] head, String name) {
        if (startsWith(head, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (startsWith(head, 0, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(head, 0, 'G', 'I', 'F', '8')) {
            return "image/gif";
        }
        if (startsWith(head, 0, 'R', 'I', 'F', 'F') && startsWith(head, 8, 'W', 'E', 'B', 'P')) {
            return "image/webp";
        }
        if (startsWith(head, 0, 'B', 'M')) {
            return "image/bmp";
        }
        if (startsWith(head, 0, 0, 0, 1, 0)) {
            return "image/x-icon";
        }
        if (startsWith(head, 0, '%', 'P', 'D', 'F', '-')) {
            return "application/pdf";
        }
        if (startsWith(head, 0, 'P', 'K', 3, 4) || startsWith(head, 0, 'P', 'K', 5, 6)) {
            return "application/zip";
        }
        if (startsWith(head, 0, 0x1F, 0x8B)) {
            return "application/gzip";
        }
        if (startsWith(head, 4, 'f', 't', 'y', 'p')) {
            return "video/mp4";
        }
        if (startsWith(head, 0, 'I', 'D', '3')) {
            return "audio/mpeg";
        }
        if (!isText(head)) {
            return OCTET_STREAM;
        }
        String text = new String(head, StandardCharsets.UTF_8).stripLeading().toLowerCase(Locale.ROOT);
        if (text.startsWith("<svg") || (text.startsWith("<?xml") && text.contains("<svg"))) {
            return "image/svg+xml";
        }
        if (text.startsWith("<!doctype html") || text.startsWith("<html")) {
            return "text/html; charset=utf-8";
        }
        if (text.startsWith("<?xml")) {
            return "text/xml; charset=utf-8";
        }
        if ((text.startsWith("{") || text.startsWith("[")) && name.toLowerCase(Locale.ROOT).endsWith(".json")) {
            return "application/json";
        }
        return TEXT_PLAIN;
    }

    /** The type without parameters, lower-cased: {@code text/plain; charset=utf-8} → {@code text/plain}. */
    public static String baseType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /** The extension (with dot) for a detected type; empty when unknown. */
    public static String extension(String contentType) {
        return EXTENSIONS.getOrDefault(baseType(contentType), "");
    }

    public static boolean isImage(String contentType) {
        return switch (baseType(contentType)) {
            case "image/png", "image/jpg", "image/jpeg", "image/gif", "image/webp" -> true;
            default -> false;
        };
    }

    private static boolean startsWith(byte[] head, int offset, int... signature) {
        if (head.length < offset + signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((head[offset + i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }

    /** UTF-8 without NULs; a multi-byte sequence cut at the end of the sample still counts as text. */
    private static boolean isText(byte[] head) {
        for (byte b : head) {
            if (b == 0) {
                return false;
            }
        }
        int end = head.length;
        for (int back = 1; back <= 3 && end - back >= 0; back++) {
            int b = head[end - back] & 0xFF;
            if (b >= 0xC0) {
                end -= back;
                break;
            }
            if (b < 0x80) {
                break;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(head, 0, end));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
