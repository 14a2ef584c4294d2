package io.pocketbus.broker;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** An account's {@code exports} and {@code imports} entries, as nats-server reads them. */
final class ConfigExports {

    private ConfigExports() {
    }

    static ConfigExport export(ConfigValue v) {
        Optional<ConfigExport.Kind> kind = Optional.empty();
        String subject = "";
        List<String> accounts = List.of();
        Optional<String> responseType = Optional.empty();
        for (Map.Entry<String, ConfigValue> e : v.asMap().entrySet()) {
            ConfigValue f = e.getValue();
            switch (e.getKey().toLowerCase(Locale.ROOT)) {
                case "stream" -> {
                    kind = Optional.of(ConfigExport.Kind.STREAM);
                    subject = f.asString();
                }
                case "service" -> {
                    kind = Optional.of(ConfigExport.Kind.SERVICE);
                    subject = f.asString();
                }
                case "accounts" -> accounts = f.asStrings();
                case "response", "response_type" -> {
                    String type = f.asString().toLowerCase(Locale.ROOT);
                    if (!Set.of("singleton", "stream", "chunked").contains(type)) {
                        throw ConfigException.at(f, "unknown response type: \"" + f.asString() + "\"");
                    }
                    responseType = Optional.of(type);
                }
                case "response_threshold", "threshold", "latency", "account_token_position", "advertise", "allow_trace",
                        "name", "description", "info_url" -> {
                    // descriptive or tracing options that do not change routing
                }
                default -> throw ConfigException.at(f, "unknown field \"" + e.getKey() + "\" parsing export");
            }
        }
        if (kind.isEmpty()) {
            throw ConfigException.at(v, "an export needs a stream or a service subject");
        }
        if (kind.get() == ConfigExport.Kind.STREAM && responseType.isPresent()) {
            throw ConfigException.at(v, "a stream export has no response type");
        }
        return new ConfigExport(kind.get(), subject, accounts, responseType);
    }

    static ConfigImport importOf(ConfigValue v) {
        Optional<ConfigExport.Kind> kind = Optional.empty();
        String account = "";
        String subject = "";
        Optional<String> to = Optional.empty();
        Optional<String> prefix = Optional.empty();
        for (Map.Entry<String, ConfigValue> e : v.asMap().entrySet()) {
            ConfigValue f = e.getValue();
            switch (e.getKey().toLowerCase(Locale.ROOT)) {
                case "stream", "service" -> {
                    kind = Optional.of(e.getKey().equalsIgnoreCase("stream") ? ConfigExport.Kind.STREAM : ConfigExport.Kind.SERVICE);
                    Map<String, ConfigValue> source = f.asMap();
                    account = required(f, source, "account");
                    subject = required(f, source, "subject");
                }
                case "to" -> to = Optional.of(f.asString());
                case "prefix" -> prefix = Optional.of(f.asString());
                case "share", "allow_trace", "name" -> {
                    // latency sharing and tracing do not change routing
                }
                default -> throw ConfigException.at(f, "unknown field \"" + e.getKey() + "\" parsing import");
            }
        }
        if (kind.isEmpty()) {
            throw ConfigException.at(v, "an import needs a stream or a service");
        }
        if (prefix.isPresent() && kind.get() == ConfigExport.Kind.SERVICE) {
            throw ConfigException.at(v, "a service import takes 'to', not 'prefix'");
        }
        return new ConfigImport(kind.get(), account, subject, to, prefix);
    }

    private static String required(ConfigValue at, Map<String, ConfigValue> map, String key) {
        ConfigValue v = map.get(key);
        if (v == null) {
            throw ConfigException.at(at, "expected an \"" + key + "\"");
        }
        return v.asString();
    }
}
