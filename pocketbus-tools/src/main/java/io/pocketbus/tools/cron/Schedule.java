package io.pocketbus.tools.cron;

import java.time.LocalDateTime;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed cron expression in PocketBase's syntax: five space-separated segments (minute 0-59, hour 0-23,
 * day of month 1-31, month 1-12, day of week 0-6 with 0 = Sunday), each a comma list of {@code *},
 * {@code *}{@code /step}, {@code n}, {@code a-b} or {@code a-b/step}; or one of the macros {@code @yearly},
 * {@code @annually}, {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight}, {@code @hourly}.
 * A moment is due when every segment matches it.
 */
public final class Schedule {
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet days;
    private final BitSet months;
    private final BitSet daysOfWeek;

    private Schedule(BitSet minutes, BitSet hours, BitSet days, BitSet months, BitSet daysOfWeek) {
        this.minutes = minutes;
        this.hours = hours;
        this.days = days;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
    }

    /** Parses {@code expression}; an invalid one throws {@link IllegalArgumentException} saying why. */
    public static Schedule parse(String expression) {
        String expr = expression.trim();
        String macro = MACROS.get(expr.toLowerCase(Locale.ROOT));
        if (macro != null) {
            expr = macro;
        }
        String[] segments = expr.split("\\s+");
        if (segments.length != 5) {
            throw new IllegalArgumentException("invalid cron expression - must have exactly 5 space separated segments");
        }
        return new Schedule(segment(segments[0], 0, 59), segment(segments[1], 0, 23), segment(segments[2], 1, 31),
                segment(segments[3], 1, 12), segment(segments[4], 0, 6));
    }

    /** True when the schedule fires at {@code moment}'s minute (seconds are ignored). */
    public boolean isDue(LocalDateTime moment) {
        return minutes.get(moment.getMinute()) && hours.get(moment.getHour()) && days.get(moment.getDayOfMonth())
                && months.get(moment.getMonthValue()) && daysOfWeek.get(moment.getDayOfWeek().getValue() % 7);
    }

    private static BitSet segment(String segment, int min, int max) {
        BitSet set = new BitSet(max + 1);
        for (String part : segment.split(",", -1)) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(part.substring(slash + 1), 1, max, part);
                range = part.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] bounds = range.split("-", -1);
                if (bounds.length != 2) {
                    throw invalid(part);
                }
                from = number(bounds[0], min, max, part);
                to = number(bounds[1], min, max, part);
                if (from > to) {
                    throw invalid(part);
                }
            } else {
                if (slash >= 0) {
                    throw invalid(part);
                }
                from = number(range, min, max, part);
                to = from;
            }
            for (int v = from; v <= to; v += step) {
                set.set(v);
            }
        }
        return set;
    }

    private static int number(String text, int min, int max, String part) {
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw invalid(part);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("invalid cron segment " + part + " - value must be between "
                    + min + " and " + max);
        }
        return value;
    }

    private static IllegalArgumentException invalid(String part) {
        return new IllegalArgumentException("invalid cron segment " + part);
    }
}
