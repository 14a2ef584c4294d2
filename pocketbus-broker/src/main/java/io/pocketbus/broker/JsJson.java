package io.pocketbus.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** JSON helpers for the JetStream API: one shared mapper, and Go's time and duration conventions. */
final class JsJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** Go's zero {@code time.Time}, which nats-server sends for "never". */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private JsJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /**
     * Parses a request body; an empty body is an empty object.
     *
     * @throws JetStreamError 10025 for malformed JSON or a body that is not an object
     */
    static ObjectNode parseObject(byte[] body) {
        if (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
            return object();
        }
        try {
            JsonNode n = MAPPER.readTree(body);
            if (n instanceof ObjectNode o) {
                return o;
            }
            throw JetStreamError.of("JSInvalidJSONErr", "{err}", "json: cannot unmarshal into Go value of type object");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw JetStreamError.of("JSInvalidJSONErr", "{err}", e.getOriginalMessage());
        } catch (IOException e) {
            throw JetStreamError.of("JSInvalidJSONErr", "{err}", e.getMessage());
        }
    }

    static byte[] bytes(JsonNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * RFC 3339 with nanoseconds and trailing zeros trimmed, in UTC, as Go's {@code time.Time} marshals
     * (years 0–9999, the range Go marshals). Written by hand: direct gets and deliveries format one per message.
     */
    static String time(long epochNanos) {
        if (epochNanos == 0) {
            return ZERO_TIME;
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), 0, ZoneOffset.UTC);
        int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L);
        StringBuilder sb = new StringBuilder(30);
        digits(sb, t.getYear(), 4).append('-');
        digits(sb, t.getMonthValue(), 2).append('-');
        digits(sb, t.getDayOfMonth(), 2).append('T');
        digits(sb, t.getHour(), 2).append(':');
        digits(sb, t.getMinute(), 2).append(':');
        digits(sb, t.getSecond(), 2);
        if (nanos != 0) {
            int width = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                width--;
            }
            digits(sb.append('.'), nanos, width);
        }
        return sb.append('Z').toString();
    }

    /** Appends {@code value} zero-padded to {@code width} digits. */
    private static StringBuilder digits(StringBuilder sb, int value, int width) {
        for (int limit = 10, w = 1; w < width; limit *= 10, w++) {
            if (value < limit) {
                sb.append('0');
            }
        }
        return sb.append(value);
    }

    /** Parses an RFC 3339 time into epoch nanoseconds; Go's zero time is 0. */
    static long parseTime(String text) {
        if (text == null || text.isEmpty() || text.startsWith("0001-01-01T00:00:00")) {
            return 0;
        }
        try {
            Instant i = OffsetDateTime.parse(text).toInstant();
            return i.getEpochSecond() * 1_000_000_000L + i.getNano();
        } catch (DateTimeParseException e) {
            throw JetStreamError.of("JSInvalidJSONErr", "{err}", "parsing time \"" + text + "\"");
        }
    }

    static long nowNanos() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** A numeric field, or the default when absent or null. */
    static long getLong(JsonNode o, String field, long dflt) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw JetStreamError.of("JSInvalidJSONErr", "{err}",
                    "json: cannot unmarshal " + n.getNodeType().name().toLowerCase() + " into Go struct field ." + field + " of type int64");
        }
        return n.asLong();
    }

    static boolean getBool(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw JetStreamError.of("JSInvalidJSONErr", "{err}",
                    "json: cannot unmarshal " + n.getNodeType().name().toLowerCase() + " into Go struct field ." + field + " of type bool");
        }
        return n.asBoolean();
    }

    static String getText(JsonNode o, String field, String dflt) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw JetStreamError.of("JSInvalidJSONErr", "{err}",
                    "json: cannot unmarshal " + n.getNodeType().name().toLowerCase() + " into Go struct field ." + field + " of type string");
        }
        return n.asText();
    }
}
