package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/**
 * {@code password}: write-only; the record holds the bcrypt hash (the plain text set on a record is
 * validated against min/max/pattern, then hashed with {@code cost}).
 */
public final class PasswordField extends Field {
    /** bcrypt uses at most 72 bytes; PocketBase caps max at 71 characters. */
    public static final int MAX_LENGTH = 71;

    private int min;
    private int max;
    private String pattern = "";
    private int cost;
    private boolean required;

    public PasswordField(String name) {
        super(name);
    }

    @Override
    public String type() {
        return "password";
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

    public int cost() {
        return cost;
    }

    @Override
    public boolean required() {
        return required;
    }

    public PasswordField setMin(int min) {
        this.min = min;
        return this;
    }

    public PasswordField setMax(int max) {
        this.max = max;
        return this;
    }

    public PasswordField setPattern(String pattern) {
        this.pattern = pattern == null ? "" : pattern;
        return this;
    }

    public PasswordField setCost(int cost) {
        this.cost = cost;
        return this;
    }

    public PasswordField setRequired(boolean required) {
        this.required = required;
        return this;
    }

    /** The canonical value is the stored hash. */
    @Override
    public Object prepareValue(Object raw) {
        return plainText(raw);
    }

    /** Checks the plain text set since loading (length, pattern) and that a hash exists when required. */
    @Override
    public Optional<ValidationError> validateValue(App app, Record record) {
        Optional<ValidationError> required = requiredError(record.getString(name()));
        if (required.isPresent()) {
            return required;
        }
        Optional<String> plain = record.plainPassword();
        if (plain.isEmpty() || plain.get().isEmpty()) {
            return Optional.empty();
        }
        int length = plain.get().codePointCount(0, plain.get().length());
        if (length < min) {
            return error("validation_min_text_constraint", "Must be at least " + min + " character(s).");
        }
        int effectiveMax = max <= 0 || max > MAX_LENGTH ? MAX_LENGTH : max;
        if (length > effectiveMax) {
            return error("validation_max_text_constraint", "Must be less than " + effectiveMax + " character(s).");
        }
        if (!pattern.isEmpty() && !java.util.regex.Pattern.compile(pattern).matcher(plain.get()).find()) {
            return error("validation_invalid_format", "Invalid value format.");
        }
        return Optional.empty();
    }

    @Override
    public String columnDefinition() {
        return "TEXT DEFAULT '' NOT NULL";
    }

    @Override
    protected void writeOptions(Map<String, Object> out) {
        out.put("min", min);
        out.put("max", max);
        out.put("pattern", pattern);
        out.put("cost", cost);
        out.put("required", required);
    }

    @Override
    protected void readOptions(JsonNode node) {
        min = integer(node, "min", 0);
        max = integer(node, "max", 0);
        pattern = text(node, "pattern", "");
        cost = integer(node, "cost", 0);
        required = bool(node, "required");
    }
}
