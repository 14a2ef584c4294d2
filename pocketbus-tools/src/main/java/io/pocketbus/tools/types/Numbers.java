package io.pocketbus.tools.types;

/** Number helpers so JSON output looks like Go's ({@code 3}, not {@code 3.0}). */
public final class Numbers {
    private Numbers() {
    }

    /** A whole double within the long range becomes a Long; anything else stays a Double. */
    public static Number normalise(double value) {
        if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 9.007199254740992E15) {
            return (long) value;
        }
        return value;
    }

    /** Parses a number the way Go's {@code cast.ToFloat64} does for strings; empty/invalid gives 0. */
    public static double toDouble(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        try {
            return Double.parseDouble(value.toString().trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
