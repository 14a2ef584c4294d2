package io.pocketbus.broker;

import io.pocketbus.broker.spi.Permissions;
import io.pocketbus.broker.spi.Permissions.ResponsePermission;
import io.pocketbus.broker.spi.Permissions.SubjectPermission;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A configuration {@code permissions} block, as nats-server reads it (with its key aliases). */
final class ConfigPermissions {

    private ConfigPermissions() {
    }

    /**
     * {@code permissions { publish, subscribe, allow_responses }}. Like nats-server, {@code allow_responses}
     * without a publish allow list leaves only the responses allowed, which the SPI expresses as deny all.
     */
    static Permissions parse(ConfigValue v) {
        SubjectPermission publish = SubjectPermission.ANY;
        SubjectPermission subscribe = SubjectPermission.ANY;
        Optional<ResponsePermission> responses = Optional.empty();
        for (Map.Entry<String, ConfigValue> e : v.asMap().entrySet()) {
            ConfigValue f = e.getValue();
            switch (e.getKey().toLowerCase(Locale.ROOT)) {
                case "pub", "publish", "import" -> publish = subjectPermission(f, false);
                case "sub", "subscribe", "export" -> subscribe = subjectPermission(f, true);
                case "publish_allow_responses", "allow_responses" -> responses = responses(f);
                default -> throw ConfigException.at(f, "unknown field \"" + e.getKey() + "\" parsing permissions");
            }
        }
        return new Permissions(publish, subscribe, responses).normalized();
    }

    private static SubjectPermission subjectPermission(ConfigValue v, boolean allowQueue) {
        if (!(v.value() instanceof Map)) {
            return new SubjectPermission(subjects(v, allowQueue), List.of());
        }
        List<String> allow = List.of();
        List<String> deny = List.of();
        for (Map.Entry<String, ConfigValue> e : v.asMap().entrySet()) {
            switch (e.getKey().toLowerCase(Locale.ROOT)) {
                case "allow" -> allow = subjects(e.getValue(), allowQueue);
                case "deny" -> deny = subjects(e.getValue(), allowQueue);
                default -> throw ConfigException.at(e.getValue(), "unknown field name \"" + e.getKey()
                        + "\" parsing subject permissions, only 'allow' or 'deny' are permitted");
            }
        }
        return new SubjectPermission(allow, deny);
    }

    /** Subjects, wildcards allowed; a subscribe subject may name a queue group ({@code "foo v1"}). */
    private static List<String> subjects(ConfigValue v, boolean allowQueue) {
        List<String> subjects = v.asStrings();
        for (String s : subjects) {
            String[] parts = s.trim().split("\\s+");
            boolean valid = Subjects.isValidSubject(s)
                    || allowQueue && parts.length == 2 && Subjects.isValidSubject(parts[0]) && Subjects.isValidSubject(parts[1]);
            if (!valid) {
                throw ConfigException.at(v, "subject \"" + s + "\" is not a valid subject");
            }
        }
        return subjects;
    }

    private static Optional<ResponsePermission> responses(ConfigValue v) {
        if (v.value() instanceof Boolean b) {
            return b ? Optional.of(Permissions.DEFAULT_RESPONSES) : Optional.empty();
        }
        int max = 0;
        Duration expires = Duration.ZERO;
        for (Map.Entry<String, ConfigValue> e : v.asMap().entrySet()) {
            switch (e.getKey().toLowerCase(Locale.ROOT)) {
                case "max", "max_msgs", "max_messages", "max_responses" -> max = e.getValue().asInt();
                case "expires", "expiration", "ttl" -> expires = e.getValue().asDuration();
                default -> throw ConfigException.at(e.getValue(), "unknown field \"" + e.getKey() + "\" parsing permissions");
            }
        }
        return Optional.of(new ResponsePermission(max, expires));
    }
}
