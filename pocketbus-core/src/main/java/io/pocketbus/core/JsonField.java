package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.Optional;

/** {@code json}: any JSON value (canonically a Jackson {@link JsonNode}); maxSize bytes (default 1 MB). */
public final class JsonField extends Field {
    public static final long DEFAULT_MAX_SIZE = 1L << 20;

    private long maxSize;
    private boolean required;

    public JsonField(String name) {
        super(name);
    }

    @Override
    public String type() {
        return "json";
    }

    public long maxSize() {
        return maxSize;
    }

    public long effectiveMaxSize() {
        return maxSize <= 0 ? DEFAULT_MAX_SIZE : maxSize;
    }

    @Override
    public boolean required() {
        return required;
    }

    public JsonField setMaxSize(long maxSize) {
        this.maxSize = maxSize;
        return this;
    }

    public JsonField setRequired(boolean required) {
        this.required = required;
        return this;
    }

    /**
     * JSON values pass through; database text is parsed; other objects are converted. A string that is not
     * valid JSON (only possible from the database or multipart) is kept as a JSON string.
     */
    @Override
    public Object prepareValue(Object raw) {
        if (raw == null) {
            return NullNode.getInstance();
        }
        if (raw instanceof JsonNode n) {
            return n;
        }
        if (raw instanceof RawJson(String text)) {
            return parseOrText(text);
        }
        return MAPPER.valueToTree(raw);
    }

    /** Text read from the database column, to be parsed as JSON. */
    public record RawJson(String text) {
    }

    static JsonNode parseOrText(String text) {
        if (text.isBlank()) {
            return NullNode.getInstance();
        }
        try {
            return MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            return TextNode.valueOf(text);
        }
    }

    @Override
    public Object dbValue(Object value) {
        JsonNode n = (JsonNode) value;
        // PocketBase writes a JSON null as the text "null"
        return n.isMissingNode() ? "null" : n.toString();
    }

    @Override
    public boolean isBlank(Object value) {
        if (!(value instanceof JsonNode n) || n.isNull() || n.isMissingNode()) {
            return true;
        }
        return (n.isTextual() && n.asText().isEmpty()) || (n.isContainerNode() && n.isEmpty());
    }

    @Override
    public Optional<ValidationError> validateValue(App app, Record record) {
        Object v = record.get(name());
        if (isBlank(v)) {
            return requiredError(v);
        }
        long size = v.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (size > effectiveMaxSize()) {
            return error("validation_json_size_limit", "The maximum allowed JSON size is {{maxSize}} bytes.",
                    Map.of("maxSize", effectiveMaxSize()));
        }
        return Optional.empty();
    }

    @Override
    public String columnDefinition() {
        return "JSON DEFAULT NULL";
    }

    @Override
    protected void writeOptions(Map<String, Object> out) {
        out.put("maxSize", maxSize);
        out.put("required", required);
    }

    @Override
    protected void readOptions(JsonNode node) {
        maxSize = longValue(node, "maxSize", 0);
        required = bool(node, "required");
    }
}
