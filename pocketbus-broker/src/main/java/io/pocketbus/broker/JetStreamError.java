package io.pocketbus.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A JetStream API error as clients see it: {@code {"code":404,"err_code":10059,"description":"stream not
 * found"}}. The codes and descriptions come from nats-server's error catalog (resource
 * {@code jetstream-errors.json}, keyed by nats-server's constant names), because clients compare both.
 */
final class JetStreamError extends RuntimeException {
    private static final Map<String, JsonNode> CATALOG = load();

    private final int code;
    private final int errCode;
    private final String description;

    private JetStreamError(int code, int errCode, String description) {
        super(description);
        this.code = code;
        this.errCode = errCode;
        this.description = description;
    }

    /**
     * The catalog error with this constant name; {@code replacements} are pairs of placeholder and value
     * ({@code "{err}", "maximum messages exceeded"}).
     */
    static JetStreamError of(String constant, Object... replacements) {
        JsonNode e = CATALOG.get(constant);
        if (e == null) {
            throw new IllegalArgumentException("unknown JetStream error " + constant);
        }
        String text = e.get("description").asText();
        for (int i = 0; i + 1 < replacements.length; i += 2) {
            text = text.replace(String.valueOf(replacements[i]), String.valueOf(replacements[i + 1]));
        }
        return new JetStreamError(e.get("code").asInt(), e.get("err_code").asInt(), text);
    }

    int code() {
        return code;
    }

    int errCode() {
        return errCode;
    }

    String description() {
        return description;
    }

    /** The {@code error} object of a response. */
    ObjectNode toJson() {
        ObjectNode n = JsJson.object();
        n.put("code", code);
        n.put("err_code", errCode);
        n.put("description", description);
        return n;
    }

    private static Map<String, JsonNode> load() {
        try (InputStream in = JetStreamError.class.getResourceAsStream("jetstream-errors.json")) {
            if (in == null) {
                throw new IllegalStateException("jetstream-errors.json missing from the classpath");
            }
            Map<String, JsonNode> out = new HashMap<>();
            JsJson.MAPPER.readTree(in).properties().forEach(e -> out.put(e.getKey(), e.getValue()));
            return Map.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
