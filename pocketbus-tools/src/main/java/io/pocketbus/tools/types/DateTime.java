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
        return FORMAT.format(instant);
    }
}
