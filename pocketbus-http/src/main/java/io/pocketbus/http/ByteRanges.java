package io.pocketbus.http;

import java.util.Optional;

/** {@code Range: bytes=...} for one range, as Go's {@code http.ServeContent} reads it. */
final class ByteRanges {
    private ByteRanges() {
    }

    /**
     * The inclusive {@code [first, last]} of a single satisfiable range; empty for a malformed header, several
     * ranges (the whole content is served then) or one that does not overlap the content.
     */
    static Optional<long[]> single(String header, long size) {
        if (!header.startsWith("bytes=") || header.contains(",")) {
            return Optional.empty();
        }
        String spec = header.substring("bytes=".length()).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        String from = spec.substring(0, dash).strip();
        String to = spec.substring(dash + 1).strip();
        try {
            if (from.isEmpty()) {
                long suffix = Long.parseLong(to);
                if (suffix <= 0 || size == 0) {
                    return Optional.empty();
                }
                return Optional.of(new long[] {Math.max(0, size - suffix), size - 1});
            }
            long first = Long.parseLong(from);
            long last = to.isEmpty() ? size - 1 : Math.min(Long.parseLong(to), size - 1);
            if (first < 0 || first >= size || last < first) {
                return Optional.empty();
            }
            return Optional.of(new long[] {first, last});
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A well-formed single range that starts at or after the end of the content (answered with 416). */
    static boolean isUnsatisfiable(String header, long size) {
        if (!header.startsWith("bytes=") || header.contains(",")) {
            return false;
        }
        String spec = header.substring("bytes=".length()).strip();
        int dash = spec.indexOf('-');
        try {
            return dash > 0 && Long.parseLong(spec.substring(0, dash).strip()) >= size;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
