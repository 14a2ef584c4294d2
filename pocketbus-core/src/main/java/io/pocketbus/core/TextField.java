package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** {@code text}: min/max length, pattern, autogenerate pattern, primary key (the {@code id} field). */
public final class TextField extends Field {
    private int min;
    private int max;
    private String pattern = "";
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
