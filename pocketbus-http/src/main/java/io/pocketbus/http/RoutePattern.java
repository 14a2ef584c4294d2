package io.pocketbus.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A compiled path pattern in the shape PocketBase (Go 1.22 {@code ServeMux}) uses: literal segments,
 * {@code {name}} for one segment and a trailing {@code {name...}} for the rest of the path. Values are
 * matched per segment and then percent-decoded, so an encoded {@code /} stays inside its segment.
 */
final class RoutePattern {
    private enum Kind { LITERAL, PARAM, REST }

    private record Segment(Kind kind, String text) { }

    private final String source;
    private final List<Segment> segments;

    private RoutePattern(String source, List<Segment> segments) {
        this.source = source;
        this.segments = segments;
    }

    static RoutePattern compile(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("route path must start with '/': " + path);
        }
        List<Segment> segments = new ArrayList<>();
        String[] parts = path.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.startsWith("{") && part.endsWith("}")) {
                String name = part.substring(1, part.length() - 1);
                if (name.endsWith("...")) {
                    if (i != parts.length - 1) {
                        throw new IllegalArgumentException("{name...} must be the last segment: " + path);
                    }
                    segments.add(new Segment(Kind.REST, name.substring(0, name.length() - 3)));
                } else {
                    segments.add(new Segment(Kind.PARAM, name));
                }
            } else if (part.contains("{") || part.contains("}")) {
                throw new IllegalArgumentException("a path parameter must be a whole segment: " + path);
            } else {
                segments.add(new Segment(Kind.LITERAL, part));
            }
        }
        return new RoutePattern(path, List.copyOf(segments));
    }

    String source() {
        return source;
    }

    /** The decoded parameters when {@code rawPath} (still percent-encoded) matches. */
    Optional<Map<String, String>> match(String rawPath) {
        return rawPath.startsWith("/") ? match(segmentsOf(rawPath)) : Optional.empty();
    }

    /** The segments of a path starting with {@code /}, split once per request for all the routes tried. */
    static String[] segmentsOf(String rawPath) {
        return rawPath.substring(1).split("/", -1);
    }

    /** As {@link #match(String)}, for a path already split by {@link #segmentsOf}. */
    Optional<Map<String, String>> match(String[] parts) {
        boolean endsInRest = !segments.isEmpty() && segments.getLast().kind() == Kind.REST;
        if (endsInRest ? parts.length < segments.size() - 1 : parts.length != segments.size()) {
            return Optional.empty();
        }
        // literals first: most routes tried for a request fail on one, and need no parameter map
        for (int i = 0; i < segments.size() && i < parts.length; i++) {
            Segment segment = segments.get(i);
            if (segment.kind() == Kind.REST) {
                break;
            }
            if (segment.kind() == Kind.LITERAL && !segment.text().equals(decode(parts[i]))) {
                return Optional.empty();
            }
        }
        Map<String, String> params = new HashMap<>(4);
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            if (segment.kind() == Kind.REST) {
                String rest = i < parts.length ? String.join("/", List.of(parts).subList(i, parts.length)) : "";
                params.put(segment.text(), decode(rest));
                return Optional.of(params);
            }
            if (i >= parts.length) {
                return Optional.empty();
            }
            String value = decode(parts[i]);
            if (segment.kind() == Kind.LITERAL) {
                if (!segment.text().equals(value)) {
                    return Optional.empty();
                }
            } else {
                if (value.isEmpty()) {
                    return Optional.empty();
                }
                params.put(segment.text(), value);
            }
        }
        return parts.length == segments.size() ? Optional.of(params) : Optional.empty();
    }

    /**
     * Orders two patterns that both match a path: positive when this one is more specific. A literal beats
     * a parameter, which beats a rest wildcard; on a tie the longer pattern wins.
     */
    int compareSpecificity(RoutePattern other) {
        int n = Math.min(segments.size(), other.segments.size());
        for (int i = 0; i < n; i++) {
            int a = rank(segments.get(i).kind());
            int b = rank(other.segments.get(i).kind());
            if (a != b) {
                return Integer.compare(a, b);
            }
        }
        return Integer.compare(segments.size(), other.segments.size());
    }

    private static int rank(Kind kind) {
        return switch (kind) {
            case LITERAL -> 2;
            case PARAM -> 1;
            case REST -> 0;
        };
    }

    private static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        try {
            // '+' is a literal plus in a path, unlike in a query string
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    @Override
    public String toString() {
        return source;
    }
}
