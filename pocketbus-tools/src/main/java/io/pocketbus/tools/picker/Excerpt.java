package io.pocketbus.tools.picker;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code :excerpt(max, withEllipsis?)} field modifier: HTML to plain text (tags dropped, non-content
 * elements such as scripts and forms skipped, whitespace collapsed, block elements separated by a space),
 * then cut to {@code max} characters, with {@code ...} appended when cut and {@code withEllipsis} is set.
 */
public final class Excerpt {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Set<String> EXCLUDED = Set.of("head", "style", "script", "iframe", "embed", "applet",
            "object", "svg", "img", "picture", "dialog", "template", "button", "form", "textarea", "input",
            "select", "option");
    private static final Set<String> INLINE = Set.of("a", "abbr", "acronym", "b", "bdo", "big", "br", "button",
            "cite", "code", "em", "i", "label", "q", "small", "span", "strong", "strike", "sub", "sup", "time");
    private static final Set<String> VOID = Set.of("area", "base", "br", "col", "embed", "hr", "img", "input",
            "link", "meta", "param", "source", "track", "wbr");
    private static final Set<String> RAW_TEXT = Set.of("script", "style", "textarea", "title", "xmp", "iframe",
            "noembed", "noframes");

    private final int max;
    private final boolean withEllipsis;

    private Excerpt(int max, boolean withEllipsis) {
        this.max = max;
        this.withEllipsis = withEllipsis;
    }

    public static Excerpt of(int max, boolean withEllipsis) {
        if (max <= 0) {
            throw new IllegalArgumentException("max argument must be > 0");
        }
        return new Excerpt(max, withEllipsis);
    }

    /** From the modifier's raw arguments {@code (max, withEllipsis?)}, read as PocketBase casts them. */
    static Excerpt of(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("max argument is required - expected (max, withEllipsis?)");
        }
        if (args.size() > 2) {
            throw new IllegalArgumentException("too many arguments - expected (max, withEllipsis?)");
        }
        int max;
        try {
            max = Integer.parseInt(args.getFirst().trim());
        } catch (NumberFormatException e) {
            max = 0;
        }
        boolean ellipsis = args.size() > 1 && switch (args.get(1).trim()) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            default -> false;
        };
        return of(max, ellipsis);
    }

    public String apply(String html) {
        String text = plainText(html).strip();
        if (text.length() > max && text.codePointCount(0, text.length()) > max) {
            text = text.substring(0, text.offsetByCodePoints(0, max)).strip();
            if (withEllipsis) {
                text += "...";
            }
        }
        return text;
    }

    private static String plainText(String html) {
        StringBuilder out = new StringBuilder();
        boolean[] prevSpace = {false};
        int i = 0;
        int n = html.length();
        while (i < n) {
            char c = html.charAt(i);
            if (c != '<' || i + 1 >= n || !isTagStart(html.charAt(i + 1))) {
                int next = html.indexOf('<', i + 1);
                while (next >= 0 && next + 1 < n && !isTagStart(html.charAt(next + 1))) {
                    next = html.indexOf('<', next + 1);
                }
                int end = next < 0 ? n : next;
                appendText(out, prevSpace, html.substring(i, end));
                i = end;
                continue;
            }
            if (html.startsWith("<!--", i)) {
                int end = html.indexOf("-->", i + 4);
                i = end < 0 ? n : end + 3;
                continue;
            }
            int close = html.indexOf('>', i);
            if (close < 0) {
                break;
            }
            char second = html.charAt(i + 1);
            if (second == '!' || second == '?') {
                i = close + 1;
                continue;
            }
            boolean endTag = second == '/';
            String name = tagName(html, endTag ? i + 2 : i + 1);
            boolean selfClosing = html.charAt(close - 1) == '/';
            i = close + 1;
            if (endTag) {
                if (!INLINE.contains(name) && !EXCLUDED.contains(name)) {
                    space(out, prevSpace);
                }
                continue;
            }
            if (EXCLUDED.contains(name)) {
                if (!VOID.contains(name) && !selfClosing) {
                    i = skipElement(html, i, name);
                }
                continue;
            }
            if (!INLINE.contains(name)) {
                space(out, prevSpace);
            }
        }
        return out.toString();
    }

    private static boolean isTagStart(char c) {
        return Character.isLetter(c) || c == '/' || c == '!' || c == '?';
    }

    private static String tagName(String html, int from) {
        int end = from;
        while (end < html.length() && (Character.isLetterOrDigit(html.charAt(end)) || html.charAt(end) == '-')) {
            end++;
        }
        return html.substring(from, end).toLowerCase(Locale.ROOT);
    }

    /** The index after the end tag closing {@code name}, counting nested elements of the same name. */
    private static int skipElement(String html, int from, String name) {
        String lower = html.toLowerCase(Locale.ROOT);
        String open = "<" + name;
        String close = "</" + name;
        int depth = 1;
        int i = from;
        while (depth > 0) {
            int nextClose = lower.indexOf(close, i);
            if (nextClose < 0) {
                return html.length();
            }
            int nextOpen = RAW_TEXT.contains(name) ? -1 : lower.indexOf(open, i);
            if (nextOpen >= 0 && nextOpen < nextClose) {
                depth++;
                i = nextOpen + open.length();
            } else {
                depth--;
                int end = lower.indexOf('>', nextClose);
                i = end < 0 ? html.length() : end + 1;
            }
        }
        return i;
    }

    private static void space(StringBuilder out, boolean[] prevSpace) {
        if (!prevSpace[0]) {
            out.append(' ');
            prevSpace[0] = true;
        }
    }

    private static void appendText(StringBuilder out, boolean[] prevSpace, String raw) {
        String text = WHITESPACE.matcher(decodeEntities(raw)).replaceAll(" ");
        if (prevSpace[0]) {
            text = text.stripLeading();
        }
        if (!text.isEmpty()) {
            prevSpace[0] = text.endsWith(" ");
            out.append(text);
        }
    }

    private static String decodeEntities(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int semi = c == '&' ? text.indexOf(';', i) : -1;
            if (semi > i + 1 && semi - i <= 10) {
                String entity = text.substring(i + 1, semi);
                String decoded = decodeEntity(entity);
                if (decoded != null) {
                    out.append(decoded);
                    i = semi + 1;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static String decodeEntity(String entity) {
        try {
            if (entity.startsWith("#x") || entity.startsWith("#X")) {
                return Character.toString(Integer.parseInt(entity.substring(2), 16));
            }
            if (entity.startsWith("#")) {
                return Character.toString(Integer.parseInt(entity.substring(1)));
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return switch (entity) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            case "nbsp" -> "\u00a0";
            default -> null;
        };
    }
}
