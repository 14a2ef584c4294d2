package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/** {@code editor}: an HTML string, maxSize bytes (default 5 MB), convertURLs. */
public final class EditorField extends Field {
    public static final long DEFAULT_MAX_SIZE = 5L << 20;

    private long maxSize;
    private boolean convertURLs;
    private boolean required;

    public EditorField(String name) {
        super(name);
    }

    @Override
    public String type() {
        return "editor";
    }

    public long maxSize() {
        return maxSize;
    }

    /** maxSize, or the default when unset. */
    public long effectiveMaxSize() {
        return maxSize <= 0 ? DEFAULT_MAX_SIZE : maxSize;
    }

    public boolean convertURLs() {
        return convertURLs;
    }

    @Override
    public boolean required() {
        return required;
    }

    public EditorField setMaxSize(long maxSize) {
        this.maxSize = maxSize;
        return this;
    }

    public EditorField setConvertURLs(boolean convertURLs) {
        this.convertURLs = convertURLs;
        return this;
    }

    public EditorField setRequired(boolean required) {
        this.required = required;
        return this;
    }

    @Override
    public Object prepareValue(Object raw) {
        return plainText(raw);
    }

    @Override
    public Optional<ValidationError> validateValue(App app, Record record) {
        String v = record.getString(name());
        if (v.isEmpty()) {
            return requiredError(v);
        }
        long size = v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (size > effectiveMaxSize()) {
            return error("validation_content_size_limit", "The maximum allowed content size is {{maxSize}} bytes.",
                    Map.of("maxSize", effectiveMaxSize()));
        }
        return Optional.empty();
    }

    @Override
    public String columnDefinition() {
        return "TEXT DEFAULT '' NOT NULL";
    }

    @Override
    protected void writeOptions(Map<String, Object> out) {
        out.put("maxSize", maxSize);
        out.put("convertURLs", convertURLs);
        out.put("required", required);
    }

    @Override
    protected void readOptions(JsonNode node) {
        maxSize = longValue(node, "maxSize", 0);
        convertURLs = bool(node, "convertURLs");
        required = bool(node, "required");
    }
}
