package io.pocketbus.broker;

/** Go's {@code time.ParseDuration} format ({@code 1m30s}, {@code 250ms}), which {@code -NAK <delay>} may carry. */
final class JsDurations {
    private JsDurations() {
    }

    /** Nanoseconds, or 0 when the text is not a Go duration. */
    static long parseGo(String text) {
        long total = 0;
        int i = 0;
        int n = text.length();
        if (n == 0) {
            return 0;
        }
        while (i < n) {
            int start = i;
            while (i < n && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                return 0;
            }
            double value;
            try {
                value = Double.parseDouble(text.substring(start, i));
            } catch (NumberFormatException e) {
                return 0;
            }
            int unitStart = i;
            while (i < n && !Character.isDigit(text.charAt(i)) && text.charAt(i) != '.') {
                i++;
            }
            long unit = switch (text.substring(unitStart, i)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> 0L;
            };
            if (unit == 0) {
                return 0;
            }
            total += (long) (value * unit);
        }
        return total;
    }
}
