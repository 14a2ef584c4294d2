package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/** {@code text}: min/max length, pattern, autogenerate pattern, primary key (the {@code id} field). */
public final class TextField extends Field {
    private int min;
    private int max;
    private String pattern = "";
    private volatile java.util.regex.Pattern compiled;
    private String autogeneratePattern = "";
    private boolean required;
    private boolean primaryKey;

    public TextField(String name) {
        super(name);
    }

    @Override
    public String type() {
        return "text";
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    public String pattern() {
        return pattern;
    }

    public String autogeneratePattern() {
        return autogeneratePattern;
    }

    @Override
    public boolean required() {
        return required;
    }

    public boolean primaryKey() {
        return primaryKey;
    }

    public TextField setMin(int min) {
        this.min = min;
        return this;
    }

    public TextField setMax(int max) {
        this.max = max;
        return this;
    }

    public TextField setPattern(String pattern) {
        this.pattern = pattern == null ? "" : pattern;
        return this;
    }

    /** The pattern compiled once per pattern text rather than on each validated value. */
    private java.util.regex.Pattern compiledPattern() {
        java.util.regex.Pattern p = compiled;
        if (p == null || !p.pattern().equals(pattern)) {
            p = java.util.regex.Pattern.compile(pattern);
            compiled = p;
        }
        return p;
    }

    public TextField setAutogeneratePattern(String autogeneratePattern) {
        this.autogeneratePattern = autogeneratePattern == null ? "" : autogeneratePattern;
        return this;
    }

    public TextField setRequired(boolean required) {
        this.required = required;
        return this;
    }

    public TextField setPrimaryKey(boolean primaryKey) {
        this.primaryKey = primaryKey;
        return this;
    }

    @Override
    public Object prepareValue(Object raw) {
        return plainText(raw);
    }

    /** PocketBase's default id pattern; ids matching it need no extra filesystem-safety checks. */
    static final String DEFAULT_ID_PATTERN = "^[a-z0-9]+$";

    @Override
    public Optional<ValidationError> validateValue(App app, Record record) {
        String v = record.getString(name());
        if (primaryKey && !record.isNew()) {
            String saved = Field.plainText(record.original(name()));
            if (!saved.equals(v)) {
                return error("validation_pk_change", "The record primary key cannot be changed.");
            }
            if (!saved.isEmpty()) {
                // a stored id may come from another system: it is not revalidated
                return Optional.empty();
            }
        }
        if (v.isEmpty()) {
            return required || primaryKey ? Optional.of(ValidationError.required()) : Optional.empty();
        }
        int length = v.codePointCount(0, v.length());
        if (min > 0 && length < min) {
            return error("validation_min_text_constraint", "Must be at least {{min}} character(s).", Map.of("min", min));
        }
        int effectiveMax = max <= 0 ? DEFAULT_MAX_LENGTH : max;
        if (length > effectiveMax) {
            return error("validation_max_text_constraint", "Must be no more than {{max}} character(s).",
                    Map.of("max", effectiveMax));
        }
        if (!pattern.isEmpty() && !compiledPattern().matcher(v).find()) {
            return error("validation_invalid_format", "Invalid value format.");
        }
        if (primaryKey && !DEFAULT_ID_PATTERN.equals(pattern)) {
            return validatePrimaryKey(v);
        }
        return Optional.empty();
    }

    /** Characters never allowed in a record id (path and shell specials) and Windows reserved names. */
    private static Optional<ValidationError> validatePrimaryKey(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (Character.isWhitespace(c) || "./\\|\"'`<>:?*%$".indexOf(c) >= 0) {
                return error("validation_forbidden_pk_character", "'{{ch}}' is not a valid primary key character.",
                        Map.of("ch", String.valueOf(c)));
            }
        }
        String upper = v.toUpperCase(java.util.Locale.ROOT);
        if (RESERVED_IDS.contains(upper)) {
            return error("validation_reserved_pk", "The primary key '{{reserved}}' is reserved and cannot be used.",
                    Map.of("reserved", upper));
        }
        return Optional.empty();
    }

    private static final java.util.Set<String> RESERVED_IDS = java.util.Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4",
            "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    /** PocketBase's cap for text fields without an explicit max. */
    public static final int DEFAULT_MAX_LENGTH = 5000;

    @Override
    public String columnDefinition() {
        return primaryKey ? "TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL"
                : "TEXT DEFAULT '' NOT NULL";
    }

    @Override
    protected void writeOptions(Map<String, Object> out) {
        out.put("min", min);
        out.put("max", max);
        out.put("pattern", pattern);
        out.put("autogeneratePattern", autogeneratePattern);
        out.put("required", required);
        out.put("primaryKey", primaryKey);
    }

    @Override
    protected void readOptions(JsonNode node) {
        min = integer(node, "min", 0);
        max = integer(node, "max", 0);
        pattern = text(node, "pattern", "");
        autogeneratePattern = text(node, "autogeneratePattern", "");
        required = bool(node, "required");
        primaryKey = bool(node, "primaryKey");
    }
}
