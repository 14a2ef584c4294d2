package io.pocketbus.tools.search;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** The date macros ({@code @now}, {@code @todayStart}, {@code @second}, ...), all in UTC. */
final class IdentifierMacros {

    /** PocketBase's DateTime text form. */
    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'");

    private static final long LAST_NANO = 999_999_999L;

    private IdentifierMacros() {
    }

    /** The macro's value, or empty when the identifier is not a macro. */
    static Optional<Object> value(String identifier, Clock clock) {
        ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC);
        LocalDate today = now.toLocalDate();
        Object value = switch (identifier) {
            case "@now" -> format(now.toLocalDateTime());
            case "@yesterday" -> format(now.toLocalDateTime().minusDays(1));
            case "@tomorrow" -> format(now.toLocalDateTime().plusDays(1));
            case "@second" -> (long) now.getSecond();
            case "@minute" -> (long) now.getMinute();
            case "@hour" -> (long) now.getHour();
            case "@day" -> (long) now.getDayOfMonth();
            case "@month" -> (long) now.getMonthValue();
            // Sunday is 0, as Go's time.Weekday
            case "@weekday" -> (long) (now.getDayOfWeek().getValue() % 7);
            case "@year" -> (long) now.getYear();
            case "@todayStart" -> format(today.atStartOfDay());
            case "@todayEnd" -> format(today.atTime(23, 59, 59).plusNanos(LAST_NANO));
            case "@monthStart" -> format(today.withDayOfMonth(1).atStartOfDay());
            case "@monthEnd" -> format(today.withDayOfMonth(today.lengthOfMonth()).atTime(23, 59, 59).plusNanos(LAST_NANO));
            case "@yearStart" -> format(LocalDate.of(today.getYear(), 1, 1).atStartOfDay());
            case "@yearEnd" -> format(LocalDate.of(today.getYear(), 12, 31).atTime(23, 59, 59).plusNanos(LAST_NANO));
            default -> null;
        };
        return Optional.ofNullable(value);
    }

    private static String format(LocalDateTime time) {
        return DATE_TIME.format(time);
    }
}
