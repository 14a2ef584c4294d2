package io.pocketbus.tools.types;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A UTC instant with millisecond precision, written as PocketBase writes dates:
 * {@code YYYY-MM-DD HH:MM:SS.mmmZ}. The zero value (no date) is written as {@code ""}.
 */
public record DateTime(Instant instant) implements Comparable<DateTime> {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public DateTime {
        instant = instant.truncatedTo(ChronoUnit.MILLIS);
    }

    public static DateTime now() {
        return new DateTime(Instant.now());
    }

    /**
     * Parses the forms PocketBase accepts: {@code 2024-01-02 03:04:05.678Z}, RFC 3339 with {@code T} and
     * any offset, without fraction or zone (taken as UTC), or a plain date. Empty when unparsable or blank.
     */
    public static Optional<DateTime> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.trim();
        if (s.isEmpty()) {
            return Optional.empty();
        }
        DateTime canonical = parseCanonical(s);
        if (canonical != null) {
            return Optional.of(canonical);
        }
        String iso = s.replace(' ', 'T');
        try {
            return Optional.of(new DateTime(OffsetDateTime.parse(iso).toInstant()));
        } catch (DateTimeParseException ignored) {
            // try the zone-less forms below
        }
        try {
            return Optional.of(new DateTime(LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC)));
        } catch (DateTimeParseException ignored) {
            // try a plain date below
        }
        try {
            return Optional.of(new DateTime(LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The form every stored date has ({@code 2024-01-02 03:04:05.678Z}, or with {@code T}), read without the
     * general formatter since each loaded record has a few; null for any other text or an invalid date, which
     * the general parser then handles.
     */
    private static DateTime parseCanonical(String s) {
        if (s.length() != 24 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != ' ' && s.charAt(10) != 'T')
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(19) != '.' || s.charAt(23) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        int millis = digits(s, 20, 3);
        if ((year | month | day | hour | minute | second | millis) < 0) {
            return null;
        }
        try {
            return new DateTime(LocalDateTime.of(year, month, day, hour, minute, second, millis * 1_000_000)
                    .toInstant(ZoneOffset.UTC));
        } catch (java.time.DateTimeException invalid) {
            return null;
        }
    }

    /** The decimal number of {@code count} ASCII digits at {@code from}; -1 when any is not a digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    public boolean isBefore(DateTime other) {
        return instant.isBefore(other.instant);
    }

    public boolean isAfter(DateTime other) {
        return instant.isAfter(other.instant);
    }

    public DateTime plusSeconds(long seconds) {
        return new DateTime(instant.plusSeconds(seconds));
    }

    @Override
    public int compareTo(DateTime o) {
        return instant.compareTo(o.instant);
    }

    /** {@code YYYY-MM-DD HH:MM:SS.mmmZ}. */
    @Override
    public String toString() {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (t.getYear() < 1 || t.getYear() > 9999) {
            // outside four digits of the common era the formatter's year-of-era rules apply
            return FORMAT.format(instant);
        }
        char[] out = new char[24];
        put(out, 0, t.getYear(), 4);
        out[4] = '-';
        put(out, 5, t.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, t.getDayOfMonth(), 2);
        out[10] = ' ';
        put(out, 11, t.getHour(), 2);
        out[13] = ':';
        put(out, 14, t.getMinute(), 2);
        out[16] = ':';
        put(out, 17, t.getSecond(), 2);
        out[19] = '.';
        put(out, 20, t.getNano() / 1_000_000, 3);
        out[23] = 'Z';
        return new String(out);
    }

    private static void put(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
