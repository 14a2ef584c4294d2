package io.pocketbus.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A value parsed from a configuration file with where it was written. {@code value} is a {@link String},
 * {@link Long}, {@link Double}, {@link Boolean}, {@link java.time.Instant}, a {@code Map<String, ConfigValue>}
 * (insertion ordered) or a {@code List<ConfigValue>}. The accessors raise a {@link ConfigException} naming the
 * line and column when the value has another type.
 */
public record ConfigValue(Object value, String source, int line, int column) {

    private static final Pattern GO_DURATION = Pattern.compile("([0-9]*\\.?[0-9]+)(ns|us|µs|ms|s|m|h)");

    public String asString() {
        if (value instanceof String s) {
            return s;
        }
        throw ConfigException.at(this, "expected a string, got " + describe());
    }

    public long asLong() {
        if (value instanceof Long l) {
            return l;
        }
        throw ConfigException.at(this, "expected an integer, got " + describe());
    }

    public int asInt() {
        long l = asLong();
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw ConfigException.at(this, "integer " + l + " is out of range");
        }
        return (int) l;
    }

    public boolean asBoolean() {
        if (value instanceof Boolean b) {
            return b;
        }
        throw ConfigException.at(this, "expected a boolean, got " + describe());
    }

    @SuppressWarnings("unchecked")
    public Map<String, ConfigValue> asMap() {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, ConfigValue>) m;
        }
        throw ConfigException.at(this, "expected a map, got " + describe());
    }

    @SuppressWarnings("unchecked")
    public List<ConfigValue> asList() {
        if (value instanceof List<?> l) {
            return (List<ConfigValue>) l;
        }
        throw ConfigException.at(this, "expected an array, got " + describe());
    }

    /** A string, or each string of an array. */
    public List<String> asStrings() {
        if (value instanceof String s) {
            return List.of(s);
        }
        return asList().stream().map(ConfigValue::asString).toList();
    }

    /**
     * A duration as nats-server reads one: a Go duration string ("2m", "1h30m", "500ms") or a number of
     * seconds.
     */
    public Duration asDuration() {
        return switch (value) {
            case Long seconds -> Duration.ofSeconds(seconds);
            case Double seconds -> Duration.ofNanos(Math.round(seconds * 1e9));
            case String s -> parseGoDuration(s);
            default -> throw ConfigException.at(this, "expected a duration, got " + describe());
        };
    }

    private Duration parseGoDuration(String text) {
        String s = text.trim();
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = GO_DURATION.matcher(s);
        int end = 0;
        double nanos = 0;
        while (m.find() && m.start() == end) {
            double amount = Double.parseDouble(m.group(1));
            nanos += amount * switch (m.group(2)) {
                case "ns" -> 1d;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            end = m.end();
        }
        if (end == 0 || end != s.length()) {
            throw ConfigException.at(this, "invalid duration \"" + text + "\"");
        }
        Duration d = Duration.ofNanos(Math.round(nanos));
        return negative ? d.negated() : d;
    }

    private String describe() {
        return switch (value) {
            case String s -> "string \"" + s + "\"";
            case Map<?, ?> m -> "a map";
            case List<?> l -> "an array";
            default -> value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + value;
        };
    }

    /** Where the value was written, not the value itself: it may be a password. */
    @Override
    public String toString() {
        return "ConfigValue[" + source + ":" + line + ":" + column + "]";
    }
}
